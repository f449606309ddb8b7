package kyso

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/signature"
)

// VerifyOptions says whom to trust and where revocation status comes from. The zero
// value (or nil) trusts the VGCA root (RootCA chuyên dùng Chính phủ G2), fetches
// revocation status online when the document's own data does not settle it, and
// reports an undeterminable status as INDETERMINATE/TRY_LATER (ETSI EN 319 102-1).
type VerifyOptions struct {
	// Trust holds the trust anchors; nil means certstatus.DefaultTrustStore() (the
	// VGCA root). Ignored when Checker is set.
	Trust *certstatus.TrustStore
	// Checker builds chains and fetches OCSP responses and CRLs; nil means a new one
	// with Trust, Offline, HTTPClient and Time. Pass one to share its caches between
	// calls (a server verifying many documents).
	Checker *certstatus.Checker
	// Offline uses only the revocation data inside the document (its DSS and CMS): no
	// network.
	Offline bool
	// AllowMissingRevocation makes an undeterminable revocation status a warning (the
	// signature may still pass), as Thông tư 15/2025 asks verifiers to warn, instead
	// of INDETERMINATE/TRY_LATER.
	AllowMissingRevocation bool
	// Time is the validation time; zero means now.
	Time time.Time
	// Password opens an encrypted document (nil: the empty user password).
	Password []byte
	// HTTPClient reaches OCSP, CRL and AIA servers when Checker is nil; nil means the
	// checker's default.
	HTTPClient *http.Client
}

// Verify verifies every signature and document time-stamp of the PDF in r: integrity,
// what later revisions changed, the signing time, the certification path to a trusted
// root at that time and the revocation status, each with its ETSI EN 319 102-1
// indication and sub-indication. It is signature.Verify with the options of
// SignatureOptions. A document that opens and holds signatures yields a report and no
// error; an unreadable one an error matching signature.ErrNotPDF, one without
// signatures signature.ErrNoSignatures.
func Verify(ctx context.Context, r io.ReaderAt, size int64, opts *VerifyOptions) (*signature.Report, error) {
	return signature.Verify(ctx, r, size, opts.SignatureOptions())
}

// SignatureOptions returns the signature.VerifyOptions these options stand for: the
// chain validator of a certstatus.Checker (with the sub-indication of its errors),
// the checker as revocation source unless Offline, and the other settings as they are.
// It is for callers that call signature.Verify themselves.
func (o *VerifyOptions) SignatureOptions() *signature.VerifyOptions {
	if o == nil {
		o = &VerifyOptions{}
	}
	checker := o.checker()
	vo := &signature.VerifyOptions{
		Validator:              ChainValidator(checker),
		Offline:                o.Offline,
		AllowMissingRevocation: o.AllowMissingRevocation,
		Time:                   o.Time,
		Password:               o.Password,
	}
	if !o.Offline {
		vo.Revocation = checker
	}
	return vo
}

// checker returns o.Checker or a new one built from the options.
func (o *VerifyOptions) checker() *certstatus.Checker {
	if o.Checker != nil {
		return o.Checker
	}
	co := certstatus.Options{Trust: o.Trust, Offline: o.Offline, HTTPClient: o.HTTPClient}
	if !o.Time.IsZero() {
		at := o.Time
		co.Now = func() time.Time { return at }
	}
	return certstatus.NewChecker(co)
}

// ChainValidator returns c as a signature.ChainValidator whose errors carry the ETSI
// sub-indication certstatus.SubIndication names (NO_CERTIFICATE_CHAIN_FOUND,
// OUT_OF_BOUNDS_NO_POE, NOT_YET_VALID, CHAIN_CONSTRAINTS_FAILURE,
// CRYPTO_CONSTRAINTS_FAILURE, …; anything else CERTIFICATE_CHAIN_GENERAL_FAILURE).
// It is the one adapter between the two packages: the kyso command, the portal and
// Verify all use it, so the same failure gets the same sub-indication everywhere.
func ChainValidator(c *certstatus.Checker) signature.ChainValidator {
	return chainValidator{c}
}

// chainValidator adapts certstatus.Checker to signature.ChainValidator.
type chainValidator struct{ c *certstatus.Checker }

// ValidateChain validates cert at time at with certstatus.
func (v chainValidator) ValidateChain(ctx context.Context, cert *x509.Certificate, inter []*x509.Certificate, at time.Time) ([]*x509.Certificate, error) {
	chain, err := v.c.ValidateChain(ctx, cert, inter, at)
	if err == nil {
		return chain, nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return nil, err
	}
	sub := signature.SubIndication(certstatus.SubIndication(err))
	if sub == "" {
		sub = signature.CertificateChainFailure
	}
	return nil, &signature.ChainError{SubIndication: sub, Err: errors.New(strings.TrimSpace(err.Error()))}
}
