package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCLIWith runs kyso with stdin and the environment env.
func runCLIWith(t *testing.T, env map[string]string, stdin io.Reader, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	c := &cli{stdin: stdin, stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }}
	code := run(context.Background(), c, args)
	return code, stdout.String(), stderr.String()
}

// Every command and subcommand a user can ask -help of.
var helpCommands = [][]string{
	{"demo"}, {"sign"}, {"verify"}, {"extend"}, {"version"},
	{"token", "list"}, {"pki", "init"}, {"pki", "serve"},
	{"forms", "list"}, {"forms", "show"}, {"forms", "schema"}, {"forms", "validate"},
	{"forms", "render"}, {"forms", "template"}, {"forms", "deadline"},
	{"policy", "check"}, {"policy", "sequence"}, {"policy", "rules"}, {"policy", "profiles"}, {"policy", "deadlines"},
	{"layout", "check"}, {"layout", "anchors"},
}

// -help (and -h) of every command and subcommand prints the full usage with the flags
// and the exit statuses, and exits 0.
func TestHelpListsFlagsAndExitCodes(t *testing.T) {
	for _, cmd := range helpCommands {
		for _, h := range []string{"-help", "-h"} {
			t.Run(strings.Join(cmd, " ")+" "+h, func(t *testing.T) {
				code, stdout, stderr := runCLI(t, nil, append(append([]string{}, cmd...), h)...)
				assert.Equal(t, exitOK, code)
				assert.Empty(t, stdout)
				assert.Contains(t, stderr, "usage: kyso "+cmd[0])
				assert.Contains(t, stderr, "exit status")
				if name := strings.Join(cmd, " "); name != "version" && name != "layout anchors" { // these two have no flags
					assert.Equal(t, 1, strings.Count(strings.ToLower(stderr), "\nflags:\n"), stderr)
				}
			})
		}
	}
	// The commands themselves, including any added later, and the subcommand groups.
	for name := range commands() {
		code, _, stderr := runCLI(t, nil, name, "-help")
		assert.Equal(t, exitOK, code, name)
		assert.Contains(t, stderr, "exit status", name)
	}
	code, _, stderr := runCLI(t, nil, "-help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stderr, "exit status")
}

// A usage error is one line that says what is wrong and points at -help, never the
// whole usage.
func TestUsageErrorIsOneLine(t *testing.T) {
	tests := []struct {
		args []string
		msg  string
	}{
		{nil, "kyso: a command is required: demo,"},
		{[]string{"sing"}, `kyso: unknown command "sing"`},
		{[]string{"sign"}, "kyso sign: -in and -out are required"},
		{[]string{"sign", "-in", "a.pdf", "-out", "b.pdf"}, "kyso sign: a key is required"},
		{[]string{"sign", "-bogus"}, "kyso sign: flag provided but not defined: -bogus (kyso sign -help lists the flags)"},
		{[]string{"sign", "-in", "a.pdf", "-out", "b.pdf", "-key", "k.pem", "-json", "-out", "-"}, "-json and -out - both write to standard output"},
		{[]string{"verify"}, "kyso verify: the PDF to verify is required"},
		{[]string{"verify", "-lang", "fr", "x.pdf"}, `kyso verify: -lang "fr": want vi or en`},
		{[]string{"verify", "a.pdf", "b.pdf"}, `one PDF at a time; unexpected argument "b.pdf"`},
		{[]string{"extend", "-in", "a.pdf"}, "kyso extend: -in and -out are required; -tsa URL is required"},
		{[]string{"extend", "-in", "a.pdf", "-out", "b.pdf", "-lt", "-hash", "md5"}, `kyso extend: -hash "md5"`},
		{[]string{"extend", "-in", "a.pdf", "-out", "-", "-lt", "-json"}, "-json and -out - both write"},
		{[]string{"token"}, "kyso token: a subcommand is required: list"},
		{[]string{"token", "show"}, `kyso token: unknown subcommand "show"`},
		{[]string{"token", "list", "-nope"}, "kyso token list: flag provided but not defined: -nope"},
		{[]string{"pki"}, "kyso pki: a subcommand is required: init, serve"},
		{[]string{"pki", "init"}, "kyso pki init: -dir and -pass-env are required"},
		{[]string{"forms"}, "kyso forms: a subcommand is required"},
		{[]string{"forms", "schema"}, "kyso forms schema: -form is required"},
		{[]string{"forms", "render", "-colour"}, "kyso forms render: flag provided but not defined: -colour"},
		{[]string{"policy"}, "kyso policy: a subcommand is required"},
		{[]string{"policy", "deadlines"}, "kyso policy deadlines: -period is required"},
		{[]string{"policy", "check", "req.json"}, `kyso policy check: unexpected argument "req.json"`},
		{[]string{"demo", "extra"}, `kyso demo: unexpected argument "extra"`},
		{[]string{"layout"}, "kyso layout: a subcommand is required: check, anchors"},
		{[]string{"layout", "check"}, "kyso layout check: one PDF is required"},
		{[]string{"layout", "anchors", "-x", "a.pdf"}, "kyso layout anchors: flag provided but not defined: -x"},
		{[]string{"version", "-x"}, "kyso version: flag provided but not defined: -x"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, nil, tc.args...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.msg)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line:\n%s", stderr)
			assert.Contains(t, stderr, " -help ")
			assert.NotContains(t, stderr, "exit status")
		})
	}
}

