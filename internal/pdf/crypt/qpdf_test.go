package crypt_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/kyso-go/kyso/internal/pdf/crypt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

// runQPDF runs qpdf and returns its combined output and exit code.
func runQPDF(t *testing.T, qpdf string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(qpdf, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee, "running qpdf %v", args)
		return string(out), ee.ExitCode()
	}
	return string(out), 0
}

// vietnamesePassword is a password with Vietnamese letters, in composed form (NFC).
var vietnamesePassword = norm.NFC.String("mật khẩu ĩ")

// Documents qpdf encrypts must open with the user password, the owner password and, when
// the user password is empty, no password; a wrong password is refused.
func TestDecryptQPDFOutput(t *testing.T) {
	qpdf := needTool(t, "qpdf")
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	require.NoError(t, os.WriteFile(in, samplePDF(nil, nil, ""), 0o600))
	out, code := runQPDF(t, qpdf, "--check", in)
	require.Equal(t, 0, code, "the hand-written sample is not a valid PDF:\n%s", out)

	tests := []struct {
		name            string
		user, owner     string
		encrypt         []string // qpdf --encrypt options after the key length
		bits            string
		r               int
		encryptMetadata bool
		noPrint         bool
	}{
		{"R2 RC4-40", "user", "owner", nil, "40", 2, true, false},
		{"R3 RC4-128", "user", "owner", []string{"--use-aes=n"}, "128", 3, true, false},
		{"R3 RC4-128 empty user", "", "owner", []string{"--use-aes=n"}, "128", 3, true, false},
		{"R4 RC4-128", "user", "owner", []string{"--use-aes=n", "--force-V4"}, "128", 4, true, false},
		{"R4 AES-128", "user", "owner", []string{"--use-aes=y", "--print=none"}, "128", 4, true, true},
		{"R4 AES-128 empty user", "", "owner", []string{"--use-aes=y"}, "128", 4, true, false},
		{"R4 AES-128 clear metadata", "user", "owner", []string{"--use-aes=y", "--cleartext-metadata"}, "128", 4, false, false},
		{"R4 AES-128 Latin-1", "café", "propriétaire", []string{"--use-aes=y"}, "128", 4, true, false},
		{"R4 AES-128 Vietnamese", vietnamesePassword, "chủ sở hữu", []string{"--use-aes=y"}, "128", 4, true, false},
		{"R5 AES-256", "user", "owner", []string{"--force-R5"}, "256", 5, true, false},
		{"R6 AES-256", "user", "owner", []string{"--print=none"}, "256", 6, true, true},
		{"R6 AES-256 empty user", "", "owner", nil, "256", 6, true, false},
		{"R6 AES-256 clear metadata", "user", "owner", []string{"--cleartext-metadata"}, "256", 6, false, false},
		{"R6 AES-256 Vietnamese", vietnamesePassword, "chủ sở hữu", nil, "256", 6, true, false},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			outFile := filepath.Join(dir, fmt.Sprintf("out%d.pdf", i))
			args := []string{"--allow-weak-crypto", "--object-streams=disable", "--stream-data=preserve",
				"--encrypt", tc.user, tc.owner, tc.bits}
			args = append(append(args, tc.encrypt...), "--", in, outFile)
			out, code := runQPDF(t, qpdf, args...)
			require.Equal(t, 0, code, "qpdf %v:\n%s", args, out)
			file, err := os.ReadFile(outFile)
			require.NoError(t, err)
			doc := parseEncryptedPDF(t, file)
			require.Equal(t, tc.r, doc.params.R, "qpdf wrote another revision than expected")

			passwords := []struct {
				label string
				pw    []byte
				owner bool
			}{
				{"user", []byte(tc.user), false},
				{"owner", []byte(tc.owner), true},
			}
			if tc.user == "" {
				passwords = append(passwords, struct {
					label string
					pw    []byte
					owner bool
				}{"nil", nil, false})
			}
			if tc.user == vietnamesePassword && tc.r >= 5 {
				// SASLprep: the decomposed spelling opens the document too.
				passwords = append(passwords, struct {
					label string
					pw    []byte
					owner bool
				}{"user NFD", []byte(norm.NFD.String(tc.user)), false})
			}
			for _, pw := range passwords {
				h, err := crypt.New(doc.params, pw.pw)
				require.NoError(t, err, "password %s", pw.label)
				assert.Equal(t, pw.owner, h.IsOwner(), "IsOwner with the %s password", pw.label)
				assert.Equal(t, tc.encryptMetadata, h.EncryptsMetadata())
				assert.Equal(t, !tc.noPrint, h.Permissions().Has(crypt.PermPrint))
				title, err := h.DecryptString(doc.titleRef[0], doc.titleRef[1], doc.title)
				require.NoError(t, err)
				assert.Equal(t, sampleTitle, title, "Info /Title with the %s password", pw.label)
				content, err := h.DecryptStream(doc.contentRef[0], doc.contentRef[1], doc.content)
				require.NoError(t, err)
				assert.Equal(t, string(sampleContent), string(content), "content stream with the %s password", pw.label)
			}
			for _, wrong := range []string{"wrong", "", "User"} {
				if wrong == tc.user {
					continue
				}
				_, err := crypt.New(doc.params, []byte(wrong))
				assert.ErrorIs(t, err, crypt.ErrWrongPassword, "password %q", wrong)
			}
		})
	}
}

