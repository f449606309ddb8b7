package signature_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// pdfsigReport runs poppler's pdfsig on doc (skipping, or failing under CI, when it is
// missing) and returns its output.
func pdfsigReport(t *testing.T, doc []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdfsig")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("pdfsig is required under CI: %v", err)
		}
		t.Skip("pdfsig not installed")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	require.NoError(t, os.WriteFile(path, doc, 0o644))
	out, _ := exec.Command(bin, "-nocert", path).CombinedOutput()
	return string(out)
}

// TestVerifyAgainstPdfsig compares verdicts with poppler's pdfsig, an independent
// validator: both agree on intact and tampered signatures; on a shadow attack pdfsig
// only notes that the signature does not cover the whole document, while Verify
// analyses the later revision and fails the signature.
func TestVerifyAgainstPdfsig(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	signed := vtSign(t, p, pdftest.Classic(), nil)

	out := pdfsigReport(t, signed)
	assert.Contains(t, out, "Signature is Valid")
	assert.Equal(t, signature.TotalPassed, vtVerify(t, p, signed, now, nil).Signatures[0].Indication)

	tampered := patchLast(t, signed, "Hello kyso", "Hellx kyso")
	out = pdfsigReport(t, tampered)
	assert.NotContains(t, out, "Signature is Valid")
	s := vtVerify(t, p, tampered, now, nil).Signatures[0]
	assert.Equal(t, signature.HashFailure, s.SubIndication)

	shadow := update(t, signed, func(d *pdf.Document, u *pdf.Update) {
		u.Set(pdf.Ref{Num: 7}, &pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(20)}, Data: []byte("BT (Evil text) Tj ET")})
	})
	out = pdfsigReport(t, shadow)
	assert.Contains(t, out, "Signature is Valid", "pdfsig checks only the signed bytes")
	assert.Contains(t, strings.ToLower(out), "not total document signed")
	s = vtVerify(t, p, shadow, now, nil).Signatures[0]
	assert.Equal(t, signature.TotalFailed, s.Indication)
	assert.Equal(t, signature.ModOther, s.Modification)
}
