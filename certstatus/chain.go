package certstatus

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/digitorus/pkcs7"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/evidence"
	"github.com/kyso-go/kyso/internal/identity"
)

// Usage is what a certificate is being validated for.
type Usage int

// The usages.
const (
	// UsageSigning: signing documents; the key usage must allow digitalSignature or
	// nonRepudiation (contentCommitment).
	UsageSigning Usage = iota
	// UsageTimestamping: a TSA; the extended key usage must be timeStamping alone and
	// critical (RFC 3161 §2.3).
	UsageTimestamping
	// UsageOCSPSigning: a delegated OCSP responder; the extended key usage must include
	// OCSPSigning.
	UsageOCSPSigning
	// UsageAny: no key usage check on the end-entity certificate.
	UsageAny
)

// VerifyOptions say what to validate a certificate for and at which time.
type VerifyOptions struct {
	// At is the time of interest: the signing time or a time-stamp. Zero means now.
	At time.Time
	// Intermediates are candidate CA certificates, for example those embedded in a
	// signature or a PDF's DSS.
	Intermediates []*x509.Certificate
	// Usage is the purpose checked on the end-entity certificate.
	Usage Usage
}

// VerifyCertificate builds a chain from cert to a trusted root — through
// opts.Intermediates (from the signature), the Checker's Options.Intermediates and
// AIA downloads — and validates it at
// opts.At: validity periods, basic constraints and path lengths, name chaining and
// signatures (crypto/x509), key usage for opts.Usage, and the algorithm policy (RSA ≥
// 2048 bits, ECDSA ≥ 256 bits, no MD5, no SHA-1 in certificates issued after the
// SHA-1 sunset). Missing issuers are fetched from AIA caIssuers URLs (cached, bounded
// by MaxChainLength) unless the Checker is offline or DisableAIA is set.
//
// It returns the chain, leaf first and root last. It does not check revocation: call
// Check (or CheckOffline) for each certificate and its issuer.
//
// crypto/x509 does not verify SHA-1 signatures at all. When that is the only reason it
// finds no chain, and every SHA-1 certificate of the path was issued before the SHA-1
// sunset (legacy hierarchies such as the VGCA's G1), the path is validated here
// instead, with the same checks: signatures (SHA-1 allowed for those certificates
// only), validity at opts.At, CA rights, key usage certSign, path lengths, no
// unhandled critical extension, a listed trust anchor at the end. Paths whose CAs
// carry name constraints are not supported there (ErrUnsupported). A SHA-1
// certificate issued after the sunset is ErrWeakAlgorithm.
//
// Errors are *CertificateInvalidError wrapping ErrNoChain, ErrExpired,
// ErrNotYetValid, ErrKeyUsage, ErrBasicConstraints, ErrWeakAlgorithm or
// ErrUnsupported.
func (c *Checker) VerifyCertificate(ctx context.Context, cert *x509.Certificate, opts VerifyOptions) ([]*x509.Certificate, error) {
	if cert == nil {
		return nil, &CertificateInvalidError{Reason: ErrNoChain, Detail: "no certificate"}
	}
	at := opts.At
	if at.IsZero() {
		at = c.now()
	}
	pool := append(append([]*x509.Certificate(nil), opts.Intermediates...), c.opts.Intermediates...)
	chain, err := c.verifyWith(cert, pool, at)
	var unknown x509.UnknownAuthorityError
	var aiaErrs []error
	if err != nil && errors.As(err, &unknown) && !c.opts.Offline && !c.opts.DisableAIA {
		var more []*x509.Certificate
		more, aiaErrs = c.fetchIssuers(ctx, cert, pool)
		if len(more) > 0 {
			pool = append(pool, more...)
			chain, err = c.verifyWith(cert, pool, at)
		}
	}
	if err != nil && errors.As(err, &unknown) {
		// crypto/x509 refuses SHA-1 and MD5 signatures whatever their date and
		// reports "unknown authority": say what really happened, and validate a
		// legacy path whose SHA-1 certificates predate the sunset here.
		if weak := c.weakSignatureInPath(cert, append(pool, c.trust.Roots()...)); weak != nil {
			if !errors.Is(weak, ErrUnsupported) {
				return nil, weak
			}
			if chain, err = c.verifyLegacy(cert, pool, at); err != nil {
				return nil, err
			}
		}
	}
	if err != nil {
		verr := mapVerifyError(cert, at, err)
		if ce, ok := verr.(*CertificateInvalidError); ok && len(aiaErrs) > 0 {
			// Say why the missing issuer could not be downloaded.
			ce.Detail += "; fetching the issuer (AIA caIssuers) failed: " + errors.Join(aiaErrs...).Error()
		}
		return nil, verr
	}
	if len(chain) > c.opts.MaxChainLength {
		return nil, &CertificateInvalidError{Cert: cert, Reason: ErrNoChain,
			Detail: fmt.Sprintf("the shortest chain has %d certificates, more than the limit of %d (Options.MaxChainLength)", len(chain), c.opts.MaxChainLength)}
	}
	if err := c.checkChainPolicy(chain); err != nil {
		return nil, err
	}
	if err := checkUsage(cert, opts.Usage); err != nil {
		return nil, err
	}
	return chain, nil
}

