package policy

import (
	"crypto/x509"
	"encoding/asn1"
	"strings"
	"unicode/utf8"
)

// oidTitle is the X.520 title attribute (T=, 2.5.4.12) that carries a signer's
// position (chức danh) in a certificate's subject.
var oidTitle = asn1.ObjectIdentifier{2, 5, 4, 12}

// CertificateFacts reads from cert the facts the rules use: the validity period and the
// title (the subject's T= attribute, several joined by " / "). kind is the caller's:
// nothing in a VGCA certificate reliably tells an organisation from an individual.
// Status is left unknown because policy does not check revocation; set it from an
// OCSP or CRL answer for the signing time.
func CertificateFacts(cert *x509.Certificate, kind CertificateKind) Certificate {
	c := Certificate{Kind: kind}
	if cert == nil {
		return c
	}
	c.NotBefore, c.NotAfter = cert.NotBefore, cert.NotAfter
	var titles []string
	for _, atv := range cert.Subject.Names {
		if atv.Type.Equal(oidTitle) {
			if s, ok := atv.Value.(string); ok && strings.TrimSpace(s) != "" {
				titles = append(titles, normalizeVN(strings.TrimSpace(s)))
			}
		}
	}
	c.Title = strings.Join(titles, " / ")
	if len(c.Title) > MaxTextLength {
		// Keep the request valid: cut at a character boundary.
		cut := MaxTextLength
		for cut > 0 && !utf8.RuneStart(c.Title[cut]) {
			cut--
		}
		c.Title = c.Title[:cut]
	}
	return c
}
