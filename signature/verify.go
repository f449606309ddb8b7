package signature

import (
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf"
)

// Verify reads the PDF of the given size from r and reports on every signature and
// document time-stamp in it, oldest first.
//
// For each one it checks, in this order: the /ByteRange (well-formed, starting at 0, one
// hole that is exactly the /Contents string, ending at the end of a revision); the CMS
// (well-formed, SubFilter consistent, signed attributes, message digest over the byte
// ranges, signature value, ESS signing-certificate binding, algorithm strength); what
// every later revision changed, object by object, judged against the certification
// level (DocMDP) and field locks (FieldMDP); the signing time (the signature time-stamp
// when there is one, else the claimed /M, flagged as unproven); the certification path
// at that time; and the revocation status, from the document's DSS and CMS first and
// online (opts.Revocation) only when allowed. All signatures are hashed in one pass
// over the file. The checks are the named steps of prepareSteps and finishSteps
// (verify_steps.go), whose order is the precedence of verdicts.
//
// A time-stamp (signature or document) proves its time only while the certificates of
// its TSA outlive the token's own proof of existence: the earliest valid document
// time-stamp over a later revision, else the validation time. An archive whose last
// document time-stamp's certificate has expired is therefore INDETERMINATE
// (OUT_OF_BOUNDS_NO_POE): renew it with Extend before then.
//
// The verdict per signature uses ETSI EN 319 102-1 indications and sub-indications.
// The revocation status of the signer's certificate, of the intermediate CA
// certificates (a CA whose status cannot be determined only gives a warning) and of
// time-stamping units is checked; the root's is not. Verify does not check visible
// signatures against Nghị định 30/2020 (layout does).
//
// Reading is bounded whatever the number of revisions: at most 8 × the file's size +
// 64 MiB of strings and stream data are parsed in all (pdf.Options.MaxParsedBytes);
// what cannot be read within it fails the checks that need it.
//
// An error is returned only when the input is not a readable PDF (ErrNotPDF, with a
// *DocumentError) or holds no signature (ErrNoSignatures, with the report); a crafted
// or broken signature yields a report, never an error or a panic.
func Verify(ctx context.Context, r io.ReaderAt, size int64, opts *VerifyOptions) (*Report, error) {
	if opts == nil {
		opts = &VerifyOptions{}
	}
	doc, err := pdf.Open(r, size, &pdf.Options{Password: opts.Password})
	if err != nil {
		return nil, &DocumentError{Err: err}
	}
	v := &verifier{ctx: ctx, r: r, size: size, opts: opts, doc: doc, now: opts.now()}
	return v.run()
}

// verifier holds the state of one Verify call.
type verifier struct {
	ctx  context.Context
	r    io.ReaderAt
	size int64
	opts *VerifyOptions
	doc  *pdf.Document
	now  time.Time

	revs     []pdf.Revision
	trailing bool // bytes after the last revision a lenient reader may take for PDF
	// junk: bytes after the last revision that no reader takes for PDF (no keyword of
	// the file structure): unsigned, so no signature covers the whole file, but
	// nothing any viewer shows changes.
	junk    int64
	differ  *differ
	sigs    []*sigState // oldest first
	dss     dssData
	fetched map[string]fetched // online revocation answers, by certificate
	// known are the certificates available besides a token's own (tokenCandidates),
	// gathered once every signature is prepared.
	known []*x509.Certificate
}

// sigState is one signature or document time-stamp being verified.
type sigState struct {
	rep    *SignatureReport
	field  pdf.Field
	dict   pdf.Dict
	broken bool       // a structural check failed: no further checks
	ranges [][2]int64 // the signed ranges, once they cover a revision
	// holeRanges are the ranges of a well-formed /ByteRange (before the coverage check).
	holeRanges [][2]int64
	contents   []byte // the /Contents string
	rev        int
	sd         *cms.SignedData
	si         *cms.SignerInfo
	tok        *timestampToken // the document time-stamp token
	job        int             // index into the hash jobs, -1 none
	digest     []byte
	poe        time.Time // proof of existence: the signature time-stamp's time
	hasPOE     bool
	mdpP       int
	locks      []fieldLock
	dssUsed    bool // revocation status settled by DSS data
	// cert is the signer's certificate, once found in the CMS.
	cert *x509.Certificate
	// cryptoOK: the signed attributes, message digest and signature value verified.
	cryptoOK bool
	// complete: every check ran; only then may a signature without failures pass.
	complete bool
	// pkcs1Opened: an adbe.x509.rsa_sha1 value opened with the signer's key to a
	// PKCS#1 v1.5 DigestInfo (a digest that then differs is a HASH_FAILURE).
	pkcs1Opened bool
}

