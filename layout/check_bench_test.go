package layout_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/kyso-go/kyso/layout"
)

// ckDecision300 is a 300-page decision (14 pt body, justified, page numbers, signer
// block on the last page) with the signer's image and the seal, built once.
var ckDecision300 []byte

func ckBenchDoc(b *testing.B) []byte {
	if ckDecision300 == nil {
		f := ckNewFixture(b, 300, 30, 14)
		ckDecision300 = f.pdf()
	}
	return ckDecision300
}

// BenchmarkMeasure300Pages extracts the text, images and rules of a 300-page decision
// and finds its signer blocks and signatures (layout.Measure).
func BenchmarkMeasure300Pages(b *testing.B) {
	doc := ckBenchDoc(b)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m, err := layout.Measure(context.Background(), bytes.NewReader(doc), int64(len(doc)), nil)
		if err != nil || len(m.Pages) != 300 || len(m.CandidateBlocks) != 1 {
			b.Fatalf("measure: %v", err)
		}
	}
}

// BenchmarkCheck300Pages checks the same decision (layout.Check: measuring plus every
// rule).
func BenchmarkCheck300Pages(b *testing.B) {
	doc := ckBenchDoc(b)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rep, err := layout.Check(context.Background(), bytes.NewReader(doc), int64(len(doc)), nil)
		if err != nil || !rep.Conforming() {
			b.Fatalf("check: %v %v", err, rep.Failed())
		}
	}
}
