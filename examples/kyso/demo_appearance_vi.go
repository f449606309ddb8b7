package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/kyso-go/kyso/forms"
	"github.com/kyso-go/kyso/signature"
)

// demoSignerHeight is the height, in points, of the leader's visible signature: the
// three lines of a signer block as forms sets them (13 pt, 15.6 pt apart), with
// room for accents and descenders.
const demoSignerHeight = 50

// demoSignerAppearance draws the leader's visible signature with the Vietnamese text
// intact, without a font engine of its own: forms renders a one-block page whose
// signer lines read "KÝ BỞI: <name>", the title on the certificate and the signing
// time, in the embedded Liberation Serif; pdfcpu then narrows that page's MediaBox
// to the lines just above the block's signature box (the viewer shows only the
// MediaBox of an appearance), colours the text blue (NĐ 30/2020 Phụ lục I: the
// signature image of the person with authority is blue) and frames it.
//
// The lines must fit req.Width (the demo's names do); a longer line is clipped.
func demoSignerAppearance(_ context.Context, req signature.AppearanceRequest) ([]byte, error) {
	if req.Signer == nil {
		return nil, errors.New("no signer certificate")
	}
	def := &forms.Definition{
		ID: "kyso-demo/signature-image", Title: "Hình ảnh chữ ký số", Layout: forms.LayoutApplication,
		Signature: forms.SignatureBlock{Signer: "subscriber", Blocks: []forms.SignerBlock{{
			Role:      "signer",
			Authority: "Ký bởi: " + req.Signer.Subject.CommonName,
			Title:     demoCertTitle(req.Signer),
			Hint:      "Ngày ký: " + req.Time.In(demoICT).Format("02/01/2006 15:04:05"),
		}}},
	}
	data := &forms.Data{Form: def.ID, Header: forms.Header{SignerName: req.Signer.Subject.CommonName}}
	var page bytes.Buffer
	r, err := def.RenderDocument(&page, data, forms.RenderOptions{SkipValidation: true, Created: req.Time})
	if err != nil {
		return nil, fmt.Errorf("rendering the signature image: %w", err)
	}
	if r.Pages != 1 || len(r.Signatures) != 1 || r.Signatures[0].Page != 1 {
		return nil, errors.New("rendering the signature image: not a one-page, one-block layout")
	}
	box := r.Signatures[0].Rect
	cx := (box[0] + box[2]) / 2
	window := [4]float64{cx - req.Width/2, box[3] + 1, cx + req.Width/2, box[3] + 1 + req.Height}
	return demoWindow(page.Bytes(), window,
		"0 0 0.8 rg\n",
		fmt.Sprintf("q 0 0 0.8 RG 1 w %.2f %.2f %.2f %.2f re S Q\n", window[0]+0.5, window[1]+0.5, req.Width-1, req.Height-1))
}

// demoSealLines is the band, in points, that the seal's three lines take above the
// signature box forms leaves (as for demoSignerHeight), and demoSealWidth its width.
const (
	demoSealLines = 50
	demoSealWidth = 140
)

// demoSealAppearance draws the organisation's signature as NĐ 30/2020 Phụ lục I shows
// it, the organisation's seal in red: two circles around its name on two lines and
// the signing time, set by forms in Vietnamese as demoSignerAppearance does. The
// window is a square around the circles, which the viewer scales down onto the
// widget; the page's other text is clipped away. A name longer than demoSealWidth at
// 13 pt is clipped.
func demoSealAppearance(_ context.Context, req signature.AppearanceRequest) ([]byte, error) {
	if req.Signer == nil {
		return nil, errors.New("no signer certificate")
	}
	name := strings.Fields(req.Signer.Subject.CommonName)
	half := (len(name) + 1) / 2
	def := &forms.Definition{
		ID: "kyso-demo/seal-image", Title: "Hình ảnh dấu", Layout: forms.LayoutApplication,
		Signature: forms.SignatureBlock{Signer: "subscriber", Blocks: []forms.SignerBlock{{
			Role:      "seal",
			Authority: strings.Join(name[:half], " "),
			Title:     strings.Join(name[half:], " "),
			Hint:      req.Time.In(demoICT).Format("02/01/2006 15:04"),
		}}},
	}
	data := &forms.Data{Form: def.ID}
	var page bytes.Buffer
	r, err := def.RenderDocument(&page, data, forms.RenderOptions{SkipValidation: true, Created: req.Time})
	if err != nil {
		return nil, fmt.Errorf("rendering the seal image: %w", err)
	}
	if r.Pages != 1 || len(r.Signatures) != 1 || r.Signatures[0].Page != 1 {
		return nil, errors.New("rendering the seal image: not a one-page, one-block layout")
	}
	box := r.Signatures[0].Rect
	cx, cy := (box[0]+box[2])/2, box[3]+1+demoSealLines/2.0
	// The circle holds the band's corners; the window keeps the seal's aspect ratio
	// to the widget's, so that the circle stays round.
	inner := math.Hypot(demoSealWidth/2.0, demoSealLines/2.0) + 2
	outer := inner + 5
	side := 2*outer + 2
	w, h := side, side
	if req.Width > req.Height {
		w = side * req.Width / req.Height
	} else if req.Height > req.Width {
		h = side * req.Height / req.Width
	}
	window := [4]float64{cx - w/2, cy - h/2, cx + w/2, cy + h/2}
	return demoWindow(page.Bytes(), window,
		fmt.Sprintf("q %.2f %.2f %.2f %.2f re W n 0.85 0 0 rg\n", cx-demoSealWidth/2.0, box[3]+1, float64(demoSealWidth), float64(demoSealLines)),
		fmt.Sprintf("Q q 0.85 0 0 RG 2.5 w %s S 1.2 w %s S Q\n", demoCircle(cx, cy, outer), demoCircle(cx, cy, inner)))
}

