package certstatus

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"sync"
	"time"
)

var (
	oidExtAuthorityKeyID = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidExtCRLNumber      = asn1.ObjectIdentifier{2, 5, 29, 20}
	oidExtDeltaCRL       = asn1.ObjectIdentifier{2, 5, 29, 27}
	oidExtIssuingDP      = asn1.ObjectIdentifier{2, 5, 29, 28}
	oidExtFreshestCRL    = asn1.ObjectIdentifier{2, 5, 29, 46}
	oidExtReasonCode     = asn1.ObjectIdentifier{2, 5, 29, 21}
	oidExtInvalidityDate = asn1.ObjectIdentifier{2, 5, 29, 24}
	oidExtCertIssuer     = asn1.ObjectIdentifier{2, 5, 29, 29}
)

// crlEntry is one revoked serial.
type crlEntry struct {
	at     time.Time
	reason Reason
}

// parsedCRL is a CRL whose signature and issuer have been verified.
type parsedCRL struct {
	raw        []byte
	thisUpdate time.Time
	nextUpdate time.Time
	number     *big.Int
	deltaBase  *big.Int // set for a delta CRL: the base CRL number it applies to
	freshest   []string // delta CRL locations announced by a full CRL
	onlyUser   bool
	onlyCA     bool
	revoked    map[string]crlEntry // serial (hex) → entry
}

// ParseCRL parses a DER CRL and verifies that issuer signed it. It rejects CRLs with
// critical extensions it does not understand, indirect CRLs and CRLs partitioned by
// reason. It does not check freshness.
func ParseCRL(der []byte, issuer *x509.Certificate) (*x509.RevocationList, error) {
	if issuer == nil {
		return nil, fmt.Errorf("%w: no issuer to verify the CRL with", ErrWrongResponder)
	}
	rl, err := x509.ParseRevocationList(der)
	if err != nil {
		return nil, fmt.Errorf("%w: CRL: %v", ErrMalformed, err)
	}
	if _, err := checkCRL(rl, der, issuer); err != nil {
		if errors.Is(err, errNotForThisCert) {
			return nil, fmt.Errorf("%w: CRL issued by %q, not %q", ErrWrongResponder, rl.Issuer.CommonName, issuer.Subject.CommonName)
		}
		return nil, err
	}
	return rl, nil
}

func parseCRL(der []byte, issuer *x509.Certificate) (*parsedCRL, error) {
	rl, err := x509.ParseRevocationList(der)
	if err != nil {
		return nil, fmt.Errorf("%w: CRL: %v", ErrMalformed, err)
	}
	return checkCRL(rl, der, issuer)
}

// checkCRL verifies issuer and signature of a parsed CRL and indexes its entries.
func checkCRL(rl *x509.RevocationList, der []byte, issuer *x509.Certificate) (*parsedCRL, error) {
	if issuer == nil {
		return nil, fmt.Errorf("%w: no issuer to verify the CRL with", ErrWrongResponder)
	}
	if !bytes.Equal(rl.RawIssuer, issuer.RawSubject) {
		return nil, errNotForThisCert
	}
	if err := rl.CheckSignatureFrom(issuer); err != nil {
		return nil, fmt.Errorf("%w: CRL signature by %q: %v", ErrWrongResponder, issuer.Subject.CommonName, err)
	}
	p := &parsedCRL{raw: der, thisUpdate: rl.ThisUpdate, nextUpdate: rl.NextUpdate, number: rl.Number,
		revoked: make(map[string]crlEntry, len(rl.RevokedCertificateEntries))}
	for _, e := range rl.Extensions {
		switch {
		case e.Id.Equal(oidExtDeltaCRL):
			var n *big.Int
			if _, err := asn1.Unmarshal(e.Value, &n); err != nil {
				return nil, fmt.Errorf("%w: deltaCRLIndicator: %v", ErrMalformed, err)
			}
			p.deltaBase = n
		case e.Id.Equal(oidExtFreshestCRL):
			urls, err := parseDistributionPointURLs(e.Value)
			if err != nil {
				return nil, fmt.Errorf("%w: freshestCRL: %v", ErrMalformed, err)
			}
			p.freshest = urls
		case e.Id.Equal(oidExtIssuingDP):
			var idp struct {
				DistributionPoint asn1.RawValue  `asn1:"optional,tag:0"`
				OnlyUser          bool           `asn1:"optional,tag:1"`
				OnlyCA            bool           `asn1:"optional,tag:2"`
				OnlySomeReasons   asn1.BitString `asn1:"optional,tag:3"`
				Indirect          bool           `asn1:"optional,tag:4"`
				OnlyAttr          bool           `asn1:"optional,tag:5"`
			}
			if _, err := asn1.Unmarshal(e.Value, &idp); err != nil {
				return nil, fmt.Errorf("%w: issuingDistributionPoint: %v", ErrMalformed, err)
			}
			if idp.Indirect || idp.OnlyAttr || idp.OnlySomeReasons.BitLength > 0 {
				return nil, fmt.Errorf("%w: indirect, attribute or reason-partitioned CRL", ErrUnsupported)
			}
			p.onlyUser, p.onlyCA = idp.OnlyUser, idp.OnlyCA
		case e.Id.Equal(oidExtAuthorityKeyID), e.Id.Equal(oidExtCRLNumber):
		default:
			if e.Critical {
				return nil, fmt.Errorf("%w: critical CRL extension %v", ErrUnsupported, e.Id)
			}
		}
	}
	for _, e := range rl.RevokedCertificateEntries {
		for _, x := range e.Extensions {
			if x.Critical && !x.Id.Equal(oidExtReasonCode) && !x.Id.Equal(oidExtInvalidityDate) {
				return nil, fmt.Errorf("%w: critical CRL entry extension %v (indirect CRL?)", ErrUnsupported, x.Id)
			}
			if x.Id.Equal(oidExtCertIssuer) {
				return nil, fmt.Errorf("%w: indirect CRL (certificateIssuer entry extension)", ErrUnsupported)
			}
		}
		if e.SerialNumber == nil {
			continue
		}
		p.revoked[e.SerialNumber.Text(16)] = crlEntry{at: e.RevocationTime, reason: Reason(e.ReasonCode)}
	}
	return p, nil
}

