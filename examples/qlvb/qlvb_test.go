package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// needTools skips the test when a tool is missing, or fails it under CI.
func needTools(t *testing.T, tools ...string) {
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

// runQLVB runs the program with args.
func runQLVB(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// workflowRun is one run of the whole workflow, shared by the tests that read its
// outputs (provisioning SoftHSM2 and signing take seconds).
var workflowRun struct {
	once                sync.Once
	dir                 string
	code                int
	stdout, stderr, err string
}

const testBatch = 4

func runWorkflow(t *testing.T) (dir, stdout, stderr string) {
	t.Helper()
	needTools(t, "softhsm2-util", "pkcs11-tool")
	w := &workflowRun
	w.once.Do(func() {
		d, err := os.MkdirTemp("", "qlvb-test-")
		if err != nil {
			w.err = err.Error()
			return
		}
		w.dir = filepath.Join(d, "out")
		w.code, w.stdout, w.stderr = runQLVB(t, "-dir", w.dir, "-batch", "4", "-progress", "lines")
	})
	require.Empty(t, w.err)
	require.Equal(t, 0, w.code, "stdout:\n%s\nstderr:\n%s", w.stdout, w.stderr)
	return w.dir, w.stdout, w.stderr
}

func TestMain(m *testing.M) {
	code := m.Run()
	if workflowRun.dir != "" {
		os.RemoveAll(filepath.Dir(workflowRun.dir))
	}
	os.Exit(code)
}

// TestWorkflowSteps: every step is printed with its Vietnamese name, and each wrong
// step is refused by its rule with the reason in Vietnamese.
func TestWorkflowSteps(t *testing.T) {
	_, stdout, _ := runWorkflow(t)
	for _, step := range []string{"Dự thảo văn bản", "Lãnh đạo ký số", "Văn thư ký số cơ quan (đóng dấu)", "Ban hành văn bản",
		"Các bước sai bị từ chối", "Ký số hàng loạt", "Kiểm tra văn bản đã ký"} {
		assert.Contains(t, stdout, step)
	}
	assert.Contains(t, stdout, "placement signer")
	assert.Contains(t, stdout, "placement seal")
	assert.Contains(t, stdout, "placement attachment-stamp")
	assert.Contains(t, stdout, "placement copy-stamp")

	// The four refusals, each with its rule, its Vietnamese reason and its basis.
	refused := regexp.MustCompile(`TỪ CHỐI / REFUSED \[([A-Z-]+)\] (.+)`).FindAllStringSubmatch(stdout, -1)
	var rules []string
	for _, m := range refused {
		rules = append(rules, m[1])
	}
	assert.Equal(t, []string{policy.RuleOrgSealAfterAuthority, policy.RuleClassified, policy.RuleDeviceCertificate, policy.RuleOrgSealByClerk}, rules,
		"each wrong step refused by its own rule, and by no other")
	for _, vi := range []string{"văn thư chỉ được ký số của cơ quan, tổ chức vào văn bản đã có chữ ký số của người có thẩm quyền",
		"không sử dụng chữ ký số cho văn bản mật", "Chứng thư số thiết bị, dịch vụ, phần mềm không được dùng để ký văn bản",
		"Chỉ văn thư được ký số của cơ quan, tổ chức"} {
		assert.Contains(t, stdout, vi)
	}
	assert.Contains(t, stdout, "căn cứ / basis: QĐ 41/2022/QĐ-UBND Quảng Ninh Điều 20 k5; NĐ 30/2020/NĐ-CP Điều 32 k2 d")
}

// TestWorkflowOutputs: every signed output passes kyso's verifier (TOTAL_PASSED with
// the test root, offline), pdfsig, and layout.Check with no error finding; the visible
// signatures are where NĐ 30 puts them.
func TestWorkflowOutputs(t *testing.T) {
	needTools(t, "pdfsig")
	dir, _, _ := runWorkflow(t)
	rootPEM, err := os.ReadFile(filepath.Join(dir, fileRoot))
	require.NoError(t, err)
	block, _ := pem.Decode(rootPEM)
	require.NotNil(t, block)
	root, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	roots := x509.NewCertPool()
	roots.AddCert(root)

	signedFiles := []struct {
		name  string
		sigs  int
		roles []string // the layout roles of the visible signatures, in order
	}{
		{fileLeader, 1, []string{"signer"}},
		{fileClerk, 2, []string{"signer", "seal"}},
		{fileIssued, 3, []string{"signer", "seal"}}, // and the document time-stamp
		{fileIssuedAnnex, 1, []string{"attachment"}},
		{fileCopy, 1, []string{"copy"}},
	}
	for i := range testBatch {
		signedFiles = append(signedFiles, struct {
			name  string
			sigs  int
			roles []string
		}{filepath.Join(dirBatchOut, "quyet-dinh-"+[]string{"100", "101", "102", "103"}[i]+".pdf"), 1, []string{"signer"}})
	}
	for _, f := range signedFiles {
		t.Run(f.name, func(t *testing.T) {
			p := filepath.Join(dir, f.name)
			data, err := os.ReadFile(p)
			require.NoError(t, err)
			rep, err := signature.Verify(context.Background(), bytes.NewReader(data), int64(len(data)), &signature.VerifyOptions{Roots: roots, Offline: true})
			require.NoError(t, err)
			require.Len(t, rep.Signatures, f.sigs)
			for _, s := range rep.Signatures {
				assert.Equal(t, signature.TotalPassed, s.Indication, "%s %s/%s", s.Field, s.Indication, s.SubIndication)
			}
			if f.name == fileIssued {
				assert.Equal(t, signature.LevelBLTA, rep.Signatures[0].Level)
			}

			out, _ := exec.Command("pdfsig", "-nocert", "-no-ocsp", p).CombinedOutput()
			valid := strings.Count(string(out), "Signature is Valid.")
			assert.GreaterOrEqual(t, valid, len(f.roles), "pdfsig %s:\n%s", f.name, out)
			assert.NotContains(t, string(out), "Signature is Invalid", "pdfsig %s", f.name)
			assert.NotContains(t, string(out), "Digest Mismatch", "pdfsig %s", f.name)

			lay, err := layout.Check(context.Background(), bytes.NewReader(data), int64(len(data)), &layout.CheckOptions{SealDiameterMM: sealMM})
			require.NoError(t, err)
			for _, fd := range lay.Failed() {
				assert.NotEqual(t, layout.SeverityError, fd.Severity, "%s: %s %s (%s)", f.name, fd.Rule, fd.Message, fd.Measured)
			}
			var roles []string
			for _, s := range lay.Measurement.Signatures {
				if s.Visible {
					roles = append(roles, s.Role)
				}
			}
			assert.Equal(t, f.roles, roles)
		})
	}
	// The scan the copy was made from is a digitised page of at least 200 dpi.
	scan, err := os.ReadFile(filepath.Join(dir, fileScan))
	require.NoError(t, err)
	lay, err := layout.Check(context.Background(), bytes.NewReader(scan), int64(len(scan)), nil)
	require.NoError(t, err)
	for _, f := range lay.Findings {
		if f.Rule == "scan.dpi" {
			assert.True(t, f.Passed, f.Measured)
		}
	}
}

// TestWorkflowBatch: one PIN entry for the whole run (the batch signs on the login of
// step 0), the broken document fails alone and leaves no output, the others are signed,
// progress goes to stderr as plain lines when not on a terminal.
func TestWorkflowBatch(t *testing.T) {
	dir, stdout, stderr := runWorkflow(t)
	assert.Contains(t, stdout, "PIN entries during the batch: 0; cả quy trình / whole run: 1")
	assert.Regexp(t, `quyet-dinh-hong\.pdf\s+LỖI / FAILED\s+-\s+tệp PDF hỏng, không đọc được: xuất lại tệp từ bản gốc rồi ký lại / the PDF is damaged`, stdout,
		"the summary says why in Vietnamese, not as a Go error chain")
	assert.Contains(t, stdout, "Đã ký / signed 4/5; lỗi / failed 1")
	entries, err := os.ReadDir(filepath.Join(dir, dirBatchOut))
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"quyet-dinh-100.pdf", "quyet-dinh-101.pdf", "quyet-dinh-102.pdf", "quyet-dinh-103.pdf"}, names,
		"no output (not even a temporary file) for the broken document")
	assert.Contains(t, stderr, "qlvb: ký trên thiết bị / signed on the token: 4/4\n")
	assert.Contains(t, stderr, "qlvb: [1/5] quyet-dinh-100.pdf: chuẩn bị / prepared\n")
	assert.Contains(t, stderr, "qlvb: [4/5] quyet-dinh-103.pdf: hoàn tất / written\n")
	// The broken document, by its number in the folder (the summary's STT), in one
	// line that says what to do, Vietnamese then English, not a Go error chain.
	assert.Contains(t, stderr, "qlvb: [5/5] quyet-dinh-hong.pdf: lỗi: tệp PDF hỏng, không đọc được: xuất lại tệp từ bản gốc rồi ký lại / "+
		"failed: the PDF is damaged and cannot be read: export it again from the original and sign it again\n")
	assert.NotContains(t, stderr, "malformed", "no Go error chain without -v")
	assert.Regexp(t, `(?m)^  5\s+quyet-dinh-hong\.pdf\s+LỖI / FAILED`, stdout, "the same number in the summary")
	assert.NotContains(t, stderr, "\r", "no bar when stderr is not a terminal")
}