// demoWindow returns the one-page PDF doc with its MediaBox set to window, the content
// stream before drawn first and after drawn last.
func demoWindow(doc []byte, window [4]float64, before, after string) ([]byte, error) {
	ctx, err := api.ReadContext(bytes.NewReader(doc), demoPDFCPUConfig())
	if err != nil {
		return nil, fmt.Errorf("reading the signature image: %w", err)
	}
	if err := ctx.EnsurePageCount(); err != nil {
		return nil, fmt.Errorf("reading the signature image: %w", err)
	}
	d, _, _, err := ctx.PageDict(1, false)
	if err != nil {
		return nil, fmt.Errorf("reading the signature image: %w", err)
	}
	stream := func(content string) (types.Object, error) {
		sd, err := ctx.NewStreamDictForBuf([]byte(content))
		if err != nil {
			return nil, err
		}
		if err := sd.Encode(); err != nil {
			return nil, err
		}
		ref, err := ctx.IndRefForNewObject(*sd)
		if err != nil {
			return nil, err
		}
		return *ref, nil
	}
	first, err := stream(before)
	if err != nil {
		return nil, err
	}
	last, err := stream(after)
	if err != nil {
		return nil, err
	}
	contents := types.Array{first}
	switch c := d["Contents"].(type) {
	case types.Array:
		contents = append(contents, c...)
	case nil:
	default:
		contents = append(contents, c)
	}
	d["Contents"] = append(contents, last)
	d["MediaBox"] = types.NewNumberArray(window[:]...)
	delete(d, "CropBox")
	var out bytes.Buffer
	if err := api.WriteContext(ctx, &out); err != nil {
		return nil, fmt.Errorf("writing the signature image: %w", err)
	}
	return out.Bytes(), nil
}

// demoPDFCPUConfig is pdfcpu's default configuration built in memory: pdfcpu's own
// default would install a configuration directory in the user's home. Classic
// cross-reference tables, no object streams, nothing optimised away.
func demoPDFCPUConfig() *model.Configuration {
	return &model.Configuration{
		CreationDate:              time.Now().Format("2006-01-02 15:04"),
		Version:                   model.VersionStr,
		Reader15:                  true,
		ValidationMode:            model.ValidationRelaxed,
		UnsupportedResourcePolicy: model.UnsupportedResourceSkip,
		Eol:                       types.EolLF,
		TimestampFormat:           "2006-01-02 15:04",
		DateFormat:                "2006-01-02",
		Offline:                   true,
		Limits:                    model.DefaultResourceLimits(),
	}
}

// demoICT is Vietnam's time zone (UTC+7), in which the signing time is shown.
var demoICT = time.FixedZone("ICT", 7*3600)

// oidTitle is the X.520 title attribute (2.5.4.12), where the VGCA writes the
// holder's position.
var oidTitle = asn1.ObjectIdentifier{2, 5, 4, 12}

// demoCertTitle returns the title attribute of the certificate's subject, or "".
func demoCertTitle(cert *x509.Certificate) string {
	for _, atv := range cert.Subject.Names {
		if s, ok := atv.Value.(string); ok && atv.Type.Equal(oidTitle) {
			return s
		}
	}
	return ""
}
