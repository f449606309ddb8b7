package signature_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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

// Documents other tools wrote: pdfcpu, a dependency of kyso, ships ~510 PDFs in its
// module (Word via Acrobat PDFMaker, PowerPoint, Chrome/Skia, Quartz, pdfTeX,
// InDesign, scanners, XFA and AcroForm forms, signed samples), so every machine that
// builds kyso has them in its module cache.

// wildRefusals are the selected files kyso refuses to sign, with the typed error it
// must give. A refusal not listed fails the test, and so does a listed one that signs.
var wildRefusals = map[string]error{
	// Certified by its author with DocMDP P=1: no change at all, not even a signature
	// (ISO 32000-1 12.8.2.2.2, table 254).
	"samples/signatures/adbe.pkcs7.detached/sample2.pdf": signature.ErrCertifiedNoChanges,
}

// wildAlways are selected whatever their folder and producer: the files on which
// kyso's verifier or signer was once wrong.
var wildAlways = []string{
	// A page named in its own /SeparationInfo /Pages: the second signature's widget in
	// /Annots was judged a content change (the page got the page-content role).
	"samples/basic/AnnotationDemo.pdf",
	// Signed by another tool, the TSA's certificate left out of the time-stamp tokens
	// (in the DSS, or nowhere): the input's signatures were called TOTAL_FAILED.
	"samples/signatures/ETSI.CAdES.detached/testPAdES_BT.pdf",
	"samples/signatures/ETSI.CAdES.detached/testPAdES_BLT.pdf",
	"samples/signatures/ETSI.CAdES.detached/testPAdES_BLTA.pdf",
}

// wildTheirsNotFailed are the files whose own signatures' values verify (pdfsig says
// valid): kyso must not call them TOTAL_FAILED (their roots are not trusted here, so
// INDETERMINATE is the verdict).
var wildTheirsNotFailed = map[string]bool{
	"samples/signatures/ETSI.CAdES.detached/testPAdES_BB.pdf":   true,
	"samples/signatures/ETSI.CAdES.detached/testPAdES_BT.pdf":   true,
	"samples/signatures/ETSI.CAdES.detached/testPAdES_BLT.pdf":  true,
	"samples/signatures/ETSI.CAdES.detached/testPAdES_BLTA.pdf": true,
}

// wildBLTA are the files also signed twice at B-LTA, and certified (P=2) then
// approved: one per kind of structure and producer (a signed input, an AcroForm, an
// XFA form, Word, LaTeX, Skia, Quartz, outlines, object streams, a page naming itself).
var wildBLTA = []string{
	"samples/basic/AnnotationDemo.pdf",
	"samples/signatures/ETSI.CAdES.detached/testPAdES_BLTA.pdf",
	"samples/form/demo/english.pdf",
	"testdata/xdp_2.0.pdf",
	"testdata/ECSTR11-01.pdf",
	"testdata/pdf20/viaIncrementalSave.pdf", // PDF 2.0, an incremental update
	"testdata/WaldenFull.pdf",               // Word via Acrobat PDFMaker, Adobe PDF Library
	"samples/bookmarks/bookmarkTree.pdf",    // outlines pointing at the pages
	"testdata/bookletTest.pdf",              // Chrome (Skia)
	"testdata/grid_example.pdf",             // pdfTeX
	"testdata/testWithText.pdf",             // macOS Quartz
}

// wildCheckedByTools are the files whose outputs pdfsig and qpdf --check also judge.
var wildCheckedByTools = map[string]bool{
	"samples/basic/AnnotationDemo.pdf":                          true,
	"samples/signatures/ETSI.CAdES.detached/testPAdES_BLTA.pdf": true,
	"samples/form/demo/english.pdf":                             true,
	"testdata/ECSTR11-01.pdf":                                   true,
}

// pdfcpuModuleDir returns the directory of the pdfcpu module in the module cache
// (go list, no network: it is there whenever kyso's tests build). It fails the test
// under CI when it cannot be found, and skips it otherwise.
func pdfcpuModuleDir(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/pdfcpu/pdfcpu")
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	dir := strings.TrimSpace(string(out))
	if err == nil && dir != "" {
		if _, err2 := os.Stat(filepath.Join(dir, "pkg", "testdata")); err2 != nil {
			err = err2
		}
	}
	if err != nil || dir == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("pdfcpu's module is not in the module cache (go list -m: %v %s)", err, out)
		}
		t.Skipf("pdfcpu's module not found: %v", err)
	}
	return filepath.Join(dir, "pkg")
}

