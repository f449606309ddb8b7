package layout_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/layout"
)

// TestCheckFontRules: a page set in fonts that are not embedded (the standard Times
// of a converter) is flagged font.embedded; one set in Helvetica is flagged
// font.family as an error (not Times New Roman nor a metric clone).
func TestCheckFontRules(t *testing.T) {
	rep := ckCheck(t, rotatedLetter(), nil)
	got := ckFailed(rep)
	require.Contains(t, got, "font.embedded", ckDescribe(rep))
	assert.Equal(t, layout.SeverityError, got["font.embedded"].Severity)
	assert.Contains(t, got["font.embedded"].Measured, "Times")

	helv := bytes.ReplaceAll(rotatedLetter(), []byte("/Times-Roman"), []byte("/Helvetica  "))
	helv = bytes.ReplaceAll(helv, []byte("/Times-Bold"), []byte("/Helvetica-B"))
	rep = ckCheck(t, helv, nil)
	got = ckFailed(rep)
	require.Contains(t, got, "font.family", ckDescribe(rep))
	assert.Equal(t, layout.SeverityError, got["font.family"].Severity)
	assert.True(t, strings.Contains(got["font.family"].Measured, "Helvetica"), got["font.family"].Measured)
}
