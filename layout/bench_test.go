package layout_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/kyso-go/kyso/internal/typeset"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/layout/layouttest"
	"github.com/kyso-go/kyso/signature"
)

// decisionPDF sets an n-page decision with the typesetter: 32 lines of body text a
// page and the signer block (TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH, four
// lines of room, the name) at the end of the last page. Padding with an image brings
// the file to at least minSize bytes.
func decisionPDF(tb testing.TB, n, minSize int) []byte {
	tb.Helper()
	d, err := typeset.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	const body = "Giao Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành tổ chức triển khai việc ký số văn bản điện tử."
	var p *typeset.Page
	for i := 0; i < n; i++ {
		p = d.NewPage(typeset.A4Width, typeset.A4Height)
		for l := 0; l < 32; l++ {
			d.Text(p, typeset.Regular, 13, 85, 780-float64(l)*20, fmt.Sprintf("Điều %d. %s", i*32+l+1, body))
		}
	}
	for i, s := range []string{"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"} {
		d.Text(p, typeset.Bold, 14, 360, 120-float64(i)*16, s)
	}
	d.Text(p, typeset.Bold, 14, 360, 20, "Nguyễn Văn Thắng")
	if minSize > 0 {
		// Incompressible padding: an opaque picture of random grey.
		pad, err := typeset.DecodeImage(layouttest.WithDPI(noisePNG(minSize), 72))
		if err != nil {
			tb.Fatal(err)
		}
		d.Image(d.Pages()[0], pad, 0, 0, 10, 10)
	}
	out, err := d.Bytes(typeset.Info{Title: "Quyết định"})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// noisePNG is a grey PNG of random pixels, about size bytes.
func noisePNG(size int) []byte {
	side := int(math.Sqrt(float64(size)))
	img := image.NewGray(image.Rect(0, 0, side, side))
	rand.Read(img.Pix)
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// benchKey is a software signer with a self-signed certificate.
func benchKey(tb testing.TB) (crypto.Signer, []*x509.Certificate) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Nguyễn Văn Thắng", Organization: []string{"Ủy ban nhân dân tỉnh Quảng Ninh"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return key, []*x509.Certificate{cert}
}

// BenchmarkSign200KB compares signing a 200 KB decision invisibly with signing it
// with the signer's image placed and drawn by layout: the difference is what layout
// adds.
func BenchmarkSign200KB(b *testing.B) {
	doc := decisionPDF(b, 3, 200<<10)
	key, chain := benchKey(b)
	sig := layouttest.SignaturePNG(300)
	ctx := context.Background()
	b.Logf("document: %d bytes", len(doc))
	b.Run("invisible", func(b *testing.B) {
		b.ReportAllocs()
		start := processCPU()
		defer reportCPU(b, start)
		for b.Loop() {
			if _, err := signature.Sign(ctx, io.Discard, bytes.NewReader(doc), int64(len(doc)), key, chain, &signature.SignOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("signer-placed", func(b *testing.B) {
		b.ReportAllocs()
		start := processCPU()
		defer reportCPU(b, start)
		for b.Loop() {
			p, err := layout.Place(ctx, bytes.NewReader(doc), int64(len(doc)), layout.Spec{Kind: layout.Signer, Image: sig,
				SignerTitle: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", SignerName: "Nguyễn Văn Thắng"})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := signature.Sign(ctx, io.Discard, bytes.NewReader(doc), int64(len(doc)), key, chain,
				&signature.SignOptions{Widget: &signature.Widget{Page: p.Page, Rect: p.Rect, Appearance: p}}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("attachment-stamp", func(b *testing.B) {
		b.ReportAllocs()
		start := processCPU()
		defer reportCPU(b, start)
		for b.Loop() {
			p, err := layout.Place(ctx, bytes.NewReader(doc), int64(len(doc)), layout.Spec{Kind: layout.Attachment, DocNumber: "41/2022/QĐ-UBND"})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := signature.Sign(ctx, io.Discard, bytes.NewReader(doc), int64(len(doc)), key, chain,
				&signature.SignOptions{Widget: &signature.Widget{Page: p.Page, Rect: p.Rect, Appearance: p}}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("place-and-draw-only", func(b *testing.B) {
		b.ReportAllocs()
		start := processCPU()
		defer reportCPU(b, start)
		for b.Loop() {
			p, err := layout.Place(ctx, bytes.NewReader(doc), int64(len(doc)), layout.Spec{Kind: layout.Signer, Image: sig,
				SignerTitle: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", SignerName: "Nguyễn Văn Thắng"})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := p.AppearancePDF(ctx, p.Rect[2]-p.Rect[0], p.Rect[3]-p.Rect[1], chain[0], time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPlace300Pages finds the signer block of a 300-page decision: on the last
// page, the one searched first.
func BenchmarkPlace300Pages(b *testing.B) {
	doc := decisionPDF(b, 300, 0)
	sig := layouttest.SignaturePNG(300)
	ctx := context.Background()
	b.Logf("document: %d bytes, 300 pages", len(doc))
	b.Run("signer", func(b *testing.B) {
		b.ReportAllocs()
		start := processCPU()
		defer reportCPU(b, start)
		for b.Loop() {
			if _, err := layout.Place(ctx, bytes.NewReader(doc), int64(len(doc)), layout.Spec{Kind: layout.Signer, Image: sig,
				SignerTitle: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", SignerName: "Nguyễn Văn Thắng"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The worst case: a name found nowhere, so every page is read.
	b.Run("absent-every-page-read", func(b *testing.B) {
		b.ReportAllocs()
		start := processCPU()
		defer reportCPU(b, start)
		for b.Loop() {
			if _, err := layout.FindSigner(ctx, bytes.NewReader(doc), int64(len(doc)), "CHỦ TỊCH", "Trần Văn Ba", nil); err == nil {
				b.Fatal("found")
			}
		}
	})
}