var wildDigits = regexp.MustCompile(`[0-9.]+`)

// wildSelection returns, relative to pkg, every PDF of testdata and, from samples,
// the first file (in name order) of each folder and producer (/Producer and /Creator,
// versions left out), plus wildAlways and wildBLTA.
func wildSelection(t *testing.T, pkg string) []string {
	t.Helper()
	picked := map[string]bool{}
	groups := map[string]bool{}
	err := filepath.WalkDir(pkg, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.EqualFold(filepath.Ext(path), ".pdf") {
			return nil
		}
		rel, _ := filepath.Rel(pkg, path)
		rel = filepath.ToSlash(rel)
		switch {
		case strings.HasPrefix(rel, "testdata/"):
			picked[rel] = true
		case strings.HasPrefix(rel, "samples/"):
			key := filepath.Dir(rel) + "|" + wildDigits.ReplaceAllString(wildProducer(path), "")
			if !groups[key] {
				groups[key] = true
				picked[rel] = true
			}
		}
		return nil
	})
	require.NoError(t, err)
	for _, rel := range append(append([]string{}, wildAlways...), wildBLTA...) {
		picked[rel] = true
	}
	for rel := range wildRefusals {
		picked[rel] = true
	}
	var out []string
	for rel := range picked {
		out = append(out, rel)
	}
	sort.Strings(out)
	return out
}

// wildProducer is the /Creator and /Producer of a file's document information ("" when
// it cannot be read).
func wildProducer(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return ""
	}
	d, err := pdf.Open(f, st.Size(), nil)
	if err != nil {
		return "unreadable"
	}
	info, err := d.Resolve(d.Trailer().Get("Info"))
	if err != nil {
		return ""
	}
	id, _ := info.(pdf.Dict)
	var s []string
	for _, k := range []pdf.Name{"Creator", "Producer"} {
		v, _ := d.Resolve(id.Get(k))
		txt, _ := pdf.Text(v)
		s = append(s, txt)
	}
	return strings.Join(s, "|")
}

