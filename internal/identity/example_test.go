package identity_test

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"

	"github.com/kyso-go/kyso/internal/identity"
)

// A certificate's subject read as Vietnamese users read it, and its kind.
func ExampleParse() {
	cert := &x509.Certificate{
		Subject:  pkix.Name{CommonName: "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", Organization: []string{"UBND tỉnh Quảng Ninh"}},
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	id := identity.Parse(cert)
	fmt.Println(id.CommonName)
	fmt.Println(id.Kind, "/", id.Kind.Vietnamese())
	// Output:
	// ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH
	// organisation / cơ quan, tổ chức
}
