package signature_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// TestVerifyRevisionStructureAttacks: updates appended to a signed document whose
// cross-reference structure lets a viewer show something else than what the
// modification analysis reads fail the signature (TOTAL_FAILED/FORMAT_FAILURE, class
// "other"), naming the revision; an innocuous update does not.
func TestVerifyRevisionStructureAttacks(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	p := newVTPKI(t, now.Add(-24*time.Hour), now.Add(365*24*time.Hour))
	base := pdftest.Classic() // object 7: page 1's content; 8: page 2's
	signed := vtSign(t, p, base, &signature.SignOptions{Time: now})
	tests := []struct {
		name   string
		doc    []byte
		failed bool
		says   string // in the failed modifications check
	}{
		{"innocuous update", must(pdftest.AppendUpdate(signed, pdftest.Update{Objects: map[int]string{40: "<< /Kyso (note) >>"}})), false, ""},
		// Before, the reader repaired the entry by scanning and the analysis saw object 7
		// unchanged; a viewer following the entry shows page 2's content on page 1.
		{"shadow hide: entry of a signed object points at another object",
			must(pdftest.AppendUpdate(signed, pdftest.Update{Entries: map[int]int64{7: pdftest.ObjectOffset(signed, 8)}})), true, "wrong-object"},
		{"%%EOF before the update's startxref",
			must(pdftest.AppendUpdate(signed, pdftest.Update{Objects: map[int]string{40: "<< /Kyso (note) >>"}, EOFBeforeStartXRef: true})), true, "eof-before-startxref"},
		{"appended linearization dictionary",
			must(pdftest.AppendUpdate(signed, pdftest.Update{Objects: map[int]string{40: "<< /Linearized 1 /L 100 /H [10 20] /O 4 /E 50 /N 2 /T 90 >>"}})), true, "linearization-added"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := vtVerify(t, p, tc.doc, now.Add(time.Minute), nil)
			require.Len(t, rep.Signatures, 1)
			s := rep.Signatures[0]
			if !tc.failed {
				assert.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
				return
			}
			assert.Equal(t, signature.TotalFailed, s.Indication, "%+v", s.Checks)
			assert.Equal(t, signature.FormatFailure, s.SubIndication)
			assert.Equal(t, signature.ModOther, s.Modification)
			var found, failedChecks int
			for _, c := range s.Checks {
				if c.Name == signature.CheckModifications && c.Result == signature.CheckFailed {
					failedChecks++
				}
				if c.Name == signature.CheckModifications && c.Result == signature.CheckFailed && strings.Contains(c.MessageEN, tc.says) {
					found++
					assert.Contains(t, c.MessageEN, "revision 2")
					assert.NotEmpty(t, c.MessageVI)
				}
			}
			assert.Equal(t, 1, found, "no failed modifications check naming %q: %+v", tc.says, s.Checks)
			// One classification, one message: the analysis's change list holds the
			// finding once, and no second check repeats it.
			assert.Equal(t, 1, failedChecks, "%+v", s.Checks)
			var changes int
			for _, c := range s.Changes {
				if strings.HasPrefix(c.Detail, tc.says+":") {
					changes++
					assert.Equal(t, signature.ModOther, c.Class)
					assert.Equal(t, 2, c.Revision)
				}
			}
			assert.Equal(t, 1, changes, "the finding once in the changes: %+v", s.Changes)
		})
	}
}

func must(b []byte, _ map[int]int64) []byte { return b }
