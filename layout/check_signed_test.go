package layout_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/signature"
)

// imageAppearance draws img over the whole widget, as a one-page PDF (the form of
// appearance signature.Sign imports).
func imageAppearance(t *testing.T, img ckImage) signature.Appearance {
	return signature.AppearanceFunc(func(ctx context.Context, req signature.AppearanceRequest) ([]byte, error) {
		d := ckNewDoc(t)
		p := d.page(req.Width/ckMM, req.Height/ckMM)
		p.scan(img, [4]float64{0, 0, req.Width, req.Height})
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
				Widget: &signature.Widget{Page: s.page, Rect: s.rect, Appearance: imageAppearance(t, *s.img)}})
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