// A key or a PDF without its password says that no password was given and how to give
// it; a refused one names the variable it came from.
func TestPasswordMessages(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	f := newSignCmdFixture(t, key)
	enc := filepath.Join(f.dir, "enc.pdf")
	require.NoError(t, os.WriteFile(enc, pdftest.Encrypted(t, pdftest.Classic(), pdftest.AES256, "mật khẩu"), 0o600))
	env := map[string]string{"P12_PASS": "mật khẩu p12", "EMPTY": "", "BAD": "sai", "PDF_PASS": "mật khẩu"}
	out := filepath.Join(f.dir, "out.pdf")
	tests := []struct {
		name string
		args []string
		msgs []string
	}{
		{"no -p12-pass-env", []string{"-in", f.in, "-p12", f.p12},
			[]string{"chưa có mật khẩu cho tệp PKCS#12", "no password was given for the PKCS#12 file", "-p12-pass-env VAR"}},
		{"empty variable", []string{"-in", f.in, "-p12", f.p12, "-p12-pass-env", "EMPTY"},
			[]string{"EMPTY", "is empty or not set, so no password was given", "export EMPTY"}},
		{"unset variable", []string{"-in", f.in, "-p12", f.p12, "-p12-pass-env", "NOPE"},
			[]string{"NOPE", "no password was given"}},
		{"wrong p12 password", []string{"-in", f.in, "-p12", f.p12, "-p12-pass-env", "BAD"},
			[]string{"mật khẩu trong $BAD", "the password in $BAD (named by -p12-pass-env) does not open the PKCS#12 file"}},
		{"encrypted PDF without -in-pass-env", []string{"-in", enc, "-key", f.keyPEM, "-cert", f.certPEM},
			[]string{"no password was given for the input PDF", "-in-pass-env VAR"}},
		{"encrypted PDF, empty variable", []string{"-in", enc, "-key", f.keyPEM, "-cert", f.certPEM, "-in-pass-env", "EMPTY"},
			[]string{"environment variable EMPTY (named by -in-pass-env) is empty or not set"}},
		{"encrypted PDF, wrong password", []string{"-in", enc, "-key", f.keyPEM, "-cert", f.certPEM, "-in-pass-env", "BAD"},
			[]string{"the password in $BAD (named by -in-pass-env) does not open the input PDF"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, env, append([]string{"sign", "-out", out}, tc.args...)...)
			assert.Equal(t, exitFailure, code)
			assert.Empty(t, stdout)
			for _, m := range tc.msgs {
				assert.Contains(t, stderr, m)
			}
			assert.NoFileExists(t, out)
		})
	}
	// The former name of -in-pass-env still works, with a notice.
	code, _, stderr := runCLI(t, env, "sign", "-in", enc, "-out", out, "-key", f.keyPEM, "-cert", f.certPEM, "-password-env", "PDF_PASS")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "-password-env is deprecated, use -in-pass-env")
}

