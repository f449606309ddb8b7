package certstatus_test

import (
	"crypto"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"math/big"
	"testing"
	"time"

	"github.com/digitorus/timestamp"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimestampRoundTrip(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ck := checkerFor(pki)
	data := []byte("Quyết định số 123/QĐ-UBND")
	d256 := sha256.Sum256(data)
	d512 := sha512.Sum512(data)
	for _, tc := range []struct {
		h      crypto.Hash
		digest []byte
	}{{crypto.SHA256, d256[:]}, {0, d256[:]}, {crypto.SHA512, d512[:]}} {
		client := &certstatus.TSAClient{URL: pki.TSAURL, Checker: ck}
		tok, err := client.Request(bg, tc.digest, tc.h)
		require.NoError(t, err)
		assert.WithinDuration(t, time.Now(), tok.Time, time.Minute)
		assert.Equal(t, time.Second, tok.Accuracy)
		assert.True(t, tok.Signer.Equal(pki.TSA.Cert))
		require.Len(t, tok.Chain, 3)
		assert.NotNil(t, tok.Nonce)
		assert.True(t, tok.Policy.Equal(certstatustest.TSAPolicy))

		// Verifying the stored token later against the same data.
		again, err := ck.VerifyTimestamp(bg, tok.Raw, tc.digest, tc.h, certstatus.TimestampOptions{})
		require.NoError(t, err)
		assert.Equal(t, 0, again.SerialNumber.Cmp(tok.SerialNumber))

		// digitorus/timestamp reads the same token.
		parsed, err := timestamp.Parse(tok.Raw)
		require.NoError(t, err)
		assert.Equal(t, tc.digest, parsed.HashedMessage)
	}

	other := sha256.Sum256([]byte("another document"))
	tok, err := (&certstatus.TSAClient{URL: pki.TSAURL, Checker: ck}).Timestamp(bg, d256[:], crypto.SHA256)
	require.NoError(t, err)
	_, err = ck.VerifyTimestamp(bg, tok, other[:], crypto.SHA256, certstatus.TimestampOptions{})
	assert.ErrorIs(t, err, certstatus.ErrImprintMismatch)
	_, err = ck.VerifyTimestamp(bg, tok, d256[:], crypto.SHA256, certstatus.TimestampOptions{Nonce: big.NewInt(42)})
	assert.ErrorIs(t, err, certstatus.ErrBadNonce)
}

func TestTimestampFailuresEachHaveTheirOwnError(t *testing.T) {
	digest := sha256.Sum256([]byte("data"))
	tests := []struct {
		name  string
		setup func(t *testing.T, pki *certstatustest.PKI, c *certstatus.TSAClient)
		want  error
	}{
		{"wrong imprint", func(t *testing.T, pki *certstatustest.PKI, c *certstatus.TSAClient) {
			pki.SetTSA(certstatustest.TSAWrongImprint)
		}, certstatus.ErrImprintMismatch},
		{"wrong nonce", func(t *testing.T, pki *certstatustest.PKI, c *certstatus.TSAClient) {
			pki.SetTSA(certstatustest.TSAWrongNonce)
		}, certstatus.ErrBadNonce},
		{"rejected", func(t *testing.T, pki *certstatustest.PKI, c *certstatus.TSAClient) {
			pki.SetTSA(certstatustest.TSARejection)
		}, certstatus.ErrTSARejected},
		{"malformed", func(t *testing.T, pki *certstatustest.PKI, c *certstatus.TSAClient) {
			pki.SetTSA(certstatustest.TSAMalformed)
		}, certstatus.ErrMalformed},
		{"corrupted signature", func(t *testing.T, pki *certstatustest.PKI, c *certstatus.TSAClient) {
			pki.SetTSA(certstatustest.TSABadSignature)
		}, certstatus.ErrBadSignature},
		{"TSA certificate without critical EKU", func(t *testing.T, pki *certstatustest.PKI, c *certstatus.TSAClient) {
			soft, err := pki.Issue("tsa-soft", &x509.Certificate{
				RawSubject:  certstatustest.Name(certstatustest.CN("TSA thiếu critical")),
				KeyUsage:    x509.KeyUsageDigitalSignature,
				ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
			})
			require.NoError(t, err)
			pki.SetTSASigner(soft)
		}, certstatus.ErrTSACertificate},
		{"a leader's certificate is no TSA", func(t *testing.T, pki *certstatustest.PKI, c *certstatus.TSAClient) {
			pki.SetTSASigner(pki.Leader)
		}, certstatus.ErrTSACertificate},
		{"TSA certificate missing", func(t *testing.T, pki *certstatustest.PKI, c *certstatus.TSAClient) {
			pki.SetTSA(certstatustest.TSANoCertificates)
		}, certstatus.ErrNoChain},
		{"untrusted TSA", func(t *testing.T, pki *certstatustest.PKI, c *certstatus.TSAClient) {
			c.Checker = certstatus.NewChecker(certstatus.Options{DisableAIA: true})
		}, certstatus.ErrNoChain},
		{"basic auth refused", func(t *testing.T, pki *certstatustest.PKI, c *certstatus.TSAClient) {
			pki.RequireTSAAuth("vanthu", "đúng")
			c.Username, c.Password = "vanthu", "sai"
		}, certstatus.ErrHTTPStatus},
		{"slow TSA", func(t *testing.T, pki *certstatustest.PKI, c *certstatus.TSAClient) {
			pki.SetTSADelay(3 * time.Second)
			c.Timeout = 100 * time.Millisecond
		}, certstatus.ErrUnreachable},
		{"unreachable", func(t *testing.T, pki *certstatustest.PKI, c *certstatus.TSAClient) {
			c.URL = "http://127.0.0.1:1/tsa"
		}, certstatus.ErrUnreachable},
		{"response too large", func(t *testing.T, pki *certstatustest.PKI, c *certstatus.TSAClient) {
			c.MaxResponseBytes = 100
		}, certstatus.ErrTooLarge},
	}
	pki := certstatustest.NewPKI(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Cleanup(func() {
				pki.SetTSA(certstatustest.TSANormal)
				pki.SetTSASigner(nil)
				pki.SetTSADelay(0)
				pki.RequireTSAAuth("", "")
			})
			c := &certstatus.TSAClient{URL: pki.TSAURL, Checker: checkerFor(pki)}
			tc.setup(t, pki, c)
			tok, err := c.Timestamp(bg, digest[:], crypto.SHA256)
			assert.Nil(t, tok)
			require.ErrorIs(t, err, tc.want)
			var te *certstatus.TimestampError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, c.URL, te.URL)
		})
	}
}

