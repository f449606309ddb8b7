package certstatus

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/kyso-go/kyso/internal/evidence"
)

// Production endpoints of the VGCA (Ban Cơ yếu Chính phủ): the defaults of
// TSAClient.URL and, for certificates of the VGCA hierarchy that name no responder,
// of Options.OCSPURL. Everything is configurable.
const (
	DefaultOCSPURL = "http://ocsp.ca.gov.vn"
	DefaultTSAURL  = "http://tsa.ca.gov.vn"
)

// Strategy orders the revocation sources a Checker consults.
type Strategy int

// The strategies. With OCSPFirst (the default) the OCSP responder is asked first and
// the CRL distribution points only when OCSP gives no answer (unreachable, tryLater,
// unknown, invalid response); CRLFirst is the reverse. OCSPOnly and CRLOnly consult
// one source.
const (
	OCSPFirst Strategy = iota
	CRLFirst
	OCSPOnly
	CRLOnly
)

func (s Strategy) sources() []Source {
	switch s {
	case CRLFirst:
		return []Source{SourceCRL, SourceOCSP}
	case OCSPOnly:
		return []Source{SourceOCSP}
	case CRLOnly:
		return []Source{SourceCRL}
	}
	return []Source{SourceOCSP, SourceCRL}
}

// Options configure a Checker. The zero value is usable: VGCA root, online, OCSP
// first, nonces on, 10 s per request.
type Options struct {
	// Trust holds the trust anchors; nil means DefaultTrustStore().
	Trust *TrustStore
	// Intermediates is a pool of CA certificates the caller knows (for example the
	// VGCA's issuing CAs), used by every chain this Checker builds.
	Intermediates []*x509.Certificate
	// HTTPClient sends every request; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Timeout bounds each HTTP request; 0 means 10 s.
	Timeout time.Duration
	// Offline forbids every network access: Check reports ErrOffline, chains are built
	// only from given certificates. Use CheckOffline with a PDF's DSS data.
	Offline bool
	// Strategy orders OCSP and CRL; the default is OCSPFirst.
	Strategy Strategy
	// OCSPURL is the responder asked for certificates that name none in their AIA
	// extension. Empty means DefaultOCSPURL for certificates issued by the shipped
	// VGCA root or by a CA it certified, and no OCSP source for any other. (To never
	// contact the VGCA, use Offline or CRLOnly.)
	OCSPURL string
	// OCSPGet sends OCSP requests with GET when the encoded request is at most 255
	// bytes (RFC 6960 A.1), which lets caches in between answer; otherwise POST.
	OCSPGet bool
	// DisableNonce leaves the nonce extension out of OCSP requests.
	DisableNonce bool
	// RequireNonce rejects OCSP responses that do not echo the nonce. By default a
	// response without a nonce is accepted (pre-signed responses carry none) but a
	// response with a different nonce is rejected.
	RequireNonce bool
	// RequireResponderStatus refuses (ErrWrongResponder) an OCSP response signed by a
	// delegated responder whose certificate lacks id-pkix-ocsp-nocheck when the
	// responder's own status cannot be established from a CRL (RFC 6960 §4.2.2.2.1).
	// By default such a response is accepted and Result.ResponderUnchecked and
	// Result.Warnings say so; a responder whose CRL lists it as revoked is refused
	// either way (ErrResponderRevoked).
	RequireResponderStatus bool
	// ClockSkew tolerated when comparing thisUpdate/nextUpdate with the clock;
	// 0 means 5 minutes.
	ClockSkew time.Duration
	// MaxOCSPResponseBytes limits an OCSP response; 0 means 256 KiB.
	MaxOCSPResponseBytes int64
	// MaxCRLBytes limits one CRL; 0 means 32 MiB.
	MaxCRLBytes int64
	// MaxCertificateBytes limits an AIA caIssuers download; 0 means 256 KiB.
	MaxCertificateBytes int64
	// OCSPCacheEntries bounds the OCSP response cache; 0 means 4096, negative
	// disables it.
	OCSPCacheEntries int
	// CRLCacheBytes bounds the CRL cache by total DER size; 0 means 64 MiB, negative
	// disables it.
	CRLCacheBytes int64
	// DisableAIA stops fetching missing issuers from AIA caIssuers URLs.
	DisableAIA bool
	// MaxChainLength bounds chain building (certificates, leaf and root included);
	// 0 means 8.
	MaxChainLength int
	// SHA1Sunset is when SHA-1 stopped being acceptable for signatures; signatures
	// made after it with SHA-1 fail. Zero means DefaultSHA1Sunset. MD5 is never
	// acceptable.
	SHA1Sunset time.Time
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// DefaultSHA1Sunset is 1 January 2018, soon after Thông tư 39/2017/TT-BTTTT was issued
// (15/12/2017; its date of effect is not in kyso's sources — unverified, so the date is
// kyso's choice). That circular makes RSASSA-PSS mandatory and recommends (does not
// require) the SHA-2 family; refusing SHA-1 after this date is kyso's policy, following
// that recommendation and the practice of Thông tư 15/2025/TT-BKHCN (binding for public
// signatures only).
var DefaultSHA1Sunset = time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)