// fakeTerminal is a reader or writer that says it is a character device, like a
// terminal.
type fakeTerminal struct {
	io.Reader
	mu  sync.Mutex
	out bytes.Buffer
}

func (f *fakeTerminal) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.out.Write(p)
}

func (f *fakeTerminal) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.out.String()
}

func (f *fakeTerminal) Stat() (os.FileInfo, error) { return charDevice{}, nil }

type charDevice struct{}

func (charDevice) Name() string       { return "tty" }
func (charDevice) Size() int64        { return 0 }
func (charDevice) Mode() fs.FileMode  { return fs.ModeDevice | fs.ModeCharDevice | 0o620 }
func (charDevice) ModTime() time.Time { return time.Time{} }
func (charDevice) IsDir() bool        { return false }
func (charDevice) Sys() any           { return nil }

// kyso policy check at a terminal says what it waits for; with piped input it does not.
func TestPolicyCheckSaysWhatItWaitsFor(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stdin io.Reader
		want  bool
	}{
		{"terminal", &fakeTerminal{Reader: strings.NewReader("")}, true},
		{"pipe", strings.NewReader(""), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLIWith(t, nil, tc.stdin, "policy", "check")
			assert.Equal(t, exitFailure, code, "no request was given")
			hint := "waiting for a JSON request (ready ones: kyso policy check -example list) on standard input, end it with Ctrl-D"
			assert.Equal(t, tc.want, strings.Contains(stderr, hint), stderr)
			assert.Equal(t, tc.want, strings.Contains(stderr, "đang chờ yêu cầu JSON"), stderr)
			code, _, stderr = runCLIWith(t, nil, tc.stdin, "policy", "sequence")
			assert.Equal(t, exitFailure, code)
			assert.Equal(t, tc.want, strings.Contains(stderr, "or use -pdf FILE"), stderr)
		})
	}
}

