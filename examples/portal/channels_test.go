package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ocsp"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// verdict is what the three channels must agree on for one signature.
type verdict struct {
	Field         string `json:"field"`
	Indication    string `json:"indication"`
	SubIndication string `json:"subIndication"`
	Signer        *struct {
		Kind string `json:"kind"`
	} `json:"signer"`
}

func verdictsOf(t *testing.T, data []byte) []verdict {
	t.Helper()
	var rep struct {
		Signatures []verdict `json:"signatures"`
	}
	require.NoError(t, json.Unmarshal(data, &rep), "%s", data)
	return rep.Signatures
}

// buildCLI builds the kyso command into a temporary directory.
func buildCLI(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "kyso")
	out, err := exec.Command(goTool, "build", "-o", bin, "../kyso").CombinedOutput()
	require.NoError(t, err, "go build ../kyso: %s", out)
	return bin
}

// TestSameVerdictEverywhere runs the same failures through the library (kyso.Verify),
// the kyso command (kyso verify -json) and the portal (/api/verify) and gets the same
// indication, sub-indication and signer kind from all three: they share the root
// package's chain validator and kind rule.
func TestSameVerdictEverywhere(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	stranger, err := certstatustest.Generate(certstatustest.Options{Addr: "127.0.0.1:1", ECDSA: true})
	require.NoError(t, err)
	ctx := context.Background()
	sign := func(in []byte, h *certstatustest.Holder, at time.Time) []byte {
		t.Helper()
		var out bytes.Buffer
		_, err := kyso.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), kyso.NewSigner(h.Key, h.Chain...),
			&kyso.SignOptions{Signature: signature.SignOptions{Time: at}})
		require.NoError(t, err)
		return out.Bytes()
	}
	now := time.Now()
	good := sign(signaturetest.SamplePDF(), pki.Leader, now)
	tampered := bytes.Clone(good)
	i := bytes.Index(tampered, []byte("kyso sample document"))
	require.Positive(t, i)
	tampered[i] = 'K'
	expired, err := pki.Expire(pki.Clerk)
	require.NoError(t, err)
	// Revoked a minute before the time the deputy's signature claims, so that the
	// revocation precedes it. Revoked "now" (time.Time{}) it was recorded at the second
	// of the call, which is after now's second whenever a second ticked since now was
	// read (signing and issuing above): the verdict was then REVOKED_NO_POE.
	pki.Revoke(pki.Deputy.Cert, ocsp.KeyCompromise, now.Add(-time.Minute))

	cases := []struct {
		name string
		doc  []byte
		want []string // indication/sub-indication per signature
	}{
		{"valid leader, then organisation", sign(good, pki.Org, now.Add(time.Second)),
			[]string{"TOTAL_PASSED/", "TOTAL_PASSED/"}},
		{"tampered", tampered, []string{"TOTAL_FAILED/HASH_FAILURE"}},
		{"untrusted root", sign(signaturetest.SamplePDF(), stranger.Leader, now), []string{"INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND"}},
		{"revoked", sign(signaturetest.SamplePDF(), pki.Deputy, now), []string{"TOTAL_FAILED/REVOKED"}},
		{"expired certificate", sign(signaturetest.SamplePDF(), expired, now), []string{"INDETERMINATE/OUT_OF_BOUNDS_NO_POE"}},
	}

	dir := t.TempDir()
	root := filepath.Join(dir, "root.pem")
	require.NoError(t, os.WriteFile(root, pki.Root.CertPEM(), 0o600))
	cli := buildCLI(t)
	ts := startPortal(t, pki, nil)
	lib := &kyso.VerifyOptions{Trust: certstatus.NewTrustStore(pki.Root.Cert), AllowMissingRevocation: true}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := kyso.Verify(ctx, bytes.NewReader(tc.doc), int64(len(tc.doc)), lib)
			require.NoError(t, err)
			libJSON, err := json.Marshal(rep)
			require.NoError(t, err)
			fromLib := verdictsOf(t, libJSON)

			path := filepath.Join(dir, tc.name+".pdf")
			require.NoError(t, os.WriteFile(path, tc.doc, 0o600))
			out, _ := exec.Command(cli, "verify", "-json", "-status-warning", "-trust", root, path).Output()
			fromCLI := verdictsOf(t, out)

			resp, err := http.Post(ts.URL+"/api/verify", "application/pdf", bytes.NewReader(tc.doc))
			require.NoError(t, err)
			var body bytes.Buffer
			_, err = body.ReadFrom(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.StatusCode, body.String())
			fromPortal := verdictsOf(t, body.Bytes())

			assert.Equal(t, fromLib, fromCLI, "library and kyso verify")
			assert.Equal(t, fromLib, fromPortal, "library and the portal")
			var got []string
			for _, v := range fromLib {
				got = append(got, v.Indication+"/"+v.SubIndication)
				if v.Signer != nil {
					assert.NotEmpty(t, v.Signer.Kind)
				}
			}
			assert.Equal(t, tc.want, got)

			// The page: every verdict that is not TOTAL_PASSED carries its reason on
			// its card (outside the collapsed details), in Vietnamese with English
			// beside it, never a Go error chain.
			page := postMultipart(t, ts.URL+"/verify", map[string][]byte{"pdf": tc.doc}, "pdf")
			require.Equal(t, http.StatusOK, page.Status)
			cards := strings.Split(string(page.Body), `<section class="card `)[1:]
			require.Len(t, cards, len(tc.want))
			// Every verdict is said at the top, before the layout findings and the
			// page pictures, so that a phone shows it without scrolling; a verdict
			// that is not TOTAL_PASSED with its first reason.
			_, summary, ok := strings.Cut(string(page.Body), `<ul class="summary"`)
			require.True(t, ok, "a summary of the verdicts")
			summary, _, _ = strings.Cut(summary, "</ul>")
			assert.Less(t, strings.Index(string(page.Body), `<ul class="summary"`), strings.Index(string(page.Body), `<section class="layout"`))
			items := strings.Split(summary, "<li")[1:]
			require.Len(t, items, len(tc.want))
			for i, li := range items {
				assert.Contains(t, li, fmt.Sprintf(`href="#chu-ky-%d"`, i+1))
				assert.Contains(t, cards[i], fmt.Sprintf(`id="chu-ky-%d"`, i+1))
				if strings.HasPrefix(tc.want[i], "TOTAL_PASSED/") {
					assert.Contains(t, li, "<strong>HỢP LỆ</strong>")
					assert.NotContains(t, li, " — ")
				} else {
					assert.Contains(t, li, " — ", "the first reason: %s", li)
					assert.Contains(t, li, "<small>", "with English beside it")
				}
			}
			for i, c := range cards {
				c, _, _ = strings.Cut(c, "<details")
				if strings.HasPrefix(tc.want[i], "TOTAL_PASSED/") {
					assert.NotContains(t, c, `class="reasons"`, "card %d", i+1)
					continue
				}
				_, reasons, ok := strings.Cut(c, `<ul class="reasons"`)
				require.True(t, ok, "card %d (%s) shows no reason:\n%s", i+1, tc.want[i], c)
				reasons, _, _ = strings.Cut(reasons, "</ul>")
				for _, li := range strings.Split(reasons, "<li")[1:] {
					vi, en, ok := strings.Cut(li, "<small>")
					assert.True(t, ok, "English beside it: %s", li)
					assert.NotEmpty(t, strings.TrimSpace(en))
					assert.Regexp(t, `[ạảãáàặẳẵắằậẩẫấầẹẻẽéèệểễếềịỉĩíìọỏõóòộổỗốồợởỡớờụủũúùựửữứừỵỷỹýỳđ]`, vi, "Vietnamese")
					// The Vietnamese says it in words; the technical detail may stay in
					// the English for whoever debugs it.
					for _, chain := range []string{"x509:", "signature:", "certstatus:", "%!", "&lt;nil&gt;"} {
						assert.NotContains(t, vi, chain, "card %d: no Go error chain", i+1)
					}
				}
			}
		})
	}
}

