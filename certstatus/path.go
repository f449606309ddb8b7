package certstatus

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"strings"
)

// IssuerPath returns the issuers of cert, nearest first, up to and including a trust
// anchor of the Checker's store: the certificate chain a signer embeds in a
// signature so that a relying party holding only the root can build the path. It is
// what EU DSS, Adobe and iText do when a signer's token holds only its own
// certificate.
//
// Candidate issuers are known (for example the signer's own chain, in any order),
// the Checker's Options.Intermediates and trust anchors and, unless the Checker is
// Offline or DisableAIA is set, the certificates downloaded from AIA caIssuers URLs
// (cached and bounded as in VerifyCertificate). A link is accepted when the names
// chain and the issuer's key verifies the certificate's signature (SHA-1 only before
// the SHA-1 sunset). Validity periods, key usages and revocation are not checked
// here: VerifyCertificate and Check judge the path.
//
// When cert is itself a trust anchor the path is empty. When no anchor is reached it
// returns the issuers found so far with a *CertificateInvalidError wrapping
// ErrNoChain whose Cert is the last certificate reached: a self-signed certificate
// that is not a trust anchor, or one whose issuer is among neither the candidates
// nor the downloads (the Detail says why: offline, no caIssuers URL, a failed
// download), or a path longer than MaxChainLength.
func (c *Checker) IssuerPath(ctx context.Context, cert *x509.Certificate, known []*x509.Certificate) ([]*x509.Certificate, error) {
	if cert == nil {
		return nil, &CertificateInvalidError{Reason: ErrNoChain, Detail: "no certificate"}
	}
	roots := c.trust.Roots()
	pools := c.trust.rootPools()[1:] // the listed roots are in roots
	isAnchor := func(x *x509.Certificate) bool {
		for _, r := range roots {
			if r.Equal(x) {
				return true
			}
		}
		for _, p := range pools {
			chains, err := x.Verify(x509.VerifyOptions{Roots: p, CurrentTime: c.now(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
			for _, ch := range chains {
				if err == nil && len(ch) == 1 {
					return true
				}
			}
		}
		return false
	}
	var path, downloaded []*x509.Certificate
	onPath := func(x *x509.Certificate) bool {
		if x.Equal(cert) {
			return true
		}
		for _, p := range path {
			if p.Equal(x) {
				return true
			}
		}
		return false
	}
	parentIn := func(cur *x509.Certificate, candidates []*x509.Certificate) *x509.Certificate {
		for _, k := range candidates {
			if k != nil && bytes.Equal(cur.RawIssuer, k.RawSubject) && !onPath(k) && checkLinkSignature(k, cur, c.opts.SHA1Sunset) == nil {
				return k
			}
		}
		return nil
	}
	fail := func(last *x509.Certificate, format string, args ...any) ([]*x509.Certificate, error) {
		return path, &CertificateInvalidError{Cert: last, Reason: ErrNoChain, Detail: fmt.Sprintf(format, args...)}
	}
	cur := cert
	for !isAnchor(cur) {
		if len(path)+1 >= c.opts.MaxChainLength {
			return fail(cur, "no trust anchor within %d certificates", c.opts.MaxChainLength)
		}
		if bytes.Equal(cur.RawIssuer, cur.RawSubject) {
			return fail(cur, "the path ends at a self-signed certificate that is not a trust anchor")
		}
		// Prefer a trust anchor, then what the caller and the Checker know.
		parent := parentIn(cur, roots)
		if parent == nil {
			parent = c.poolAnchor(cur, pools)
		}
		if parent == nil {
			parent = parentIn(cur, append(append(append([]*x509.Certificate(nil), known...), c.opts.Intermediates...), downloaded...))
		}
		if parent == nil {
			var why []string
			var urls []string
			for _, u := range cur.IssuingCertificateURL {
				if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
					urls = append(urls, u)
				}
			}
			switch {
			case len(urls) == 0:
				why = append(why, "the certificate names no caIssuers URL (AIA)")
			case c.opts.Offline:
				why = append(why, "offline: the issuer at "+strings.Join(urls, ", ")+" was not downloaded")
			case c.opts.DisableAIA:
				why = append(why, "AIA downloads are disabled: the issuer at "+strings.Join(urls, ", ")+" was not downloaded")
			default:
				for _, u := range urls {
					certs, err := c.fetchAIA(ctx, u)
					if err != nil {
						why = append(why, err.Error())
						continue
					}
					downloaded = append(downloaded, certs...)
					if parent = parentIn(cur, certs); parent != nil {
						break
					}
					why = append(why, "the certificates at "+u+" do not include its issuer")
				}
			}
			if parent == nil {
				if err := ctx.Err(); err != nil {
					why = append(why, err.Error())
				}
				return fail(cur, "issuer %q not found: %s", cur.Issuer.String(), strings.Join(why, "; "))
			}
		}
		path = append(path, parent)
		cur = parent
	}
	return path, nil
}

// poolAnchor returns the trust anchor of an added x509.CertPool that issued cur, if
// any (pools cannot be listed: crypto/x509 is asked to build the one-link chain).
func (c *Checker) poolAnchor(cur *x509.Certificate, pools []*x509.CertPool) *x509.Certificate {
	for _, p := range pools {
		chains, err := cur.Verify(x509.VerifyOptions{Roots: p, CurrentTime: c.now(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
		if err != nil {
			continue
		}
		for _, ch := range chains {
			if len(ch) == 2 {
				return ch[1]
			}
		}
	}
	return nil
}