// TestWildCorpus holds kyso to the standing rule on documents other tools wrote: a
// selection of pdfcpu's PDFs covering each folder and producer is signed in-process
// twice at B-B (the leader, then the organisation's seal), a few also twice at B-LTA
// and certified (DocMDP P=2) then approved, and every kyso signature must verify
// TOTAL_PASSED with the test root trusted; the signatures the input already had must
// not become TOTAL_FAILED. pdfsig and qpdf --check judge a few outputs too.
func TestWildCorpus(t *testing.T) {
	pkg := pdfcpuModuleDir(t)
	files := wildSelection(t, pkg)
	k := newLVKit(t)
	ctx := context.Background()
	now := time.Now()
	blta := map[string]bool{}
	for _, rel := range wildBLTA {
		blta[rel] = true
	}
	type signer struct {
		h    *certstatustest.Holder
		name string
	}
	leader, org := signer{k.pki.Leader, "leader"}, signer{k.pki.Org, "org"}
	sign := func(doc []byte, s signer, lvl signature.Level, certify signature.DocMDPPermission) ([]byte, error) {
		opts := &signature.SignOptions{PSS: true, Reason: "kyso wild corpus", Certify: certify, Time: now}
		if lvl != signature.LevelBB {
			opts.Level = k.levelOptions(lvl)
		}
		var out bytes.Buffer
		_, err := signature.Sign(ctx, &out, bytes.NewReader(doc), int64(len(doc)), s.h.Key, s.h.Chain, opts)
		return out.Bytes(), err
	}
	verify := func(t *testing.T, doc []byte) *signature.Report {
		rep, err := signature.Verify(ctx, bytes.NewReader(doc), int64(len(doc)), &signature.VerifyOptions{
			Roots: k.pki.Roots(), Revocation: k.checker})
		require.NoError(t, err)
		return rep
	}
	signed := 0
	for _, rel := range files {
		t.Run(rel, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join(pkg, filepath.FromSlash(rel)))
			require.NoError(t, err)
			d, err := pdf.Open(bytes.NewReader(in), int64(len(in)), nil)
			require.NoError(t, err, "pdf.Open")
			// The input's own signatures: its signature fields that hold a value.
			theirs := map[string]bool{}
			fields, _ := d.Fields()
			for _, f := range fields {
				if f.Type == "Sig" && f.Dict.Get("V") != nil {
					theirs[f.Name] = true
				}
			}
			var before map[string]signature.Indication // the input's own signatures
			// check: every signature kyso added passes; the input's own keep their
			// verdict unless it was TOTAL_FAILED already.
			check := func(t *testing.T, doc []byte, what string, want int) {
				t.Helper()
				rep := verify(t, doc)
				ours, oursSigned := 0, 0
				for _, s := range rep.Signatures {
					if !theirs[s.Field] {
						ours++
						if s.Kind != signature.KindDocTimestamp {
							oursSigned++
						}
						assert.Equal(t, signature.TotalPassed, s.Indication, "%s: kyso's %q: %s/%s %v\nchanges: %+v",
							what, s.Field, s.Indication, s.SubIndication, failedChecks(s), s.Changes)
						continue
					}
					if before == nil {
						before = map[string]signature.Indication{}
						if r0, err := signature.Verify(ctx, bytes.NewReader(in), int64(len(in)), &signature.VerifyOptions{
							Roots: k.pki.Roots(), Offline: true}); err == nil {
							for _, s0 := range r0.Signatures {
								before[s0.Field] = s0.Indication
							}
						}
					}
					if wildTheirsNotFailed[rel] {
						assert.NotEqual(t, signature.TotalFailed, before[s.Field], "the input's %q: TOTAL_FAILED though its value verifies", s.Field)
					}
					if before[s.Field] != signature.TotalFailed {
						assert.NotEqual(t, signature.TotalFailed, s.Indication, "%s: the input's %q became TOTAL_FAILED: %v\nchanges: %+v",
							what, s.Field, failedChecks(s), s.Changes)
					}
				}
				assert.Equal(t, want, ours, "%s: kyso's signatures and time-stamps found", what)
				if wildCheckedByTools[rel] {
					wildToolsAgree(t, in, doc, what, oursSigned)
				}
			}
			once, err := sign(in, leader, signature.LevelBB, 0)
			if want, refused := wildRefusals[rel]; refused {
				require.Error(t, err, "kyso used to refuse it with %v", want)
				assert.ErrorIs(t, err, want)
				return
			}
			require.NoError(t, err, "a new refusal")
			twice, err := sign(once, org, signature.LevelBB, 0)
			require.NoError(t, err, "second signature")
			check(t, twice, "B-B twice", 2)
			signed++
			if !blta[rel] {
				return
			}
			once, err = sign(in, leader, signature.LevelBLTA, 0)
			require.NoError(t, err, "B-LTA")
			twice, err = sign(once, org, signature.LevelBLTA, 0)
			require.NoError(t, err, "second signature at B-LTA")
			check(t, twice, "B-LTA twice", 4)
			cert, err := sign(in, leader, signature.LevelBB, signature.DocMDPFormFilling)
			if errors.Is(err, signature.ErrCertifyNotFirst) {
				return // certification is for the first signature only (ISO 32000-1 12.8.2.2)
			}
			require.NoError(t, err, "certification")
			approved, err := sign(cert, org, signature.LevelBB, 0)
			require.NoError(t, err, "approval after the certification")
			check(t, approved, "certification + approval", 2)
		})
	}
	t.Logf("%d of %d selected pdfcpu files signed twice and verified", signed, len(files))
}

// wildToolsAgree runs pdfsig and qpdf --check on doc, kyso's output for in: pdfsig
// must find the value of each of kyso's signatures valid (the certificates are the test
// PKI's, unknown to it; it does not check document time-stamps) besides those of the
// input it found valid.
func wildToolsAgree(t *testing.T, in, doc []byte, what string, ours int) {
	t.Helper()
	pdfsig := signTestTool(t, "pdfsig")
	qpdf := signTestTool(t, "qpdf")
	dir := t.TempDir()
	valid := func(doc []byte, name string) (int, string) {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, doc, 0o600))
		out, _ := exec.Command(pdfsig, "-nocert", "-no-ocsp", path).CombinedOutput()
		return strings.Count(string(out), "Signature is Valid."), string(out)
	}
	n0, _ := valid(in, "in.pdf")
	n, out := valid(doc, "signed.pdf")
	assert.Equal(t, n0+ours, n, "%s: pdfsig:\n%s", what, out)
	qout, err := exec.Command(qpdf, "--check", filepath.Join(dir, "signed.pdf")).CombinedOutput()
	assert.NoError(t, err, "%s: qpdf --check:\n%s", what, qout)
}
