package certstatus

import (
	"crypto/x509"
	"encoding/pem"
	"testing"

	"github.com/digitorus/pkcs7"
)

// FuzzParseCertificates feeds AIA caIssuers downloads (DER, PEM or a certs-only
// PKCS#7 bundle, all outside input) to the parser: it must never panic, and whatever
// it returns must be certificates.
func FuzzParseCertificates(f *testing.F) {
	root := VGCARootG2()
	f.Add(root.Raw)
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.Raw}))
	if bundle, err := pkcs7.DegenerateCertificate(root.Raw); err == nil {
		f.Add(bundle)
	}
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"))
	f.Add([]byte{0x30, 0x80, 0x06, 0x09})
	f.Fuzz(func(t *testing.T, data []byte) {
		certs, err := parseCertificates(data)
		if err != nil {
			return
		}
		for _, c := range certs {
			if c == nil {
				t.Fatal("nil certificate without an error")
			}
			var _ *x509.Certificate = c
		}
	})
}