// ValidateChain is VerifyCertificate with UsageAny, in the plain shape a verifier
// declares (signature.ChainValidator): it returns the chain, leaf first and root last,
// valid at time at. SubIndication names the ETSI sub-indication of its errors.
func (c *Checker) ValidateChain(ctx context.Context, cert *x509.Certificate, intermediates []*x509.Certificate, at time.Time) ([]*x509.Certificate, error) {
	return c.VerifyCertificate(ctx, cert, VerifyOptions{At: at, Intermediates: intermediates, Usage: UsageAny})
}

// verifyWith runs crypto/x509 path validation against each root pool in turn.
func (c *Checker) verifyWith(cert *x509.Certificate, intermediates []*x509.Certificate, at time.Time) ([]*x509.Certificate, error) {
	inter := x509.NewCertPool()
	for _, ic := range intermediates {
		inter.AddCert(ic)
	}
	var firstErr error
	for _, roots := range c.trust.rootPools() {
		chains, err := cert.Verify(x509.VerifyOptions{
			Roots:         roots,
			Intermediates: inter,
			CurrentTime:   at,
			KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
		})
		if err == nil {
			return shortest(chains), nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

func shortest(chains [][]*x509.Certificate) []*x509.Certificate {
	best := chains[0]
	for _, ch := range chains[1:] {
		if len(ch) < len(best) {
			best = ch
		}
	}
	return best
}

// mapVerifyError turns a crypto/x509 error into a *CertificateInvalidError.
func mapVerifyError(cert *x509.Certificate, at time.Time, err error) error {
	var inv x509.CertificateInvalidError
	var unknown x509.UnknownAuthorityError
	var insecure x509.InsecureAlgorithmError
	switch {
	case errors.As(err, &inv):
		bad := inv.Cert
		if bad == nil {
			bad = cert
		}
		switch inv.Reason {
		case x509.Expired:
			if at.Before(bad.NotBefore) {
				return &CertificateInvalidError{Cert: bad, Reason: ErrNotYetValid, Detail: fmt.Sprintf("valid from %s, time of interest %s", bad.NotBefore.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))}
			}
			return &CertificateInvalidError{Cert: bad, Reason: ErrExpired, Detail: fmt.Sprintf("valid until %s, time of interest %s", bad.NotAfter.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))}
		case x509.NotAuthorizedToSign, x509.TooManyIntermediates, x509.CANotAuthorizedForThisName,
			x509.CANotAuthorizedForExtKeyUsage:
			return &CertificateInvalidError{Cert: bad, Reason: ErrBasicConstraints, Detail: inv.Error()}
		case x509.IncompatibleUsage:
			return &CertificateInvalidError{Cert: bad, Reason: ErrKeyUsage, Detail: inv.Error()}
		}
		return &CertificateInvalidError{Cert: bad, Reason: ErrNoChain, Detail: inv.Error()}
	case errors.As(err, &insecure):
		return &CertificateInvalidError{Cert: cert, Reason: ErrWeakAlgorithm, Detail: err.Error()}
	case errors.As(err, &unknown):
		// crypto/x509 reports a candidate issuer without CA rights as a hint.
		if strings.Contains(err.Error(), "parent certificate cannot sign this kind of certificate") {
			return &CertificateInvalidError{Cert: cert, Reason: ErrBasicConstraints, Detail: err.Error()}
		}
		return &CertificateInvalidError{Cert: cert, Reason: ErrNoChain, Detail: err.Error()}
	}
	if strings.Contains(err.Error(), "insecure algorithm") {
		return &CertificateInvalidError{Cert: cert, Reason: ErrWeakAlgorithm, Detail: err.Error()}
	}
	return &CertificateInvalidError{Cert: cert, Reason: ErrNoChain, Detail: err.Error()}
}

// weakSignatureInPath follows issuer names from cert through candidates and returns
// an error for the first certificate signed with MD5 or SHA-1, which crypto/x509 does
// not verify at all: ErrWeakAlgorithm when the policy refuses it (MD5, or SHA-1 in a
// certificate issued after the sunset), ErrUnsupported when the policy would accept
// it (SHA-1 before the sunset) but it cannot be verified here. It returns nil when the
// path has no such signature.
func (c *Checker) weakSignatureInPath(cert *x509.Certificate, candidates []*x509.Certificate) error {
	cur := cert
	for depth := 0; cur != nil && depth < c.opts.MaxChainLength; depth++ {
		if bytes.Equal(cur.RawIssuer, cur.RawSubject) {
			return nil // a root: its own signature is not relied upon
		}
		switch cur.SignatureAlgorithm {
		case x509.MD2WithRSA, x509.MD5WithRSA, x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1:
			if err := c.checkSigAlg(cur.SignatureAlgorithm, cur.NotBefore); err != nil {
				return &CertificateInvalidError{Cert: cur, Reason: ErrWeakAlgorithm,
					Detail: fmt.Sprintf("signed with %v, issued %s: %v", cur.SignatureAlgorithm, cur.NotBefore.UTC().Format("2006-01-02"), err)}
			}
			return &CertificateInvalidError{Cert: cur, Reason: ErrUnsupported,
				Detail: fmt.Sprintf("signed with %v before the SHA-1 sunset (%s), which the policy accepts, but crypto/x509 no longer verifies SHA-1 signatures, so this chain cannot be validated here",
					cur.SignatureAlgorithm, c.opts.SHA1Sunset.Format("2006-01-02"))}
		}
		var parent *x509.Certificate
		for _, k := range candidates {
			if bytes.Equal(cur.RawIssuer, k.RawSubject) {
				parent = k
				break
			}
		}
		cur = parent
	}
	return nil
}

// verifyLegacy validates, at time at, the path from cert through candidates to a
// listed trust anchor when it holds SHA-1 signatures made before the sunset (see
// VerifyCertificate). It follows issuer names, so it finds one path, the first.
func (c *Checker) verifyLegacy(cert *x509.Certificate, candidates []*x509.Certificate, at time.Time) ([]*x509.Certificate, error) {
	roots := c.trust.Roots()
	isRoot := func(x *x509.Certificate) bool {
		for _, r := range roots {
			if r.Equal(x) {
				return true
			}
		}
		return false
	}
	fail := func(bad *x509.Certificate, reason error, format string, args ...any) ([]*x509.Certificate, error) {
		return nil, &CertificateInvalidError{Cert: bad, Reason: reason, Detail: "legacy (SHA-1) path: " + fmt.Sprintf(format, args...)}
	}
	chain := []*x509.Certificate{cert}
	for cur := cert; !isRoot(cur); {
		if len(chain) >= c.opts.MaxChainLength {
			return fail(cert, ErrNoChain, "no trust anchor within %d certificates", c.opts.MaxChainLength)
		}
		var parent *x509.Certificate
		for _, k := range append(append([]*x509.Certificate(nil), roots...), candidates...) {
			if bytes.Equal(cur.RawIssuer, k.RawSubject) && !k.Equal(cur) && checkLinkSignature(k, cur, c.opts.SHA1Sunset) == nil {
				parent = k
				break
			}
		}
		if parent == nil {
			return fail(cur, ErrNoChain, "no issuer of %q with a valid signature among the given certificates and trust anchors", cur.Subject.CommonName)
		}
		chain = append(chain, parent)
		cur = parent
	}
	for i, ct := range chain {
		if at.Before(ct.NotBefore) {
			return fail(ct, ErrNotYetValid, "valid from %s, time of interest %s", ct.NotBefore.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))
		}
		if at.After(ct.NotAfter) {
			return fail(ct, ErrExpired, "valid until %s, time of interest %s", ct.NotAfter.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))
		}
		if len(ct.UnhandledCriticalExtensions) > 0 {
			return fail(ct, ErrUnsupported, "unhandled critical extension %v", ct.UnhandledCriticalExtensions[0])
		}
		if i == 0 {
			continue
		}
		// As crypto/x509 does, a trust anchor needs no CA flag (version 1 roots).
		if i < len(chain)-1 && (!ct.BasicConstraintsValid || !ct.IsCA) {
			return fail(ct, ErrBasicConstraints, "issuer %q is not a CA", ct.Subject.CommonName)
		}
		if i < len(chain)-1 && ct.KeyUsage != 0 && ct.KeyUsage&x509.KeyUsageCertSign == 0 {
			return fail(ct, ErrBasicConstraints, "issuer %q may not sign certificates (key usage)", ct.Subject.CommonName)
		}
		if below := i - 1; (ct.MaxPathLen > 0 || ct.MaxPathLenZero) && below > ct.MaxPathLen {
			return fail(ct, ErrBasicConstraints, "path length %d of %q exceeded (%d CAs below it)", ct.MaxPathLen, ct.Subject.CommonName, below)
		}
		if len(ct.PermittedDNSDomains)+len(ct.ExcludedDNSDomains)+len(ct.PermittedIPRanges)+len(ct.ExcludedIPRanges)+
			len(ct.PermittedEmailAddresses)+len(ct.ExcludedEmailAddresses)+len(ct.PermittedURIDomains)+len(ct.ExcludedURIDomains) > 0 {
			return fail(ct, ErrUnsupported, "name constraints of %q are not checked on legacy paths", ct.Subject.CommonName)
		}
	}
	return chain, nil
}

