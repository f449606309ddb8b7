package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// TestPortal runs the portal's stories against one test PKI (making one costs most of
// the time).
func TestPortal(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	t.Run("TwoStepRoundTrip", func(t *testing.T) { testTwoStepRoundTrip(t, pki) })
	t.Run("Multipart", func(t *testing.T) { testMultipart(t, pki) })
	t.Run("CompleteOnAnotherReplica", func(t *testing.T) { testCompleteOnAnotherReplica(t, pki) })
	t.Run("CompleteRefusals", func(t *testing.T) { testCompleteRefusals(t, pki) })
	t.Run("VerificationPage", func(t *testing.T) { testVerificationPage(t, pki) })
	t.Run("Levels", func(t *testing.T) { testLevels(t, pki) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, pki) })
	t.Run("Policy", func(t *testing.T) { testPolicy(t, pki) })
	t.Run("PrepareRefusals", func(t *testing.T) { testPrepareRefusals(t, pki) })
}

// testTwoStepRoundTrip is the portal's story: the server prepares, the user's key
// signs the digest with RSA-PSS elsewhere, the server completes; pdfsig accepts the
// result and /api/verify says TOTAL_PASSED.
func testTwoStepRoundTrip(t *testing.T, pki *certstatustest.PKI) {
	ts := startPortal(t, pki, nil)
	in := pdftest.Classic()

	prep := prepareDoc(t, ts.URL, pki.Leader, in, map[string]string{"reason": "Phê duyệt hồ sơ", "location": "Hà Tĩnh"})
	assert.NotEmpty(t, prep.State)
	assert.Equal(t, 32, prep.SaltLength)
	assert.NotEmpty(t, prep.Field)

	done := completeDoc(t, ts.URL, prep.State, clientSign(t, pki.Leader, prep), in)
	require.Equal(t, http.StatusOK, done.Status, "%s", done.Body)
	signed := done.Body
	require.True(t, bytes.HasPrefix(signed, in), "the original bytes come first, unchanged")

	assert.Contains(t, pdfsig(t, signed), "Signature is Valid")
	signaturetest.AssertSignatures(t, signed, &signature.VerifyOptions{Roots: pki.Roots(), AllowMissingRevocation: true},
		signaturetest.Expect{Indication: signature.TotalPassed, Level: signature.LevelBB, Signer: pki.Leader.Cert.Subject.CommonName})

	v := post(t, ts.URL+"/api/verify", "application/pdf", signed)
	require.Equal(t, http.StatusOK, v.Status, "%s", v.Body)
	var rep struct {
		Signatures []struct {
			Indication string `json:"indication"`
			Reason     string `json:"reason"`
			Location   string `json:"location"`
			Signer     struct {
				CommonName string `json:"commonName"`
			} `json:"signer"`
		} `json:"signatures"`
	}
	require.NoError(t, json.Unmarshal(v.Body, &rep))
	require.Len(t, rep.Signatures, 1)
	s := rep.Signatures[0]
	assert.Equal(t, "TOTAL_PASSED", s.Indication)
	assert.Equal(t, "Phê duyệt hồ sơ", s.Reason)
	assert.Equal(t, "Hà Tĩnh", s.Location)
	assert.Equal(t, pki.Leader.Cert.Subject.CommonName, s.Signer.CommonName)
}

// testMultipart sends the same requests as multipart forms (the PDF as a file part).
func testMultipart(t *testing.T, pki *certstatustest.PKI) {
	ts := startPortal(t, pki, nil)
	in := pdftest.XRefStream()

	prep := postMultipart(t, ts.URL+"/api/prepare", map[string][]byte{
		"pdf": in, "chain": []byte(chainPEM(pki.Deputy)), "reason": []byte("Ký thay Chủ tịch"),
	}, "pdf", "chain")
	require.Equal(t, http.StatusOK, prep.Status, "%s", prep.Body)
	sig := clientSign(t, pki.Deputy, prep)
	done := postMultipart(t, ts.URL+"/api/complete", map[string][]byte{
		"pdf": in, "state": []byte(prep.State), "signature": []byte(base64.StdEncoding.EncodeToString(sig)),
	}, "pdf")
	require.Equal(t, http.StatusOK, done.Status, "%s", done.Body)
	signaturetest.AssertAllPassed(t, done.Body, &signature.VerifyOptions{Roots: pki.Roots(), AllowMissingRevocation: true})

	v := postMultipart(t, ts.URL+"/api/verify", map[string][]byte{"pdf": done.Body}, "pdf")
	require.Equal(t, http.StatusOK, v.Status, "%s", v.Body)
	assert.Contains(t, string(v.Body), `"TOTAL_PASSED"`)
}