// Failures of sign and extend are explained in Vietnamese with English beside, with
// the library's error below for detail.
func TestSignExtendErrorsAreBilingual(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	f := newSignCmdFixture(t, key)
	out := filepath.Join(f.dir, "out.pdf")
	text := filepath.Join(f.dir, "text.pdf")
	require.NoError(t, os.WriteFile(text, []byte("không phải PDF"), 0o600))
	signed := filepath.Join(f.dir, "signed.pdf")
	code, _, stderr := runCLI(t, nil, "sign", "-in", f.in, "-out", signed, "-key", f.keyPEM, "-cert", f.certPEM, "-field", pdftest.SignatureFieldName)
	require.Equal(t, exitOK, code, stderr)
	certify := filepath.Join(f.dir, "certified.pdf")
	code, _, stderr = runCLI(t, nil, "sign", "-in", f.in, "-out", certify, "-key", f.keyPEM, "-cert", f.certPEM, "-certify", "1")
	require.Equal(t, exitOK, code, stderr)
	unsigned := filepath.Join(f.dir, "unsigned.pdf")
	require.NoError(t, os.WriteFile(unsigned, pdftest.Classic(), 0o600))
	key2 := []string{"-key", f.keyPEM, "-cert", f.certPEM}
	tests := []struct {
		name   string
		args   []string
		vi, en string
	}{
		{"missing input", append([]string{"sign", "-in", filepath.Join(f.dir, "nope.pdf"), "-out", out}, key2...), "không tìm thấy tệp", "file not found"},
		{"not a PDF", append([]string{"sign", "-in", text, "-out", out}, key2...), "không đọc được tệp PDF", "not a readable PDF"},
		{"no such field", append([]string{"sign", "-in", f.in, "-out", out, "-field", "Không có"}, key2...), "không có ô chữ ký tên này", "-new-field NAME to create one"},
		{"field already signed", append([]string{"sign", "-in", signed, "-out", out, "-field", pdftest.SignatureFieldName}, key2...), "ô chữ ký này đã được ký", "already signed"},
		{"no such page", append([]string{"sign", "-in", f.in, "-out", out, "-page", "9", "-rect", "1,1,5,5"}, key2...), "không có trang này", "no such page"},
		{"certified, no changes", append([]string{"sign", "-in", certify, "-out", out}, key2...), "DocMDP P=1", "cannot be signed again"},
		{"certify twice", append([]string{"sign", "-in", signed, "-out", out, "-certify", "2"}, key2...), "chỉ chữ ký đầu tiên", "drop -certify"},
		{"output is a directory", append([]string{"sign", "-in", f.in, "-out", t.TempDir()}, key2...), "không phải tệp thông thường", "not a regular file"},
		{"key file is no key", []string{"sign", "-in", f.in, "-out", out, "-p12", f.in, "-p12-pass-env", "X"}, "tệp khóa không đọc được", "not a valid PKCS#12"},
		{"cert of another key", []string{"sign", "-in", f.in, "-out", out, "-key", f.keyPEM, "-cert", otherCertPEM(t)}, "chứng thư số", "certificate"},
		{"extend unsigned", []string{"extend", "-in", unsigned, "-out", out, "-lt"}, "chưa có chữ ký số nào", "no signature yet"},
		{"extend not a PDF", []string{"extend", "-in", text, "-out", out, "-lt"}, "không đọc được tệp PDF", "not a readable PDF"},
		{"extend missing input", []string{"extend", "-in", filepath.Join(f.dir, "nope.pdf"), "-out", out, "-lt"}, "không tìm thấy tệp", "file not found"},
		{"extend without revocation data", []string{"extend", "-in", signed, "-out", out, "-lt"}, "không lấy được dữ liệu thu hồi", "-continue-without-revocation"},
		{"extend, TSA down", []string{"extend", "-in", signed, "-out", out, "-tsa", "http://127.0.0.1:1/tsa", "-continue-without-revocation"}, "dấu thời gian", "check -tsa URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, map[string]string{"X": "x"}, tc.args...)
			assert.Equal(t, exitFailure, code, stderr)
			assert.Empty(t, stdout)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			require.NotEmpty(t, lines)
			first := lines[0]
			assert.Contains(t, first, tc.vi)
			assert.Contains(t, first, " / ")
			assert.Contains(t, first, tc.en)
			assert.Contains(t, stderr, "chi tiết / detail: ", "the library's error follows")
			assert.NoFileExists(t, out)
		})
	}
}

// otherCertPEM writes a certificate for a key nobody uses.
func otherCertPEM(t *testing.T) string {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return newSignCmdFixture(t, key).certPEM
}