// checkLinkSignature verifies that parent signed child. SHA-1 is accepted only for a
// child issued before sunset (crypto/x509 accepts no SHA-1 at all); MD5 never.
func checkLinkSignature(parent, child *x509.Certificate, sunset time.Time) error {
	sum := func() []byte {
		h := sha1.Sum(child.RawTBSCertificate)
		return h[:]
	}
	switch child.SignatureAlgorithm {
	case x509.SHA1WithRSA, x509.ECDSAWithSHA1:
		if err := evidence.CheckSignatureAlgorithm(child.SignatureAlgorithm, child.NotBefore, sunset); err != nil {
			return err
		}
		switch pub := parent.PublicKey.(type) {
		case *rsa.PublicKey:
			if child.SignatureAlgorithm != x509.SHA1WithRSA {
				return errors.New("signature algorithm does not match the issuer's key")
			}
			return rsa.VerifyPKCS1v15(pub, crypto.SHA1, sum(), child.Signature)
		case *ecdsa.PublicKey:
			if child.SignatureAlgorithm != x509.ECDSAWithSHA1 || !ecdsa.VerifyASN1(pub, sum(), child.Signature) {
				return errors.New("ECDSA-SHA1 signature does not verify")
			}
			return nil
		}
		return fmt.Errorf("issuer key of type %T", parent.PublicKey)
	}
	return parent.CheckSignature(child.SignatureAlgorithm, child.RawTBSCertificate, child.Signature)
}

