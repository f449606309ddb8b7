package certstatus

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/kyso-go/kyso/internal/evidence"
)

// ocspURLs lists the responders to ask for cert: those it names, else
// Options.OCSPURL, else DefaultOCSPURL when issuer belongs to the VGCA hierarchy.
func (c *Checker) ocspURLs(cert, issuer *x509.Certificate) []string {
	var urls []string
	for _, u := range cert.OCSPServer {
		if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			urls = append(urls, u)
		}
	}
	switch {
	case len(urls) > 0:
	case c.opts.OCSPURL != "":
		urls = append(urls, c.opts.OCSPURL)
	case underVGCARoot(issuer):
		urls = append(urls, DefaultOCSPURL)
	}
	return urls
}

// vgcaRoot is the shipped root, parsed once (read-only).
var vgcaRoot = sync.OnceValue(VGCARootG2)

// underVGCARoot reports whether issuer is the shipped VGCA root or a CA it certified.
func underVGCARoot(issuer *x509.Certificate) bool {
	root := vgcaRoot()
	if issuer.Equal(root) {
		return true
	}
	return bytes.Equal(issuer.RawIssuer, root.RawSubject) && issuer.CheckSignatureFrom(root) == nil
}

// checkOCSP returns a verified OCSP answer about cert from the cache or a responder.
func (c *Checker) checkOCSP(ctx context.Context, cert, issuer *x509.Certificate, at time.Time) (Result, error) {
	keyHash, err := evidence.IssuerKeyHash(issuer)
	if err != nil {
		return Result{}, &ResponseError{Source: SourceOCSP, Reason: ErrMalformed, Detail: err.Error()}
	}
	key := "ocsp:" + hex.EncodeToString(keyHash) + ":" + cert.SerialNumber.Text(16)
	if e, ok := c.ocspCache.get(key, c.now()); ok {
		r, err := c.evalFor(ctx, cert).OCSP(e.raw, e.url, cert, issuer, at, nil, true)
		if err == nil {
			return r, nil
		}
		c.ocspCache.drop(key)
	}
	urls := c.ocspURLs(cert, issuer)
	if len(urls) == 0 {
		return Result{}, &ResponseError{Source: SourceOCSP, Reason: ErrNoRevocationSource, Detail: "certificate names no OCSP responder"}
	}
	v, err := c.sharedDo(ctx, key, func(ctx context.Context) (any, error) {
		var errs []error
		for _, u := range urls {
			r, err := c.queryOCSP(ctx, u, key, cert, issuer, at)
			if err == nil {
				return r, nil
			}
			errs = append(errs, err)
		}
		return nil, errors.Join(errs...)
	})
	if err != nil {
		return Result{}, err
	}
	r := v.(Result)
	if !at.Equal(r.At) {
		// A shared flight answered for another time of interest: re-classify.
		return c.evalFor(ctx, cert).OCSP(r.Raw[0], r.URL, cert, issuer, at, nil, true)
	}
	return r, nil
}

// evalFor returns the Checker's evaluator for an OCSP answer about subject: the
// status of a delegated responder without id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1)
// comes from the CRL at the responder certificate's distribution points or, when it
// names none, from the issuer's CRL at subject's (which covers every certificate of
// that issuer in its scope) — never from OCSP, so never from the responder itself.
func (c *Checker) evalFor(ctx context.Context, subject *x509.Certificate) *evidence.Evaluator {
	ev := *c.eval
	ev.ResponderStatus = func(rc, issuer *x509.Certificate, at time.Time) Result {
		urls := crlURLs(rc)
		if len(urls) == 0 && subject != nil {
			urls = crlURLs(subject)
		}
		if len(urls) == 0 {
			return Result{At: at, Err: &ResponseError{Source: SourceCRL, Reason: ErrNoRevocationSource,
				Detail: "the responder certificate names no CRL distribution point"}}
		}
		r, err := c.checkCRLFrom(ctx, urls, rc, issuer, at)
		if err != nil {
			return Result{At: at, Err: err}
		}
		return r
	}
	return &ev
}

