package layout_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/signature"
)

// ckImageAppearance draws img over the whole widget, as a one-page PDF (the form of
// appearance signature.Sign imports).
func ckImageAppearance(t *testing.T, img ckImage) signature.Appearance {
	return signature.AppearanceFunc(func(ctx context.Context, width, height float64, _ *x509.Certificate, _ time.Time) ([]byte, error) {
		d := ckNewDoc(t)
		p := d.page(width/ckMM, height/ckMM)
		p.scan(img, [4]float64{0, 0, width, height})
		return d.bytes(), nil
	})
}

// TestCheckReadsRealKysoSignatures signs a decision twice with signature.Sign — the
// signer's image between title and name, then the seal at its real size over the
// left third of it — and checks that Check reads kyso's own output: the roles, the
// certificate kinds from the CMS, the times, and no broken rule.
func TestCheckReadsRealKysoSignatures(t *testing.T) {
	f := ckNewFixture(t, 2, 30, 14)
	f.d.sigs = nil
	doc := f.d.bytes()
	sign := func(in []byte, s ckSig, at time.Time) []byte {
		var out bytes.Buffer
		_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), s.key, []*x509.Certificate{s.cert},
			&signature.SignOptions{Time: at, NewField: s.name,
				Widget: &signature.Widget{Page: s.page, Rect: s.rect, Appearance: ckImageAppearance(t, *s.img)}})
		require.NoError(t, err)
		return out.Bytes()
	}
	at := time.Date(2026, 12, 7, 7, 3, 45, 0, ckVNZone)
	signed := sign(doc, f.signer, at)
	signed = sign(signed, f.seal, at.Add(10*time.Minute))

	rep := ckCheck(t, signed, &layout.CheckOptions{SealDiameterMM: 36})
	assert.Empty(t, rep.Failed(), ckDescribe(rep))
	sigs := rep.Measurement.Signatures
	require.Len(t, sigs, 2)
	assert.Equal(t, "signer", sigs[0].Role)
	assert.Equal(t, layout.CertIndividual, sigs[0].Kind)
	assert.True(t, sigs[0].Time.Equal(at), "/M read: %v", sigs[0].Time)
	assert.Equal(t, "seal", sigs[1].Role)
	assert.Equal(t, layout.CertOrganisation, sigs[1].Kind)
	assert.Equal(t, 2, sigs[1].Page)

	// The same seal placed on the right of the signer is flagged on kyso's output too.
	right := f.seal
	w := right.rect[2] - right.rect[0]
	right.rect[0] = f.signer.rect[2] - w/2
	right.rect[2] = right.rect[0] + w
	bad := sign(sign(doc, f.signer, at), right, at.Add(time.Minute))
	assert.Contains(t, ckFailed(ckCheck(t, bad, nil)), "seal.side")
}

// ckUprightRotated rewrites every page as a page with /Rotate rot that displays as
// before (MediaBox turned, content counter-rotated), as rotated exports are made.
func ckUprightRotated(t *testing.T, b []byte, rot int) []byte {
	t.Helper()
	d, err := pdf.Open(bytes.NewReader(b), int64(len(b)), nil)
	require.NoError(t, err)
	pages, err := d.Pages()
	require.NoError(t, err)
	u := d.NewUpdate()
	for _, p := range pages {
		w, h := p.MediaBox[2]-p.MediaBox[0], p.MediaBox[3]-p.MediaBox[1]
		np := pdf.Page{Rotate: rot, CropBox: [4]float64{0, 0, w, h}}
		if rot == 90 || rot == 270 {
			np.CropBox = [4]float64{0, 0, h, w}
		}
		inv := ckInvert(pdf.UprightMatrix(np))
		pre := u.Add(&pdf.Stream{Dict: pdf.Dict{}, Data: []byte(fmt.Sprintf("q %g %g %g %g %g %g cm\n", inv[0], inv[1], inv[2], inv[3], inv[4], inv[5]))})
		post := u.Add(&pdf.Stream{Dict: pdf.Dict{}, Data: []byte("\nQ")})
		nd := p.Dict.Clone()
		nd["Contents"] = pdf.Array{pre, p.Dict.Get("Contents"), post}
		nd["Rotate"] = pdf.Integer(rot)
		box := pdf.Array{pdf.Real(0), pdf.Real(0), pdf.Real(np.CropBox[2]), pdf.Real(np.CropBox[3])}
		nd["MediaBox"], nd["CropBox"] = box, box
		u.Set(p.Ref, nd)
	}
	out, err := u.Bytes()
	require.NoError(t, err)
	return append(append([]byte(nil), b...), out...)
}

func ckInvert(m [6]float64) [6]float64 {
	det := m[0]*m[3] - m[1]*m[2]
	return [6]float64{m[3] / det, -m[1] / det, -m[2] / det, m[0] / det, (m[2]*m[5] - m[3]*m[4]) / det, (m[1]*m[4] - m[0]*m[5]) / det}
}

