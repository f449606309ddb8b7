package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// demoOutputs are every file the demo writes (besides the pictures).
var demoOutputs = []string{demoUnsignedName, demoSignatureName, demoSealName, demoLeaderName, demoSignedName,
	demoAppendixName, demoAnnexSigned, demoScanName, demoCopyName, demoArchiveName, demoRootName,
	demoPolicyName, demoReportName, demoReportJSONName, demoReadmeName}

// demoSigned are the signed outputs with their signatures (document time-stamps
// included) and the pages pictured.
var demoSigned = []struct {
	name       string
	signatures int
	timestamps int
}{
	{demoLeaderName, 1, 0},
	{demoSignedName, 2, 0},
	{demoAnnexSigned, 1, 0},
	{demoCopyName, 1, 0},
	{demoArchiveName, 3, 1},
}

// demoShared is one run of the demo that the tests reading its outputs share (it
// starts a PKI and makes five signatures: seconds).
var demoShared struct {
	once           sync.Once
	dir            string
	code           int
	stdout, stderr string
}

// sharedDemo runs the demo once for the test binary and returns its directory.
func sharedDemo(t *testing.T) (dir, stdout string) {
	t.Helper()
	d := &demoShared
	d.once.Do(func() {
		tmp, err := os.MkdirTemp("", "kyso-demo-test-")
		require.NoError(t, err)
		d.dir = filepath.Join(tmp, "kyso-demo")
		d.code, d.stdout, d.stderr = runCLI(t, nil, "demo", "-dir", d.dir)
	})
	require.Equal(t, exitOK, d.code, "stdout: %s\nstderr: %s", d.stdout, d.stderr)
	return d.dir, d.stdout
}

