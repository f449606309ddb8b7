package forms_test

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/kyso-go/kyso/forms"
)

func Example() {
	reg, err := forms.NewRegistry()
	if err != nil {
		panic(err)
	}
	def, err := reg.Definition("tt185/mau-01")
	if err != nil {
		panic(err)
	}
	data := &forms.Data{
		Form:   def.ID,
		Header: forms.Header{Place: "Hạ Long", Date: "03/11/2026"},
		Fields: map[string]string{
			"fullName": "Nguyễn Thị Thu Hương", "idNumber": "22185001234", // one digit short
			"idIssueDate": "10/08/2021", "idIssuePlace": "Cục CSQLHC về TTXH",
			"organisation": "Sở Thông tin và Truyền thông tỉnh Quảng Ninh", "province": "Quảng Ninh",
			"phone": "0912 345 678", "email": "huongntt@quangninh.gov.vn", "deviceType": "USB Token",
		},
	}
	now := forms.ValidateOptions{Now: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	err = def.Validate(def.Normalize(data), now)
	var ve *forms.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p.Path(), errors.Is(p, forms.ErrInvalidIDNumber))
		}
	}
	data.Fields["idNumber"] = "022185001234"
	var pdf bytes.Buffer
	if err := def.Render(&pdf, data, forms.RenderOptions{Validate: &now}); err != nil {
		panic(err)
	}
	fmt.Println(bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-1.7")))

	qn, _ := forms.LookupReportingProfile("quang-ninh")
	dls, _ := qn.Deadlines("2026-12", nil)
	fmt.Println(dls[0].Kind, forms.FormatDate(dls[0].Due))
	// Output:
	// fields.idNumber true
	// true
	// monthly 21/12/2026
}
