package token

import (
	"crypto"
	"fmt"

	"github.com/kyso-go/kyso/internal/algorithm"
)

// digestInfoPrefix is the DER prefix of a PKCS#1 v1.5 DigestInfo for each hash a
// signer accepts: the module's one table (internal/cms), without the weak hashes.
var digestInfoPrefix = func() map[crypto.Hash][]byte {
	m := map[crypto.Hash][]byte{}
	for h, p := range algorithm.DigestInfoPrefix {
		if !algorithm.WeakHash(h) {
			m[h] = p
		}
	}
	return m
}()

// checkDigest reports whether a signer may sign digest as a hash made with h: SHA-1 and
// MD5 are refused, hashes without a DigestInfo encoding are unsupported, and the digest
// must have the hash's size.
func checkDigest(h crypto.Hash, digest []byte) error {
	if algorithm.WeakHash(h) {
		return fmt.Errorf("%w (got %v)", ErrWeakHash, h)
	}
	if _, ok := digestInfoPrefix[h]; !ok {
		if h == 0 {
			return fmt.Errorf("%w: no hash given (raw signatures are refused)", ErrUnsupportedHash)
		}
		return fmt.Errorf("%w: %v", ErrUnsupportedHash, h)
	}
	if len(digest) != h.Size() {
		return fmt.Errorf("%w: %d bytes for %v, want %d", ErrDigestSize, len(digest), h, h.Size())
	}
	return nil
}