var reTitle = regexp.MustCompile(`/Title\s*[<(]`)

// Documents encrypted with NewParams and a Handler must be accepted by qpdf: it reports
// the revision and which password was given, and decrypts the title and content.
func TestQPDFReadsOurOutput(t *testing.T) {
	qpdf := needTool(t, "qpdf")
	dir := t.TempDir()
	tests := []struct {
		r           int
		user, owner string
		perms       crypt.Permissions
	}{
		{2, "user", "owner", crypt.PermAll},
		{3, "user", "owner", crypt.PermPrint | crypt.PermCopy},
		{4, "user", "owner", crypt.PermAll &^ crypt.PermModify},
		{4, "", "owner", crypt.PermAll},
		{4, "café", "propriétaire", crypt.PermAll},
		{5, "user", "owner", crypt.PermAll},
		{6, "user", "owner", crypt.PermPrint | crypt.PermFillForms},
		{6, "", "owner", crypt.PermAll},
		{6, vietnamesePassword, "chủ sở hữu", crypt.PermAll},
	}
	for i, tc := range tests {
		t.Run(fmt.Sprintf("R%d user %q", tc.r, tc.user), func(t *testing.T) {
			params, err := crypt.NewParams(tc.r, []byte(tc.user), []byte(tc.owner), int32(tc.perms), sampleID0)
			require.NoError(t, err)
			h, err := crypt.New(params, []byte(tc.owner))
			require.NoError(t, err)
			require.True(t, h.IsOwner())
			strEnc := func(num int, b []byte) []byte {
				out, err := h.EncryptString(num, 0, b)
				require.NoError(t, err)
				return out
			}
			stmEnc := func(num int, b []byte) []byte {
				out, err := h.EncryptStream(num, 0, b)
				require.NoError(t, err)
				return out
			}
			file := filepath.Join(dir, fmt.Sprintf("ours%d.pdf", i))
			require.NoError(t, os.WriteFile(file, samplePDF(strEnc, stmEnc, encryptDict(params)), 0o600))

			out, code := runQPDF(t, qpdf, "--check", "--password="+tc.user, file)
			require.Equal(t, 0, code, "qpdf --check:\n%s", out)
			assert.NotContains(t, out, "WARNING")

			out, code = runQPDF(t, qpdf, "--show-encryption", "--password="+tc.user, file)
			require.Equal(t, 0, code, out)
			assert.Contains(t, out, fmt.Sprintf("R = %d\n", tc.r))
			assert.Contains(t, out, fmt.Sprintf("P = %d\n", params.P))
			assert.Contains(t, out, "Supplied password is user password")
			assert.NotContains(t, out, "Incorrect password")
			wantPrint := "print low resolution: not allowed"
			if tc.perms.Has(crypt.PermPrint) {
				wantPrint = "print low resolution: allowed"
			}
			assert.Contains(t, out, wantPrint)

			out, code = runQPDF(t, qpdf, "--show-encryption", "--password="+tc.owner, file)
			require.Equal(t, 0, code, out)
			assert.Contains(t, out, "Supplied password is owner password")

			plain := filepath.Join(dir, fmt.Sprintf("plain%d.pdf", i))
			out, code = runQPDF(t, qpdf, "--password="+tc.user, "--decrypt", "--object-streams=disable",
				"--stream-data=uncompress", file, plain)
			require.Equal(t, 0, code, "qpdf --decrypt:\n%s", out)
			got, err := os.ReadFile(plain)
			require.NoError(t, err)
			assert.True(t, bytes.Contains(got, sampleContent), "decrypted file lacks the content stream")
			loc := reTitle.FindIndex(got)
			require.NotNil(t, loc, "decrypted file lacks /Title")
			assert.Equal(t, sampleTitle, readString(t, got[loc[1]-1:]))

			out, code = runQPDF(t, qpdf, "--password=wrong", "--decrypt", file, filepath.Join(dir, "wrong.pdf"))
			assert.NotEqual(t, 0, code, "qpdf accepted a wrong password")
			assert.Contains(t, out, "invalid password")

			// A second, independent reader: poppler's pdfinfo. It passes passwords as
			// bytes, so revisions 2 to 4 get them in PDFDocEncoding (Latin-1 here).
			pdfinfo := needTool(t, "pdfinfo")
			user, owner := tc.user, tc.owner
			if tc.r <= 4 {
				user, owner = latin1(t, user), latin1(t, owner)
			}
			for _, args := range [][]string{{"-upw", user}, {"-opw", owner}} {
				info, err := exec.Command(pdfinfo, append(args, file)...).CombinedOutput()
				require.NoError(t, err, "pdfinfo %v:\n%s", args, info)
				assert.Regexp(t, `(?m)^Title:\s+Văn bản thử nghiệm \(mã hoá\) ĩ$`, string(info), "pdfinfo %v", args)
				assert.Regexp(t, `(?m)^Encrypted:\s+yes`, string(info))
			}
			info, err := exec.Command(pdfinfo, "-upw", "wrong", file).CombinedOutput()
			assert.Error(t, err, "pdfinfo accepted a wrong password:\n%s", info)
		})
	}
}

// latin1 converts s to ISO 8859-1, which PDFDocEncoding agrees with for these tests.
func latin1(t *testing.T, s string) string {
	var b []byte
	for _, r := range s {
		require.Less(t, r, rune(0x100), "%q is not Latin-1", s)
		b = append(b, byte(r))
	}
	return string(b)
}
