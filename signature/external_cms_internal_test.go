package signature

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/stretchr/testify/require"
)

// FuzzExternalCMS feeds arbitrary bytes to the checks Complete runs on a CMS made
// elsewhere: no panic, every refusal is an *ExternalCMSError, and what is accepted is a
// CMS of the prepared certificate over the prepared digest.
func FuzzExternalCMS(f *testing.F) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(f, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Nguyễn Văn Fuzz"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(f, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(f, err)
	md := sha256.Sum256([]byte("the prepared byte ranges"))
	st := &deferredState{MessageDigest: md[:]}
	good, err := cms.Sign(key, md[:], cert, nil, nil)
	require.NoError(f, err)
	other := sha256.Sum256([]byte("another document"))
	wrong, err := cms.Sign(key, other[:], cert, nil, nil)
	require.NoError(f, err)
	f.Add(good)
	f.Add(wrong)
	f.Add(good[:len(good)/2])
	f.Fuzz(func(t *testing.T, v []byte) {
		out, err := checkExternalCMS(v, st, cert, crypto.SHA256, nil)
		if err != nil {
			var ee *ExternalCMSError
			if !errors.As(err, &ee) || !errors.Is(err, ErrExternalCMS) {
				t.Fatalf("untyped refusal %v", err)
			}
			return
		}
		sd, err := cms.Parse(out)
		if err != nil || len(sd.Signers) != 1 {
			t.Fatalf("accepted an unparsable CMS: %v", err)
		}
		if got, _ := sd.Signers[0].MessageDigest(); !bytes.Equal(got, md[:]) {
			t.Fatal("accepted a CMS over another digest")
		}
	})
}
