package layout_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kyso-go/kyso/layout"
)

// FuzzCheck runs Check over arbitrary bytes, seeded with small signed documents built
// here. It must never panic; every error must be ErrUnreadable (or the context's).
func FuzzCheck(f *testing.F) {
	d := ckNewDoc(f)
	p := d.page(210, 297)
	d.text(p, 85, 700, 14, false, "Điều 1. Phê duyệt")
	d.centred(p, 400, 600, 13, true, "KT. CHỦ TỊCH")
	d.centred(p, 400, 500, 14, true, "Nguyễn Văn Ấn")
	pc, pk := ckCert(f, "Nguyễn Văn Ấn", "CCCD:001085012345")
	oc, ok := ckCert(f, "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", "MST:5700100256")
	img := ckSignerImage(24, 10, [3]byte{20, 40, 180})
	seal := ckSealImage(16, [3]byte{220, 20, 30}, false)
	at := time.Date(2026, 12, 7, 7, 3, 45, 0, ckVNZone)
	d.sigs = []ckSig{
		{page: 1, rect: [4]float64{340, 520, 460, 580}, img: &img, cert: pc, key: pk, m: at},
		{page: 1, rect: [4]float64{300, 500, 400, 600}, img: &seal, cert: oc, key: ok, m: at},
		{page: 1, rect: [4]float64{300, 800, 580, 820}, text: "Số: 1/QĐ; 2026-12-07T07:03:45+07:00", size: 10, cert: oc, key: ok, m: at},
	}
	f.Add(d.bytes())
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj 4 0 obj<</Length 22>>stream\nBT /F1 13 Tf (1) Tj ET\nendstream endobj trailer<</Root 1 0 R>>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		opts := &layout.CheckOptions{MaxPages: 50, MaxObjects: 20000, MaxStreamSize: 4 << 20, MaxImagePixels: 1 << 18}
		rep, err := layout.Check(context.Background(), bytes.NewReader(b), int64(len(b)), opts)
		if err != nil {
			if !errors.Is(err, layout.ErrUnreadable) {
				t.Fatalf("error not ErrUnreadable: %v", err)
			}
			return
		}
		_ = rep.Conforming()
	})
}
