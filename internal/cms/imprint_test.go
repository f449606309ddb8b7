package cms

import (
	"crypto"
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCheckImprint: the one imprint comparison — same hash and bytes pass; other data,
// another hash or an algorithm the build cannot compute fail.
func TestCheckImprint(t *testing.T) {
	sum := sha256.Sum256([]byte("dữ liệu"))
	tok := &TimeStampToken{Info: TSTInfo{Hash: crypto.SHA256, HashedMessage: sum[:]}}
	assert.NoError(t, tok.CheckImprint(crypto.SHA256, sum[:]), "same digest")
	assert.NoError(t, tok.CheckImprintOf([]byte("dữ liệu")), "same data")
	other := sha256.Sum256([]byte("khác"))
	assert.ErrorIs(t, tok.CheckImprint(crypto.SHA256, other[:]), ErrImprint, "other digest")
	assert.ErrorIs(t, tok.CheckImprint(crypto.SHA384, sum[:]), ErrImprint, "other hash")
	assert.ErrorIs(t, tok.CheckImprintOf([]byte("khác")), ErrImprint, "other data")
	unknown := &TimeStampToken{Info: TSTInfo{HashedMessage: sum[:]}}
	assert.ErrorIs(t, unknown.CheckImprintOf(nil), ErrTimeStamp, "unknown algorithm")
}
