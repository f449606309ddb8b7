package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// testPolicy: with a signing policy the clerk (văn thư) may apply the organisation
// signature only after the person with authority signed (NĐ 30/2020 Điều 32 k2 d;
// Quảng Ninh 41/2022 Điều 20 k5), and
// a classified document is never signed.
func testPolicy(t *testing.T, pki *certstatustest.PKI) {
	p, err := policy.BuiltinProfiles().Lookup("quang-ninh")
	require.NoError(t, err)
	engine, err := policy.New(policy.Options{Profile: p})
	require.NoError(t, err)
	ts := startPortal(t, pki, func(c *Config) { c.Policy = engine })
	in := pdftest.Classic()

	refused := func(t *testing.T, a apiAnswer, citation string) {
		t.Helper()
		require.Equal(t, http.StatusUnprocessableEntity, a.Status, "%s", a.Body)
		require.NotNil(t, a.Error)
		assert.Equal(t, codePolicyRefused, a.Error.Code)
		assert.Contains(t, a.Error.MessageVI, "KHÔNG ĐƯỢC KÝ")
		assert.Contains(t, a.Error.MessageVI, citation)
		assert.Contains(t, a.Error.MessageEN, "REFUSED")
		assert.Contains(t, string(a.Body), `"policy":`)
	}
	seal := func(doc []byte) apiAnswer {
		return postJSON(t, ts.URL+"/api/prepare", map[string]string{
			"pdf": b64(doc), "chain": chainPEM(pki.Org), "role": "clerk",
		})
	}

	t.Run("organisation seal before the authority's signature", func(t *testing.T) {
		refused(t, seal(in), "Điều 20 k5") // Quảng Ninh's restatement of NĐ 30/2020 Điều 32 k2 d
	})
	t.Run("authority, then the clerk's organisation seal", func(t *testing.T) {
		prep := prepareDoc(t, ts.URL, pki.Leader, in, map[string]string{"role": "authority"})
		require.NotNil(t, prep.Policy)
		assert.True(t, prep.Policy.Allowed)
		done := completeDoc(t, ts.URL, prep.State, clientSign(t, pki.Leader, prep), in)
		require.Equal(t, http.StatusOK, done.Status, "%s", done.Body)

		prep = seal(done.Body)
		require.Equal(t, http.StatusOK, prep.Status, "%s", prep.Body)
		sealed := completeDoc(t, ts.URL, prep.State, clientSign(t, pki.Org, prep), done.Body)
		require.Equal(t, http.StatusOK, sealed.Status, "%s", sealed.Body)
		opts := &signature.VerifyOptions{Roots: pki.Roots(), AllowMissingRevocation: true}
		signaturetest.AssertSignatures(t, sealed.Body, opts,
			signaturetest.Expect{Signer: pki.Leader.Cert.Subject.CommonName},
			signaturetest.Expect{Signer: pki.Org.Cert.Subject.CommonName})
	})
	t.Run("classified document", func(t *testing.T) {
		a := postJSON(t, ts.URL+"/api/prepare", map[string]string{
			"pdf": b64(in), "chain": chainPEM(pki.Leader), "role": "authority", "classification": "mat",
		})
		refused(t, a, "Điều 5 k7")
	})
	t.Run("facts missing or malformed", func(t *testing.T) {
		for _, req := range []map[string]string{
			{"pdf": b64(in), "chain": chainPEM(pki.Leader)},
			{"pdf": b64(in), "chain": chainPEM(pki.Leader), "role": "boss"},
			{"pdf": b64(in), "chain": chainPEM(pki.Leader), "role": "authority", "classification": "very secret"},
			{"pdf": b64(in), "chain": chainPEM(pki.Leader), "role": "authority", "authority": "XX."},
		} {
			a := postJSON(t, ts.URL+"/api/prepare", req)
			assert.Equal(t, http.StatusBadRequest, a.Status, "%v: %s", req["role"], a.Body)
		}
	})
}
