package algorithm

import (
	"crypto"
	"encoding/asn1"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHashOIDUses: the one table gives each use what it gave before the CSC client's
// own table moved into it — verification recognises the SHA-2 family, SHA-1 and MD5
// (and not SHA-3, which CMS parsing never accepted); remote signing offers the SHA-2
// and SHA-3 families of 256 bits and more, never a weak hash.
func TestHashOIDUses(t *testing.T) {
	tests := []struct {
		h              crypto.Hash
		oid            string
		verify, remote bool
	}{
		{crypto.SHA256, "2.16.840.1.101.3.4.2.1", true, true},
		{crypto.SHA384, "2.16.840.1.101.3.4.2.2", true, true},
		{crypto.SHA512, "2.16.840.1.101.3.4.2.3", true, true},
		{crypto.SHA3_256, "2.16.840.1.101.3.4.2.8", false, true},
		{crypto.SHA3_384, "2.16.840.1.101.3.4.2.9", false, true},
		{crypto.SHA3_512, "2.16.840.1.101.3.4.2.10", false, true},
		{crypto.SHA1, "1.3.14.3.2.26", true, false},
		{crypto.MD5, "1.2.840.113549.2.5", true, false},
		{crypto.SHA224, "", false, false},
		{crypto.SHA512_256, "", false, false},
		{0, "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.h.String(), func(t *testing.T) {
			oid, ok := HashOID(tt.h)
			assert.Equal(t, tt.verify, ok)
			if ok {
				assert.Equal(t, tt.oid, oid.String())
			}
			r, ok := RemoteHashOID(tt.h)
			assert.Equal(t, tt.remote, ok)
			if ok {
				assert.Equal(t, tt.oid, r.String())
			}
			if tt.oid != "" {
				var parsed asn1.ObjectIdentifier
				for _, e := range hashOIDs {
					if e.h == tt.h {
						parsed = e.oid
					}
				}
				want := crypto.Hash(0)
				if tt.verify {
					want = tt.h
				}
				assert.Equal(t, want, HashFromOID(parsed), "HashFromOID(%s)", tt.oid)
			}
		})
	}
}
