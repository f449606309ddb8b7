package signature

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf"
)

// PolicyHook is consulted by Sign and Prepare before anything is signed or written, so
// that a caller's signing policy can refuse a signature: for example the rule that the
// clerk (văn thư) applies the organisation's signature only to a document that already
// carries the signature of the person with authority (Nghị định 30/2020/NĐ-CP, Điều 32
// k2 d). The package policy answers such questions; an adapter outside both packages
// fills a policy request from SigningInfo and the facts a certificate does not carry
// (the signer's role, the document's kind and classification), so signature does not
// depend on policy.
//
// Policy is advisory data, not a lock: a caller that sets no hook signs without any
// check, and Complete (the second step of deferred signing) does not consult it again.
type PolicyHook interface {
	// CheckSigning is called once per signature, after the options, the document and
	// the signature field were checked and before the signature is computed or any
	// byte is written. A non-nil error refuses the signature: Sign or Prepare returns
	// a *SignError matching ErrPolicyRefused that wraps the error, so errors.As
	// reaches the hook's own error type (for example *policy.RefusalError).
	//
	// info is the hook's own copy; it may keep it.
	CheckSigning(ctx context.Context, info SigningInfo) error
}

// PolicyHookFunc adapts a function to a PolicyHook.
type PolicyHookFunc func(ctx context.Context, info SigningInfo) error

// CheckSigning calls f(ctx, info).
func (f PolicyHookFunc) CheckSigning(ctx context.Context, info SigningInfo) error {
	return f(ctx, info)
}

// SigningInfo is what Sign and Prepare know about a signature about to be made, as
// given to a PolicyHook.
type SigningInfo struct {
	// Chain is the signer's certificate chain as given to Sign or Prepare: Chain[0] is
	// the signer's certificate.
	Chain []*x509.Certificate
	// Time is the signing time that will be written to /M (SignOptions.Time, or the
	// current time when that was zero).
	Time time.Time
	// Field is the full name of the signature field the signature will fill, and
	// NewField whether that field is created by this signature.
	Field    string
	NewField bool
	// Certify is the DocMDP permission when the signature certifies the document
	// (SignOptions.Certify); 0 otherwise.
	Certify DocMDPPermission
	// Existing lists the signatures and document time-stamps already in the document,
	// oldest first (in the order of the revisions they sign).
	Existing []ExistingSignature
}

// ExistingSignature is a signature or document time-stamp already in the document, as
// Sign and Prepare read it for a PolicyHook: from the signature dictionary and the
// certificates and time-stamp embedded in its CMS.
//
// Nothing is verified: not the signature value, not the digest of the signed bytes,
// not the certificate chain, not the time-stamp's signature. A hook that needs to know
// whether an existing signature is valid (policy's rules speak of a *valid* signature
// of the person with authority) runs Verify on the input itself, or treats these
// signatures as unchecked.
type ExistingSignature struct {
	// Field is the full name of the signature field holding the signature.
	Field string
	// Kind is KindSignature, or KindDocTimestamp for a document time-stamp
	// (/Type /DocTimeStamp or /SubFilter /ETSI.RFC3161).
	Kind Kind
	// Signer is the certificate the CMS names as its signer (for a document
	// time-stamp, the time-stamping authority's); nil when it could not be read (see
	// Err). Certificates are all the certificates embedded in the CMS.
	Signer       *x509.Certificate
	Certificates []*x509.Certificate
	// Time is the best known signing time: the genTime of the signature's time-stamp
	// token when it has one (TimeStamped is then true), else ClaimedTime. For a
	// document time-stamp it is the token's genTime. Zero when neither is present.
	Time        time.Time
	TimeStamped bool
	// ClaimedTime is the time the signer wrote in /M; zero when absent or unreadable.
	ClaimedTime time.Time
	// Err says why the signer or the time-stamp could not be read (a malformed CMS, no
	// signer certificate); nil when everything listed above was read.
	Err error
}

// maxPolicyExisting bounds the signatures listed for a PolicyHook.
const maxPolicyExisting = 1000

// checkPolicy asks the hook about the signature being planned. It runs after the field
// was resolved (field and isNew) and before anything is signed or written.
func checkPolicy(ctx context.Context, hook PolicyHook, ed *docEdit, chain []*x509.Certificate, o *SignOptions, field string, isNew bool) error {
	existing, err := ed.existingSignatures()
	if err != nil {
		return err
	}
	info := SigningInfo{
		Chain:    append([]*x509.Certificate(nil), chain...),
		Time:     o.Time,
		Field:    field,
		NewField: isNew,
		Certify:  o.Certify,
		Existing: existing,
	}
	herr := hook.CheckSigning(ctx, info)
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	if herr != nil {
		return &SignError{Err: ErrPolicyRefused, Detail: fmt.Sprintf("field %q", field), Cause: herr}
	}
	return nil
}