// Checker answers "was this certificate good at that time?": chains, OCSP, CRLs and
// time-stamp tokens. It holds caches and is safe for concurrent use; share one.
type Checker struct {
	opts  Options
	trust *TrustStore
	fetch fetcher

	eval      *evidence.Evaluator
	ocspCache *ocspCache
	crlCache  *crlCache
	aiaCache  *aiaCache
	flight    flightGroup
}

// NewChecker returns a Checker with the given options (defaults filled in).
func NewChecker(opts Options) *Checker {
	if opts.Timeout == 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.ClockSkew == 0 {
		opts.ClockSkew = 5 * time.Minute
	}
	if opts.MaxOCSPResponseBytes <= 0 {
		opts.MaxOCSPResponseBytes = 256 << 10
	}
	if opts.MaxCRLBytes <= 0 {
		opts.MaxCRLBytes = 32 << 20
	}
	if opts.MaxCertificateBytes <= 0 {
		opts.MaxCertificateBytes = 256 << 10
	}
	if opts.OCSPCacheEntries == 0 {
		opts.OCSPCacheEntries = 4096
	}
	if opts.CRLCacheBytes == 0 {
		opts.CRLCacheBytes = 64 << 20
	}
	if opts.MaxChainLength <= 0 {
		opts.MaxChainLength = 8
	}
	if opts.SHA1Sunset.IsZero() {
		opts.SHA1Sunset = DefaultSHA1Sunset
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	trust := opts.Trust
	if trust == nil {
		trust = DefaultTrustStore()
	}
	return &Checker{
		opts:  opts,
		trust: trust,
		fetch: fetcher{client: opts.HTTPClient, timeout: opts.Timeout, offline: opts.Offline},
		eval: &evidence.Evaluator{ClockSkew: opts.ClockSkew, Now: opts.Now,
			MaxOCSPBytes: opts.MaxOCSPResponseBytes, RequireNonce: opts.RequireNonce,
			RequireResponderStatus: opts.RequireResponderStatus},
		ocspCache: newOCSPCache(opts.OCSPCacheEntries),
		crlCache:  newCRLCache(opts.CRLCacheBytes),
		aiaCache:  newAIACache(256),
	}
}

// Trust returns the Checker's trust store.
func (c *Checker) Trust() *TrustStore { return c.trust }

func (c *Checker) now() time.Time { return c.opts.Now() }

// Check asks the revocation sources, in the order of the Checker's Strategy, whether
// cert (issued by issuer) was revoked at time at (zero: now). It verifies every answer
// (signature, responder authorisation, nonce, freshness) before using it; an answer
// that fails is recorded in Result.Failures and the next source is tried. Check never
// returns a nil status: when nothing answers, Status is StatusUnknown and Result.Err
// says why.
//
// Check does not validate the chain of cert; see VerifyCertificate.
func (c *Checker) Check(ctx context.Context, cert, issuer *x509.Certificate, at time.Time) Result {
	if at.IsZero() {
		at = c.now()
	}
	res := Result{At: at}
	if cert == nil || issuer == nil {
		res.Err = fmt.Errorf("%w: nil certificate or issuer", ErrNoRevocationData)
		return res
	}
	if c.opts.Offline {
		res.Err = ErrOffline
		return res
	}
	for _, src := range c.opts.Strategy.sources() {
		var r Result
		var err error
		switch src {
		case SourceOCSP:
			r, err = c.checkOCSP(ctx, cert, issuer, at)
		case SourceCRL:
			r, err = c.checkCRL(ctx, cert, issuer, at)
		}
		if err == nil {
			r.Failures = append(res.Failures, r.Failures...)
			return r
		}
		res.Failures = append(res.Failures, err)
		if ctx.Err() != nil {
			break
		}
	}
	res.Err = errors.Join(res.Failures...)
	return res
}

// CheckOffline decides the status of cert at time at (zero: now) using only the given
// DER OCSP responses and CRLs, as found in a PDF's DSS or a signature's revocation
// values; it never uses the network or the caches. The status of a delegated OCSP
// responder without id-pkix-ocsp-nocheck comes from the given CRLs, whatever the
// Strategy. Responses and CRLs about other
// certificates or issuers are ignored. Every item is verified as in Check; freshness
// means the data covers at: an OCSP response or CRL produced after at, or one whose
// nextUpdate is not before at — except that an older item still proves a permanent
// revocation it lists. The newest usable OCSP response stands for OCSP and the newest
// covering CRL (with its delta CRL) for CRLs; between them a revocation wins, else the
// newest answer, so that a revocation reported anywhere is not hidden by an older
// answer. Items that fail verification are listed in Result.Failures.
//
// signature.Verify judges a document's DSS and CMS data with the same code
// (internal/evidence), so the two cannot disagree on the same evidence.
func (c *Checker) CheckOffline(cert, issuer *x509.Certificate, at time.Time, ocspResponses, crls [][]byte) Result {
	return c.eval.Offline(cert, issuer, at, c.opts.Strategy.sources(), ocspResponses, crls)
}

// OCSPResponse returns a verified DER OCSP response about cert, fetched from its
// responder (or the cache), to embed in a DSS. If the response says the certificate is
// revoked or suspended now, the DER is returned together with an error wrapping
// ErrRevoked.
func (c *Checker) OCSPResponse(ctx context.Context, cert, issuer *x509.Certificate) ([]byte, error) {
	if cert == nil || issuer == nil {
		return nil, fmt.Errorf("%w: nil certificate or issuer", ErrNoRevocationData)
	}
	r, err := c.checkOCSP(ctx, cert, issuer, c.now())
	if err != nil {
		return nil, err
	}
	return r.Raw[0], revokedErr(r)
}

// CRLs returns the verified DER CRLs covering cert (a full CRL and, when the CRL
// announces one, its delta CRL), fetched from the distribution points (or the cache),
// to embed in a DSS. If cert is listed as revoked or on hold now, the CRLs are
// returned together with an error wrapping ErrRevoked.
func (c *Checker) CRLs(ctx context.Context, cert, issuer *x509.Certificate) ([][]byte, error) {
	if cert == nil || issuer == nil {
		return nil, fmt.Errorf("%w: nil certificate or issuer", ErrNoRevocationData)
	}
	r, err := c.checkCRL(ctx, cert, issuer, c.now())
	if err != nil {
		return nil, err
	}
	return r.Raw, revokedErr(r)
}

func revokedErr(r Result) error {
	if r.Status == StatusRevoked || r.Status == StatusSuspended {
		return fmt.Errorf("%w: %s since %s (%s, %s)", ErrRevoked, r.Status, r.RevokedAt.UTC().Format(time.RFC3339), r.Reason, r.Source)
	}
	return nil
}

// sharedDo runs fn once per key at a time (a single flight): concurrent callers with
// the same key wait for the same result. Each caller may give up with its own context;
// the shared work is cancelled only when every caller has given up.
func (c *Checker) sharedDo(ctx context.Context, key string, fn func(context.Context) (any, error)) (any, error) {
	return c.flight.do(ctx, key, fn)
}

type flightGroup struct {
	mu    sync.Mutex
	calls map[string]*flightCall
}

type flightCall struct {
	done    chan struct{}
	val     any
	err     error
	waiters int
	cancel  context.CancelFunc
}

func (g *flightGroup) do(ctx context.Context, key string, fn func(context.Context) (any, error)) (any, error) {
	g.mu.Lock()
	if g.calls == nil {
		g.calls = map[string]*flightCall{}
	}
	call, ok := g.calls[key]
	if ok {
		call.waiters++
	} else {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		call = &flightCall{done: make(chan struct{}), waiters: 1, cancel: cancel}
		g.calls[key] = call
		go func() {
			defer cancel()
			call.val, call.err = fn(fctx)
			g.mu.Lock()
			if g.calls[key] == call {
				delete(g.calls, key)
			}
			g.mu.Unlock()
			close(call.done)
		}()
	}
	g.mu.Unlock()
	select {
	case <-call.done:
		return call.val, call.err
	case <-ctx.Done():
		g.mu.Lock()
		call.waiters--
		if call.waiters == 0 {
			// Nobody waits any more: cancel the work and let the next caller start
			// afresh instead of joining a cancelled flight.
			call.cancel()
			if g.calls[key] == call {
				delete(g.calls, key)
			}
		}
		g.mu.Unlock()
		return nil, context.Cause(ctx)
	}
}
