package signature_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/signature"
)

// TestExtendCorpus (opt-in: KYSO_CORPUS) renews every signed PDF of the pyHanko corpus
// ($KYSO_CORPUS/pyhanko) with a document time-stamp and whatever DSS data can be built
// offline (no revocation source: ContinueWithoutRevocation). For each file Extend
// either refuses with a documented sentinel, or its output keeps the input as prefix,
// reopens, passes qpdf --check when the input did, and leaves every earlier signature
// with the verdict it had (same indication and sub-indication, same integrity). It
// prints a tally.
func TestExtendCorpus(t *testing.T) {
	root := os.Getenv("KYSO_CORPUS")
	if root == "" {
		t.Skip("set KYSO_CORPUS to the corpus directory")
	}
	root = corpusDir(root) // CI's relative ../shared/corpus is relative to the repository root
	files, err := filepath.Glob(filepath.Join(root, "pyhanko", "*.pdf"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no PDFs in %s/pyhanko", root)
	p, err := certstatustest.Generate(certstatustest.Options{Addr: "127.0.0.1:9"})
	require.NoError(t, err)
	ts := kitTimestamper{p}
	ctx := context.Background()
	qpdf, _ := exec.LookPath("qpdf")
	dir := t.TempDir()
	reasons := map[string]int{}
	extended := 0
	for _, path := range files {
		name := filepath.Base(path)
		in, err := os.ReadFile(path)
		require.NoError(t, err)
		verifyOpts := &signature.VerifyOptions{Roots: selfSignedRoots(path), Offline: true, Time: time.Now()}
		before, verr := signature.Verify(ctx, bytes.NewReader(in), int64(len(in)), verifyOpts)
		var out bytes.Buffer
		res, err := signature.Extend(ctx, &out, bytes.NewReader(in), int64(len(in)), &signature.ExtendOptions{
			Timestamper: ts, OnMissingRevocation: signature.ContinueWithoutRevocation,
		})
		if err != nil {
			assert.Zero(t, out.Len(), "%s: written before failing", name)
			known := false
			for _, s := range []error{signature.ErrDocument, signature.ErrNoLevelData, signature.ErrFieldExists, signature.ErrPageNotFound} {
				if errors.Is(err, s) {
					known = true
					reasons[strings.TrimPrefix(s.Error(), "signature: ")]++
				}
			}
			assert.True(t, known, "%s: undocumented error %v", name, err)
			if verr == nil && errors.Is(err, signature.ErrDocument) {
				t.Logf("%s: Verify reads it, Extend refuses: %v", name, err)
			}
			continue
		}
		extended++
		assert.True(t, bytes.HasPrefix(out.Bytes(), in), "%s: input not a prefix", name)
		assert.Equal(t, int64(out.Len()), res.Size)
		_, err = pdf.Open(bytes.NewReader(out.Bytes()), int64(out.Len()), nil)
		assert.NoError(t, err, "%s: output does not reopen", name)
		if qpdf != "" && exec.Command(qpdf, "--check", path).Run() == nil {
			outPath := filepath.Join(dir, "out.pdf")
			require.NoError(t, os.WriteFile(outPath, out.Bytes(), 0o600))
			qout, err := exec.Command(qpdf, "--check", outPath).CombinedOutput()
			assert.NoError(t, err, "%s: qpdf --check on the output:\n%s", name, qout)
		}
		if verr != nil {
			continue
		}
		after, err := signature.Verify(ctx, bytes.NewReader(out.Bytes()), int64(out.Len()), verifyOpts)
		if !assert.NoError(t, err, name) {
			continue
		}
		byField := map[string]*signature.SignatureReport{}
		for i := range after.Signatures {
			byField[after.Signatures[i].Field] = &after.Signatures[i]
		}
		for _, b := range before.Signatures {
			a := byField[b.Field]
			if !assert.NotNil(t, a, "%s: signature %q lost", name, b.Field) {
				continue
			}
			assert.Equal(t, b.Indication, a.Indication, "%s: %q", name, b.Field)
			assert.Equal(t, b.SubIndication, a.SubIndication, "%s: %q", name, b.Field)
			bi, _ := b.Check(signature.CheckIntegrity)
			ai, _ := a.Check(signature.CheckIntegrity)
			assert.Equal(t, bi.Result, ai.Result, "%s: %q integrity", name, b.Field)
		}
	}
	var parts []string
	for r, n := range reasons {
		parts = append(parts, r+": "+itoa(n))
	}
	sort.Strings(parts)
	t.Logf("%d extended, %d refused: %s", extended, len(files)-extended, strings.Join(parts, "; "))
}

func itoa(n int) string {
	b := []byte{}
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
		if n == 0 {
			return string(b)
		}
	}
}
