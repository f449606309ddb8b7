package kyso

import (
	"context"
	"io"
	"net/http"
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

// SignatureOptions returns the signature.VerifyOptions these options stand for: a
// certstatus.Checker as chain validator (its errors name their ETSI sub-indication,
// so the kyso command, the portal and Verify give the same failure the same
// sub-indication) and, unless Offline, as revocation source; the other settings as
// they are. It is for callers that call signature.Verify themselves.
func (o *VerifyOptions) SignatureOptions() *signature.VerifyOptions {
	if o == nil {
		o = &VerifyOptions{}
	}
	checker := o.checker()
	vo := &signature.VerifyOptions{
		Validator:              checker, // its errors name their sub-indication (signature.SubIndicationError)
		Offline:                o.Offline,
		AllowMissingRevocation: o.AllowMissingRevocation,
		Time:                   o.Time,
		Password:               o.Password,
		// The trusted certificates are also where a time-stamp token made without
		// its TSA's certificate finds it (a TSA certificate given as trusted).
		Certificates: checker.Trust().Roots(),
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