// dssData is the content of the document security store (ETSI EN 319 142-1 §5.4).
type dssData struct {
	certs []*x509.Certificate
	revocationData
}

// maxDSSBytes bounds the validation data read from the DSS.
const maxDSSBytes = 64 << 20

func (v *verifier) run() (*Report, error) {
	v.revs = v.doc.Revisions()
	rep := &Report{Size: v.size, Revisions: len(v.revs)}
	if v.doc.Recovered() {
		m := msgRecovered()
		rep.Warnings = append(rep.Warnings, Check{Name: "structure", Result: CheckWarning, MessageVI: m.VI, MessageEN: m.EN})
	}
	if len(v.revs) > 0 && !onlyWhitespaceFrom(v.r, v.revs[len(v.revs)-1].EOF, v.size) {
		end := v.revs[len(v.revs)-1].EOF
		m := msgTrailingBytes(v.size - end)
		if inertFrom(v.r, end, v.size) {
			v.junk = v.size - end
			m = msgTrailingJunk(v.junk)
		} else {
			v.trailing = true
		}
		rep.Warnings = append(rep.Warnings, Check{Name: "trailing-data", Result: CheckWarning, MessageVI: m.VI, MessageEN: m.EN})
	}
	if len(v.revs) > v.opts.maxRevisions() {
		return nil, &DocumentError{Err: fmt.Errorf("%d revisions, more than the limit of %d", len(v.revs), v.opts.maxRevisions())}
	}
	v.differ = newDiffer(v.doc)
	if err := v.findSignatures(); err != nil {
		return nil, err
	}
	if len(v.sigs) == 0 {
		return rep, ErrNoSignatures
	}
	v.readDSS()

	var jobs []hashJob
	for _, s := range v.sigs {
		v.prepare(s)
		jobs = v.addHashJob(jobs, s)
	}
	v.sharedSignatures()
	// The modification analysis runs beside the hashing pass (they share nothing but
	// the file), once, from the oldest revision a signature covers: every signature
	// then reads its part of the result. Without this first call, the document
	// time-stamps (finished first, newest first) would start it from a newer revision
	// and the oldest signature would start it over.
	// The analysis's census of references (diff_lazy.go) is fed by the hashing pass,
	// which reads the signed bytes anyway: the analysis waits for it.
	analysed, fed := make(chan struct{}), make(chan struct{})
	from := v.oldestCovered()
	var census *pdf.RefCensus
	if from >= 0 {
		var gaps [][2]int64
		for _, s := range v.sigs {
			if s.ranges != nil { // the hole was checked to be the /Contents string
				gaps = append(gaps, [2]int64{s.ranges[0][1], s.ranges[1][0]})
			}
		}
		census = v.differ.feedCensus(from, gaps, fed)
	}
	go func() {
		defer close(analysed)
		if from >= 0 {
			v.differ.since(from)
		}
	}()
	err := v.hashSignatures(jobs, census)
	close(fed)
	<-analysed
	if err != nil {
		return nil, err
	}
	// Document time-stamps first, newest first: they give proof of existence to what
	// they cover, older document time-stamps included.
	for i := len(v.sigs) - 1; i >= 0; i-- {
		if v.sigs[i].rep.Kind == KindDocTimestamp {
			v.finish(v.sigs[i])
		}
	}
	for _, s := range v.sigs {
		if s.rep.Kind == KindSignature {
			v.finish(s)
		}
	}
	for _, s := range v.sigs {
		switch {
		case s.rep.Indication == "" && s.complete:
			s.rep.Indication = TotalPassed
		case s.rep.Indication == "":
			// Defensive: a signature whose checks did not all run never passes.
			s.rep.Indication, s.rep.SubIndication = Indeterminate, SignedDataNotFound
		}
		if s.rep.Indication == TotalFailed {
			s.rep.Level = LevelNone
		}
		rep.Signatures = append(rep.Signatures, *s.rep)
	}
	return rep, nil
}