// parseDistributionPointURLs reads the HTTP URIs of a CRLDistributionPoints-shaped
// extension value (also used by freshestCRL).
func parseDistributionPointURLs(der []byte) ([]string, error) {
	var dps []struct {
		DistributionPoint asn1.RawValue  `asn1:"optional,tag:0"`
		Reasons           asn1.BitString `asn1:"optional,tag:1"`
		CRLIssuer         asn1.RawValue  `asn1:"optional,tag:2"`
	}
	if rest, err := asn1.Unmarshal(der, &dps); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("bad distribution points")
	}
	var urls []string
	for _, dp := range dps {
		// distributionPoint [0] { fullName [0] GeneralNames }
		if len(dp.DistributionPoint.Bytes) == 0 {
			continue
		}
		var full asn1.RawValue
		if _, err := asn1.Unmarshal(dp.DistributionPoint.Bytes, &full); err != nil {
			return nil, err
		}
		if full.Class != asn1.ClassContextSpecific || full.Tag != 0 {
			continue
		}
		rest := full.Bytes
		for len(rest) > 0 {
			var gn asn1.RawValue
			var err error
			if rest, err = asn1.Unmarshal(rest, &gn); err != nil {
				return nil, err
			}
			if gn.Class == asn1.ClassContextSpecific && gn.Tag == 6 {
				u := string(gn.Bytes)
				if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
					urls = append(urls, u)
				}
			}
		}
	}
	return urls, nil
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
	urls := crlURLs(cert)
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
		if base.deltaBase != nil {
			errs = append(errs, &ResponseError{Source: SourceCRL, URL: u, Reason: ErrMalformed, Detail: "distribution point serves a delta CRL"})
			continue
		}
		if err := c.fresh(base.thisUpdate, base.nextUpdate, at, true); err != nil {
			errs = append(errs, &ResponseError{Source: SourceCRL, URL: u, Reason: unwrapSentinel(err), Detail: err.Error()})
			continue
		}
		var delta *parsedCRL
		var notes []error
		for _, du := range base.freshest {
			d, err := c.fetchCRL(ctx, du, issuer)
			if err == nil {
				err = c.deltaApplies(d, base, at, true)
			}
			if err != nil {
				notes = append(notes, fmt.Errorf("delta CRL %s not used: %w", du, err))
				continue
			}
			delta = d
			break
		}
		r, err := c.evalCRL(base, delta, u, cert, issuer, at)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		r.Failures = notes
		return r, nil
	}
	return Result{}, errors.Join(errs...)
}

// deltaApplies checks that d is a fresh delta CRL for base.
func (c *Checker) deltaApplies(d, base *parsedCRL, at time.Time, online bool) error {
	if d.deltaBase == nil {
		return fmt.Errorf("%w: not a delta CRL", ErrMalformed)
	}
	if base.number == nil || d.number == nil || d.deltaBase.Cmp(base.number) > 0 || d.number.Cmp(base.number) <= 0 {
		return fmt.Errorf("%w: delta CRL does not apply to base CRL number %v", ErrStale, base.number)
	}
	return c.fresh(d.thisUpdate, d.nextUpdate, at, online)
}