// testCompleteOnAnotherReplica: no server-side storage, so a second instance with the
// same key completes what the first prepared; one with another key refuses the state,
// and none accepts it once it expired.
func testCompleteOnAnotherReplica(t *testing.T, pki *certstatustest.PKI) {
	a := startPortal(t, pki, nil)
	b := startPortal(t, pki, nil)
	other := startPortal(t, pki, func(c *Config) { c.StateKey = []byte("another replica set's key, 32 bytes or more") })
	in := pdftest.Classic()

	prep := prepareDoc(t, a.URL, pki.Leader, in, nil)
	sig := clientSign(t, pki.Leader, prep)

	wrong := completeDoc(t, other.URL, prep.State, sig, in)
	assert.Equal(t, http.StatusBadRequest, wrong.Status)
	require.NotNil(t, wrong.Error)
	assert.Equal(t, codeStateInvalid, wrong.Error.Code)

	done := completeDoc(t, b.URL, prep.State, sig, in)
	require.Equal(t, http.StatusOK, done.Status, "%s", done.Body)
	signaturetest.AssertAllPassed(t, done.Body, &signature.VerifyOptions{Roots: pki.Roots(), AllowMissingRevocation: true})

	later := startPortal(t, pki, func(c *Config) { c.Now = func() time.Time { return time.Now().Add(16 * time.Minute) } })
	expired := completeDoc(t, later.URL, prep.State, sig, in)
	require.Equal(t, http.StatusConflict, expired.Status, "%s", expired.Body)
	assert.Equal(t, codeStateExpired, expired.Error.Code)
	assert.Contains(t, expired.Error.MessageVI, "đã hết hạn")
	assert.WithinDuration(t, time.Now().Add(15*time.Minute), prep.Expires, time.Minute)

	again := completeDoc(t, a.URL, prep.State, sig, in)
	require.Equal(t, http.StatusOK, again.Status)
	assert.Equal(t, done.Body, again.Body, "completion is deterministic, so a client may retry")
}

// testCompleteRefusals: each bad completion has its status, code and a message in
// Vietnamese and English.
func testCompleteRefusals(t *testing.T, pki *certstatustest.PKI) {
	ts := startPortal(t, pki, func(c *Config) { c.MaxBody = 1 << 20 })
	in := pdftest.Classic()
	prep := prepareDoc(t, ts.URL, pki.Leader, in, nil)
	sig := clientSign(t, pki.Leader, prep)

	state, err := base64.StdEncoding.DecodeString(prep.State)
	require.NoError(t, err)
	tampered := bytes.Clone(state)
	i := bytes.Index(tampered, []byte(`"time":"`)) + len(`"time":"`) + 3
	require.Greater(t, i, 10, "the state should hold the signing time")
	tampered[i] ^= 1 // move the signing time by years

	otherDoc := pdftest.Incremental()
	otherPrep := prepareDoc(t, ts.URL, pki.Leader, otherDoc, nil)
	sameSize := bytes.Clone(in)
	j := bytes.Index(sameSize, []byte("kyso"))
	require.Positive(t, j)
	sameSize[j] = 'K'

	wrongSig := clientSign(t, pki.Deputy, prep) // another person's key

	tests := []struct {
		name      string
		state     string
		sig, pdf  []byte
		status    int
		code      string
		wantVI    string
		wantInLog string
	}{
		{"tampered state", base64.StdEncoding.EncodeToString(tampered), sig, in, http.StatusBadRequest, codeStateInvalid, "đã bị sửa đổi", ""},
		{"truncated state", prep.State[:len(prep.State)/2], sig, in, http.StatusBadRequest, codeStateInvalid, "không hợp lệ", ""},
		{"state from another document", otherPrep.State, sig, in, http.StatusConflict, codeStateMismatch, "không phải tệp đã dùng", ""},
		{"same size, other content", prep.State, sig, sameSize, http.StatusConflict, codeStateMismatch, "không phải tệp đã dùng", ""},
		{"signature by another key", prep.State, wrongSig, in, http.StatusUnprocessableEntity, codeBadSignature, "Giá trị chữ ký không khớp", ""},
		{"garbage signature", prep.State, []byte("not a signature"), in, http.StatusUnprocessableEntity, codeBadSignature, "Giá trị chữ ký không khớp", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := completeDoc(t, ts.URL, tc.state, tc.sig, tc.pdf)
			require.Equal(t, tc.status, a.Status, "%s", a.Body)
			require.NotNil(t, a.Error, "%s", a.Body)
			assert.Equal(t, tc.code, a.Error.Code)
			assert.Contains(t, a.Error.MessageVI, tc.wantVI)
			assert.NotEmpty(t, a.Error.MessageEN)
		})
	}

	t.Run("oversized body", func(t *testing.T) {
		big := make([]byte, 2<<20)
		a := completeDoc(t, ts.URL, prep.State, sig, big)
		require.Equal(t, http.StatusRequestEntityTooLarge, a.Status, "%s", a.Body)
		require.NotNil(t, a.Error)
		assert.Equal(t, codeTooLarge, a.Error.Code)
		assert.Contains(t, a.Error.MessageVI, "vượt quá giới hạn")
		a = post(t, ts.URL+"/api/verify", "application/pdf", big)
		assert.Equal(t, http.StatusRequestEntityTooLarge, a.Status)
	})
	t.Run("missing field", func(t *testing.T) {
		a := postJSON(t, ts.URL+"/api/complete", map[string]string{"state": prep.State})
		require.Equal(t, http.StatusBadRequest, a.Status)
		assert.Contains(t, a.Error.MessageVI, "Thiếu trường")
	})
}