// existingSignatures lists the signature fields that hold a signature dictionary,
// oldest first: by the end of their /ByteRange, as Verify orders them.
func (ed *docEdit) existingSignatures() ([]ExistingSignature, error) {
	type entry struct {
		sig ExistingSignature
		end int64
	}
	var list []entry
	for _, f := range ed.fields {
		if f.Type != "Sig" || f.Dict.Get("V") == nil {
			continue
		}
		d, ok := ed.dict(f.Dict.Get("V"))
		if !ok {
			continue
		}
		if len(list) >= maxPolicyExisting {
			return nil, signErr(ErrDocument, nil, "more than %d signatures to list for the signing policy", maxPolicyExisting)
		}
		list = append(list, entry{sig: ed.readExisting(f.Name, d), end: ed.signedEnd(d)})
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].end < list[j].end })
	out := make([]ExistingSignature, len(list))
	for i, e := range list {
		out[i] = e.sig
	}
	return out, nil
}

// signedEnd is the end of the bytes a signature dictionary's /ByteRange covers, or -1.
func (ed *docEdit) signedEnd(d pdf.Dict) int64 {
	arr, ok := ed.resolve(d.Get("ByteRange")).(pdf.Array)
	if !ok || len(arr) != 4 {
		return -1
	}
	var br [4]int64
	for i, e := range arr {
		n, ok := ed.resolve(e).(pdf.Integer)
		if !ok {
			return -1
		}
		br[i] = int64(n)
	}
	return br[2] + br[3]
}

// readExisting reads what a PolicyHook is told about one signature dictionary.
func (ed *docEdit) readExisting(field string, d pdf.Dict) ExistingSignature {
	s := ExistingSignature{Field: field, Kind: KindSignature}
	typ, _ := ed.resolve(d.Get("Type")).(pdf.Name)
	sf, _ := ed.resolve(d.Get("SubFilter")).(pdf.Name)
	if typ == "DocTimeStamp" || sf == "ETSI.RFC3161" {
		s.Kind = KindDocTimestamp
	}
	if t, ok := pdf.Text(ed.resolve(d.Get("M"))); ok {
		if tm, err := parsePDFDate(t); err == nil {
			s.ClaimedTime = tm
		}
	}
	contents, _ := pdf.Bytes(ed.resolve(d.Get("Contents")))
	if len(contents) == 0 {
		s.Err = errors.New("the signature dictionary has no /Contents")
		s.Time = s.ClaimedTime
		return s
	}
	if s.Kind == KindDocTimestamp {
		sd, gen, err := readTimestampToken(contents)
		if sd != nil {
			s.Certificates = sd.Certificates
			s.Signer, _ = firstSignerCertificate(sd)
		}
		if err != nil {
			s.Err = err
		} else {
			s.Time, s.TimeStamped = gen, true
		}
		if s.Signer == nil && s.Err == nil {
			s.Err = errors.New("the time-stamp token holds no certificate of its authority")
		}
		return s
	}
	s.Time = s.ClaimedTime
	sd, err := cms.Parse(contents)
	if err != nil {
		s.Err = fmt.Errorf("reading the CMS: %w", err)
		return s
	}
	s.Certificates = sd.Certificates
	if s.Signer, err = firstSignerCertificate(sd); err != nil {
		s.Err = err
		return s
	}
	if tok, ok := sd.Signers[0].SignatureTimeStampToken(); ok {
		if _, gen, err := readTimestampToken(tok); err != nil {
			s.Err = fmt.Errorf("signature time-stamp: %w", err)
		} else {
			s.Time, s.TimeStamped = gen, true
		}
	}
	return s
}

// firstSignerCertificate returns the certificate of sd's only signer.
func firstSignerCertificate(sd *cms.SignedData) (*x509.Certificate, error) {
	if len(sd.Signers) != 1 {
		return nil, fmt.Errorf("the CMS has %d signer infos, expected one", len(sd.Signers))
	}
	c, err := sd.SignerCertificate(sd.Signers[0])
	if err != nil {
		return nil, fmt.Errorf("the signer's certificate is not in the CMS: %w", err)
	}
	return c, nil
}

// readTimestampToken parses an RFC 3161 time-stamp token (internal/cms) far enough to
// read its genTime. It checks nothing else; the SignedData is returned whenever it
// could be read, even when its TSTInfo could not.
func readTimestampToken(der []byte) (*cms.SignedData, time.Time, error) {
	t, err := cms.ParseTimeStampToken(der)
	if err != nil {
		sd, _ := cms.Parse(der)
		return sd, time.Time{}, fmt.Errorf("reading the time-stamp token: %w", err)
	}
	return t.SignedData, t.Info.GenTime, nil
}
