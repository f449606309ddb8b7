package main

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPortalLeafOnlyToken: the user's token gives the browser only the signer's
// certificate. The portal finds the issuing CA (AIA) and embeds it, so the document
// verifies where only the root is trusted. An offline portal makes no request.
func TestPortalLeafOnlyToken(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	in := pdftest.Classic()
	leaf := string(pki.Leader.CertPEM())
	prepare := func(t *testing.T, url string) apiAnswer {
		t.Helper()
		a := postJSON(t, url+"/api/prepare", map[string]string{"pdf": base64.StdEncoding.EncodeToString(in), "chain": leaf})
		require.Equal(t, http.StatusOK, a.Status, "%s", a.Body)
		return a
	}

	ts := startPortal(t, pki, nil)
	prep := prepare(t, ts.URL)
	assert.Empty(t, prep.Warnings)
	done := completeDoc(t, ts.URL, prep.State, clientSign(t, pki.Leader, prep), in)
	require.Equal(t, http.StatusOK, done.Status, "%s", done.Body)
	require.True(t, bytes.HasPrefix(done.Body, in))
	assert.Contains(t, pdfsig(t, done.Body), "Signature is Valid")
	signaturetest.AssertSignatures(t, done.Body, &signature.VerifyOptions{Roots: pki.Roots(), AllowMissingRevocation: true},
		signaturetest.Expect{Indication: signature.TotalPassed, Level: signature.LevelBB, Signer: pki.Leader.Cert.Subject.CommonName})

	offline := startPortal(t, pki, func(c *Config) { c.Offline = true })
	before := pki.Hits("aia")
	a := postJSON(t, offline.URL+"/api/prepare", map[string]string{"pdf": base64.StdEncoding.EncodeToString(in), "chain": leaf})
	assert.Equal(t, before, pki.Hits("aia"), "an offline portal makes no request")
	// The portal checks the signer's certificate before preparing (Thông tư 15/2025):
	// offline, without the issuing CA, it cannot and refuses, and writes nothing.
	assert.Equal(t, http.StatusUnprocessableEntity, a.Status, "%s", a.Body)
	require.NotNil(t, a.Error, "%s", a.Body)
	assert.Empty(t, a.State)
}
