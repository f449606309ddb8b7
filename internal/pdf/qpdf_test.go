package pdf_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// TestQPDFWritten reads and updates files written by another producer: qpdf's
// linearized files (two cross-reference sections forming one revision) and its object
// streams.
func TestQPDFWritten(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		style pdf.XRefStyle
	}{
		{"linearized", []string{"--linearize"}, pdf.XRefTable},
		{"linearized-objstm", []string{"--linearize", "--object-streams=generate"}, pdf.XRefStream},
		{"objstm", []string{"--object-streams=generate"}, pdf.XRefStream},
		{"qdf", []string{"--qdf"}, pdf.XRefTable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := pdftest.QPDF(t, pdftest.WithSignatureField(), tt.args...)
			d := open(t, orig)
			assert.False(t, d.Recovered(), "%v", d.Warnings())
			revs := d.Revisions()
			require.Len(t, revs, 1)
			assert.Equal(t, int64(len(orig)), revs[0].EOF)
			assert.Equal(t, tt.style, revs[0].Style)
			fields, err := d.Fields()
			require.NoError(t, err)
			require.Len(t, fields, 2)
			assert.Equal(t, pdftest.SignatureFieldName, fields[0].Name)
			out, obj, st := appendUpdate(t, d, orig)
			qpdfCheck(t, out)
			checkUpdated(t, out, d, obj, st, nil)
		})
	}
}
