package certstatus

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/kyso-go/kyso/internal/algorithm"
	"github.com/kyso-go/kyso/internal/cms"
)

// TSAClient requests RFC 3161 time-stamps and checks every answer before returning it.
// Its zero value asks DefaultTSAURL and validates the TSA against the VGCA root. It is
// safe for concurrent use if its fields are not changed.
type TSAClient struct {
	// URL of the TSA; empty means DefaultTSAURL.
	URL string
	// HTTPClient sends the requests; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Timeout bounds one request; 0 means 30 s.
	Timeout time.Duration
	// Username and Password, when Username is set, are sent with HTTP basic auth.
	Username, Password string
	// Policy, when set, is the TSA policy requested (reqPolicy).
	Policy asn1.ObjectIdentifier
	// NoCertReq leaves certReq false, so the TSA does not embed its certificate; the
	// certificate must then be in Certificates (or reachable by AIA). Either way the
	// token returned carries the TSA certificate and its intermediates: what the TSA
	// left out is added after the token is verified (see Timestamp).
	NoCertReq bool
	// Certificates are candidates for the TSA certificate and its chain.
	Certificates []*x509.Certificate
	// Checker validates the TSA's chain; nil means NewChecker(Options{}).
	Checker *Checker
	// MaxResponseBytes limits the response; 0 means 1 MiB.
	MaxResponseBytes int64
}

type tsRequest struct {
	Version        int
	MessageImprint messageImprint
	ReqPolicy      asn1.ObjectIdentifier `asn1:"optional"`
	Nonce          *big.Int              `asn1:"optional"`
	CertReq        bool                  `asn1:"optional"`
}

type tsResponse struct {
	Status struct {
		Status       int
		StatusString []string       `asn1:"optional,utf8"`
		FailInfo     asn1.BitString `asn1:"optional"`
	}
	TimeStampToken asn1.RawValue `asn1:"optional"`
}

func hashOID(h crypto.Hash) (asn1.ObjectIdentifier, error) {
	if oid, ok := algorithm.HashOID(h); ok && h != crypto.MD5 {
		return oid, nil
	}
	return nil, fmt.Errorf("%w: hash %v for a time-stamp", ErrUnsupported, h)
}

// Timestamp asks the TSA for a token over digest (computed with h; 0 means SHA-256),
// with a fresh nonce, and returns the DER TimeStampToken (a CMS ContentInfo) after
// checking the answer: status granted, imprint equal to digest, nonce echoed, the
// token's signature, the TSA certificate's critical timeStamping usage and its chain
// to a trusted root at the token's time (see Checker.VerifyTimestamp). When the TSA
// left its certificate or intermediates out of the token, they are added from the
// validated chain (the root excepted): a SignedData's certificates are not signed, so
// the token stays valid, and it verifies without the client's configuration — in a
// PDF, offline and in other validators.
func (c *TSAClient) Timestamp(ctx context.Context, digest []byte, h crypto.Hash) ([]byte, error) {
	tok, err := c.Request(ctx, digest, h)
	if err != nil {
		return nil, err
	}
	return tok.Raw, nil
}

// Request is Timestamp returning the verified, parsed token.
func (c *TSAClient) Request(ctx context.Context, digest []byte, h crypto.Hash) (*Token, error) {
	url := c.URL
	if url == "" {
		url = DefaultTSAURL
	}
	if h == 0 {
		h = crypto.SHA256
	}
	fail := func(reason error, detail string, args ...any) (*Token, error) {
		return nil, &TimestampError{URL: url, Reason: reason, Detail: fmt.Sprintf(detail, args...)}
	}
	oid, err := hashOID(h)
	if err != nil {
		return fail(ErrUnsupported, "%v", err)
	}
	if len(digest) != h.Size() {
		return fail(ErrMalformed, "digest of %d bytes for %v (want %d)", len(digest), h, h.Size())
	}
	nb := make([]byte, 8)
	if _, err := rand.Read(nb); err != nil {
		return nil, err
	}
	nb[0] &= 0x7f
	nb[0] |= 0x01 // positive, never zero
	nonce := new(big.Int).SetBytes(nb)
	req, err := asn1.Marshal(tsRequest{
		Version:        1,
		MessageImprint: messageImprint{HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oid, Parameters: asn1.NullRawValue}, HashedMessage: digest},
		ReqPolicy:      c.Policy,
		Nonce:          nonce,
		CertReq:        !c.NoCertReq,
	})
	if err != nil {
		return fail(ErrMalformed, "request: %v", err)
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	max := c.MaxResponseBytes
	if max <= 0 {
		max = maxTokenBytes
	}
	f := fetcher{client: c.HTTPClient, timeout: timeout}
	body, err := f.post(ctx, url, "application/timestamp-query", req, max, func(r *http.Request) {
		r.Header.Set("Accept", "application/timestamp-reply")
		if c.Username != "" {
			r.SetBasicAuth(c.Username, c.Password)
		}
	})
	if err != nil {
		reason, detail := unwrapReason(err), err.Error()
		if fe, ok := err.(*FetchError); ok {
			// The TimestampError names the URL; say only what went wrong.
			detail = fe.Err.Error()
			if fe.StatusCode != 0 {
				detail = fmt.Sprintf("HTTP status %d", fe.StatusCode)
			}
		}
		return fail(reason, "%s", detail)
	}
	raw, err := ParseTimestampResponse(body)
	if err != nil {
		if te, ok := err.(*TimestampError); ok {
			te.URL = url
		}
		return nil, err
	}
	checker := c.Checker
	if checker == nil {
		checker = NewChecker(Options{})
	}
	tok, err := checker.VerifyTimestamp(ctx, raw, digest, h, TimestampOptions{Certificates: c.Certificates, Nonce: nonce})
	if err != nil {
		if te, ok := err.(*TimestampError); ok {
			te.URL = url
		}
		return nil, err
	}
	if c.Policy != nil && !tok.Policy.Equal(c.Policy) {
		return fail(ErrTSARejected, "token policy %v, requested %v", tok.Policy, c.Policy)
	}
	return tok.withChain()
}