// TestUsage: -help, bad flags, and an output directory that is a file (refused before
// any work: no PKI, no token).
func TestUsage(t *testing.T) {
	code, _, stderr := runQLVB(t, "-help")
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr, "Ký số hàng loạt")
	assert.Contains(t, stderr, "exit status")
	for _, args := range [][]string{{"extra"}, {"-batch", "0"}, {"-token", "x"}, {"-module", "/x.so"}, {"-progress", "fancy"}, {"-nope"}} {
		code, _, stderr := runQLVB(t, args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
		assert.NotContains(t, stderr, "Ký số hàng loạt", "%v: a usage error is one line, not the whole usage", args)
		assert.True(t, strings.HasSuffix(stderr, "qlvb: see -help\n"), "%v: %s", args, stderr)
	}
	_, _, stderr = runQLVB(t, "-nope")
	assert.Equal(t, "qlvb: flag provided but not defined: -nope\nqlvb: see -help\n", stderr)
	file := filepath.Join(t.TempDir(), "not-a-dir")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o600))
	code, stdout, stderr := runQLVB(t, "-dir", file)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "là một tệp / the output directory")
	assert.Empty(t, stdout, "nothing done")
	code, stdout, _ = runQLVB(t, "-dir", filepath.Join(file, "sub"))
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout, "nothing done")
}

