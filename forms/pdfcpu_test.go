package forms

import (
	"bytes"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every built-in form, rendered with its sample, passes pdfcpu's strict validation: a
// second, independent reader besides qpdf and poppler in the golden test. Lists that
// break across pages and annexes are included.
func TestRenderedFormsPassPdfcpuStrictValidation(t *testing.T) {
	model.ConfigPath = "disable" // no configuration directory in the user's home
	reg, err := NewRegistry()
	require.NoError(t, err)
	long := mau02(t)
	longData := long.Normalize(long.Sample)
	longData.Tables["subscribers"] = subscriberRows(120)
	cases := map[string]func() (*Definition, *Data){"tt185/mau-02 with 120 rows": func() (*Definition, *Data) { return long, longData }}
	for _, d := range reg.Definitions() {
		cases[d.ID] = func() (*Definition, *Data) { return d, d.Sample }
	}
	for name, get := range cases {
		t.Run(goldenName(name), func(t *testing.T) {
			d, data := get()
			var buf bytes.Buffer
			require.NoError(t, d.Render(&buf, data, RenderOptions{Validate: &ValidateOptions{Now: testNow}}))
			conf := model.NewDefaultConfiguration()
			conf.ValidationMode = model.ValidationStrict
			assert.NoError(t, api.Validate(bytes.NewReader(buf.Bytes()), conf))
		})
	}
}
