package signature

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/kyso-go/kyso/internal/algorithm"
	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf"
)

// defaultReserveUnsigned is the /Contents room kept for a signature time-stamp token.
const defaultReserveUnsigned = 16384

// maxReserveUnsigned bounds SignOptions.ReserveUnsigned: the hole is held in memory
// twice its size (hex) and written into every copy of the document.
const maxReserveUnsigned = 1 << 20

// byteRangeWidth is the fixed width of the /ByteRange array: four numbers of up to 19
// digits (any int64 offset), padded with spaces, so the array can be written after the
// offsets are known without moving a byte.
const byteRangeWidth = 1 + 3*20 + 19 + 1

// signJob is one signature being made: the appended section with its /Contents hole,
// ready to be hashed and filled.
type signJob struct {
	size      int64 // input size; the section is appended at this offset
	hash      crypto.Hash
	pss       bool
	time      time.Time
	certify   DocMDPPermission
	field     string
	section   []byte // the incremental update, /Contents hole zeroed
	holeStart int    // offset of '<' in section
	holeLen   int    // length of the hex string including '<' and '>'
	byteRange [4]int64
	warnings  []string // what the PDF reader repaired in the input
}

func (j *signJob) cmsOptions() *cms.Options { return &cms.Options{Hash: j.hash, PSS: j.pss} }