// TestProgress: a bar redrawn in place in bar mode, one line per event otherwise; a
// document is named by its number in the batch whatever the order events come in, a
// failure is always said on its own line in Vietnamese then English, never as a Go
// error chain, which -v adds on the next line.
func TestProgress(t *testing.T) {
	broken := fmt.Errorf("đặt chữ ký / placing the signature: %w", &layout.DocumentError{Err: errors.New("pdf: malformed file: no document catalog")})
	events := []kyso.BatchProgress{
		{Stage: kyso.BatchPrepared, Done: 1, Total: 2, Document: "/x/b.pdf"},
		{Stage: kyso.BatchFailed, Done: 1, Total: 2, Document: "/x/a.pdf", Err: broken},
		{Stage: kyso.BatchSigned, Done: 1, Total: 1},
		{Stage: kyso.BatchCompleted, Done: 1, Total: 2, Document: "/x/b.pdf"},
	}
	inputs := []string{"/x/a.pdf", "/x/b.pdf"}
	const failure = "[1/2] a.pdf: lỗi: tệp PDF hỏng, không đọc được: xuất lại tệp từ bản gốc rồi ký lại / " +
		"failed: the PDF is damaged and cannot be read: export it again from the original and sign it again"
	const detail = "    chi tiết / detail: đặt chữ ký / placing the signature: layout: pdf: malformed file: no document catalog"
	run := func(mode progressMode, verbose bool) string {
		var b bytes.Buffer
		p := newProgress(&b, mode, inputs, verbose) // a buffer is no terminal
		for _, ev := range events {
			p.update(ev)
		}
		p.done()
		return b.String()
	}

	assert.Equal(t, "qlvb: [2/2] b.pdf: chuẩn bị / prepared\n"+
		"qlvb: "+failure+"\n"+
		"qlvb: ký trên thiết bị / signed on the token: 1/1\n"+
		"qlvb: [2/2] b.pdf: hoàn tất / written\n", run(progressAuto, false))
	assert.Equal(t, "qlvb: [2/2] b.pdf: chuẩn bị / prepared\n"+
		"qlvb: "+failure+"\n"+
		"qlvb:"+detail+"\n"+
		"qlvb: ký trên thiết bị / signed on the token: 1/1\n"+
		"qlvb: [2/2] b.pdf: hoàn tất / written\n", run(progressLines, true))

	bar := run(progressBar, false)
	assert.Equal(t, 4, strings.Count(bar, "\r["), bar)
	// The bar is the whole batch (3 steps a document): b.pdf prepared is 1/6, a.pdf
	// failing before preparation adds its 3, b.pdf signed and written end it.
	assert.Contains(t, bar, "\r[#####.........................] [2/2] b.pdf: chuẩn bị / prepared")
	assert.Contains(t, bar, "\r[####################..........] [1/2] a.pdf: lỗi / failed")
	assert.Contains(t, bar, "\r[#########################.....] ký trên thiết bị / signed on the token: 1/1")
	assert.Contains(t, bar, "\r[##############################] [2/2] b.pdf: hoàn tất / written")
	assert.True(t, strings.HasSuffix(bar, "\n"), "done ends the bar's line")
	prev := -1
	for _, frame := range strings.Split(bar, "\r[")[1:] {
		n := strings.Count(frame[:30], "#")
		assert.GreaterOrEqual(t, n, prev, "the bar never goes back")
		prev = n
	}
	assert.Contains(t, bar, "\n  "+failure+"\n")
	assert.NotContains(t, bar, "malformed", "no Go error chain without -v")
	assert.Contains(t, run(progressBar, true), "\n  "+failure+"\n"+detail+"\n")
	// A shorter label blanks what the longer one before it left.
	frames := strings.Split(bar, "\r[")
	assert.Equal(t, len([]rune(frames[3]))-len([]rune(strings.TrimSuffix(frames[4], "\n"))), 0,
		"the written frame covers the signed one: %q %q", frames[3], frames[4])
}

