package pdf

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseContent(t *testing.T) {
	in := "q 1 0 0 1 72 700 cm BT /F1 12 Tf (Xin ch\\340o) Tj [(A) -120 (B)] TJ 14 TL T* (x) ' 1 2 (y) \" ET Q\n" +
		"/Span <</MCID 0>> BDC EMC ] " +
		"BI /W 2 /H 1 /CS /G /BPC 8 ID \x00EI\xff\nEI\nQ"
	ops, err := ParseContent([]byte(in), 0)
	require.NoError(t, err)
	var got []string
	for _, op := range ops {
		got = append(got, op.Operator)
	}
	assert.Equal(t, []string{"q", "cm", "BT", "Tf", "Tj", "TJ", "TL", "T*", "'", "\"", "ET", "Q", "BDC", "EMC", "BI", "Q"}, got)
	if diff := cmp.Diff(Array{String("A"), Integer(-120), String("B")}, ops[5].Operands[0]); diff != "" {
		t.Error(diff)
	}
	assert.Equal(t, String("Xin ch\xe0o"), ops[4].Operands[0])
	assert.Equal(t, Dict{"MCID": Integer(0)}, ops[12].Operands[1])
	img := ops[14]
	assert.Equal(t, Dict{"W": Integer(2), "H": Integer(1), "CS": Name("G"), "BPC": Integer(8)}, img.Operands[0])
	assert.Equal(t, String("\x00EI\xff"), img.Operands[1])
	assert.Equal(t, 0, ops[0].Offset)
	assert.Equal(t, 2, ops[1].Offset)

	_, err = ParseContent([]byte("q Q q Q"), 3)
	assert.ErrorIs(t, err, ErrLimit)
	_, err = ParseContent([]byte("BT (unterminated Tj ET"), 0)
	assert.ErrorIs(t, err, ErrMalformed)
	_, err = ParseContent([]byte("BI /W 1 Q"), 0)
	assert.ErrorIs(t, err, ErrMalformed)
}

// FuzzParseContent: content streams come from outside; no panic, typed errors only.
func FuzzParseContent(f *testing.F) {
	for _, s := range []string{
		"q 1 0 0 1 72 700 cm BT /F1 12 Tf (Hi) Tj [(A) -120 (B)] TJ ET Q",
		"BI /W 2 /H 1 /CS /G /BPC 8 ID \x00EI\xffEI\nQ", "/P <</MCID 0>> BDC EMC", "] > } {",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ops, err := ParseContent(b, 10000)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrLimit) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		for _, op := range ops {
			if op.Offset < 0 || op.Offset > len(b) || len(op.Operands) > maxOperands+1 {
				t.Fatalf("bad op %+v", op)
			}
		}
	})
}