// planSignature opens the document, checks everything that can be refused and builds
// the incremental update with its /Contents hole and final /ByteRange.
func planSignature(ctx context.Context, r io.ReaderAt, size int64, chain []*x509.Certificate, o *SignOptions) (*signJob, error) {
	var opts SignOptions
	if o != nil {
		opts = *o
	}
	if len(chain) == 0 || chain[0] == nil {
		return nil, signErr(ErrNoCertificate, nil, "chain[0] must be the signer's certificate")
	}
	if err := checkSignOptions(&opts); err != nil {
		return nil, err
	}
	j := &signJob{size: size, hash: opts.Hash, pss: opts.PSS, time: opts.Time, certify: opts.Certify}
	// Size the hole with a dummy digest: the CMS length does not depend on its value.
	sizing, err := cms.Prepare(make([]byte, opts.Hash.Size()), chain[0], chain[1:], j.cmsOptions())
	if err != nil {
		return nil, algorithmErr(err)
	}
	reserve := opts.ReserveUnsigned
	if reserve == 0 {
		reserve = defaultReserveUnsigned
	}
	capacity := sizing.MaxSize() + max(reserve, 0)

	doc, err := pdf.Open(r, size, &pdf.Options{Password: opts.Password, MaxObjects: opts.Limits.MaxObjects,
		MaxDepth: opts.Limits.MaxDepth, MaxStreamSize: opts.Limits.MaxStreamSize})
	if err != nil {
		return nil, openErr(err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ed, err := openEdit(doc)
	if err != nil {
		return nil, err
	}
	if err := ed.checkDocMDP(opts.Certify); err != nil {
		return nil, err
	}

	sigDict := pdf.Dict{
		"Type":      pdf.Name("Sig"),
		"Filter":    pdf.Name("Adobe.PPKLite"),
		"SubFilter": pdf.Name("ETSI.CAdES.detached"),
		"M":         pdf.String(pdfDate(opts.Time)),
		"ByteRange": pdf.Raw(byteRangePlaceholder()),
		"Contents":  pdf.Raw(holePlaceholder(capacity)),
	}
	for k, v := range map[pdf.Name]string{"Name": opts.Name, "Reason": opts.Reason, "Location": opts.Location, "ContactInfo": opts.ContactInfo} {
		if v != "" {
			sigDict[k] = pdf.TextString(v)
		}
	}
	if opts.Certify != 0 {
		sigDict["Reference"] = pdf.Array{pdf.Dict{
			"Type":            pdf.Name("SigRef"),
			"TransformMethod": pdf.Name("DocMDP"),
			"TransformParams": pdf.Dict{
				"Type": pdf.Name("TransformParams"),
				"P":    pdf.Integer(opts.Certify),
				"V":    pdf.Name("1.2"),
			},
		}}
	}
	sigRef := ed.u.Add(sigDict)
	ed.sigDict = sigDict
	if opts.Certify != 0 {
		ed.setPerms(sigRef)
	}
	var app *appearanceInput
	if opts.Widget != nil && opts.Widget.Appearance != nil {
		app = &appearanceInput{a: opts.Widget.Appearance, signer: chain[0], time: opts.Time}
	}
	isNew := opts.Field == ""
	if !isNew {
		j.field, err = ed.fillField(ctx, opts.Field, sigRef, app)
		if opts.CreateField && errors.Is(err, ErrFieldNotFound) {
			isNew = true
			j.field, err = ed.newField(ctx, opts.Field, sigRef, opts.Widget, app)
		}
	} else {
		j.field, err = ed.newField(ctx, opts.NewField, sigRef, opts.Widget, app)
	}
	if err != nil {
		return nil, err
	}
	if opts.Policy != nil {
		if err := checkPolicy(ctx, opts.Policy, ed, chain, &opts, j.field, isNew); err != nil {
			return nil, err
		}
	}
	if err := ed.finish(); err != nil {
		return nil, err
	}
	section, err := ed.u.Bytes()
	if err != nil {
		return nil, signErr(ErrDocument, err, "writing the incremental update")
	}
	j.section = section
	j.warnings = doc.Warnings()
	objOff, ok := ed.u.ObjectOffset(sigRef)
	if !ok {
		return nil, signErr(ErrDocument, nil, "signature dictionary %v not found in the update", sigRef)
	}
	if err := j.locate(int(objOff-size), capacity); err != nil {
		return nil, err
	}
	return j, nil
}

// checkSignOptions validates opts and fills in defaults.
func checkSignOptions(o *SignOptions) error {
	if o.Hash == 0 {
		o.Hash = crypto.SHA256
	}
	switch {
	case o.Hash == crypto.SHA256 || o.Hash == crypto.SHA384 || o.Hash == crypto.SHA512:
	case algorithm.WeakHash(o.Hash):
		return signErr(ErrAlgorithm, nil, "%v is refused; use SHA-256, SHA-384 or SHA-512", o.Hash)
	default:
		return signErr(ErrAlgorithm, nil, "digest %v is not supported; use SHA-256, SHA-384 or SHA-512", o.Hash)
	}
	if o.Time.IsZero() {
		o.Time = time.Now()
	}
	if y := o.Time.Year(); y < 1 || y > 9999 {
		return signErr(ErrInvalidOptions, nil, "signing time %v cannot be written as a PDF date (years 0001-9999)", o.Time)
	}
	if o.ReserveUnsigned > maxReserveUnsigned {
		return signErr(ErrInvalidOptions, nil, "ReserveUnsigned %d is over the limit of %d bytes (a signature time-stamp token needs about 6-8 KB)", o.ReserveUnsigned, maxReserveUnsigned)
	}
	if o.ReserveUnsigned < 0 && o.Level != nil && levelRank(o.Level.Target) >= 1 {
		return signErr(ErrInvalidOptions, nil, "level %s adds a time-stamp token to /Contents but ReserveUnsigned %d keeps no room for it; leave it 0 (16384 bytes)", o.Level.Target, o.ReserveUnsigned)
	}
	if o.Certify < 0 || o.Certify > 3 {
		return signErr(ErrInvalidOptions, nil, "Certify must be 0 (none), 1, 2 or 3, not %d", o.Certify)
	}
	if o.Field != "" && o.NewField != "" {
		return signErr(ErrInvalidOptions, nil, "set Field (an existing field) or NewField (a new one), not both")
	}
	if o.CreateField && o.Field == "" {
		return signErr(ErrInvalidOptions, nil, "CreateField needs Field, the name of the field to sign or create")
	}
	if w := o.Widget; w != nil && (o.Field == "" || o.CreateField) {
		for _, v := range w.Rect {
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e6 {
				return signErr(ErrInvalidOptions, nil, "widget rectangle %v is out of range", w.Rect)
			}
		}
		if w.Rect[2] <= w.Rect[0] || w.Rect[3] <= w.Rect[1] {
			return signErr(ErrInvalidOptions, nil, "widget rectangle %v is empty: want [llx lly urx ury] with urx > llx and ury > lly", w.Rect)
		}
		if w.Page < 0 {
			return signErr(ErrInvalidOptions, nil, "widget page %d: pages are numbered from 1", w.Page)
		}
	}
	if err := o.Level.check(); err != nil {
		return err
	}
	if l := o.Limits; l.MaxObjects < 0 || l.MaxDepth < 0 || l.MaxStreamSize < 0 {
		return signErr(ErrInvalidOptions, nil, "negative read limit %+v: use 0 for the default", l)
	}
	for _, s := range []string{o.Name, o.Reason, o.Location, o.ContactInfo, o.Field, o.NewField} {
		if len(s) > 4096 {
			return signErr(ErrInvalidOptions, nil, "a text option is longer than 4096 bytes")
		}
	}
	return nil
}

// pdfDate formats t as a PDF date string, D:YYYYMMDDHHmmSS+HH'mm'.
func pdfDate(t time.Time) string {
	s := t.Format("D:20060102150405")
	_, off := t.Zone()
	if off == 0 {
		return s + "Z"
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%s%c%02d'%02d'", s, sign, off/3600, off%3600/60)
}

func byteRangePlaceholder() []byte {
	b := bytes.Repeat([]byte{' '}, byteRangeWidth)
	b[0], b[len(b)-1] = '[', ']'
	copy(b[1:], "0 /ByteRange-placeholder")
	return b
}

func holePlaceholder(capacity int) []byte {
	b := bytes.Repeat([]byte{'0'}, 2*capacity+2)
	b[0], b[len(b)-1] = '<', '>'
	return b
}

// locate finds the placeholders in the signature dictionary, computes the final
// /ByteRange and writes it in place.
func (j *signJob) locate(objStart, capacity int) error {
	if objStart < 0 || objStart >= len(j.section) {
		return signErr(ErrDocument, nil, "signature dictionary outside the update")
	}
	objEnd := bytes.Index(j.section[objStart:], []byte("endobj"))
	if objEnd < 0 {
		return signErr(ErrDocument, nil, "signature dictionary is not terminated")
	}
	obj := j.section[objStart : objStart+objEnd]
	br := bytes.Index(obj, byteRangePlaceholder())
	hole := holePlaceholder(capacity)
	hs := bytes.Index(obj, hole)
	if br < 0 || hs < 0 {
		return signErr(ErrDocument, nil, "placeholders not found in the signature dictionary")
	}
	j.holeStart = objStart + hs
	j.holeLen = len(hole)
	a := j.size + int64(j.holeStart)
	b := a + int64(j.holeLen)
	total := j.size + int64(len(j.section))
	j.byteRange = [4]int64{0, a, b, total - b}
	s := "[0 " + strconv.FormatInt(a, 10) + " " + strconv.FormatInt(b, 10) + " " + strconv.FormatInt(total-b, 10)
	dst := j.section[objStart+br : objStart+br+byteRangeWidth]
	for i := range dst {
		dst[i] = ' '
	}
	copy(dst, s)
	dst[len(dst)-1] = ']'
	return nil
}
