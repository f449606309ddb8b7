package algorithm_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/kyso-go/kyso/internal/algorithm"
)

// The policy answers whether a key and a hash are acceptable, and why not.
func Example() {
	key, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	fmt.Println(algorithm.KeyStrength(key.Public()))
	sunset := time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
	fmt.Println(algorithm.CheckHash(crypto.SHA1, time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC), sunset))
	fmt.Println(algorithm.CheckHash(crypto.SHA1, time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC), sunset))
	fmt.Println(algorithm.HashFromOID(algorithm.OIDSHA256))
	// Output:
	// ECDSA key below 256 bits
	// <nil>
	// SHA-1 signature made after 2018-01-01
	// SHA-256
}