func TestDemoCommand(t *testing.T) {
	dir, stdout := sharedDemo(t)
	for _, name := range demoOutputs {
		p := filepath.Join(dir, name)
		st, err := os.Stat(p)
		require.NoError(t, err, name)
		assert.NotZero(t, st.Size(), name)
		assert.Contains(t, stdout, p)
	}
	// The pictures of the signed pages (pdftoppm is installed here); no temporary file
	// is left behind.
	pictures := 0
	if _, err := exec.LookPath("pdftoppm"); err == nil {
		for _, s := range demoSigned {
			p := strings.TrimSuffix(filepath.Join(dir, s.name), ".pdf") + "-trang-1.png"
			f, err := os.Open(p)
			require.NoError(t, err, p)
			_, err = png.DecodeConfig(f)
			f.Close()
			assert.NoError(t, err, p)
			assert.Contains(t, stdout, p)
			pictures++
		}
	} else if os.Getenv("CI") != "" {
		t.Fatal("pdftoppm is required under CI")
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, len(demoOutputs)+pictures)

	// The policy decisions are cited in the output: allowed, the placements, the rule
	// that lets the clerk apply the organisation's signature, and its legal basis.
	assert.Contains(t, stdout, "placement signer")
	assert.Contains(t, stdout, "placement seal")
	assert.Contains(t, stdout, policy.RuleOrgSealAfterAuthority)
	assert.Contains(t, stdout, "NĐ 30/2020/NĐ-CP Điều 32 k2 d")
	var decisions struct {
		Profile  string            `json:"profile"`
		Leader   map[string]any    `json:"leader"`
		Clerk    map[string]any    `json:"clerk"`
		Appendix map[string]any    `json:"appendix"`
		Copy     map[string]any    `json:"copy"`
		Other    map[string]string `json:"-"`
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

	assert.Equal(t, true, decisions.Appendix["allowed"])
	assert.Equal(t, string(policy.PlacementAttachmentStamp), decisions.Appendix["placement"])
	assert.Equal(t, true, decisions.Copy["allowed"])
	assert.Equal(t, string(policy.PlacementCopyStamp), decisions.Copy["placement"])

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
	assert.NotContains(t, string(readme), "Thông tư 185/2019/TT-BQP", "the demo renders NĐ 68/2024 Mẫu số 01")
	assert.Contains(t, string(readme), "Nghị định 68/2024/NĐ-CP Mẫu số 01")
	root, err := os.ReadFile(filepath.Join(dir, demoRootName))
	require.NoError(t, err)
	assert.Contains(t, string(root), "BEGIN CERTIFICATE")

	code, _, _ := runCLI(t, nil, "demo", "extra")
	assert.Equal(t, exitUsage, code)
	code, _, stderr := runCLI(t, nil, "demo", "-help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stderr, "exit status")
	assert.Contains(t, stderr, "Nghị định 68/2024/NĐ-CP Mẫu số 01")
	assert.NotContains(t, stderr, "Thông tư 185")
}

// TestDemoEveryOutputPasses: every signed output of the demo — the leader's signature,
// the clerk's seal, the separate appendix with its attachment stamp, the electronic
// copy of the scanned page with its copy stamp, the letter at B-LTA — passes "kyso
// verify" (TOTAL_PASSED for every signature, the test root trusted, offline), pdfsig
// and "kyso layout check" (no rule of NĐ 30 broken); the stamps and images are where
// layout puts them.
func TestDemoEveryOutputPasses(t *testing.T) {
	dir, _ := sharedDemo(t)
	root := filepath.Join(dir, demoRootName)
	for _, s := range demoSigned {
		t.Run(s.name, func(t *testing.T) {
			p := filepath.Join(dir, s.name)
			code, stdout, stderr := runCLI(t, nil, "verify", "-trust", root, "-offline", p)
			assert.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
			assert.Equal(t, s.signatures, strings.Count(stdout, "TOTAL_PASSED"), stdout)
			assert.Equal(t, s.signatures-s.timestamps, pdfsigValid(t, p), "pdfsig: every signature valid")
			code, stdout, stderr = runCLI(t, nil, "layout", "check", "-seal-mm", fmt.Sprint(demoSealMM), p)
			assert.Equal(t, exitOK, code, "kyso layout check %s:\n%s%s", s.name, stdout, stderr)
			assert.Contains(t, stdout, "ĐẠT / CONFORMING")
		})
	}
	// The stamps, as the checker reads them.
	for _, tc := range []struct{ name, role, text string }{
		{demoAnnexSigned, "attachment", "Số: " + demoLetterNumber + "; "},
		{demoCopyName, "copy", "SAO Y; " + demoCopyingOrg + "; "},
	} {
		doc, err := os.ReadFile(filepath.Join(dir, tc.name))
		require.NoError(t, err)
		m, err := layout.Measure(context.Background(), bytes.NewReader(doc), int64(len(doc)), nil)
		require.NoError(t, err)
		require.Len(t, m.Signatures, 1, tc.name)
		assert.Equal(t, tc.role, m.Signatures[0].Role, tc.name)
		assert.Contains(t, m.Signatures[0].Text, tc.text, tc.name)
		assert.Regexp(t, `\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00`, m.Signatures[0].Text, tc.name)
		assert.Equal(t, 1, m.Signatures[0].Page)
	}
	// The scan the copy was made from: one image-only page of at least 200 dpi.
	doc, err := os.ReadFile(filepath.Join(dir, demoScanName))
	require.NoError(t, err)
	m, err := layout.Measure(context.Background(), bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	require.Len(t, m.Pages, 1)
	require.Len(t, m.Pages[0].Images, 1)
	assert.Empty(t, m.Pages[0].Lines, "image only")
	assert.GreaterOrEqual(t, m.Pages[0].Images[0].DPI[0], 199.5)
	assert.Equal(t, 3, m.Pages[0].Images[0].Components, "colour")
}

// TestDemoLetterText checks with pdftotext that the signed letter is the Vietnamese
// letter rendered by forms, text intact, signed by the chairman.
func TestDemoLetterText(t *testing.T) {
	demoNeedTools(t, "pdftotext")
	dir, _ := sharedDemo(t)
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
	dir, _ := sharedDemo(t)
	readme, err := os.ReadFile(filepath.Join(dir, demoReadmeName))
	require.NoError(t, err)
	const prefix = "go run ./examples/kyso "
	var lines []string
	for _, l := range strings.Split(string(readme), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, prefix+"verify ") || strings.HasPrefix(l, prefix+"layout check ") {
			lines = append(lines, l)
		}
	}
	require.Len(t, lines, 6, "README.txt names the kyso verify and layout check commands")
	want := map[string]int{}
	for _, s := range demoSigned {
		want[s.name] = s.signatures
	}
	for _, line := range lines {
		code, stdout, stderr := runCLI(t, nil, strings.Fields(strings.TrimPrefix(line, prefix))...)
		assert.Equal(t, exitOK, code, "%s\nstdout: %s\nstderr: %s", line, stdout, stderr)
		if strings.Contains(line, " verify ") {
			assert.Equal(t, want[filepath.Base(line)], strings.Count(stdout, "TOTAL_PASSED"), "%s\nstdout: %s", line, stdout)
		}
	}
}

// TestDemoSignatureBlock renders the signed letter's signature block with pdftoppm and
// measures it: the chairman's blue signature between his title and his name, the red
// seal at 36 mm over its left third; and pdftotext finds the name and the Quốc hiệu
// once each (the appearances hide no text).
func TestDemoSignatureBlock(t *testing.T) {
	demoNeedTools(t, "pdftoppm", "pdftotext")
	dir, _ := sharedDemo(t)
	signed := filepath.Join(dir, demoSignedName)
	text, err := exec.Command("pdftotext", signed, "-").Output()
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(string(text), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "no hidden second Quốc hiệu")
	assert.Equal(t, 1, strings.Count(string(text), "Nguyễn Văn Thắng"), "the signer's name once")

	const dpi = 100.0
	prefix := filepath.Join(t.TempDir(), "page")
	out, err := exec.Command("pdftoppm", "-r", "100", "-png", "-singlefile", signed, prefix).CombinedOutput()
	require.NoError(t, err, string(out))
	f, err := os.Open(prefix + ".png")
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	bbox := func(match func(r, g, b uint32) bool) (x0, y0, x1, y1 int) {
		x0, y0 = 1<<30, 1<<30
		for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
			for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
				r, g, b, _ := img.At(x, y).RGBA()
				if match(r>>8, g>>8, b>>8) {
					x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x+1), max(y1, y+1)
				}
			}
		}
		return
	}
	bx0, by0, bx1, by1 := bbox(func(r, g, b uint32) bool { return b > 110 && b > r+60 && b > g+40 })
	rx0, ry0, rx1, ry1 := bbox(func(r, g, b uint32) bool { return r > 150 && r > g+80 && r > b+80 })
	require.Greater(t, bx1, bx0, "blue signature drawn")
	require.Greater(t, rx1, rx0, "red seal drawn")
	mm := dpi / 25.4
	assert.InEpsilon(t, demoSealMM*mm, float64(rx1-rx0), 0.1, "seal at its real size")
	assert.InEpsilon(t, demoSealMM*mm, float64(ry1-ry0), 0.1, "seal at its real size")
	covered := float64(rx1-bx0) / float64(bx1-bx0)
	assert.True(t, covered >= 0.2 && covered <= 0.45, "the seal covers %.0f %% of the signature on its left", covered*100)
	// The title and name, as pdftotext sees them.
	bb, err := exec.Command("pdftotext", "-bbox", signed, "-").Output()
	require.NoError(t, err)
	find := func(word string) (y0, y1 float64) {
		m := regexp.MustCompile(`yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">`+word+`<`).FindAllStringSubmatch(string(bb), -1)
		require.NotEmpty(t, m, word)
		last := m[len(m)-1]
		a, _ := strconv.ParseFloat(last[1], 64)
		b, _ := strconv.ParseFloat(last[2], 64)
		return a * dpi / 72, b * dpi / 72
	}
	_, titleBottom := find("TỊCH")
	nameTop, _ := find("Thắng")
	assert.GreaterOrEqual(t, float64(by0), titleBottom-1, "the signature starts below the title")
	assert.LessOrEqual(t, float64(by1), nameTop+1, "the signature ends above the name")
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