// oldestCovered returns the oldest revision a signature covers, or -1.
func (v *verifier) oldestCovered() int {
	from := -1
	for _, s := range v.sigs {
		if s.rev >= 0 && (from < 0 || s.rev < from) {
			from = s.rev
		}
	}
	return from
}

// findSignatures lists the signature fields that hold a signature dictionary, in the
// order of the revisions they sign.
func (v *verifier) findSignatures() error {
	fields, err := v.doc.Fields()
	if err != nil {
		return &DocumentError{Err: fmt.Errorf("reading the form fields: %w", err)}
	}
	var pages []pdf.Page // read once, when the first visible widget needs a page number
	for _, f := range fields {
		if f.Type != "Sig" {
			continue
		}
		val, err := v.doc.Resolve(f.Dict.Get("V"))
		if err != nil {
			continue
		}
		d, ok := val.(pdf.Dict)
		if !ok {
			continue
		}
		if len(v.sigs) >= v.opts.maxSignatures() {
			return &DocumentError{Err: fmt.Errorf("more than %d signatures", v.opts.maxSignatures())}
		}
		s := &sigState{field: f, dict: d, rev: -1, rep: &SignatureReport{Field: f.Name, Kind: KindSignature, Revision: -1, Modification: ModNone}}
		s.rep.Widget = widgetOf(v.doc, f, &pages)
		v.sigs = append(v.sigs, s)
	}
	// Oldest first: by the end of the signed range.
	end := func(s *sigState) int64 {
		br := intArray(v.doc, s.dict.Get("ByteRange"))
		if len(br) == 4 {
			return br[2] + br[3]
		}
		return -1
	}
	sort.SliceStable(v.sigs, func(i, j int) bool { return end(v.sigs[i]) < end(v.sigs[j]) })
	return nil
}

// sharedSignatures fails every signature whose signed ranges another field's
// signature also claims: one signature value shown under two fields (a later revision
// pointing a second field's /V at an existing signature dictionary, or a copy of it)
// would let a document appear signed in a field its signer never signed.
func (v *verifier) sharedSignatures() {
	byRanges := map[string][]*sigState{}
	var keys []string
	for _, s := range v.sigs {
		if s.ranges == nil {
			continue
		}
		k := fmt.Sprint(s.ranges)
		if byRanges[k] == nil {
			keys = append(keys, k)
		}
		byRanges[k] = append(byRanges[k], s)
	}
	for _, k := range keys {
		group := byRanges[k]
		if len(group) < 2 {
			continue
		}
		for _, s := range group {
			var others []string
			for _, o := range group {
				if o != s {
					others = append(others, fmt.Sprintf("%q", o.rep.Field))
				}
			}
			s.rep.add(CheckCoverage, CheckFailed, msgSignatureShared(strings.Join(others, ", ")))
			s.rep.fail(TotalFailed, FormatFailure)
			s.broken = true
		}
	}
}

// checkRawSignature checks a SignerInfo without signed attributes (allowed by
// adbe.pkcs7.detached): the signature is over the content digest itself. RSA PKCS#1
// v1.5 and ECDSA only.
func checkRawSignature(cert *x509.Certificate, si *cms.SignerInfo, digest []byte) error {
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		if si.SignatureAlgorithm.Algorithm.Equal(cms.OIDRSASSAPSS) {
			return errors.New("RSASSA-PSS without signed attributes is not supported")
		}
		return cms.CheckDigestSignature(pub, si.Hash, digest, si.Signature)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(pub, digest, si.Signature) {
			return cms.ErrBadSignature
		}
		return nil
	}
	return fmt.Errorf("unsupported key type %T", cert.PublicKey)
}

// integritySummary adds the integrity summary (see integrityVerdict: the "forged"
// wording only for a digest or signature value that fails).
func (v *verifier) integritySummary(s *sigState, _ bool) {
	res, m := integrityVerdict(s.rep)
	s.rep.add(CheckIntegrity, res, m)
}
