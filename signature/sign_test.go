package signature_test

import (
	"bytes"
	"context"
	"crypto"
	"testing"
	"time"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func signBytes(t *testing.T, in []byte, s signTestSigner, opts *signature.SignOptions) ([]byte, *signature.SignResult) {
	t.Helper()
	var out bytes.Buffer
	res, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), s.key, s.chain, opts)
	require.NoError(t, err)
	require.Equal(t, int64(out.Len()), res.Size)
	return out.Bytes(), res
}

// TestSignEveryKind signs every structural kind pdftest generates and checks each
// output with pdfsig, qpdf and openssl.
func TestSignEveryKind(t *testing.T) {
	keys := signTestPKI(t)
	rootPEM := writeRootPEM(t, keys.root)
	kinds := []struct {
		name    string
		in      []byte
		damaged bool // the reader repairs it, and SignResult.Warnings says so
	}{
		{"classic", pdftest.Classic(), false},
		{"xref stream", pdftest.XRefStream(), false},
		{"object streams", pdftest.ObjectStreams(), false},
		{"hybrid", pdftest.Hybrid(), false},
		{"incremental", pdftest.Incremental(), false},
		{"incremental xref stream", pdftest.IncrementalXRefStream(), false},
		{"with empty field", pdftest.WithSignatureField(), false},
		{"linearized", pdftest.Linearized(t, pdftest.Classic()), false},
		// Damaged files that viewers repair: the update then carries a complete
		// cross-reference table, and every checker must accept the result.
		{"broken startxref", bytes.Replace(pdftest.Classic(), []byte("startxref\n"), []byte("startxref\n1"), 1), true},
		{"shifted xref offsets", bytes.Replace(pdftest.Classic(), []byte("%PDF-1.7\n"), []byte("%PDF-1.7\n% junk inserted by a broken tool\n"), 1), true},
		{"no xref at all", pdftest.Classic()[:bytes.LastIndex(pdftest.Classic(), []byte("xref\n0"))], true},
		{"object streams without xref", pdftest.ObjectStreams()[:bytes.LastIndex(pdftest.ObjectStreams(), []byte("startxref"))], true},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			out, res := signBytes(t, k.in, keys.byName["rsa"], &signature.SignOptions{
				Name: "Nguyễn Văn Lĩnh, Hà Tĩnh", Reason: "Phê duyệt (ký số)", Location: "Hà Tĩnh",
				ContactInfo: "lĩnh@hatinh.gov.vn", Time: time.Date(2026, 11, 22, 14, 5, 9, 0, time.FixedZone("ICT", 7*3600)),
			})
			assert.Equal(t, "Signature1", res.Field)
			if k.damaged {
				assert.NotEmpty(t, res.Warnings, "a repaired input is reported")
			} else {
				assert.Empty(t, res.Warnings)
			}
			signTestCheck{in: k.in, out: out, signatures: 1, rootPEM: rootPEM}.run(t)
		})
	}
}

// TestSignAlgorithms covers every key type and digest, including RSA-PSS.
func TestSignAlgorithms(t *testing.T) {
	keys := signTestPKI(t)
	rootPEM := writeRootPEM(t, keys.root)
	in := pdftest.Classic()
	for _, key := range []string{"rsa", "rsa-pss", "p256", "p384"} {
		for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512} {
			t.Run(key+"-"+h.String(), func(t *testing.T) {
				name := key
				pss := false
				if key == "rsa-pss" {
					name, pss = "rsa", true
				}
				out, _ := signBytes(t, in, keys.byName[name], &signature.SignOptions{Hash: h, PSS: pss})
				signTestCheck{in: in, out: out, signatures: 1, rootPEM: rootPEM, pss: pss}.run(t)
			})
		}
	}
}
