package main

import (
	"flag"
	"fmt"
	"math"

	"github.com/kyso-go/kyso/layout"
)

// signPlacementFlags are the Nghị định 30/2020 placement flags of "kyso sign" (issue
// 10): where the visible signature goes and what it shows, decided by the layout
// package.
type signPlacementFlags struct {
	placement   string
	image       string
	signerTitle string
	signerName  string
	sealMM      float64
	docNumber   string
	copyForm    string
	orgName     string
	font        string
	kind        layout.Kind
}

const signPlacementHelp = `visible signature placed per Nghị định 30/2020 Phụ lục I: signer (the -image between the
title and the name of the signer block), seal (the -image at its real size over the left
third of the signer's signature), attachment ("Số: -doc-number; time" top right of page 1),
copy ("-copy-form; -org-name; time" top right of page 1)`

func (p *signPlacementFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.placement, "placement", "", "`kind` of "+signPlacementHelp)
	fs.StringVar(&p.image, "image", "", "signature or seal image `PNG` (transparent background; a JPEG is accepted with a warning)")
	fs.StringVar(&p.signerTitle, "signer-title", "", "the signer's title as printed (ô 7a), lines separated by \\n or given in one `text`, e.g. \"KT. CHỦ TỊCH PHÓ CHỦ TỊCH\"")
	fs.StringVar(&p.signerName, "signer-name", "", "the signer's name as printed (ô 7b) `text`")
	fs.Float64Var(&p.sealMM, "seal-mm", 0, "the seal's real diameter in `mm` (default: from the PNG's resolution, pHYs)")
	fs.StringVar(&p.docNumber, "doc-number", "", "-placement attachment: the number and symbol `text` of the document, e.g. 41/2022/QĐ-UBND")
	fs.StringVar(&p.copyForm, "copy-form", "", "-placement copy: `form` of the copy: \"SAO Y\", \"SAO LỤC\" or \"TRÍCH SAO\"")
	fs.StringVar(&p.orgName, "org-name", "", "-placement copy: the copying organisation `text` (default: the organisation in the signing certificate)")
	fs.StringVar(&p.font, "font", "", "TrueType `file` to set the stamps' and text box's text in (the agency's licensed Times New Roman; default: the embedded Liberation Serif, its metric clone)")
}

// problems checks the placement flags.
func (p *signPlacementFlags) problems() []string {
	if p.placement == "" {
		if p.image != "" || p.signerTitle != "" || p.signerName != "" || p.sealMM != 0 || p.docNumber != "" || p.copyForm != "" || p.orgName != "" {
			return []string{"-image, -signer-title, -signer-name, -seal-mm, -doc-number, -copy-form and -org-name need -placement"}
		}
		return nil
	}
	k, err := layout.ParseKind(p.placement)
	if err != nil || k == layout.TextBox {
		return []string{fmt.Sprintf("-placement %q: want signer, seal, attachment or copy", p.placement)}
	}
	p.kind = k
	var out []string
	switch k {
	case layout.Signer:
		if p.image == "" || p.signerName == "" {
			out = append(out, "-placement signer needs -image PNG and -signer-name (and usually -signer-title)")
		}
	case layout.Seal:
		if p.image == "" {
			out = append(out, "-placement seal needs -image PNG")
		}
	case layout.Attachment:
		if p.docNumber == "" {
			out = append(out, "-placement attachment needs -doc-number")
		}
	case layout.Copy:
		if p.copyForm == "" {
			out = append(out, `-placement copy needs -copy-form "SAO Y", "SAO LỤC" or "TRÍCH SAO"`)
		} else if _, err := layout.ParseCopyForm(p.copyForm); err != nil {
			out = append(out, fmt.Sprintf(`-copy-form %q: want "SAO Y", "SAO LỤC" or "TRÍCH SAO"`, p.copyForm))
		}
	}
	if p.sealMM < 0 || p.sealMM > layout.MaxSealMM || math.IsNaN(p.sealMM) {
		out = append(out, fmt.Sprintf("-seal-mm %g: want the seal's real diameter, 0 < mm ≤ %g (0: from the PNG's pHYs)", p.sealMM, layout.MaxSealMM))
	}
	return out
}

// spec returns the layout spec the flags ask for, or nil for an invisible signature:
// the root package places and draws it (kyso.SignOptions.Placement). A -rect without
// -placement is a Vietnamese text box.
func (p *signPlacementFlags) spec(f *signFlags) (*layout.Spec, error) {
	spec := layout.Spec{Kind: p.kind, SignerTitle: unescapeNewlines(p.signerTitle), SignerName: p.signerName,
		SealMM: p.sealMM, DocNumber: p.docNumber, CopyForm: p.copyForm, OrgName: p.orgName, Page: f.page}
	if f.widget != nil {
		r := f.widget.Rect
		spec.Rect = &r
	}
	switch {
	case p.kind == 0 && f.widget == nil:
		return nil, nil
	case p.kind == 0:
		spec.Kind = layout.TextBox
	}
	if p.image != "" {
		data, err := readLimited(p.image, 16<<20)
		if err != nil {
			return nil, fmt.Errorf("-image: %w", err)
		}
		spec.Image = data
	}
	if p.font != "" {
		data, err := readLimited(p.font, 32<<20)
		if err != nil {
			return nil, fmt.Errorf("-font: %w", err)
		}
		spec.Font = data
	}
	return &spec, nil
}

// unescapeNewlines turns a typed "\n" into a line break.
func unescapeNewlines(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && s[i+1] == 'n' {
			out = append(out, '\n')
			i++
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}