// queryOCSP sends one request to one responder and verifies the answer.
func (c *Checker) queryOCSP(ctx context.Context, responder, cacheKey string, cert, issuer *x509.Certificate, at time.Time) (Result, error) {
	var nonce []byte
	if !c.opts.DisableNonce {
		nonce = make([]byte, 16)
		if _, err := rand.Read(nonce); err != nil {
			return Result{}, err
		}
	}
	reqDER, err := evidence.BuildOCSPRequest(cert, issuer, nonce)
	if err != nil {
		return Result{}, &ResponseError{Source: SourceOCSP, URL: responder, Reason: ErrMalformed, Detail: err.Error()}
	}
	var body []byte
	enc := base64.StdEncoding.EncodeToString(reqDER)
	if c.opts.OCSPGet && len(enc) <= 255 {
		u := strings.TrimSuffix(responder, "/") + "/" + url.PathEscape(enc)
		body, err = c.fetch.get(ctx, u, c.opts.MaxOCSPResponseBytes)
	} else {
		body, err = c.fetch.post(ctx, responder, "application/ocsp-request", reqDER, c.opts.MaxOCSPResponseBytes, nil)
	}
	if err != nil {
		return Result{}, &ResponseError{Source: SourceOCSP, URL: responder, Reason: unwrapReason(err), Err: err}
	}
	var wantNonce []byte
	if nonce != nil {
		wantNonce, _ = asn1.Marshal(nonce)
	}
	r, err := c.evalFor(ctx, cert).OCSP(body, responder, cert, issuer, at, wantNonce, true)
	if errors.Is(err, evidence.ErrNotForThisCert) {
		return Result{}, &ResponseError{Source: SourceOCSP, URL: responder, Reason: ErrMalformed,
			Detail: "the response is about another certificate than the one asked for"}
	}
	if err != nil {
		return Result{}, err
	}
	c.ocspCache.put(cacheKey, ocspCacheEntry{raw: body, url: responder, expires: cacheUntil(r.NextUpdate, r.ThisUpdate)})
	return r, nil
}

// unwrapReason returns the sentinel inside a fetch error.
func unwrapReason(err error) error {
	for _, s := range []error{ErrOffline, ErrTooLarge, ErrHTTPStatus, ErrUnreachable, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, s) {
			return s
		}
	}
	return err
}

// cacheUntil is nextUpdate, or an hour after thisUpdate when the response has none.
func cacheUntil(next, this time.Time) time.Time {
	if !next.IsZero() {
		return next
	}
	return this.Add(time.Hour)
}

// ocspCache holds verified responses until their nextUpdate.
type ocspCache struct {
	mu      sync.Mutex
	max     int
	entries map[string]ocspCacheEntry
}

type ocspCacheEntry struct {
	raw     []byte
	url     string
	expires time.Time
}

func newOCSPCache(max int) *ocspCache {
	return &ocspCache{max: max, entries: map[string]ocspCacheEntry{}}
}

func (c *ocspCache) get(key string, now time.Time) (ocspCacheEntry, bool) {
	if c.max < 0 {
		return ocspCacheEntry{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if ok && now.After(e.expires) {
		delete(c.entries, key)
		return ocspCacheEntry{}, false
	}
	return e, ok
}

func (c *ocspCache) put(key string, e ocspCacheEntry) {
	if c.max < 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		// Evict the entry that expires first.
		var oldest string
		var t time.Time
		for k, v := range c.entries {
			if oldest == "" || v.expires.Before(t) {
				oldest, t = k, v.expires
			}
		}
		delete(c.entries, oldest)
	}
	c.entries[key] = e
}

func (c *ocspCache) drop(key string) {
	c.mu.Lock()
	delete(c.entries, key)
	c.mu.Unlock()
}