// TestPortalKindMatchesPolicy: the portal's verification JSON and the policy decision
// of a prepare request name the organisation certificate of the test PKI as an
// organisation's, as kyso.CertificateKind does.
func TestPortalKindMatchesPolicy(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	profile, err := policy.BuiltinProfiles().Lookup("quang-ninh")
	require.NoError(t, err)
	engine, err := policy.New(policy.Options{Profile: profile})
	require.NoError(t, err)
	ts := startPortal(t, pki, func(c *Config) { c.Policy = engine })

	in := signaturetest.SamplePDF()
	prep := prepareDoc(t, ts.URL, pki.Leader, in, map[string]string{"role": "authority", "field": "Lãnh đạo"})
	require.Equal(t, http.StatusOK, prep.Status, string(prep.Body))
	assert.Equal(t, "Lãnh đạo", prep.Field, "the field is created without a retry")
	done := completeDoc(t, ts.URL, prep.State, clientSign(t, pki.Leader, prep), in)
	require.Equal(t, http.StatusOK, done.Status, string(done.Body))
	leader := done.Body

	prep = prepareDoc(t, ts.URL, pki.Org, leader, map[string]string{"role": "clerk"})
	require.Equal(t, http.StatusOK, prep.Status, string(prep.Body))
	require.NotNil(t, prep.Policy)
	assert.Equal(t, policy.PlacementSeal, prep.Policy.Placement, "the policy took the certificate for an organisation's")
	done = completeDoc(t, ts.URL, prep.State, clientSign(t, pki.Org, prep), leader)
	require.Equal(t, http.StatusOK, done.Status, string(done.Body))

	resp, err := http.Post(ts.URL+"/api/verify", "application/pdf", bytes.NewReader(done.Body))
	require.NoError(t, err)
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	resp.Body.Close()
	v := verdictsOf(t, body.Bytes())
	require.Len(t, v, 2)
	assert.Equal(t, string(kyso.CertificateKind(pki.Leader.Cert)), v[0].Signer.Kind)
	assert.Equal(t, string(kyso.CertificateKind(pki.Org.Cert)), v[1].Signer.Kind)
	assert.Equal(t, "organisation", v[1].Signer.Kind)
}