// checkChainPolicy applies the key-size and algorithm policy to every certificate
// except the trust anchor's self-signature.
func (c *Checker) checkChainPolicy(chain []*x509.Certificate) error {
	for i, ct := range chain {
		if err := CheckPublicKey(ct.PublicKey); err != nil {
			return &CertificateInvalidError{Cert: ct, Reason: ErrWeakAlgorithm, Detail: err.Error()}
		}
		if i == len(chain)-1 {
			break // the root's own signature is not relied upon
		}
		if err := c.checkSigAlg(ct.SignatureAlgorithm, ct.NotBefore); err != nil {
			return &CertificateInvalidError{Cert: ct, Reason: ErrWeakAlgorithm, Detail: err.Error()}
		}
	}
	return nil
}

func (c *Checker) checkSigAlg(alg x509.SignatureAlgorithm, signedAt time.Time) error {
	return evidence.CheckSignatureAlgorithm(alg, signedAt, c.opts.SHA1Sunset)
}

// CheckAlgorithm applies the algorithm policy to a signature made with pub and hash h
// at time signedAt: RSA ≥ 2048 bits, ECDSA ≥ 256 bits, Ed25519; no MD5; SHA-1 only
// before the Checker's SHA-1 sunset. Errors wrap ErrWeakAlgorithm.
func (c *Checker) CheckAlgorithm(pub crypto.PublicKey, h crypto.Hash, signedAt time.Time) error {
	if err := CheckPublicKey(pub); err != nil {
		return fmt.Errorf("%w: %v", ErrWeakAlgorithm, err)
	}
	return evidence.CheckHash(h, signedAt, c.opts.SHA1Sunset)
}