// withChain returns t, verified, made to carry the TSA certificate and the
// intermediate certificates of its validated chain when the TSA left them out (a
// request without certReq, or a TSA that ignores it): the certificates of a SignedData
// are not signed, so the token stays valid and verifies on its own, offline and in
// other validators. The root is not added (a verifier has it in its trust store).
func (t *Token) withChain() (*Token, error) {
	embedded := func(c *x509.Certificate) bool {
		for _, e := range t.Certificates {
			if e.Equal(c) {
				return true
			}
		}
		return false
	}
	var add []*x509.Certificate
	for i, c := range t.Chain {
		if i > 0 && i == len(t.Chain)-1 {
			break // the root
		}
		if !embedded(c) {
			add = append(add, c)
		}
	}
	if len(add) == 0 {
		return t, nil
	}
	raw, err := cms.AddCertificates(t.Raw, add)
	if err != nil {
		return nil, &TimestampError{Reason: ErrMalformed, Detail: fmt.Sprintf("adding the TSA certificate to the token: %v", err)}
	}
	full, err := ParseToken(raw)
	if err != nil {
		return nil, err
	}
	full.Signer, full.Chain = t.Signer, t.Chain
	return full, nil
}

// pkiFailureNames are the PKIFailureInfo bits of RFC 3161 §2.4.2, in bit order.
var pkiFailureNames = []struct {
	bit  int
	name string
}{{0, "badAlg"}, {2, "badRequest"}, {5, "badDataFormat"}, {14, "timeNotAvailable"},
	{15, "unacceptedPolicy"}, {16, "unacceptedExtension"}, {17, "addInfoNotAvailable"}, {25, "systemFailure"}}

// ParseTimestampResponse reads a DER TimeStampResp and returns the DER token inside it
// when the status is granted (0) or grantedWithMods (1). A rejection is a
// *TimestampError wrapping ErrTSARejected with the TSA's status text and failure info.
// It does not verify the token.
func ParseTimestampResponse(der []byte) ([]byte, error) {
	if len(der) > maxTokenBytes {
		return nil, &TimestampError{Reason: ErrTooLarge, Detail: fmt.Sprintf("response of %d bytes", len(der))}
	}
	var resp tsResponse
	if rest, err := asn1.Unmarshal(der, &resp); err != nil || len(rest) > 0 {
		return nil, &TimestampError{Reason: ErrMalformed, Detail: "not a DER TimeStampResp"}
	}
	if s := resp.Status.Status; s != 0 && s != 1 {
		var fails []string
		for _, f := range pkiFailureNames {
			if resp.Status.FailInfo.At(f.bit) == 1 {
				fails = append(fails, f.name)
			}
		}
		return nil, &TimestampError{Reason: ErrTSARejected, Detail: fmt.Sprintf("status %d %s %s", s,
			strings.Join(resp.Status.StatusString, "; "), strings.Join(fails, ","))}
	}
	if len(resp.TimeStampToken.FullBytes) == 0 {
		return nil, &TimestampError{Reason: ErrMalformed, Detail: "granted without a token"}
	}
	return resp.TimeStampToken.FullBytes, nil
}

// messageImprint is RFC 3161's MessageImprint, in a request.
type messageImprint struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	HashedMessage []byte
}
