package forms

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRenderIsDeterministicAndWellFormed(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-14")
	require.NoError(t, err)
	opts := RenderOptions{Validate: &ValidateOptions{Now: testNow}}
	var a, b bytes.Buffer
	require.NoError(t, d.Render(&a, d.Sample, opts))
	require.NoError(t, d.Render(&b, d.Sample, opts))
	assert.Equal(t, a.Bytes(), b.Bytes(), "the same data renders to the same bytes")
	assert.NotContains(t, a.String(), "/CreationDate", "no date unless asked for")

	// The cross-reference table points at every object.
	pdf := a.Bytes()
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	require.NotNil(t, m)
	xref, _ := strconv.Atoi(string(m[1]))
	require.True(t, bytes.HasPrefix(pdf[xref:], []byte("xref\n0 ")))
	entries := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(pdf[xref:], -1)
	require.NotEmpty(t, entries)
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		assert.True(t, bytes.HasPrefix(pdf[off:], []byte(strconv.Itoa(i+1)+" 0 obj")), "object %d at %d", i+1, off)
	}

	// Title in UTF-16BE, creation date in Vietnam time when asked for.
	var c bytes.Buffer
	opts.Created = time.Date(2026, 11, 22, 7, 5, 9, 0, time.UTC)
	require.NoError(t, d.Render(&c, d.Sample, opts))
	assert.Contains(t, c.String(), "/CreationDate (D:20261122140509+07'00')")
	assert.Contains(t, c.String(), "/Title <FEFF0042")
	assert.Contains(t, c.String(), "/Lang (vi-VN)")
}

func TestPDFTextString(t *testing.T) {
	assert.Equal(t, "<FEFF0110006F0063>", pdfTextString("Đoc"))
	assert.Equal(t, "<FEFFD83DDE42>", pdfTextString("🙂"), "astral characters as surrogate pairs")
}

// One registry serves concurrent renders (a portal renders many letters at once).
func TestConcurrentRendersShareARegistry(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	defs := reg.Definitions()
	want := make([][]byte, len(defs))
	for i, d := range defs {
		var b bytes.Buffer
		require.NoError(t, d.Render(&b, d.Sample, RenderOptions{Validate: &ValidateOptions{Now: testNow}}))
		want[i] = b.Bytes()
	}
	errs := make(chan error, 4)
	for w := range 4 {
		go func() {
			for i := w; i < len(defs); i += 4 {
				var b bytes.Buffer
				if err := defs[i].Render(&b, defs[i].Sample, RenderOptions{Validate: &ValidateOptions{Now: testNow}}); err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(b.Bytes(), want[i]) {
					errs <- fmt.Errorf("%s rendered differently", defs[i].ID)
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		assert.NoError(t, <-errs)
	}
}

// Whatever text the data holds, rendering either succeeds or refuses a character the
// font lacks; it never panics or loops.
func FuzzRender(f *testing.F) {
	f.Add("Nguyễn Thị Thu Hương", "huongntt@quangninh.gov.vn")
	f.Add("a\nb\tc", "x/y/z@w")
	f.Add("Rất dài "+string(make([]byte, 300)), "")
	reg, err := NewRegistry()
	if err != nil {
		f.Fatal(err)
	}
	d, _ := reg.Definition("tt185/mau-10")
	f.Fuzz(func(t *testing.T, a, b string) {
		data := d.Normalize(d.Sample)
		data.Header.IssuingBody = a
		data.Header.Recipients = []string{b, a}
		data.Tables["certificates"][0]["fullName"] = a
		data.Tables["certificates"][1]["email"] = b + a
		var buf bytes.Buffer
		err := d.Render(&buf, data, RenderOptions{SkipValidation: true})
		if err != nil {
			if !errors.Is(err, ErrUnsupportedCharacter) {
				t.Fatal(err)
			}
			return
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-1.7")) {
			t.Fatal("not a PDF")
		}
	})
}

func TestNumIsAlwaysAPDFNumber(t *testing.T) {
	for v, want := range map[float64]string{1.5: "1.5", 2: "2", -0.001: "0", 595.276: "595.28", math.NaN(): "0", math.Inf(1): "0", math.Inf(-1): "0"} {
		assert.Equal(t, want, num(v), "%v", v)
	}
}
