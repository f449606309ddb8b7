package signature

import (
	"context"
	"crypto"
	"crypto/x509"
	"fmt"
	"io"
	"slices"

	"github.com/kyso-go/kyso/internal/pdf"
)

// ExtendOptions controls Extend, in the manner of x509.VerifyOptions.
type ExtendOptions struct {
	// Timestamper makes the new document time-stamp. It is required unless
	// NoDocTimestamp is set.
	Timestamper Timestamper
	// Revocation fetches the OCSP responses (or, failing those, the CRLs) for every
	// certificate of every signature's and time-stamp's chain. certstatus.Checker has
	// the methods. Nil fetches nothing (every certificate is then missing its data).
	Revocation RevocationSource
	// Certificates are extra certificates for building chains: intermediates and the
	// trust anchor, which the CMS usually does not carry. A chain that cannot reach a
	// self-signed root leaves its last certificate without revocation data. A TSA
	// certificate that a time-stamp token leaves out is looked up here too (see
	// Timestamper).
	Certificates []*x509.Certificate
	// OnMissingRevocation says what to do when some certificate's revocation data
	// cannot be obtained: fail with a *RevocationError (the default, nothing is
	// written), or continue, embedding what was obtained and listing the rest in
	// ExtendResult.Missing.
	OnMissingRevocation MissingRevocationPolicy
	// NoDocTimestamp adds the DSS only (PAdES B-LT), without a document time-stamp.
	NoDocTimestamp bool
	// Hash is the digest algorithm of the document time-stamp: crypto.SHA256
	// (default), SHA384 or SHA512.
	Hash crypto.Hash
	// Field names the new document time-stamp field; empty means "DocTimeStampN".
	Field string
	// TimestampReserve is the /Contents room in bytes for the document time-stamp
	// token; 0 means 16384. A token that does not fit is requested again once with
	// enough room.
	TimestampReserve int
	// Password opens an encrypted document (nil: the empty user password).
	Password []byte
}

// ExtendResult says what Extend (or the B-LT/B-LTA step of Sign) added.
type ExtendResult struct {
	// Size is the size of the output document.
	Size int64
	// Certs, OCSPs and CRLs count the streams added to the DSS (data already in the
	// document's DSS is reused, not repeated).
	Certs, OCSPs, CRLs int
	// VRI lists the VRI keys written or extended, one per signature and document
	// time-stamp (upper-case hex SHA-1 of its /Contents).
	VRI []string
	// Missing lists the certificates whose revocation data could not be obtained
	// (only with ContinueWithoutRevocation; otherwise they make the error).
	Missing []MissingRevocation
	// DocTimestamp describes the new document time-stamp; nil with NoDocTimestamp.
	DocTimestamp *DocTimestamp
	// Warnings, in English, for the operator: signatures skipped, data missing.
	Warnings []string
}

// Extend renews a signed PDF for long-term archiving (PAdES B-LT and B-LTA): it reads
// the document from r (size bytes), gathers the certificates, OCSP responses and CRLs
// that validate every signature and time-stamp in it (signer chains, signature
// time-stamp TSA chains, earlier document time-stamps), and writes to w the original
// bytes unchanged followed by an incremental update holding the /DSS (with one /VRI
// entry per signature) and, unless NoDocTimestamp, a second incremental update holding
// a new document time-stamp over the whole file. Every earlier signature stays valid:
// only the DSS, a new field and the catalog, AcroForm and page /Annots change.
//
// Everything that can fail (reading the document, fetching revocation data, the
// time-stamp) happens before the first byte is written; the input is read twice
// (once to hash it, once to copy it).
//
// A document without signatures gives ErrNoLevelData; an unreadable one ErrDocument;
// missing revocation data a *RevocationError (ErrRevocationUnavailable) unless
// OnMissingRevocation is ContinueWithoutRevocation; a failed time-stamp a
// *TimestampError (ErrTimestamp).
func Extend(ctx context.Context, w io.Writer, r io.ReaderAt, size int64, opts *ExtendOptions) (*ExtendResult, error) {
	var o ExtendOptions
	if opts != nil {
		o = *opts
	}
	if err := o.check(); err != nil {
		return nil, err
	}
	dssBytes, res, err := buildDSSUpdate(ctx, r, size, o.Password, o.Revocation, o.Certificates)
	if err != nil {
		return nil, err
	}
	if len(res.Missing) > 0 && o.OnMissingRevocation != ContinueWithoutRevocation {
		return nil, &RevocationError{Missing: res.Missing}
	}
	total := size + int64(len(dssBytes))
	var tsBytes []byte
	if !o.NoDocTimestamp {
		h := o.Hash.New()
		if err := copyHashing(ctx, nil, r, size, h); err != nil {
			return nil, err
		}
		h.Write(dssBytes)
		tsBytes, res.DocTimestamp, err = makeDocTimestamp(ctx, docTimestampRequest{
			r: appendedReaderAt{r: r, size: size, tail: dssBytes}, size: total, password: o.Password,
			hash: o.Hash, prefix: h, ts: o.Timestamper, reserve: o.TimestampReserve, field: o.Field, certs: o.Certificates,
		})
		if err != nil {
			return nil, err
		}
	}
	if err := copyHashing(ctx, w, r, size, nopHash{}); err != nil {
		return nil, err
	}
	for _, b := range [][]byte{dssBytes, tsBytes} {
		if _, err := w.Write(b); err != nil {
			return nil, fmt.Errorf("signature: writing output: %w", err)
		}
	}
	res.Size = total + int64(len(tsBytes))
	return res, nil
}

