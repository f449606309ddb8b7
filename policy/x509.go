package policy

import (
	"crypto/x509"
	"strings"
	"unicode/utf8"

	"github.com/kyso-go/kyso/internal/identity"
)

// CertificateFacts reads from cert the facts the rules use: the validity period and the
// title (the subject's T= attributes as internal/identity reads them, several joined by " / "). kind is the caller's:
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
	for _, s := range identity.Parse(cert).Titles {
		if s = strings.TrimSpace(s); s != "" {
			titles = append(titles, normalizeVN(s))
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
