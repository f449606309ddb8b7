package main

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/fonts"
	"github.com/kyso-go/kyso/layout/layouttest"
)

// writeHolder writes a test holder's key and chain as PEM files.
func writeHolder(t *testing.T, dir string, h *certstatustest.Holder) (key, certs string) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(h.Key)
	require.NoError(t, err)
	key, certs = filepath.Join(dir, h.Name+"-key.pem"), filepath.Join(dir, h.Name+"-certs.pem")
	require.NoError(t, os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
	var b []byte
	for _, c := range h.Chain {
		b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	require.NoError(t, os.WriteFile(certs, b, 0o600))
	return key, certs
}

// The placement flags: the chairman signs a letter with his signature image, the
// clerk applies the seal over it, and a copy is stamped, each where Nghị định 30/2020
// puts it.
func TestSignPlacementFlags(t *testing.T) {
	demoNeedTools(t, "pdftotext")
	pki, err := certstatustest.Generate(certstatustest.Options{Addr: "127.0.0.1:1", ECDSA: true})
	require.NoError(t, err)
	dir := t.TempDir()
	letter, err := demoRenderLetter(pki.Leader.Cert.Subject.CommonName, time.Now())
	require.NoError(t, err)
	in := filepath.Join(dir, "letter.pdf")
	require.NoError(t, os.WriteFile(in, letter.PDF, 0o600))
	sig, seal := filepath.Join(dir, "chu-ky.png"), filepath.Join(dir, "con-dau.png")
	require.NoError(t, os.WriteFile(sig, layouttest.SignaturePNG(300), 0o600))
	require.NoError(t, os.WriteFile(seal, layouttest.SealPNG(36, 300), 0o600))
	lk, lc := writeHolder(t, dir, pki.Leader)
	ok, oc := writeHolder(t, dir, pki.Org)
	name := pki.Leader.Cert.Subject.CommonName

	s1 := filepath.Join(dir, "s1.pdf")
	code, stdout, stderr := runCLI(t, nil, "sign", "-in", in, "-out", s1, "-key", lk, "-cert", lc,
		"-placement", "signer", "-image", sig, "-signer-title", `TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH`, "-signer-name", name)
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Contains(t, stdout, "signer placed on page 1")
	s2 := filepath.Join(dir, "s2.pdf")
	code, stdout, stderr = runCLI(t, nil, "sign", "-in", s1, "-out", s2, "-key", ok, "-cert", oc,
		"-placement", "seal", "-image", seal, "-seal-mm", "36", "-signer-title", "CHỦ TỊCH", "-signer-name", name)
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	assert.Contains(t, stdout, "seal placed on page 1")
	assert.Equal(t, 2, pdfsigValid(t, s2))

	// An electronic copy, the organisation named after the signing certificate.
	s3 := filepath.Join(dir, "s3.pdf")
	code, stdout, stderr = runCLI(t, nil, "sign", "-in", in, "-out", s3, "-key", ok, "-cert", oc,
		"-placement", "copy", "-copy-form", "SAO Y")
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	cmd := exec.Command("pdftotext", "-f", "1", "-l", "1", s3, "-")
	cmd.Env = append(os.Environ(), "TZ=UTC")
	out, err := cmd.Output()
	require.NoError(t, err)
	org := pki.Org.Cert.Subject.Organization[0]
	assert.Regexp(t, `(?m)^SAO Y; `+org+`; \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$`, string(out))

	// An attachment.
	s4 := filepath.Join(dir, "s4.pdf")
	ttf := filepath.Join(dir, "agency.ttf") // standing in for a licensed Times New Roman
	require.NoError(t, os.WriteFile(ttf, fonts.LiberationSerifData(fonts.Italic), 0o600))
	code, stdout, stderr = runCLI(t, nil, "sign", "-in", in, "-out", s4, "-key", ok, "-cert", oc,
		"-placement", "attachment", "-doc-number", "41/2022/QĐ-UBND", "-font", ttf)
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	out, err = exec.Command("pdftotext", "-f", "1", "-l", "1", s4, "-").Output()
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^Số: 41/2022/QĐ-UBND; \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$`, string(out))
	// A -font file that is no TrueType font: said as a -font problem, nothing written.
	notFont := filepath.Join(dir, "not-a-font.ttf")
	require.NoError(t, os.WriteFile(notFont, []byte("not a font"), 0o600))
	code, _, stderr = runCLI(t, nil, "sign", "-in", in, "-out", filepath.Join(dir, "nf.pdf"), "-key", ok, "-cert", oc,
		"-placement", "attachment", "-doc-number", "41/2022/QĐ-UBND", "-font", notFont)
	assert.Equal(t, exitFailure, code)
	assert.True(t, strings.HasPrefix(stderr, "kyso sign: không dùng được tệp phông chữ của -font"), stderr)
	assert.NoFileExists(t, filepath.Join(dir, "nf.pdf"))
	if ff, err := exec.Command("pdffonts", s4).Output(); err == nil {
		assert.Contains(t, string(ff), "LiberationSerif-Italic", "the stamp is set in the -font given")
	}

	// -rect keeps the Vietnamese text and shows Vietnam time.
	s5 := filepath.Join(dir, "s5.pdf")
	code, stdout, stderr = runCLI(t, nil, "sign", "-in", in, "-out", s5, "-key", lk, "-cert", lc,
		"-page", "1", "-rect", "60,60,300,120")
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	out, err = exec.Command("pdftotext", "-f", "1", "-l", "1", s5, "-").Output()
	require.NoError(t, err)
	assert.Contains(t, string(out), "Ký bởi: "+name)
	assert.Regexp(t, `Thời gian ký: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00`, string(out))

	// The signer not on the page: a failure naming the candidates, nothing written.
	s6 := filepath.Join(dir, "s6.pdf")
	code, _, stderr = runCLI(t, nil, "sign", "-in", in, "-out", s6, "-key", lk, "-cert", lc,
		"-placement", "signer", "-image", sig, "-signer-title", "PHÓ CHỦ TỊCH", "-signer-name", name)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr, "candidates")
	// The first line says what to do with the command's own flags, not Spec fields.
	assert.True(t, strings.HasPrefix(stderr, "kyso sign: không tìm thấy khối chữ ký của người ký"), stderr)
	assert.Contains(t, stderr, "check -signer-title and -signer-name (kyso layout anchors FILE.pdf")
	assert.Contains(t, stderr, "\n  chi tiết / detail: ")
	_, err = os.Stat(s6)
	assert.True(t, os.IsNotExist(err), "nothing written")

	// kyso layout check: what the placement flags produced conforms (exit 0); the same
	// seal given by hand on the right of the signer's image breaks a rule (exit 1).
	code, stdout, stderr = runCLI(t, nil, "layout", "check", s2)
	assert.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	code, stdout, stderr = runCLI(t, nil, "layout", "check", s3)
	assert.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	// The attachment above was set in an italic face: the stamp must be upright.
	code, stdout, _ = runCLI(t, nil, "layout", "check", s4)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stdout, "stamp.typography")
	code, stdout, stderr = runCLI(t, nil, "sign", "-in", in, "-out", s6, "-key", lk, "-cert", lc,
		"-placement", "signer", "-image", sig, "-signer-title", `TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH`, "-signer-name", name)
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	var r [4]float64
	i := strings.Index(stdout, "signer placed on page 1 at [")
	require.GreaterOrEqual(t, i, 0, stdout)
	_, err = fmt.Sscanf(stdout[i+len("signer placed on page 1 at ["):], "%g %g %g %g]", &r[0], &r[1], &r[2], &r[3])
	require.NoError(t, err)
	d := 36 / 25.4 * 72 // the seal's diameter in points
	left := r[2] - (r[2]-r[0])/3
	cy := (r[1] + r[3]) / 2
	s7 := filepath.Join(dir, "s7.pdf")
	code, stdout, stderr = runCLI(t, nil, "sign", "-in", s6, "-out", s7, "-key", ok, "-cert", oc,
		"-placement", "seal", "-image", seal, "-page", "1", "-rect", fmt.Sprintf("%g,%g,%g,%g", left, cy-d/2, left+d, cy+d/2))
	require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
	code, stdout, _ = runCLI(t, nil, "layout", "check", s7)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stdout, "seal.side")

	// A letter encrypted with a user password: the placement reads it with the
	// password given by -in-pass-env, as the signing does.
	if _, err := exec.LookPath("qpdf"); err == nil || os.Getenv("CI") != "" {
		enc := filepath.Join(dir, "enc.pdf")
		out, err := exec.Command("qpdf", "--encrypt", "mat-khau", "owner", "256", "--", in, enc).CombinedOutput()
		require.NoError(t, err, "%s", out)
		s8 := filepath.Join(dir, "s8.pdf")
		code, stdout, stderr = runCLI(t, map[string]string{"DOCPW": "mat-khau"}, "sign", "-in", enc, "-out", s8, "-key", ok, "-cert", oc,
			"-in-pass-env", "DOCPW", "-placement", "attachment", "-doc-number", "41/2022/QĐ-UBND")
		require.Equal(t, exitOK, code, "stdout: %s\nstderr: %s", stdout, stderr)
		assert.Contains(t, stdout, "attachment placed on page 1")
	}
}

func TestSignPlacementUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-placement", "stamp"}, "-placement"},
		{[]string{"-placement", "signer"}, "-image"},
		{[]string{"-placement", "seal"}, "-image"},
		{[]string{"-placement", "attachment"}, "-doc-number"},
		{[]string{"-placement", "copy"}, "-copy-form"},
		{[]string{"-image", "x.png"}, "need -placement"},
		{[]string{"-placement", "seal", "-image", "x.png", "-seal-mm", "-3"}, "-seal-mm"},
		{[]string{"-placement", "seal", "-image", "x.png", "-seal-mm", "500"}, "-seal-mm"},
		{[]string{"-placement", "copy", "-copy-form", "BẢN SAO"}, `-copy-form "BẢN SAO"`},
	} {
		args := append([]string{"sign", "-in", "a.pdf", "-out", "b.pdf", "-key", "k.pem"}, c.args...)
		code, _, stderr := runCLI(t, nil, args...)
		assert.Equal(t, exitUsage, code, strings.Join(c.args, " "))
		assert.Contains(t, stderr, c.want, strings.Join(c.args, " "))
	}
}