// testPrepareRefusals: bad input to /api/prepare.
func testPrepareRefusals(t *testing.T, pki *certstatustest.PKI) {
	ts := startPortal(t, pki, nil)
	in := pdftest.Classic()
	b64 := base64.StdEncoding.EncodeToString(in)
	keyPEM, err := pki.Leader.KeyPEM()
	require.NoError(t, err)

	tests := []struct {
		name   string
		body   string
		ctype  string
		status int
		code   string
	}{
		{"not JSON", `{"pdf":`, "application/json", 400, codeBadRequest},
		{"unknown field", `{"pdf":"` + b64 + `","chain":"","password":"x"}`, "application/json", 400, codeBadRequest},
		{"bad base64", `{"pdf":"@@@","chain":"x"}`, "application/json", 400, codeBadRequest},
		{"no chain", `{"pdf":"` + b64 + `"}`, "application/json", 400, codeBadChain},
		{"a private key instead of a chain", mustJSON(t, map[string]string{"pdf": b64, "chain": string(keyPEM)}), "application/json", 400, codeBadChain},
		{"not a PDF", mustJSON(t, map[string]string{"pdf": base64.StdEncoding.EncodeToString([]byte("hello")), "chain": chainPEM(pki.Leader)}), "application/json", 400, codeNotPDF},
		{"device certificate", mustJSON(t, map[string]string{"pdf": b64, "chain": chainPEM(pki.Device)}), "application/json", 422, codeCertificate},
		{"untrusted chain", mustJSON(t, map[string]string{"pdf": b64, "chain": selfSignedPEM(t)}), "application/json", 422, codeCertificate},
		{"plain text", "hello", "text/plain", 415, codeUnsupportedFormat},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := post(t, ts.URL+"/api/prepare", tc.ctype, []byte(tc.body))
			require.Equal(t, tc.status, a.Status, "%s", a.Body)
			require.NotNil(t, a.Error)
			assert.Equal(t, tc.code, a.Error.Code)
			assert.NotEmpty(t, a.Error.MessageVI)
			assert.NotEmpty(t, a.Error.MessageEN)
		})
	}

	t.Run("revoked signer", func(t *testing.T) {
		pki.Revoke(pki.Clerk.Cert, 1, time.Time{})
		a := postJSON(t, ts.URL+"/api/prepare", map[string]string{"pdf": b64, "chain": chainPEM(pki.Clerk)})
		require.Equal(t, http.StatusUnprocessableEntity, a.Status, "%s", a.Body)
		assert.Equal(t, codeCertificate, a.Error.Code)
		assert.Contains(t, a.Error.MessageVI, "không còn hiệu lực")
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