// TestFailureReason: the reason for a failed document is Vietnamese then English, and
// says what to do, for what a clerk meets: a damaged file, a missing signer block, a
// policy refusal with its reasons; anything else keeps its error when short.
func TestFailureReason(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("đặt chữ ký / placing the signature: %w", err) }
	assert.Equal(t, "tệp PDF hỏng, không đọc được: xuất lại tệp từ bản gốc rồi ký lại / the PDF is damaged and cannot be read: export it again from the original and sign it again",
		failureReason(wrap(&layout.DocumentError{Err: errors.New("pdf: malformed file")})))
	assert.Contains(t, failureReason(wrap(layout.ErrAnchorNotFound)), "không tìm thấy chức vụ và họ tên người ký")
	refusal := &policy.RefusalError{Decision: policy.Decision{Reasons: []policy.Reason{{Rule: policy.RuleClassified,
		Outcome: policy.OutcomeViolated, MessageVI: "Không sử dụng chữ ký số cho văn bản mật.", MessageEN: "No digital signature on classified documents."}}}}
	assert.Equal(t, "chính sách không cho ký: Không sử dụng chữ ký số cho văn bản mật; văn bản này không ký trong lô / "+
		"refused by the signing policy: No digital signature on classified documents; this document is not signed in the batch", failureReason(refusal))
	assert.Equal(t, "không ký được văn bản này (lỗi khác; -v cho biết chi tiết) / this document could not be signed (another error; -v shows the detail): something else",
		failureReason(errors.New("something else")))
	long := errors.New(strings.Repeat("a long chain: ", 10))
	assert.NotContains(t, failureReason(long), "a long chain", "a long error is left to -v")
	_, known := explainFailure(long)
	assert.False(t, known)
	r, known := explainFailure(fmt.Errorf("x: %w", context.Canceled))
	assert.True(t, known)
	assert.Equal(t, "đã dừng theo yêu cầu, văn bản chưa được ký: chạy lại lô để ký / interrupted before this document was signed: run the batch again to sign it", r.String())
}

// TestKeepToken: (with -v) -keep-token leaves the provisioned token in DIR/token with its user
// PIN beside it (owner-only), so that the command it prints logs in: checked with
// pkcs11-tool, independently of kyso. The program runs in a process of its own, as
// SoftHSM2 reads its configuration once per process.
func TestKeepToken(t *testing.T) {
	needTools(t, "softhsm2-util", "pkcs11-tool")
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "qlvb")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	dir := filepath.Join(tmp, "out")
	cmd := exec.Command(bin, "-dir", dir, "-batch", "1", "-keep-token", "-progress", "lines", "-v")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "stdout:\n%s\nstderr:\n%s", &stdout, &stderr)
	// -v: the broken document's error in full after its line and below the summary.
	assert.Regexp(t, `qlvb: \[2/2\] quyet-dinh-hong\.pdf: lỗi: tệp PDF hỏng.*\nqlvb:    chi tiết / detail: .*malformed`, stderr.String())
	assert.Regexp(t, `  2\. quyet-dinh-hong\.pdf chi tiết / detail: .*malformed`, stdout.String())
	pinFile := filepath.Join(dir, "token", "pin.txt")
	assert.Contains(t, stdout.String(), "PIN in "+pinFile)
	st, err := os.Stat(pinFile)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	pin, err := os.ReadFile(pinFile)
	require.NoError(t, err)
	require.Regexp(t, `^\d{8}\n$`, string(pin))
	module := regexp.MustCompile(`token list -module (\S+) -pin-env KYSO_PIN`).FindStringSubmatch(stdout.String())
	require.Len(t, module, 2, "the command to inspect the token: %s", &stdout)
	list := exec.Command("pkcs11-tool", "--module", module[1], "--token-label", "KYSO-QLVB", "--login",
		"--pin", strings.TrimSpace(string(pin)), "--list-objects", "--type", "privkey")
	list.Env = append(os.Environ(), "SOFTHSM2_CONF="+filepath.Join(dir, "token", "softhsm2.conf"))
	out, err = list.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "lanh-dao", "the leader's private key, after logging in with the PIN")
}
