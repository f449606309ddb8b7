package forms

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

// Regenerate the reviewed golden files after an intended change to the renderer or the
// definitions, then look at every changed PNG before committing:
//
//	go test ./forms -run TestGolden -update
var update = flag.Bool("update", false, "rewrite testdata/golden/*.txt and testdata/page1/*.png")

// testNow is the reference time of the tests (sample dates lie before it).
var testNow = time.Date(2026, 11, 23, 9, 0, 0, 0, vietnam)

// needTool skips (or, under CI, fails) a test whose external tool is missing.
func needTool(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is required under CI: %v", n, err)
			}
			t.Skipf("%s not installed: %v", n, err)
		}
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	require.NoError(t, cmd.Run(), "%s %v: %s", name, args, errb.String())
	return out.String()
}

func renderSample(t *testing.T, d *Definition) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, d.Render(&buf, d.Sample, RenderOptions{Validate: &ValidateOptions{Now: testNow}}))
	p := filepath.Join(t.TempDir(), "form.pdf")
	require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
	return p
}

func goldenName(id string) string { return strings.ReplaceAll(id, "/", "_") }

var spaces = regexp.MustCompile(`\s+`)

func TestGoldenBuiltinForms(t *testing.T) {
	needTool(t, "pdftotext", "qpdf", "pdffonts", "pdftoppm")
	reg, err := NewRegistry()
	require.NoError(t, err)
	defs := reg.Definitions()
	require.Len(t, defs, 25, "15 TT 185 forms, 9 NĐ 68 forms and the usage report")
	for _, d := range defs {
		t.Run(goldenName(d.ID), func(t *testing.T) {
			pdf := renderSample(t, d)

			// Structure.
			check := run(t, "qpdf", "--check", pdf)
			assert.Contains(t, check, "No syntax or stream encoding errors")

			// Fonts: every font embedded, subset, with a ToUnicode map.
			fontsOut := run(t, "pdffonts", pdf)
			lines := strings.Split(strings.TrimSpace(fontsOut), "\n")
			require.Greater(t, len(lines), 2)
			for _, l := range lines[2:] {
				f := strings.Fields(l)
				require.GreaterOrEqual(t, len(f), 7, l)
				assert.Regexp(t, `^[A-Z]{6}\+LiberationSerif`, f[0])
				assert.Equal(t, []string{"yes", "yes", "yes"}, f[len(f)-5:len(f)-2], "emb sub uni: %s", l)
			}

			// Text: the golden layout text, in NFC.
			layout := run(t, "pdftotext", "-layout", "-enc", "UTF-8", pdf, "-")
			assert.True(t, norm.NFC.IsNormalString(layout), "extracted text is NFC")
			golden := filepath.Join("testdata", "golden", goldenName(d.ID)+".txt")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, []byte(layout), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run with -update to create the golden file")
			assert.Equal(t, string(want), layout, "pdftotext -layout differs from %s", golden)

			// Every value of the sample is extracted exactly (whitespace aside).
			raw := spaces.ReplaceAllString(run(t, "pdftotext", "-enc", "UTF-8", pdf, "-"), " ")
			r := &renderer{def: d}
			for _, f := range d.Fields() {
				if v := d.Sample.Fields[f.ID]; v != "" {
					assert.Contains(t, raw, spaces.ReplaceAllString(r.display(f, v), " "), "field %s", f.ID)
				}
			}
			for _, tb := range d.Tables() {
				for _, row := range d.Sample.Tables[tb.ID] {
					for _, c := range tb.Columns {
						for _, w := range strings.Fields(r.display(c, row[c.ID])) {
							if len([]rune(w)) > 3 && !strings.Contains(raw, w) {
								// Long words may be split across cell lines; check the start.
								assert.Contains(t, raw, string([]rune(w)[:3]), "table %s column %s", tb.ID, c.ID)
							}
						}
					}
				}
			}
			h := d.effectiveHeader(d.Sample.Header)
			for _, v := range []string{h.SignerName, h.Number} {
				if v != "" {
					assert.Contains(t, raw, v)
				}
			}
			assert.Contains(t, raw, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
			assert.Contains(t, raw, "Độc lập - Tự do - Hạnh phúc")

			// Page 1, rasterised at 50 dpi in grey, against the reviewed image.
			prefix := filepath.Join(t.TempDir(), "page")
			run(t, "pdftoppm", "-r", "50", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", pdf, prefix)
			got := quantizePNG(t, prefix+".png")
			ref := filepath.Join("testdata", "page1", goldenName(d.ID)+".png")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(ref), 0o755))
				require.NoError(t, os.WriteFile(ref, got, 0o644))
			}
			wantPNG, err := os.ReadFile(ref)
			require.NoError(t, err, "run with -update to create the reference image")
			diff, total := comparePNG(t, got, wantPNG)
			assert.LessOrEqual(t, float64(diff)/float64(total), 0.002,
				"page 1 differs from %s in %d of %d pixels", ref, diff, total)
		})
	}
}

// quantizePNG reduces a grey page image to four grey levels (a 2-bit PNG of a few
// kilobytes), which is what the reference images hold.
func quantizePNG(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	pal := color.Palette{color.Gray{0}, color.Gray{85}, color.Gray{170}, color.Gray{255}}
	q := image.NewPaletted(img.Bounds(), pal)
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			g := color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y
			q.SetColorIndex(x, y, uint8((int(g)+42)/85))
		}
	}
	var b bytes.Buffer
	require.NoError(t, (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, q))
	return b.Bytes()
}

// comparePNG counts the pixels whose grey level differs by more than 64.
func comparePNG(t *testing.T, a, b []byte) (diff, total int) {
	t.Helper()
	ia, err := png.Decode(bytes.NewReader(a))
	require.NoError(t, err)
	ib, err := png.Decode(bytes.NewReader(b))
	require.NoError(t, err)
	require.Equal(t, ia.Bounds(), ib.Bounds(), "image sizes differ")
	grey := func(img image.Image, x, y int) int {
		r, g, bl, _ := img.At(x, y).RGBA()
		return int((r + g + bl) / 3 >> 8)
	}
	bd := ia.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			d := grey(ia, x, y) - grey(ib, x, y)
			if d > 64 || d < -64 {
				diff++
			}
			total++
		}
	}
	return diff, total
}
