package certstatus

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/kyso-go/kyso/internal/evidence"
)

// ParseCRL parses a DER CRL and verifies that issuer signed it. It rejects CRLs with
// critical extensions it does not understand, indirect CRLs and CRLs partitioned by
// reason. It does not check freshness.
func ParseCRL(der []byte, issuer *x509.Certificate) (*x509.RevocationList, error) {
	if issuer == nil {
		return nil, fmt.Errorf("%w: no issuer to verify the CRL with", ErrWrongResponder)
	}
	rl, err := evidence.ParseRevocationList(der)
	if err != nil {
		return nil, fmt.Errorf("%w: CRL: %v", ErrMalformed, err)
	}
	if _, err := evidence.CheckCRL(rl, der, issuer); err != nil {
		if errors.Is(err, evidence.ErrNotForThisCert) {
			return nil, fmt.Errorf("%w: CRL issued by %q, not %q", ErrWrongResponder, rl.Issuer.CommonName, issuer.Subject.CommonName)
		}
		return nil, err
	}
	return rl, nil
}

// pemCRL returns the DER inside a PEM "X509 CRL" block, or b unchanged. RFC 5280
// §4.2.1.13 says an HTTP distribution point serves DER, but some servers serve the PEM
// that "openssl ca -gencrl" writes; the DER is what is checked, cached and embedded.
func pemCRL(b []byte) []byte {
	if !bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("-----BEGIN X509 CRL-----")) {
		return b
	}
	if block, _ := pem.Decode(b); block != nil && block.Type == "X509 CRL" {
		return block.Bytes
	}
	return b
}

func crlURLs(cert *x509.Certificate) []string {
	var urls []string
	for _, u := range cert.CRLDistributionPoints {
		if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			urls = append(urls, u)
		}
	}
	return urls
}

// checkCRL answers from the certificate's CRL distribution points.
func (c *Checker) checkCRL(ctx context.Context, cert, issuer *x509.Certificate, at time.Time) (Result, error) {
	return c.checkCRLFrom(ctx, crlURLs(cert), cert, issuer, at)
}

// checkCRLFrom answers from the CRLs at urls.
func (c *Checker) checkCRLFrom(ctx context.Context, urls []string, cert, issuer *x509.Certificate, at time.Time) (Result, error) {
	if len(urls) == 0 {
		return Result{}, &ResponseError{Source: SourceCRL, Reason: ErrNoRevocationSource, Detail: "certificate names no CRL distribution point"}
	}
	var errs []error
	for _, u := range urls {
		base, err := c.fetchCRL(ctx, u, issuer)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if base.DeltaBase != nil {
			errs = append(errs, &ResponseError{Source: SourceCRL, URL: u, Reason: ErrMalformed, Detail: "distribution point serves a delta CRL"})
			continue
		}
		if err := c.eval.Fresh(base.ThisUpdate, base.NextUpdate, at, true); err != nil {
			errs = append(errs, &ResponseError{Source: SourceCRL, URL: u, Reason: evidence.UnwrapSentinel(err), Detail: err.Error()})
			continue
		}
		var delta *evidence.CRL
		var notes []error
		for _, du := range base.Freshest {
			d, err := c.fetchCRL(ctx, du, issuer)
			if err == nil {
				err = c.eval.DeltaApplies(d, base, at, true)
			}
			if err != nil {
				notes = append(notes, fmt.Errorf("delta CRL %s not used: %w", du, err))
				continue
			}
			delta = d
			break
		}
		r, err := c.eval.EvalCRL(base, delta, u, cert, issuer, at)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		r.Failures = notes
		return r, nil
	}
	return Result{}, errors.Join(errs...)
}

// fetchCRL downloads and verifies a CRL, through the cache and one flight per URL.
func (c *Checker) fetchCRL(ctx context.Context, url string, issuer *x509.Certificate) (*evidence.CRL, error) {
	kh, err := evidence.IssuerKeyHash(issuer)
	if err != nil {
		return nil, &ResponseError{Source: SourceCRL, URL: url, Reason: ErrMalformed, Detail: err.Error()}
	}
	key := "crl:" + hex.EncodeToString(kh) + ":" + url
	if p, ok := c.crlCache.get(key, c.now()); ok {
		return p, nil
	}
	v, err := c.sharedDo(ctx, key, func(ctx context.Context) (any, error) {
		der, err := c.fetch.get(ctx, url, c.opts.MaxCRLBytes)
		if err != nil {
			return nil, &ResponseError{Source: SourceCRL, URL: url, Reason: unwrapReason(err), Err: err}
		}
		der = pemCRL(der)
		p, err := evidence.ParseCRL(der, issuer)
		if errors.Is(err, evidence.ErrNotForThisCert) {
			return nil, &ResponseError{Source: SourceCRL, URL: url, Reason: ErrWrongResponder, Detail: "CRL issued by another CA"}
		}
		if err != nil {
			return nil, &ResponseError{Source: SourceCRL, URL: url, Reason: evidence.UnwrapSentinel(err), Detail: err.Error()}
		}
		c.crlCache.put(key, p, cacheUntil(p.NextUpdate, p.ThisUpdate))
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*evidence.CRL), nil
}

// crlCache holds verified CRLs until their nextUpdate, bounded by total size.
type crlCache struct {
	mu      sync.Mutex
	max     int64
	size    int64
	entries map[string]crlCacheEntry
}

type crlCacheEntry struct {
	crl     *evidence.CRL
	expires time.Time
}

func newCRLCache(max int64) *crlCache {
	return &crlCache{max: max, entries: map[string]crlCacheEntry{}}
}

func (c *crlCache) get(key string, now time.Time) (*evidence.CRL, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	if now.After(e.expires) {
		c.size -= int64(len(e.crl.Raw))
		delete(c.entries, key)
		return nil, false
	}
	return e.crl, true
}

func (c *crlCache) put(key string, p *evidence.CRL, expires time.Time) {
	n := int64(len(p.Raw))
	if c.max < 0 || n > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[key]; ok {
		c.size -= int64(len(old.crl.Raw))
		delete(c.entries, key)
	}
	for c.size+n > c.max && len(c.entries) > 0 {
		var oldest string
		var t time.Time
		for k, v := range c.entries {
			if oldest == "" || v.expires.Before(t) {
				oldest, t = k, v.expires
			}
		}
		c.size -= int64(len(c.entries[oldest].crl.Raw))
		delete(c.entries, oldest)
	}
	c.entries[key] = crlCacheEntry{crl: p, expires: expires}
	c.size += n
}