// CheckPublicKey applies the key-size policy: RSA ≥ 2048 bits, ECDSA ≥ 256 bits,
// Ed25519 accepted; any other key type is refused.
func CheckPublicKey(pub crypto.PublicKey) error {
	if err := evidence.KeyStrength(pub); err != nil {
		return errors.New(evidence.WithoutReason(evidence.WithoutReason(err.Error(), ErrWeakAlgorithm), ErrUnsupported))
	}
	return nil
}

// checkUsage checks the end-entity certificate's key usage for u.
func checkUsage(cert *x509.Certificate, u Usage) error {
	fail := func(detail string) error {
		return &CertificateInvalidError{Cert: cert, Reason: ErrKeyUsage, Detail: detail}
	}
	switch u {
	case UsageSigning:
		if !identity.MaySign(cert) {
			return fail("key usage allows neither digitalSignature nor nonRepudiation")
		}
	case UsageTimestamping:
		if err := checkTSAUsage(cert); err != nil {
			return &CertificateInvalidError{Cert: cert, Reason: ErrTSACertificate, Detail: err.Error()}
		}
	case UsageOCSPSigning:
		for _, e := range cert.ExtKeyUsage {
			if e == x509.ExtKeyUsageOCSPSigning {
				return nil
			}
		}
		return fail("extended key usage lacks OCSPSigning")
	}
	return nil
}

// checkTSAUsage: RFC 3161 §2.3, the TSA certificate has exactly one extended key
// usage, timeStamping, and the extension is critical.
func checkTSAUsage(cert *x509.Certificate) error {
	if why := cms.TSAUsageProblem(cert, true); why != "" {
		return errors.New(why)
	}
	return nil
}