// kyso sign -json and kyso extend -json print one JSON object on stdout and nothing
// else.
func TestSignExtendJSON(t *testing.T) {
	pki, signedPath, rootPath, _ := verifyFixture(t)
	dir := t.TempDir()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	f := newSignCmdFixture(t, key)
	out := filepath.Join(dir, "out.pdf")
	code, stdout, stderr := runCLI(t, map[string]string{"P12_PASS": "mật khẩu p12"}, "sign", "-json", "-in", f.in, "-out", out,
		"-p12", f.p12, "-p12-pass-env", "P12_PASS", "-field", pdftest.SignatureFieldName, "-progress")
	require.Equal(t, exitOK, code, stderr)
	var sj map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &sj), stdout)
	st, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, f.in, sj["input"])
	assert.Equal(t, out, sj["output"])
	assert.EqualValues(t, st.Size(), sj["size"])
	assert.Equal(t, pdftest.SignatureFieldName, sj["field"])
	assert.Equal(t, "Trần Thị Bình", sj["signer"])
	assert.Equal(t, "B-B", sj["level"])
	assert.Equal(t, "ECDSA", sj["algorithm"])
	assert.Equal(t, "SHA-256", sj["hash"])
	assert.Equal(t, []any{}, sj["warnings"])

	lta := filepath.Join(dir, "lta.pdf")
	code, stdout, stderr = runCLI(t, nil, "extend", "-json", "-in", signedPath, "-out", lta, "-tsa", pki.TSAURL, "-trust", rootPath)
	require.Equal(t, exitOK, code, stderr)
	var ej map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &ej), stdout)
	st, err = os.Stat(lta)
	require.NoError(t, err)
	assert.Equal(t, "B-LTA", ej["level"])
	assert.Equal(t, lta, ej["output"])
	assert.EqualValues(t, st.Size(), ej["size"])
	assert.Greater(t, ej["certificates"], 0.0)
	assert.Greater(t, ej["ocspResponses"].(float64)+ej["crls"].(float64), 0.0)
	assert.NotEmpty(t, ej["timestampTime"])
	assert.NotEmpty(t, ej["tsa"])
	assert.Equal(t, []any{}, ej["missing"])

	// A signature at B-T reports the level reached and its time-stamp.
	bt := filepath.Join(dir, "bt.pdf")
	code, stdout, stderr = runCLI(t, map[string]string{"P12_PASS": "mật khẩu p12"}, "sign", "-json", "-in", f.in, "-out", bt,
		"-p12", f.p12, "-p12-pass-env", "P12_PASS", "-level", "B-T", "-tsa", pki.TSAURL, "-trust", rootPath)
	require.Equal(t, exitOK, code, stderr)
	require.NoError(t, json.Unmarshal([]byte(stdout), &sj), stdout)
	assert.Equal(t, "B-T", sj["level"])
	assert.NotEmpty(t, sj["timestampTime"])
	assert.NotEmpty(t, sj["tsa"])
}

// "-" reads the document from standard input and writes it to standard output:
// sign, extend and verify in a pipe.
func TestStdinStdout(t *testing.T) {
	pki, _, rootPath, leaderSigned := verifyFixture(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	f := newSignCmdFixture(t, key)
	in, err := os.ReadFile(f.in)
	require.NoError(t, err)

	code, signed, stderr := runCLIWith(t, nil, bytes.NewReader(in), "sign", "-in", "-", "-out", "-", "-key", f.keyPEM, "-cert", f.certPEM)
	require.Equal(t, exitOK, code, stderr)
	assert.True(t, bytes.HasPrefix([]byte(signed), in), "an incremental update of the input")
	assert.Contains(t, stderr, "signed - -> standard output", "the summary goes to stderr")
	p := filepath.Join(t.TempDir(), "signed.pdf")
	require.NoError(t, os.WriteFile(p, []byte(signed), 0o600))
	assert.Equal(t, 1, pdfsigValid(t, p))

	// The test PKI's signature, extended through a pipe, verifies from a pipe.
	code, lta, stderr := runCLIWith(t, nil, bytes.NewReader(leaderSigned), "extend", "-in", "-", "-out", "-", "-tsa", pki.TSAURL, "-trust", rootPath)
	require.Equal(t, exitOK, code, stderr)
	assert.True(t, bytes.HasPrefix([]byte(lta), leaderSigned))
	assert.Contains(t, stderr, "standard output: B-LTA")
	code, report, stderr := runCLIWith(t, nil, strings.NewReader(lta), "verify", "-offline", "-trust", rootPath, "-json", "-")
	require.Equal(t, verifyPassed, code, "%s\n%s", report, stderr)
	assert.Contains(t, report, `"B-LTA"`)

	// A PDF is neither read from a terminal nor written to one.
	code, _, stderr = runCLIWith(t, nil, &fakeTerminal{Reader: strings.NewReader("")}, "sign", "-in", "-", "-out", p+".2", "-key", f.keyPEM, "-cert", f.certPEM)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr, "standard input is a terminal: pipe the PDF in with < FILE.pdf")
	var term fakeTerminal
	c := &cli{stdin: bytes.NewReader(in), stdout: &term, stderr: io.Discard, getenv: func(string) string { return "" }}
	assert.Equal(t, exitFailure, run(context.Background(), c, []string{"sign", "-in", "-", "-out", "-", "-key", f.keyPEM, "-cert", f.certPEM}))
	assert.Empty(t, term.String(), "no PDF on a terminal")

	// A failure writes nothing to standard output.
	code, stdout, _ := runCLIWith(t, nil, strings.NewReader("không phải PDF"), "sign", "-in", "-", "-out", "-", "-key", f.keyPEM, "-cert", f.certPEM)
	assert.Equal(t, exitFailure, code)
	assert.Empty(t, stdout)
	code, _, _ = runCLIWith(t, nil, strings.NewReader("không phải PDF"), "verify", "-")
	assert.Equal(t, verifyUnreadable, code)
}