func TestTimestampOptions(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	digest := sha256.Sum256([]byte("data"))
	t.Run("basic auth accepted", func(t *testing.T) {
		pki.RequireTSAAuth("vanthu", "mật khẩu")
		defer pki.RequireTSAAuth("", "")
		c := &certstatus.TSAClient{URL: pki.TSAURL, Checker: checkerFor(pki), Username: "vanthu", Password: "mật khẩu"}
		_, err := c.Timestamp(bg, digest[:], crypto.SHA256)
		require.NoError(t, err)
	})
	t.Run("no certReq, certificate given", func(t *testing.T) {
		c := &certstatus.TSAClient{URL: pki.TSAURL, Checker: checkerFor(pki), NoCertReq: true, Certificates: []*x509.Certificate{pki.TSA.Cert}}
		tok, err := c.Request(bg, digest[:], crypto.SHA256)
		require.NoError(t, err)
		// The TSA left its certificates out; the client puts back the TSA certificate
		// and its issuing CA (not the root), so that the token verifies on its own.
		require.Len(t, tok.Certificates, 2)
		assert.True(t, tok.Certificates[0].Equal(pki.TSA.Cert) || tok.Certificates[1].Equal(pki.TSA.Cert))
		assert.True(t, tok.Certificates[0].Equal(pki.CA.Cert) || tok.Certificates[1].Equal(pki.CA.Cert))
		again, err := checkerFor(pki).VerifyTimestamp(bg, tok.Raw, digest[:], crypto.SHA256, certstatus.TimestampOptions{})
		require.NoError(t, err, "the completed token verifies without the client's certificates")
		assert.True(t, again.Signer.Equal(pki.TSA.Cert))
	})
	t.Run("policy requested", func(t *testing.T) {
		c := &certstatus.TSAClient{URL: pki.TSAURL, Checker: checkerFor(pki), Policy: certstatustest.TSAPolicy}
		_, err := c.Timestamp(bg, digest[:], crypto.SHA256)
		require.NoError(t, err)
	})
	t.Run("digest of the wrong size", func(t *testing.T) {
		c := &certstatus.TSAClient{URL: pki.TSAURL, Checker: checkerFor(pki)}
		_, err := c.Timestamp(bg, digest[:20], crypto.SHA256)
		assert.ErrorIs(t, err, certstatus.ErrMalformed)
	})
	t.Run("default URL is the VGCA's", func(t *testing.T) {
		assert.Equal(t, "http://tsa.ca.gov.vn", certstatus.DefaultTSAURL)
		assert.Equal(t, "http://ocsp.ca.gov.vn", certstatus.DefaultOCSPURL)
	})
}

func TestTimestampTokenOfTheKitDirectly(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	digest := sha256.Sum256([]byte("data"))
	tok, err := pki.Timestamp(digest[:], crypto.SHA256, big.NewInt(7))
	require.NoError(t, err)
	got, err := checkerFor(pki).VerifyTimestamp(bg, tok, digest[:], crypto.SHA256, certstatus.TimestampOptions{Nonce: big.NewInt(7)})
	require.NoError(t, err)
	assert.Equal(t, int64(7), got.Nonce.Int64())
}

func TestTimestampRejectionSaysWhy(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	pki.SetTSA(certstatustest.TSARejection)
	digest := sha256.Sum256([]byte("data"))
	_, err := (&certstatus.TSAClient{URL: pki.TSAURL, Checker: checkerFor(pki)}).Timestamp(bg, digest[:], crypto.SHA256)
	require.ErrorIs(t, err, certstatus.ErrTSARejected)
	assert.Contains(t, err.Error(), "bad request")
	assert.Contains(t, err.Error(), "badRequest")
}

// A token stamping a SHA-1 imprint after the SHA-1 sunset fails the algorithm policy,
// whether fetched or handed in.
func TestTimestampSHA1ImprintRefused(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ck := checkerFor(pki)
	d := sha1.Sum([]byte("data"))
	_, err := (&certstatus.TSAClient{URL: pki.TSAURL, Checker: ck}).Timestamp(bg, d[:], crypto.SHA1)
	require.ErrorIs(t, err, certstatus.ErrWeakAlgorithm)
	assert.ErrorContains(t, err, "imprint")

	tok, err := pki.Timestamp(d[:], crypto.SHA1, nil)
	require.NoError(t, err)
	_, err = ck.VerifyTimestamp(bg, tok, d[:], crypto.SHA1, certstatus.TimestampOptions{})
	require.ErrorIs(t, err, certstatus.ErrWeakAlgorithm)
	assert.Equal(t, "CRYPTO_CONSTRAINTS_FAILURE", certstatus.SubIndication(err))
}