// fetchIssuers follows AIA caIssuers URLs upward from cert until a certificate is
// issued by a trust anchor or the chain length limit is reached. It returns what it
// downloaded and why downloads failed.
func (c *Checker) fetchIssuers(ctx context.Context, cert *x509.Certificate, known []*x509.Certificate) ([]*x509.Certificate, []error) {
	var found []*x509.Certificate
	var errs []error
	cur := cert
	for depth := 1; depth < c.opts.MaxChainLength; depth++ {
		if c.issuedByRoot(cur) {
			break
		}
		var next *x509.Certificate
		for _, k := range append(known, found...) {
			if bytes.Equal(cur.RawIssuer, k.RawSubject) && checkLinkSignature(k, cur, c.opts.SHA1Sunset) == nil {
				next = k
				break
			}
		}
		if next == nil {
			for _, u := range cur.IssuingCertificateURL {
				if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
					continue
				}
				certs, err := c.fetchAIA(ctx, u)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				for _, ic := range certs {
					if bytes.Equal(cur.RawIssuer, ic.RawSubject) && checkLinkSignature(ic, cur, c.opts.SHA1Sunset) == nil {
						next = ic
					}
				}
				found = append(found, certs...)
				if next != nil {
					break
				}
			}
		}
		if next == nil || next.Equal(cur) {
			break
		}
		cur = next
	}
	return found, errs
}

func (c *Checker) issuedByRoot(cert *x509.Certificate) bool {
	for _, r := range c.trust.Roots() {
		if bytes.Equal(cert.RawIssuer, r.RawSubject) {
			return true
		}
	}
	return false
}

// fetchAIA downloads the certificates at a caIssuers URL: DER, PEM or a certs-only
// PKCS#7 bundle (.p7c).
func (c *Checker) fetchAIA(ctx context.Context, url string) ([]*x509.Certificate, error) {
	if certs, ok := c.aiaCache.get(url); ok {
		return certs, nil
	}
	v, err := c.sharedDo(ctx, "aia:"+url, func(ctx context.Context) (any, error) {
		body, err := c.fetch.get(ctx, url, c.opts.MaxCertificateBytes)
		if err != nil {
			return nil, err
		}
		certs, err := parseCertificates(body)
		if err != nil {
			return nil, &FetchError{URL: url, Err: err}
		}
		c.aiaCache.put(url, certs)
		return certs, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]*x509.Certificate), nil
}

// parseCertificates reads DER, PEM or a PKCS#7 certs-only bundle.
func parseCertificates(data []byte) ([]*x509.Certificate, error) {
	if block, _ := pem.Decode(data); block != nil {
		var certs []*x509.Certificate
		for block != nil {
			if block.Type == "CERTIFICATE" {
				ct, err := x509.ParseCertificate(block.Bytes)
				if err != nil {
					return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
				}
				certs = append(certs, ct)
			}
			block, data = pem.Decode(data)
		}
		return certs, nil
	}
	if certs, err := x509.ParseCertificates(data); err == nil && len(certs) > 0 {
		return certs, nil
	}
	p7, err := pkcs7.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w: neither a certificate nor a PKCS#7 bundle", ErrMalformed)
	}
	return p7.Certificates, nil
}

// aiaCache holds downloaded issuer certificates by URL (certificates do not go stale;
// the cache is bounded by entries).
type aiaCache struct {
	mu      sync.Mutex
	max     int
	entries map[string][]*x509.Certificate
}

func newAIACache(max int) *aiaCache {
	return &aiaCache{max: max, entries: map[string][]*x509.Certificate{}}
}

func (c *aiaCache) get(url string) ([]*x509.Certificate, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[url]
	return v, ok
}

func (c *aiaCache) put(url string, certs []*x509.Certificate) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[url] = certs
}
