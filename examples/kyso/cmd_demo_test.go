package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/forms"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// demoOutputs are every file the demo writes.
var demoOutputs = []string{demoUnsignedName, demoLeaderName, demoSignedName, demoRootName,
	demoPolicyName, demoReportName, demoReportJSONName, demoReadmeName}

func TestDemoCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kyso-demo")
	code, stdout, stderr := runCLI(t, nil, "demo", "-dir", dir)
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	for _, name := range demoOutputs {
		p := filepath.Join(dir, name)
		st, err := os.Stat(p)
		require.NoError(t, err, name)
		assert.NotZero(t, st.Size(), name)
		assert.Contains(t, stdout, p)
	}
	// No temporary file is left behind.
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, len(demoOutputs))

	// The policy decisions are cited in the output: allowed, the placements, the rule
	// that lets the clerk apply the organisation's signature, and its legal basis.
	assert.Contains(t, stdout, "placement signer")
	assert.Contains(t, stdout, "placement seal")
	assert.Contains(t, stdout, policy.RuleOrgSealAfterAuthority)
	assert.Contains(t, stdout, "NĐ 30/2020/NĐ-CP Điều 32 k2 d")
	var decisions struct {
		Profile string            `json:"profile"`
		Leader  map[string]any    `json:"leader"`
		Clerk   map[string]any    `json:"clerk"`
		Other   map[string]string `json:"-"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, demoPolicyName))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &decisions))
	assert.Equal(t, demoProfileID, decisions.Profile)
	assert.Equal(t, true, decisions.Leader["allowed"])
	assert.Equal(t, string(policy.PlacementSigner), decisions.Leader["placement"])
	assert.Equal(t, true, decisions.Clerk["allowed"])
	assert.Equal(t, string(policy.PlacementSeal), decisions.Clerk["placement"])
	assert.Contains(t, string(raw), policy.RuleOrgSealAfterAuthority)

	// pdfsig: one valid signature after stage 1, two after stage 2.
	assert.Equal(t, 0, pdfsigValid(t, filepath.Join(dir, demoUnsignedName)))
	assert.Equal(t, 1, pdfsigValid(t, filepath.Join(dir, demoLeaderName)))
	assert.Equal(t, 2, pdfsigValid(t, filepath.Join(dir, demoSignedName)))

	// The verification report: both signatures TOTAL_PASSED at B-LT.
	var rep struct {
		Signatures []struct {
			Field      string `json:"field"`
			Indication string `json:"indication"`
			Level      string `json:"level"`
		} `json:"signatures"`
	}
	raw, err = os.ReadFile(filepath.Join(dir, demoReportJSONName))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &rep))
	require.Len(t, rep.Signatures, 2)
	for i, field := range []string{demoLeaderField, demoOrgField} {
		assert.Equal(t, field, rep.Signatures[i].Field)
		assert.Equal(t, string(signature.TotalPassed), rep.Signatures[i].Indication, field)
		assert.Equal(t, string(signature.LevelBLT), rep.Signatures[i].Level, field)
	}
	text, err := os.ReadFile(filepath.Join(dir, demoReportName))
	require.NoError(t, err)
	assert.Equal(t, 2, strings.Count(string(text), "TOTAL_PASSED"), "%s", text)

	readme, err := os.ReadFile(filepath.Join(dir, demoReadmeName))
	require.NoError(t, err)
	assert.Contains(t, string(readme), "pdfsig")
	assert.Contains(t, string(readme), "Văn thư")
	assert.Contains(t, string(readme), policy.RuleOrgSealAfterAuthority)
	root, err := os.ReadFile(filepath.Join(dir, demoRootName))
	require.NoError(t, err)
	assert.Contains(t, string(root), "BEGIN CERTIFICATE")

	code, _, _ = runCLI(t, nil, "demo", "extra")
	assert.Equal(t, exitUsage, code)
	code, _, stderr = runCLI(t, nil, "demo", "-help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stderr, "exit status")
}

// TestDemoLetterText checks with pdftotext that the signed letter is the Vietnamese
// letter rendered by forms, text intact, signed by the chairman.
func TestDemoLetterText(t *testing.T) {
	demoNeedTools(t, "pdftotext")
	dir := filepath.Join(t.TempDir(), "kyso-demo")
	code, _, stderr := runCLI(t, nil, "demo", "-dir", dir)
	require.Equal(t, exitOK, code, "stderr: %s", stderr)
	out, err := exec.Command("pdftotext", "-layout", filepath.Join(dir, demoSignedName), "-").Output()
	require.NoError(t, err)
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
		"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Thắng"} {
		assert.Contains(t, string(out), want)
	}
}

// TestDemoReadmeVerifyCommand runs the kyso verify commands the demo's README.txt
// tells the user to run, on the demo's output, after the test PKI has stopped: they
// must pass (exit 0) with TOTAL_PASSED for every signature.
func TestDemoReadmeVerifyCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kyso-demo")
	code, _, stderr := runCLI(t, nil, "demo", "-dir", dir)
	require.Equal(t, exitOK, code, "stderr: %s", stderr)
	readme, err := os.ReadFile(filepath.Join(dir, demoReadmeName))
	require.NoError(t, err)
	const prefix = "go run ./examples/kyso "
	var lines []string
	for _, l := range strings.Split(string(readme), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, prefix+"verify ") {
			lines = append(lines, l)
		}
	}
	require.Len(t, lines, 2, "README.txt names the kyso verify commands")
	for i, line := range lines {
		code, stdout, stderr := runCLI(t, nil, strings.Fields(strings.TrimPrefix(line, prefix))...)
		assert.Equal(t, exitOK, code, "%s\nstdout: %s\nstderr: %s", line, stdout, stderr)
		assert.Equal(t, 2-i, strings.Count(stdout, "TOTAL_PASSED"), "%s\nstdout: %s", line, stdout)
	}
}

// TestDemoSignerAppearance checks the leader's signature image: a one-page PDF whose
// visible text (pdftotext reads only what is inside the page) is exactly the three
// Vietnamese lines, with the embedded subset fonts that carry them.
func TestDemoSignerAppearance(t *testing.T) {
	demoNeedTools(t, "pdftotext", "pdffonts")
	pki, err := certstatustest.Generate(certstatustest.Options{Addr: "127.0.0.1:1", ECDSA: true})
	require.NoError(t, err)
	at := time.Date(2026, 11, 23, 9, 30, 5, 0, time.UTC)
	pdfBytes, err := demoSignerAppearance(context.Background(), signature.AppearanceRequest{
		Width: 206, Height: demoSignerHeight, Signer: pki.Leader.Cert, Time: at})
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "appearance.pdf")
	require.NoError(t, os.WriteFile(p, pdfBytes, 0o644))

	out, err := exec.Command("pdftotext", p, "-").Output()
	require.NoError(t, err)
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(strings.Trim(l, "\f")); l != "" {
			lines = append(lines, l)
		}
	}
	want := []string{"KÝ BỞI: NGUYỄN VĂN THẮNG", "CHỦ TỊCH", "Ngày ký: 23/11/2026 16:30:05"}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("appearance text (-want +got):\n%s", diff)
	}
	fonts, err := exec.Command("pdffonts", p).Output()
	require.NoError(t, err)
	assert.Contains(t, string(fonts), "LiberationSerif-Bold")
	assert.NotContains(t, string(fonts), " no ", "every font embedded, subset, with a ToUnicode map")

	_, err = demoSignerAppearance(context.Background(), signature.AppearanceRequest{Width: 206, Height: demoSignerHeight})
	assert.Error(t, err, "no signer certificate")
}

// TestDemoGeometry checks where the two signatures go relative to the box forms
// reported: the leader's inside it, the organisation's over its left third.
func TestDemoGeometry(t *testing.T) {
	box := forms.SignatureBox{Rect: [4]float64{321, 271, 527, 338}}
	signer := demoSignerRect(box)
	assert.Equal(t, box.Rect[0], signer[0])
	assert.Equal(t, box.Rect[2], signer[2])
	assert.InDelta(t, demoSignerHeight, signer[3]-signer[1], 1e-9)
	assert.True(t, signer[1] >= box.Rect[1] && signer[3] <= box.Rect[3], "inside the box: %v", signer)

	seal := demoSealRect(box)
	third := box.Rect[0] + (box.Rect[2]-box.Rect[0])/3
	assert.InDelta(t, third, seal[2], 1e-9, "the seal ends at the left third")
	assert.InDelta(t, seal[2]-seal[0], seal[3]-seal[1], 1e-9, "the seal is square")
	assert.Equal(t, box.Rect[1], seal[1])
	assert.Equal(t, box.Rect[3], seal[3])
}

// TestDemoClerkRefusedBeforeLeader checks the point of the second stage: the policy
// the demo consults refuses the organisation's signature on the letter before the
// person with authority has signed it (NĐ 30/2020 Điều 32), and nothing is written.
func TestDemoClerkRefusedBeforeLeader(t *testing.T) {
	pki, err := certstatustest.Generate(certstatustest.Options{Addr: "127.0.0.1:1", ECDSA: true})
	require.NoError(t, err)
	now := time.Now()
	letter, err := demoRenderLetter(pki.Leader.Cert.Subject.CommonName, now)
	require.NoError(t, err)
	pol, err := newDemoPolicy()
	require.NoError(t, err)
	clerk := pol.clerk(policy.StatusGood, &signature.Report{}, nil)
	var out bytes.Buffer
	_, err = kyso.Sign(context.Background(), &out, bytes.NewReader(letter.PDF), int64(len(letter.PDF)),
		kyso.NewSigner(pki.Org.Key, pki.Org.Chain...), &kyso.SignOptions{Signature: signature.SignOptions{Time: now, NewField: demoOrgField}, Policy: clerk.policy})
	require.Error(t, err)
	assert.ErrorIs(t, err, signature.ErrPolicyRefused)
	assert.ErrorIs(t, err, policy.ErrRefused)
	assert.Zero(t, out.Len(), "nothing written")
	require.NotNil(t, clerk.Decision)
	assert.False(t, clerk.Decision.Allowed)
	assert.Contains(t, clerk.Decision.RuleIDs(policy.OutcomeViolated), policy.RuleOrgSealAfterAuthority)
	assert.Contains(t, clerk.explain(err).Error(), "refused the văn thư / clerk's signature")
}

// TestDemoUnwritableDir checks that a directory that cannot be made is a failure
// (exit 1) with a message, and leaves nothing behind.
func TestDemoUnwritableDir(t *testing.T) {
	parent := t.TempDir()
	blocker := filepath.Join(parent, "not-a-dir")
	require.NoError(t, os.WriteFile(blocker, []byte("x"), 0o644))
	code, _, stderr := runCLI(t, nil, "demo", "-dir", filepath.Join(blocker, "kyso-demo"))
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr, "kyso demo:")
	entries, err := os.ReadDir(parent)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "nothing but the blocking file")
}

// TestDemoSealAppearance checks the organisation's seal image: the organisation's name
// in Vietnamese on two lines and the signing time, in a page whose aspect ratio is
// the widget's, so that the seal stays round.
func TestDemoSealAppearance(t *testing.T) {
	demoNeedTools(t, "pdftotext", "pdfinfo")
	pki, err := certstatustest.Generate(certstatustest.Options{Addr: "127.0.0.1:1", ECDSA: true})
	require.NoError(t, err)
	at := time.Date(2026, 11, 23, 9, 30, 5, 0, time.UTC)
	for _, size := range [][2]float64{{67, 67}, {80, 60}} {
		pdfBytes, err := demoSealAppearance(context.Background(), signature.AppearanceRequest{
			Width: size[0], Height: size[1], Signer: pki.Org.Cert, Time: at})
		require.NoError(t, err)
		p := filepath.Join(t.TempDir(), "seal.pdf")
		require.NoError(t, os.WriteFile(p, pdfBytes, 0o644))
		out, err := exec.Command("pdftotext", p, "-").Output()
		require.NoError(t, err)
		for _, want := range []string{"ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH", "23/11/2026 16:30"} {
			assert.Contains(t, string(out), want)
		}
		info, err := exec.Command("pdfinfo", p).Output()
		require.NoError(t, err)
		var w, h float64
		for _, l := range strings.Split(string(info), "\n") {
			if strings.HasPrefix(l, "Page size:") {
				_, err := fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(l, "Page size:")), "%g x %g", &w, &h)
				require.NoError(t, err, l)
			}
		}
		require.NotZero(t, h)
		assert.InDelta(t, size[0]/size[1], w/h, 0.01, "the seal page has the widget's aspect ratio")
	}
}

// demoNeedTools skips the test when a tool is missing, or fails it under CI.
func demoNeedTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is required under CI", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
}
