package signature_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// loSource is a flat ODT (LibreOffice's single-file XML format) shaped like an
// administrative letter: headings (exported as outlines), a bookmark and an internal
// link to it (a named destination), a table and Vietnamese text.
const loSource = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:body><office:text>
  <text:h text:outline-level="1">ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH</text:h>
  <text:p>Số: 41/2022/QĐ-UBND — <text:a xlink:type="simple" xlink:href="#dieu1">xem Điều 1</text:a></text:p>
  <text:h text:outline-level="2"><text:bookmark text:name="dieu1"/>Điều 1. Phạm vi điều chỉnh</text:h>
  <text:p>Quy chế này quy định việc quản lý, sử dụng chữ ký số, chứng thư số chuyên dùng công vụ.</text:p>
  <table:table table:name="NoiNhan"><table:table-column table:number-columns-repeated="2"/>
   <table:table-row><table:table-cell><text:p>Nơi nhận:</text:p></table:table-cell><table:table-cell><text:p>CHỦ TỊCH</text:p></table:table-cell></table:table-row>
  </table:table>
  <text:h text:outline-level="2">Điều 2. Hiệu lực thi hành</text:h>
  <text:p>Quyết định này có hiệu lực kể từ ngày ký.</text:p>
 </office:text></office:body>
</office:document>
`

var (
	loOnce sync.Once
	loPDF  []byte
	loErr  error
)

// libreOfficeExport converts loSource to a tagged PDF with bookmarks with soffice,
// once per machine (cached under the temporary directory by the source's hash). It
// fails under CI when soffice is missing and skips otherwise.
func libreOfficeExport(t *testing.T) []byte {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("soffice is required under CI: %v", err)
		}
		t.Skip("soffice not installed")
	}
	loOnce.Do(func() {
		sum := sha256.Sum256([]byte(loSource))
		cache := filepath.Join(os.TempDir(), "kyso-lo-cache", hex.EncodeToString(sum[:8])+".pdf")
		// A cached export cut short (a killed process, a full disk) does not end with
		// %%EOF: it is made again instead of failing the tests until someone removes it.
		if b, err := os.ReadFile(cache); err == nil && bytes.HasPrefix(b, []byte("%PDF")) &&
			bytes.HasSuffix(bytes.TrimRight(b, "\r\n"), []byte("%%EOF")) {
			loPDF = b
			return
		}
		dir, err := os.MkdirTemp("", "kyso-lo-")
		if err != nil {
			loErr = err
			return
		}
		defer os.RemoveAll(dir)
		src := filepath.Join(dir, "van-ban.fodt")
		if loErr = os.WriteFile(src, []byte(loSource), 0o600); loErr != nil {
			return
		}
		filter := `pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},` +
			`"ExportBookmarks":{"type":"boolean","value":"true"},"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}`
		cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
			"--convert-to", filter, "--outdir", dir, src)
		out, err := cmd.CombinedOutput()
		if err != nil {
			loErr = err
			t.Logf("soffice: %s", out)
			return
		}
		loPDF, loErr = os.ReadFile(filepath.Join(dir, "van-ban.pdf"))
		if loErr == nil {
			// Another test process (another package's run, a -race run, another
			// checkout on the machine) may read the cache while this one writes it:
			// write a private file and rename it into place, so that a reader sees
			// the whole export or nothing.
			_ = os.MkdirAll(filepath.Dir(cache), 0o700)
			if f, err := os.CreateTemp(filepath.Dir(cache), "export-*.tmp"); err == nil {
				_, werr := f.Write(loPDF)
				if cerr := f.Close(); werr == nil && cerr == nil {
					_ = os.Rename(f.Name(), cache)
				}
				_ = os.Remove(f.Name())
			}
		}
	})
	require.NoError(t, loErr)
	return loPDF
}

// TestLibreOfficeExportShape checks that the export has what made kyso's verifier fail
// (issue 11): a structure tree, outlines and destinations pointing at the page.
func TestLibreOfficeExportShape(t *testing.T) {
	doc := libreOfficeExport(t)
	for _, want := range []string{"/StructTreeRoot", "/Outlines", "/Dests"} {
		require.True(t, bytes.Contains(doc, []byte(want)) || strings.Contains(string(doc), want), "the export has no %s", want)
	}
}

// TestVerifyOwnOutputAllLevels is the standing rule on documents other tools shaped:
// kyso verifies its own output TOTAL_PASSED at B-B, B-T, B-LT and B-LTA, after a
// second signature, and after a certification followed by an approval signature, on
// hand-built OpenAction/outline/named-destination/tagged documents and a LibreOffice
// export (tagged, with bookmarks).
func TestVerifyOwnOutputAllLevels(t *testing.T) {
	k := newLVKit(t)
	inputs := []struct {
		name string
		pdf  func(t *testing.T) []byte
	}{
		{"OpenAction", func(*testing.T) []byte { return openActionPDF }},
		{"outlines", func(*testing.T) []byte { return outlinesPDF }},
		{"named destinations", func(*testing.T) []byte { return namedDestsPDF }},
		{"tagged", func(*testing.T) []byte { return taggedPDF }},
		{"direct annotation", func(*testing.T) []byte { return directAnnotPDF }},
		{"LibreOffice export", libreOfficeExport},
		{"tagged, object streams (qpdf)", func(t *testing.T) []byte {
			return pdftest.QPDF(t, taggedPDF, "--object-streams=generate")
		}},
		{"outlines, linearized (qpdf)", func(t *testing.T) []byte { return pdftest.Linearized(t, outlinesPDF) }},
	}
	sign := func(t *testing.T, in []byte, lvl signature.Level, certify signature.DocMDPPermission, visible bool) []byte {
		t.Helper()
		opts := &signature.SignOptions{PSS: true, Reason: "Phê duyệt", Certify: certify}
		if lvl != signature.LevelBB {
			opts.Level = k.levelOptions(lvl)
		}
		if visible {
			opts.Widget = &signature.Widget{Page: 1, Rect: [4]float64{320, 80, 520, 140}, Appearance: signature.AppearanceFunc(
				func(context.Context, float64, float64, *x509.Certificate, time.Time) ([]byte, error) {
					return openActionPDF, nil
				})}
		}
		var out bytes.Buffer
		_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), k.pki.Leader.Key, k.pki.Leader.Chain, opts)
		require.NoError(t, err)
		return out.Bytes()
	}
	verifyOpts := &signature.VerifyOptions{Roots: k.pki.Roots(), Revocation: k.checker}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			base := in.pdf(t)
			for _, lvl := range []signature.Level{signature.LevelBB, signature.LevelBT, signature.LevelBLT, signature.LevelBLTA} {
				t.Run(string(lvl), func(t *testing.T) {
					signaturetest.AssertAllPassed(t, sign(t, base, lvl, 0, false), verifyOpts)
				})
			}
			t.Run("second signature at B-LTA", func(t *testing.T) {
				first := sign(t, base, signature.LevelBLTA, 0, true)
				signaturetest.AssertAllPassed(t, sign(t, first, signature.LevelBLTA, 0, true), verifyOpts)
			})
			t.Run("certification then approval at B-LTA", func(t *testing.T) {
				first := sign(t, base, signature.LevelBLT, signature.DocMDPFormFilling, true)
				signaturetest.AssertAllPassed(t, sign(t, first, signature.LevelBLTA, 0, false), verifyOpts)
			})
		})
	}
}