// extend opens an encrypted PDF with -in-pass-env, as sign and verify do.
func TestExtendEncrypted(t *testing.T) {
	pki, _, rootPath, _ := verifyFixture(t)
	enc := pdftest.Encrypted(t, pdftest.Classic(), pdftest.AES256, "mật khẩu")
	var buf bytes.Buffer
	_, err := signature.Sign(context.Background(), &buf, bytes.NewReader(enc), int64(len(enc)), pki.Leader.Key, pki.Leader.Chain[:2],
		&signature.SignOptions{Password: []byte("mật khẩu")})
	require.NoError(t, err)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "enc-signed.pdf"), filepath.Join(dir, "enc-lta.pdf")
	require.NoError(t, os.WriteFile(in, buf.Bytes(), 0o600))
	env := map[string]string{"PDF_PASS": "mật khẩu"}

	code, _, stderr := runCLI(t, env, "extend", "-in", in, "-out", out, "-tsa", pki.TSAURL, "-trust", rootPath)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr, "no password was given for the input PDF")
	assert.NoFileExists(t, out)

	code, stdout, stderr := runCLI(t, env, "extend", "-in", in, "-out", out, "-tsa", pki.TSAURL, "-trust", rootPath, "-in-pass-env", "PDF_PASS")
	require.Equal(t, exitOK, code, "%s\n%s", stdout, stderr)
	code, stdout, stderr = runCLI(t, env, "verify", "-offline", "-trust", rootPath, "-in-pass-env", "PDF_PASS", out)
	assert.Equal(t, verifyPassed, code, "%s\n%s", stdout, stderr)
	// verify's former flag name still works.
	code, _, stderr = runCLI(t, env, "verify", "-offline", "-trust", rootPath, "-password-env", "PDF_PASS", out)
	assert.Equal(t, verifyPassed, code, stderr)
	assert.Contains(t, stderr, "deprecated")
}

