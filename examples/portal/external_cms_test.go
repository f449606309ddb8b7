package main

import (
	"bytes"
	"encoding/asn1"
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cmsService stands for a remote signing service that returns a whole CMS SignedData
// rather than a raw signature: it reads the message digest from the signed attributes
// the portal handed out and signs its own CMS for it with h's key.
func cmsService(t *testing.T, h *certstatustest.Holder, prep apiAnswer) []byte {
	t.Helper()
	der, err := base64.StdEncoding.DecodeString(prep.SignedAttributes)
	require.NoError(t, err)
	var attrs []struct {
		Type   asn1.ObjectIdentifier
		Values []asn1.RawValue `asn1:"set"`
	}
	_, err = asn1.UnmarshalWithParams(der, &attrs, "set")
	require.NoError(t, err)
	var md []byte
	for _, a := range attrs {
		if a.Type.Equal(cms.OIDAttributeMessageDigest) {
			_, err := asn1.Unmarshal(a.Values[0].FullBytes, &md)
			require.NoError(t, err)
		}
	}
	require.NotEmpty(t, md)
	out, err := cms.Sign(h.Key, md, h.Cert, h.Chain[1:], &cms.Options{PSS: true})
	require.NoError(t, err)
	return out
}

// TestPortalExternalCMS: /api/complete accepts a CMS made elsewhere in the "cms" field,
// and refuses one that does not fit the prepared signature.
func TestPortalExternalCMS(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	ts := startPortal(t, pki, nil)
	in := pdftest.Classic()

	prep := prepareDoc(t, ts.URL, pki.Leader, in, map[string]string{"reason": "Ký số từ xa"})
	done := postJSON(t, ts.URL+"/api/complete", map[string]string{
		"state": prep.State, "cms": base64.StdEncoding.EncodeToString(cmsService(t, pki.Leader, prep)), "pdf": base64.StdEncoding.EncodeToString(in),
	})
	require.Equal(t, http.StatusOK, done.Status, "%s", done.Body)
	require.True(t, bytes.HasPrefix(done.Body, in))
	assert.Contains(t, pdfsig(t, done.Body), "Signature is Valid")
	signaturetest.AssertSignatures(t, done.Body, &signature.VerifyOptions{Roots: pki.Roots(), AllowMissingRevocation: true},
		signaturetest.Expect{Indication: signature.TotalPassed, Level: signature.LevelBB, Signer: pki.Leader.Cert.Subject.CommonName})

	// Multipart works the same.
	prep = prepareDoc(t, ts.URL, pki.Leader, in, nil)
	done = postMultipart(t, ts.URL+"/api/complete", map[string][]byte{"state": []byte(prep.State),
		"cms": []byte(base64.StdEncoding.EncodeToString(cmsService(t, pki.Leader, prep))), "pdf": in}, "pdf")
	require.Equal(t, http.StatusOK, done.Status, "%s", done.Body)

	// A CMS signed by someone else, and both fields at once.
	prep = prepareDoc(t, ts.URL, pki.Leader, in, nil)
	other := cmsService(t, pki.Deputy, prep)
	bad := postJSON(t, ts.URL+"/api/complete", map[string]string{
		"state": prep.State, "cms": base64.StdEncoding.EncodeToString(other), "pdf": base64.StdEncoding.EncodeToString(in),
	})
	assert.Equal(t, http.StatusUnprocessableEntity, bad.Status, "%s", bad.Body)
	require.NotNil(t, bad.Error)
	assert.Equal(t, "external_cms_mismatch", bad.Error.Code)
	both := postJSON(t, ts.URL+"/api/complete", map[string]string{
		"state": prep.State, "cms": base64.StdEncoding.EncodeToString(other), "signature": "AAAA", "pdf": base64.StdEncoding.EncodeToString(in),
	})
	assert.Equal(t, http.StatusBadRequest, both.Status, "%s", both.Body)
}
