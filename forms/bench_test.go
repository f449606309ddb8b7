package forms

import (
	"bytes"
	"strings"
	"testing"
)

// go test ./forms -run '^$' -bench . -benchtime 20x

func BenchmarkNewRegistry(b *testing.B) {
	for b.Loop() {
		if _, err := NewRegistry(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderLetterWith300Rows(b *testing.B) {
	reg, err := NewRegistry()
	if err != nil {
		b.Fatal(err)
	}
	d, _ := reg.Definition("tt185/mau-02")
	data := d.Normalize(d.Sample)
	data.Tables["subscribers"] = subscriberRows(300)
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := d.Render(&buf, data, RenderOptions{Validate: &ValidateOptions{Now: testNow}}); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(buf.Len()))
	}
}

func BenchmarkImportXLSX500Rows(b *testing.B) {
	reg, err := NewRegistry()
	if err != nil {
		b.Fatal(err)
	}
	d, _ := reg.Definition("tt185/mau-02")
	var x bytes.Buffer
	if err := d.ExportXLSX("subscribers", &x, subscriberRows(500)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.ImportXLSX("subscribers", bytes.NewReader(x.Bytes()), ImportOptions{Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}

// A hostile list: 2000 rows whose cells are words of 500 characters that must be cut
// to fit their columns (quadratic word breaking once made this take a minute).
func BenchmarkRenderLongUnbrokenWords(b *testing.B) {
	reg, err := NewRegistry()
	if err != nil {
		b.Fatal(err)
	}
	d, _ := reg.Definition("tt185/mau-02")
	data := d.Normalize(d.Sample)
	rows := subscriberRows(2000)
	for i := range rows {
		rows[i]["idIssuePlace"] = strings.Repeat("X", 500)
		rows[i]["organisation"] = strings.Repeat("Ư", 500)
	}
	data.Tables["subscribers"] = rows
	for b.Loop() {
		var buf bytes.Buffer
		if err := d.Render(&buf, data, RenderOptions{Validate: &ValidateOptions{Now: testNow}}); err != nil {
			b.Fatal(err)
		}
	}
}