// TestDemoUnwritableDir checks that an output directory that is a file, cannot be
// made or cannot be written in is a failure (exit 1) with a message, found before any
// work (no PKI started), and leaves nothing behind.
func TestDemoUnwritableDir(t *testing.T) {
	parent := t.TempDir()
	blocker := filepath.Join(parent, "not-a-dir")
	require.NoError(t, os.WriteFile(blocker, []byte("x"), 0o644))
	readOnly := filepath.Join(parent, "read-only")
	require.NoError(t, os.Mkdir(readOnly, 0o555))
	dirs := []string{filepath.Join(blocker, "kyso-demo"), blocker}
	if os.Geteuid() != 0 { // root writes anywhere
		dirs = append(dirs, readOnly)
	}
	for _, dir := range dirs {
		code, stdout, stderr := runCLI(t, nil, "demo", "-dir", dir)
		assert.Equal(t, exitFailure, code, dir)
		assert.Contains(t, stderr, "kyso demo:")
		assert.Empty(t, stdout, "nothing done before the directory was checked")
	}
	assert.Contains(t, func() string { _, _, e := runCLI(t, nil, "demo", "-dir", blocker); return e }(), "is a file")
	entries, err := os.ReadDir(parent)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "nothing but the blocking file and the read-only directory")
	entries, err = os.ReadDir(readOnly)
	require.NoError(t, err)
	assert.Empty(t, entries)
}

// TestMain removes the shared demo run's directory.
func TestMain(m *testing.M) {
	code := m.Run()
	if demoShared.dir != "" {
		os.RemoveAll(filepath.Dir(demoShared.dir))
	}
	os.Exit(code)
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
