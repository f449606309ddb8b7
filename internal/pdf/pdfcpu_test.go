package pdf_test

import (
	"bytes"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// TestPdfcpuWritten reads and updates files rewritten by pdfcpu (object streams and an
// xref stream by default, or a classic table), and checks pdfcpu reads our updates.
func TestPdfcpuWritten(t *testing.T) {
	for _, streams := range []bool{true, false} {
		t.Run(map[bool]string{true: "xrefstream", false: "table"}[streams], func(t *testing.T) {
			conf := model.NewDefaultConfiguration()
			conf.WriteObjectStream = streams
			conf.WriteXRefStream = streams
			var out bytes.Buffer
			require.NoError(t, api.Optimize(bytes.NewReader(pdftest.WithSignatureField()), &out, conf))
			orig := out.Bytes()
			d := open(t, orig)
			assert.False(t, d.Recovered(), "%v", d.Warnings())
			want := pdf.XRefTable
			if streams {
				want = pdf.XRefStream
			}
			assert.Equal(t, want, d.Revisions()[0].Style)
			fields, err := d.Fields()
			require.NoError(t, err)
			require.Len(t, fields, 2)
			upd, obj, st := appendUpdate(t, d, orig)
			qpdfCheck(t, upd)
			checkUpdated(t, upd, d, obj, st, nil)
			require.NoError(t, api.Validate(bytes.NewReader(upd), model.NewDefaultConfiguration()))
		})
	}
}