// check validates the options and fills in defaults.
func (o *ExtendOptions) check() error {
	if o.Hash == 0 {
		o.Hash = crypto.SHA256
	}
	switch o.Hash {
	case crypto.SHA256, crypto.SHA384, crypto.SHA512:
	default:
		return signErr(ErrAlgorithm, nil, "document time-stamp digest %v; use SHA-256, SHA-384 or SHA-512", o.Hash)
	}
	if o.Timestamper == nil && !o.NoDocTimestamp {
		return signErr(ErrInvalidOptions, nil, "a Timestamper is needed for the document time-stamp (or set NoDocTimestamp for B-LT only)")
	}
	if o.OnMissingRevocation != FailOnMissingRevocation && o.OnMissingRevocation != ContinueWithoutRevocation {
		return signErr(ErrInvalidOptions, nil, "OnMissingRevocation %d is not a known policy", o.OnMissingRevocation)
	}
	if o.TimestampReserve < 0 || o.TimestampReserve > maxDocTimestampReserve {
		return signErr(ErrInvalidOptions, nil, "TimestampReserve %d out of range [0, %d]", o.TimestampReserve, maxDocTimestampReserve)
	}
	if len(o.Field) > 4096 {
		return signErr(ErrInvalidOptions, nil, "Field name longer than 4096 bytes")
	}
	return nil
}

// buildDSSUpdate opens the document, gathers the validation data of its signatures and
// returns the incremental update adding it to the DSS (nil when there is nothing new),
// with what it added. Missing revocation data is listed in the result, not an error.
func buildDSSUpdate(ctx context.Context, r io.ReaderAt, size int64, password []byte, src RevocationSource, extra []*x509.Certificate) ([]byte, *ExtendResult, error) {
	section, res, _, err := buildDSSUpdateFor(ctx, r, size, password, src, extra, "")
	return section, res, err
}

// buildDSSUpdateFor is buildDSSUpdate that also returns the missing revocation data
// the signature in the field named own needs (all of it when own is "" or unknown).
func buildDSSUpdateFor(ctx context.Context, r io.ReaderAt, size int64, password []byte, src RevocationSource, extra []*x509.Certificate, own string) ([]byte, *ExtendResult, []MissingRevocation, error) {
	doc, err := pdf.Open(r, size, &pdf.Options{Password: password})
	if err != nil {
		return nil, nil, nil, openErr(err)
	}
	// A certificate a token leaves out may be in the caller's extra certificates or
	// in the DSS another tool wrote.
	subs, warns, err := findDSSSubjects(doc, append(slices.Clip(extra), existingDSSCertificates(doc)...))
	if err != nil {
		return nil, nil, nil, err
	}
	if len(subs) == 0 {
		if len(warns) > 0 {
			return nil, nil, nil, signErr(ErrNoLevelData, nil, "%s", warns[0])
		}
		return nil, nil, nil, signErr(ErrNoLevelData, nil, "no signature or time-stamp found")
	}
	col := newDSSCollector(src, extra)
	plan, err := col.collect(ctx, subs)
	if err != nil {
		return nil, nil, nil, err
	}
	res := &ExtendResult{Missing: plan.missing, Warnings: append(warns, plan.warnings...)}
	for _, m := range plan.missing {
		res.Warnings = append(res.Warnings, m.String())
	}
	root, ok := doc.Trailer().Get("Root").(pdf.Ref)
	if !ok {
		return nil, nil, nil, signErr(ErrDocument, nil, "the trailer has no /Root reference")
	}
	cat, err := doc.Catalog()
	if err != nil {
		return nil, nil, nil, signErr(ErrDocument, err, "reading the catalog")
	}
	u := doc.NewUpdate()
	b, err := newDSSBuilder(doc, u)
	if err != nil {
		return nil, nil, nil, err
	}
	res.VRI = plan.write(b)
	res.Certs, res.OCSPs, res.CRLs = b.added[dssCerts], b.added[dssOCSPs], b.added[dssCRLs]
	ownMissing := plan.missing
	if own != "" {
		ownMissing = plan.missingOf(own)
	}
	if !b.changed {
		return nil, res, ownMissing, nil
	}
	b.finish(root, cat)
	section, err := u.Bytes()
	if err != nil {
		return nil, nil, nil, signErr(ErrDocument, err, "writing the DSS update")
	}
	return section, res, ownMissing, nil
}

// appendedReaderAt reads r[0:size) followed by tail, as one file.
type appendedReaderAt struct {
	r    io.ReaderAt
	size int64
	tail []byte
}

func (a appendedReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("signature: negative offset %d", off)
	}
	n := 0
	if off < a.size {
		m := int(min(int64(len(p)), a.size-off))
		k, err := a.r.ReadAt(p[:m], off)
		n += k
		if k < m {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return n, err
		}
	}
	if n < len(p) {
		toff := off + int64(n) - a.size
		if toff >= int64(len(a.tail)) {
			return n, io.EOF
		}
		k := copy(p[n:], a.tail[toff:])
		n += k
		if n < len(p) {
			return n, io.EOF
		}
	}
	return n, nil
}
