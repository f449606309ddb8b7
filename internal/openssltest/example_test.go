package openssltest_test

import (
	"crypto/x509"
	"fmt"
	"math/big"
	"time"

	"github.com/kyso-go/kyso/internal/openssltest"
)

// An openssl CA database line for a certificate revoked for key compromise, as
// "openssl ocsp -index" and "openssl ca -gencrl" read it.
func ExampleIndexLine() {
	c := &x509.Certificate{SerialNumber: big.NewInt(0xABCDE), NotAfter: time.Date(2029, 12, 7, 0, 0, 0, 0, time.UTC)}
	fmt.Printf("%q\n", openssltest.IndexLine(c, time.Time{}, ""))
	fmt.Printf("%q\n", openssltest.IndexLine(c, time.Date(2026, 12, 1, 8, 30, 0, 0, time.UTC), "keyCompromise"))
	// Output:
	// "V\t291207000000Z\t\t0ABCDE\tunknown\t/CN=0ABCDE\n"
	// "R\t291207000000Z\t261201083000Z,keyCompromise\t0ABCDE\tunknown\t/CN=0ABCDE\n"
}
