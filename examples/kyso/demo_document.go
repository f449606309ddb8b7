package main

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/kyso-go/kyso/forms"
)

// demoFormID is the form the demo renders: Nghị định 68/2024/NĐ-CP Mẫu số 01, the
// letter (công văn) by which an agency asks the VGCA for "chứng thư chữ ký số chuyên
// dùng công vụ" for its officials — the form in force since 15/8/2024, which replaced
// Thông tư 185/2019/TT-BQP Mẫu 02.
const demoFormID = "nd68/mau-01"

// demoLetterNumber is the letter's number and symbol (số và ký hiệu), which the
// appendix's attachment stamp repeats.
const demoLetterNumber = "1234/UBND-VP"

// demoSignerTitle is the chairman's title (ô 7a) as the letter prints it.
const demoSignerTitle = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"

// demoLetter is the rendered, unsigned letter and where its signature goes.
type demoLetter struct {
	Title string             // the form's official title
	PDF   []byte             // the rendered letter
	Box   forms.SignatureBox // the room between the signer's title (ô 7a) and name (ô 7b)
}

// demoRenderLetter renders the form's built-in sample as a letter of the People's
// Committee of the province, signed by its chairman (leaderName) on behalf of the
// committee (TM. ỦY BAN NHÂN DÂN, CHỦ TỊCH), dated now.
func demoRenderLetter(leaderName string, now time.Time) (*demoLetter, error) {
	reg, err := forms.NewRegistry()
	if err != nil {
		return nil, err
	}
	def, err := reg.Definition(demoFormID)
	if err != nil {
		return nil, err
	}
	if def.Sample == nil {
		return nil, fmt.Errorf("form %s has no sample data", demoFormID)
	}
	// Copy the sample: a Definition from a Registry is read-only.
	data := *def.Sample
	data.Header.ParentBody = ""
	data.Header.IssuingBody = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"
	data.Header.Number = demoLetterNumber
	data.Header.Place = "Quảng Ninh"
	data.Header.Date = forms.FormatDate(now)
	data.Header.SignerAuthority = "TM. ỦY BAN NHÂN DÂN"
	data.Header.SignerTitle = "CHỦ TỊCH"
	data.Header.SignerName = leaderName
	data.Header.Distribution = []string{"Như trên", "Lưu: VT, VP"}
	var b bytes.Buffer
	r, err := def.RenderDocument(&b, &data, forms.RenderOptions{
		Validate: &forms.ValidateOptions{Now: now},
		Created:  now,
	})
	if err != nil {
		return nil, fmt.Errorf("rendering %s: %w", demoFormID, err)
	}
	for _, box := range r.Signatures {
		if box.Role == "head" {
			return &demoLetter{Title: def.Title, PDF: b.Bytes(), Box: box}, nil
		}
	}
	return nil, errors.New("the rendered letter has no signature box for the head of the agency")
}