// lockedBuffer is a writer tests read while a goroutine writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Progress shows on stderr only at a terminal or with -progress, and a terminal's line
// is erased at the end.
func TestProgress(t *testing.T) {
	after, every := progressAfter, progressEvery
	t.Cleanup(func() { progressAfter, progressEvery = after, every })
	progressAfter, progressEvery = time.Millisecond, time.Millisecond

	plain := &lockedBuffer{}
	p := startProgress(&cli{stderr: plain}, false, "kyso sign: đang ký / signing")
	p.end()
	assert.Empty(t, plain.String(), "not a terminal, no -progress")

	p = startProgress(&cli{stderr: plain}, true, "kyso sign: đang ký / signing")
	require.Eventually(t, func() bool { return strings.Count(plain.String(), "\n") >= 2 }, 10*time.Second, time.Millisecond)
	p.end()
	assert.True(t, strings.HasPrefix(plain.String(), "kyso sign: đang ký / signing… "), plain.String())
	assert.NotContains(t, plain.String(), "\r")

	term := &fakeTerminal{}
	p = startProgress(&cli{stderr: term}, false, "kyso extend: đang gia hạn / extending")
	require.Eventually(t, func() bool { return strings.Contains(term.String(), "extending…") }, 10*time.Second, time.Millisecond)
	p.end()
	assert.True(t, strings.HasPrefix(term.String(), "\rkyso extend: đang gia hạn / extending… "))
	assert.True(t, strings.HasSuffix(term.String(), "\r\033[K"), "the line is erased: %q", term.String())
}

// kyso token list -json: the tokens, their certificates and, logged in, their keys.
func TestTokenListJSON(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	f := newTokenFixture(t, "Văn thư", "1234", map[string]crypto.Signer{"EC": ec})
	list := func(env map[string]string, args ...string) (int, tokenListJSONOut, string) {
		code, stdout, stderr := tokenCLI(env, append([]string{"token", "list", "-json", "-module", tokenTestModule}, args...)...)
		var out tokenListJSONOut
		require.NoError(t, json.Unmarshal([]byte(stdout), &out), "stdout: %s\nstderr: %s", stdout, stderr)
		return code, out, stderr
	}
	code, out, stderr := list(nil)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out.Module, "libsofthsm2.so", "the module resolved")
	require.Len(t, out.Tokens, 1)
	tok := out.Tokens[0]
	assert.Equal(t, "Văn thư", tok.Label)
	assert.Equal(t, "ok", tok.PIN)
	assert.Contains(t, tok.Flags, "login-required")
	var subjects []string
	for _, c := range tok.Certificates {
		subjects = append(subjects, c.Subject)
	}
	assert.Contains(t, subjects, "CN=Lê Văn EC,O=UBND tỉnh Hà Tĩnh,C=VN")
	assert.Empty(t, tok.Keys, "no keys without a login")
	assert.NotEmpty(t, out.Slots, "the free slot SoftHSM2 offers")

	code, out, stderr = list(map[string]string{"PIN": "1234"}, "-token", "Văn thư", "-pin-env", "PIN")
	require.Equal(t, exitOK, code, stderr)
	require.Len(t, out.Tokens, 1)
	require.Len(t, out.Tokens[0].Keys, 1)
	k := out.Tokens[0].Keys[0]
	assert.Equal(t, "01", k.ID)
	assert.Equal(t, "ECDSA-P256", k.Algorithm)
	assert.True(t, k.CanSign)
	assert.Equal(t, f.certs["EC"].Subject.String(), k.Subject)
	assert.Contains(t, k.Chain, f.ca.Subject.String())

	code, out, _ = list(map[string]string{"PIN": "9999"}, "-token", "Văn thư", "-pin-env", "PIN")
	assert.Equal(t, exitFailure, code)
	require.Len(t, out.Tokens, 1)
	assert.Contains(t, out.Tokens[0].Error, "incorrect PIN")
}

// kyso token list -csc -json: the remote service's credentials.
func TestTokenListCSCJSON(t *testing.T) {
	f := newCSCCmdFixture(t)
	code, stdout, stderr := runCLI(t, f.env, "token", "list", "-json", "-csc", f.srv.URL, "-csc-auth-env", "CSC_TOKEN")
	require.Equal(t, exitOK, code, stderr)
	var out cscListJSON
	require.NoError(t, json.Unmarshal([]byte(stdout), &out), stdout)
	assert.Equal(t, f.srv.URL, out.URL)
	byID := map[string]cscCredentialJ{}
	for _, c := range out.Credentials {
		byID[c.ID] = c
	}
	require.Contains(t, byID, "leader")
	require.Contains(t, byID, "org")
	assert.Equal(t, 2, byID["org"].SCAL)
	assert.Equal(t, []string{"PIN"}, byID["leader"].Factors)
	assert.Equal(t, f.pki.Leader.Cert.Subject.String(), byID["leader"].Subject)
	assert.NotContains(t, stdout+stderr, cscCmdToken)
}

