package kyso

import (
	"crypto/x509"
	"net/http"
	"time"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/signature"
)

// Services are the CA's services a signature above PAdES B-B needs: an RFC 3161
// time-stamping authority, and OCSP responders and CRLs for the validation data
// (dịch vụ cấp dấu thời gian, dịch vụ kiểm tra trạng thái chứng thư số). Its methods
// wire them into the options of package signature, with the trust anchors that check
// the time-stamps and the revocation answers; those anchors also go into the
// document's DSS, so that it verifies offline.
type Services struct {
	// TSAURL is the time-stamping authority; empty means certstatus.DefaultTSAURL,
	// the VGCA's.
	TSAURL string
	// Trust holds the trust anchors; nil means certstatus.DefaultTrustStore() (the
	// VGCA root). With Checker set, the checker's own store is used.
	Trust *certstatus.TrustStore
	// Checker fetches OCSP responses and CRLs and validates the TSA's chain; nil
	// means a new one with Trust and HTTPClient. Pass one to share its caches.
	Checker *certstatus.Checker
	// HTTPClient reaches the TSA (and, when Checker is nil, the OCSP, CRL and AIA
	// servers); nil means the default client.
	HTTPClient *http.Client
	// Timeout bounds each request to the TSA; 0 means certstatus's default.
	Timeout time.Duration
	// ContinueWithoutRevocation makes missing revocation data a warning instead of a
	// failure: Sign stops at B-T, Extend adds what it could obtain.
	ContinueWithoutRevocation bool
}

// checker returns s.Checker or a new one.
func (s *Services) checker() *certstatus.Checker {
	if s.Checker != nil {
		return s.Checker
	}
	return certstatus.NewChecker(certstatus.Options{Trust: s.Trust, HTTPClient: s.HTTPClient})
}

// trust returns the trust anchors the services are checked against.
func (s *Services) trust(c *certstatus.Checker) []*x509.Certificate {
	return c.Trust().Roots()
}

// Level returns the signature.LevelOptions that raise a signature to target (B-T: a
// signature time-stamp; B-LT: and a DSS with the certificates, OCSP responses and
// CRLs; B-LTA: and a document time-stamp), for SignOptions.Signature.Level. B-B (or
// an empty target) returns nil.
func (s *Services) Level(target signature.Level) *signature.LevelOptions {
	if target == "" || target == signature.LevelBB {
		return nil
	}
	c := s.checker()
	lo := &signature.LevelOptions{
		Target:       target,
		Timestamper:  s.timestamper(c),
		Revocation:   c,
		Certificates: s.trust(c),
	}
	if s.ContinueWithoutRevocation {
		lo.OnMissingRevocation = signature.ContinueWithoutRevocation
	}
	return lo
}

// Extend returns the signature.ExtendOptions that add validation data to a signed
// document and, with docTimestamp, a new document time-stamp (renewing a B-LTA
// archive), for signature.Extend.
func (s *Services) Extend(docTimestamp bool) *signature.ExtendOptions {
	c := s.checker()
	eo := &signature.ExtendOptions{Revocation: c, Certificates: s.trust(c), NoDocTimestamp: !docTimestamp}
	if s.ContinueWithoutRevocation {
		eo.OnMissingRevocation = signature.ContinueWithoutRevocation
	}
	if docTimestamp {
		eo.Timestamper = s.timestamper(c)
	}
	return eo
}

// Timestamper returns the client of the time-stamping authority, whose tokens are
// checked against the services' trust anchors.
func (s *Services) Timestamper() *certstatus.TSAClient { return s.timestamper(s.checker()) }

func (s *Services) timestamper(c *certstatus.Checker) *certstatus.TSAClient {
	return &certstatus.TSAClient{URL: s.TSAURL, HTTPClient: s.HTTPClient, Timeout: s.Timeout, Checker: c}
}