// TestCheckRotatedPages: a decision whose pages carry /Rotate (content drawn
// counter-rotated, so that they display upright), signed by signature.Sign (which
// counter-rotates the appearances), is measured in its displayed orientation and
// checked conforming; a seal on the right is still flagged.
func TestCheckRotatedPages(t *testing.T) {
	for _, rot := range []int{90, 180, 270} {
		t.Run(fmt.Sprint(rot), func(t *testing.T) {
			f := ckNewFixture(t, 2, 30, 14)
			f.d.sigs = nil
			doc := ckUprightRotated(t, f.d.bytes(), rot)
			d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
			require.NoError(t, err)
			pages, err := d.Pages()
			require.NoError(t, err)
			toUser := ckInvert(pdf.UprightMatrix(pages[1]))
			at := time.Date(2026, 12, 7, 7, 3, 45, 0, ckVNZone)
			sign := func(in []byte, s ckSig) []byte {
				r := s.rect
				var user [4]float64
				for i, p := range [][2]float64{{r[0], r[1]}, {r[2], r[3]}} {
					user[i*2] = p[0]*toUser[0] + p[1]*toUser[2] + toUser[4]
					user[i*2+1] = p[0]*toUser[1] + p[1]*toUser[3] + toUser[5]
				}
				if user[0] > user[2] {
					user[0], user[2] = user[2], user[0]
				}
				if user[1] > user[3] {
					user[1], user[3] = user[3], user[1]
				}
				var out bytes.Buffer
				_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), s.key, []*x509.Certificate{s.cert},
					&signature.SignOptions{Time: at, Widget: &signature.Widget{Page: 2, Rect: user, Appearance: ckImageAppearance(t, *s.img)}})
				require.NoError(t, err)
				return out.Bytes()
			}
			signed := sign(sign(doc, f.signer), f.seal)
			rep := ckCheck(t, signed, &layout.CheckOptions{SealDiameterMM: 36})
			assert.Empty(t, rep.Failed(), ckDescribe(rep))
			assert.Equal(t, rot, rep.Measurement.Pages[0].Rotate)
			require.Len(t, rep.Measurement.CandidateBlocks, 1)

			right := f.seal
			w := right.rect[2] - right.rect[0]
			right.rect[0] = f.signer.rect[2] - w/2
			right.rect[2] = right.rect[0] + w
			bad := sign(sign(doc, f.signer), right)
			assert.Contains(t, ckFailed(ckCheck(t, bad, nil)), "seal.side")
		})
	}
}

// ckTextAppearance writes one line of 10 pt text, as a one-page PDF.
func ckTextAppearance(t *testing.T, text string) signature.Appearance {
	return signature.AppearanceFunc(func(ctx context.Context, width, height float64, _ *x509.Certificate, _ time.Time) ([]byte, error) {
		d := ckNewDoc(t)
		p := d.page(width/ckMM, height/ckMM)
		d.text(p, 2, height/2-3, 10, false, text)
		return d.bytes(), nil
	})
}

// TestCheckReadsRealKysoStamps: an attachment signed by signature.Sign with a
// text-only stamp at the top right of page 1 passes when the stamp shows /M in
// Vietnam time, and is flagged when it shows another time.
func TestCheckReadsRealKysoStamps(t *testing.T) {
	f := ckNewFixture(t, 1, 30, 14)
	f.d.sigs = nil
	doc := f.d.bytes()
	at := time.Date(2026, 12, 7, 0, 3, 45, 0, time.UTC) // 07:03:45 in Vietnam
	s := f.stamp("")
	sign := func(text string) []byte {
		var out bytes.Buffer
		_, err := signature.Sign(context.Background(), &out, bytes.NewReader(doc), int64(len(doc)), f.orgKey, []*x509.Certificate{f.orgCert},
			&signature.SignOptions{Time: at, Widget: &signature.Widget{Page: 1, Rect: s.rect, Appearance: ckTextAppearance(t, text)}})
		require.NoError(t, err)
		return out.Bytes()
	}
	rep := ckCheck(t, sign("Số: 41/2022/QĐ-UBND; 2026-12-07T07:03:45+07:00"), nil)
	assert.Empty(t, rep.Failed(), ckDescribe(rep))
	require.Len(t, rep.Measurement.Signatures, 1)
	assert.Equal(t, "attachment", rep.Measurement.Signatures[0].Role)
	assert.Equal(t, "Số: 41/2022/QĐ-UBND; 2026-12-07T07:03:45+07:00", rep.Measurement.Signatures[0].Text)

	got := ckFailed(ckCheck(t, sign("Số: 41/2022/QĐ-UBND; 2026-12-07T00:03:45+07:00"), nil))
	require.Contains(t, got, "stamp.time.value")
	assert.Contains(t, got["stamp.time.value"].Measured, "signed 2026-12-07T07:03:45+07:00")
}
