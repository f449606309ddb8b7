package pdf

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendObject(t *testing.T) {
	tests := []struct {
		name string
		in   Object
		want string
	}{
		{"null", nil, "null"},
		{"bool", Bool(true), "true"},
		{"int", Integer(-42), "-42"},
		{"real", Real(0.5), "0.5"},
		{"realWhole", Real(3), "3"},
		{"name", Name("A B#/"), "/A#20B#23#2F"},
		{"string", String("a(b)c\\d\r\n"), `(a\(b\)c\\d\r\n)`},
		{"hex", HexString("\x01\xab"), "<01AB>"},
		{"array", Array{Integer(1), Name("X"), Ref{3, 0}}, "[1 /X 3 0 R]"},
		{"dict", Dict{"B": Integer(2), "A": String("x")}, "<</A (x)/B 2>>"},
		{"raw", Raw("<0000>"), "<0000>"},
		{"stream", &Stream{Dict: Dict{"Length": Integer(99)}, Data: []byte("abc")}, "<</Length 3>>\nstream\nabc\nendstream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, string(AppendObject(nil, tt.in)))
		})
	}
}

func TestTextStringVietnamese(t *testing.T) {
	s := TextString("Nguyễn Văn Lĩnh")
	require.Equal(t, "\xfe\xff", string(s[:2]))
	// "ĩ" is U+0129: its low byte is ')' and must be escaped by the writer.
	out := AppendObject(nil, s)
	back, err := ParseObject(out)
	require.NoError(t, err)
	assert.Equal(t, s, back)
	assert.Equal(t, "Nguyễn Văn Lĩnh", DecodeText(back.(String)))
	assert.Contains(t, string(out), "\x01\\)")

	assert.Equal(t, String("Ha Noi"), TextString("Ha Noi"))
	assert.Equal(t, "€•", DecodeText(String("\xa0\x80")))
	assert.Equal(t, "đ", DecodeText(String("\xef\xbb\xbfđ")))
	assert.Equal(t, "😀", DecodeText(TextString("😀")))
}

func TestParseObject(t *testing.T) {
	tests := []struct {
		in   string
		want Object
	}{
		{"<< /Type /Page /Kids [1 0 R 2 0 R] /N -3 /R .5 /S (a\\)b) /H <414> >>",
			Dict{"Type": Name("Page"), "Kids": Array{Ref{1, 0}, Ref{2, 0}}, "N": Integer(-3), "R": Real(0.5), "S": String("a)b"), "H": String("A@")}},
		{"[1 2 3 R 4]", Array{Integer(1), Ref{2, 3}, Integer(4)}},
		{"[1 2]", Array{Integer(1), Integer(2)}},
		{"/A#42", Name("AB")},
		{"(a\\101\\\nb(c)\r\n)", String("aAb(c)\n")},
		{"<</A null /B true>>", Dict{"B": Bool(true)}},
		{"--5", Integer(5)},
		{"% comment\n 12", Integer(12)},
	}
	for _, tt := range tests {
		got, err := ParseObject([]byte(tt.in))
		require.NoError(t, err, tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q: (-want +got)\n%s", tt.in, diff)
		}
	}
}

func TestParseObjectErrors(t *testing.T) {
	deep := ""
	for i := 0; i < 100; i++ {
		deep += "["
	}
	_, err := ParseObject([]byte(deep))
	var le *LimitError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "MaxDepth", le.Limit)
	assert.True(t, errors.Is(err, ErrLimit))

	for _, in := range []string{"(abc", "<<A 1", "[1 2", "<zz>", "endobj"} {
		_, err := ParseObject([]byte(in))
		assert.ErrorIs(t, err, ErrMalformed, in)
	}
}

// FuzzParseObject parses arbitrary bytes as one object; whatever parses must serialise
// and parse back to the same object (the writer's escaping is complete).
func FuzzParseObject(f *testing.F) {
	for _, s := range []string{
		"<< /Type /Page /Kids [1 0 R 2 0 R] /N -3 /R .5 /S (a\\)b) /H <414> >>",
		"(\xfe\xff\x01\x29\x00\x5c)", "/A#20B", "[1 2 R 3]", "<</A<</B[()<>]>>>>", "--5", "1e5", "(\\r\\n\r\n)",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := ParseObject(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrLimit) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		out := AppendObject(nil, o)
		back, err := ParseObject(out)
		if err != nil {
			t.Fatalf("reparsing %q (from %q): %v", out, b, err)
		}
		if diff := cmp.Diff(wholeRealsAsIntegers(o), back); diff != "" {
			t.Fatalf("round trip of %q via %q (-first +second):\n%s", b, out, diff)
		}
	})
}

// wholeRealsAsIntegers replaces whole Reals (which the writer writes without a point)
// by Integers.
func wholeRealsAsIntegers(o Object) Object {
	switch v := o.(type) {
	case Real:
		if f := float64(v); f == math.Trunc(f) && math.Abs(f) < 1e15 {
			return Integer(int64(f))
		}
	case Array:
		out := make(Array, len(v))
		for i, e := range v {
			out[i] = wholeRealsAsIntegers(e)
		}
		return out
	case Dict:
		out := make(Dict, len(v))
		for k, e := range v {
			out[k] = wholeRealsAsIntegers(e)
		}
		return out
	}
	return o
}