// "-" where other commands read or write a document: forms render -out -, policy
// sequence -pdf -.
func TestDashElsewhere(t *testing.T) {
	code, stdout, stderr := runCLI(t, nil, "forms", "render", "-form", "tt185/mau-01", "-sample", "-out", "-")
	require.Equal(t, exitOK, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, "%PDF-"))
	assert.Contains(t, stderr, "wrote standard output")
	assert.NoFileExists(t, "-")

	pf := newPolicyPDFFixture(t)
	signed, err := os.ReadFile(pf.sign(t, "signed.pdf", "leader", "org"))
	require.NoError(t, err)
	code, stdout, stderr = runCLIWith(t, nil, bytes.NewReader(signed), "policy", "sequence", "-profile", "quang-ninh", "-pdf", "-", "-trust", pf.trust, "-json")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, `"compliant": true`)

	for _, sub := range []string{"check", "anchors"} {
		code, stdout, stderr = runCLIWith(t, nil, bytes.NewReader(pdftest.Classic()), "layout", sub, "-")
		assert.NotEqual(t, layoutUnreadable, code, "layout %s -: %s", sub, stderr)
		assert.NotEmpty(t, stdout)
		code, _, _ = runCLIWith(t, nil, strings.NewReader("không phải PDF"), "layout", sub, "-")
		assert.Equal(t, layoutUnreadable, code)
	}
}

// kyso verify -progress: the report on stdout stays clean.
func TestVerifyProgress(t *testing.T) {
	after := progressAfter
	t.Cleanup(func() { progressAfter = after })
	progressAfter = 0
	_, signedPath, rootPath, _ := verifyFixture(t)
	code, stdout, stderr := runCLI(t, nil, "verify", "-json", "-progress", "-offline", "-trust", rootPath, signedPath)
	assert.NotEqual(t, verifyUnreadable, code, stderr)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
	assert.NotContains(t, stdout, "verifying")
}

// kyso sign -json with the signing policy: the decision is in the object; a refusal
// prints its reasons once, on stderr, and nothing on stdout.
func TestSignJSONPolicy(t *testing.T) {
	f := newSignPolicyFixture(t)
	out := filepath.Join(f.dir, "leader.pdf")
	code, stdout, stderr := runCLI(t, nil, "sign", "-json", "-in", f.unsigned, "-out", out, "-key", f.leaderKey, "-cert", f.leaderCert,
		"-new-field", "Lãnh đạo", "-policy-profile", "quang-ninh", "-role", "authority")
	require.Equal(t, exitOK, code, stderr)
	var j signJSON
	require.NoError(t, json.Unmarshal([]byte(stdout), &j), stdout)
	require.NotNil(t, j.Policy)
	assert.Equal(t, "quang-ninh", j.Policy.Profile)
	assert.Equal(t, "signer", j.Policy.Placement)
	assert.Contains(t, j.Policy.Vi, "ĐƯỢC KÝ.")
	assert.Equal(t, "Lãnh đạo", j.Field)

	sealed := filepath.Join(f.dir, "sealed.pdf")
	code, stdout, stderr = runCLI(t, nil, "sign", "-json", "-in", f.unsigned, "-out", sealed, "-key", f.orgKeyPath, "-cert", f.orgCertPath,
		"-policy-profile", "quang-ninh", "-role", "clerk")
	assert.Equal(t, exitFailure, code)
	assert.Empty(t, stdout)
	assert.Equal(t, 1, strings.Count(stderr, "the signing policy refuses this signature"), stderr)
	assert.NoFileExists(t, sealed)
}