// evalCRL decides the status from a verified base CRL and an optional delta CRL.
func (c *Checker) evalCRL(base, delta *parsedCRL, from string, cert, issuer *x509.Certificate, at time.Time) (Result, error) {
	isCA := cert.BasicConstraintsValid && cert.IsCA
	if (base.onlyUser && isCA) || (base.onlyCA && !isCA) {
		return Result{}, &ResponseError{Source: SourceCRL, URL: from, Reason: ErrUnsupported, Detail: "CRL scope (issuingDistributionPoint) excludes this certificate"}
	}
	r := Result{Source: SourceCRL, URL: from, At: at, Status: StatusGood,
		ProducedAt: base.thisUpdate, ThisUpdate: base.thisUpdate, NextUpdate: base.nextUpdate,
		Raw: [][]byte{base.raw}, Responder: issuer}
	serial := cert.SerialNumber.Text(16)
	e, found := base.revoked[serial]
	if delta != nil {
		r.Raw = append(r.Raw, delta.raw)
		r.ProducedAt, r.ThisUpdate, r.NextUpdate = delta.thisUpdate, delta.thisUpdate, delta.nextUpdate
		if de, ok := delta.revoked[serial]; ok {
			e, found = de, de.reason != ReasonRemoveFromCRL
		}
	}
	if found {
		r.RevokedAt, r.Reason = e.at, e.reason
		r.Status = classify(e.at, e.reason, at)
	}
	return r, nil
}

// evalCRLSet decides offline from the given CRLs: the newest full CRL of issuer that
// covers at, with the newest applicable delta CRL.
func (c *Checker) evalCRLSet(crls [][]byte, cert, issuer *x509.Certificate, at time.Time) (Result, error) {
	var bases, deltas []*parsedCRL
	var errs []error
	for _, der := range crls {
		p, err := parseCRL(der, issuer)
		if errors.Is(err, errNotForThisCert) {
			continue
		}
		if err != nil {
			errs = append(errs, &ResponseError{Source: SourceCRL, Reason: unwrapSentinel(err), Detail: err.Error()})
			continue
		}
		if p.deltaBase != nil {
			deltas = append(deltas, p)
		} else {
			bases = append(bases, p)
		}
	}
	// The newest full CRL first: a later CRL may list a revocation an older one
	// could not.
	sort.SliceStable(bases, func(i, j int) bool { return bases[i].thisUpdate.After(bases[j].thisUpdate) })
	for _, b := range bases {
		if err := c.fresh(b.thisUpdate, b.nextUpdate, at, false); err != nil {
			errs = append(errs, &ResponseError{Source: SourceCRL, Reason: unwrapSentinel(err), Detail: err.Error()})
			continue
		}
		var delta *parsedCRL
		for _, d := range deltas {
			if c.deltaApplies(d, b, at, false) == nil && (delta == nil || d.number.Cmp(delta.number) > 0) {
				delta = d
			}
		}
		r, err := c.evalCRL(b, delta, "", cert, issuer, at)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		return r, nil
	}
	if len(errs) == 0 {
		return Result{}, errNotForThisCert
	}
	return Result{}, errors.Join(errs...)
}

// fetchCRL downloads and verifies a CRL, through the cache and one flight per URL.
func (c *Checker) fetchCRL(ctx context.Context, url string, issuer *x509.Certificate) (*parsedCRL, error) {
	kh, err := issuerKeyHash(issuer)
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
		p, err := parseCRL(der, issuer)
		if errors.Is(err, errNotForThisCert) {
			return nil, &ResponseError{Source: SourceCRL, URL: url, Reason: ErrWrongResponder, Detail: "CRL issued by another CA"}
		}
		if err != nil {
			return nil, &ResponseError{Source: SourceCRL, URL: url, Reason: unwrapSentinel(err), Detail: err.Error()}
		}
		c.crlCache.put(key, p, cacheUntil(p.nextUpdate, p.thisUpdate))
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*parsedCRL), nil
}

// crlCache holds verified CRLs until their nextUpdate, bounded by total size.
type crlCache struct {
	mu      sync.Mutex
	max     int64
	size    int64
	entries map[string]crlCacheEntry
}

type crlCacheEntry struct {
	crl     *parsedCRL
	expires time.Time
}

func newCRLCache(max int64) *crlCache {
	return &crlCache{max: max, entries: map[string]crlCacheEntry{}}
}

func (c *crlCache) get(key string, now time.Time) (*parsedCRL, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	if now.After(e.expires) {
		c.size -= int64(len(e.crl.raw))
		delete(c.entries, key)
		return nil, false
	}
	return e.crl, true
}

func (c *crlCache) put(key string, p *parsedCRL, expires time.Time) {
	n := int64(len(p.raw))
	if c.max < 0 || n > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[key]; ok {
		c.size -= int64(len(old.crl.raw))
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
		c.size -= int64(len(c.entries[oldest].crl.raw))
		delete(c.entries, oldest)
	}
	c.entries[key] = crlCacheEntry{crl: p, expires: expires}
	c.size += n
}
