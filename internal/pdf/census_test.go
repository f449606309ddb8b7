package pdf_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	. "github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// censusDoc writes a classic one-revision file whose object 3 has the given body.
func censusDoc(body string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	objs := []string{"<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[]/Count 0>>", body}
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

// TestCountReferences: references are counted however the syntax spreads their tokens
// (comments and line ends between them), the trailer's own are left out, and look-alikes
// that the lexer would not read as a reference are not.
func TestCountReferences(t *testing.T) {
	tests := []struct {
		body string
		want map[int]int
	}{
		{"<</A 20 0 R/B[20 0 R 21 0 R]>>", map[int]int{20: 2, 21: 1}},
		{"<</A 20 0 %comment\nR>>", map[int]int{20: 1}},
		{"<</A 20 %c1\n%c2\n0\r\nR>>", map[int]int{20: 1}},
		{"<</A (50%) 20 0 R>>", map[int]int{20: 1}},
		{"<</A 020 0 R>>", map[int]int{20: 1}},
		{"<</A 20 0 RG /B 20 0R /C -20 0 R /D 2.0 0 R /E 20 x R>>", nil},
		{"<</A 20A 0B R>>", map[int]int{20: 1}}, // the lexer stops at a stray byte: 20 0 R
	}
	for _, tc := range tests {
		t.Run(tc.body, func(t *testing.T) {
			doc := censusDoc(tc.body)
			d, err := Open(bytes.NewReader(doc), int64(len(doc)), nil)
			require.NoError(t, err)
			counts, ok, err := d.CountReferences(0, map[int]bool{1: true, 2: true, 20: true, 21: true})
			require.NoError(t, err)
			require.True(t, ok)
			want := map[int]int{2: 1} // the catalog's /Pages; the trailer's /Root 1 0 R is left out
			for n, c := range tc.want {
				want[n] = c
			}
			assert.Equal(t, want, counts)
		})
	}
}

// TestRefCensusGaps: a census fed around a gap it was told of counts what lies
// around it; a gap it was not told of leaves it unable to tell.
func TestRefCensusGaps(t *testing.T) {
	doc := censusDoc("<</A 20 0 R/Contents<00112233>/B 21 0 R>>")
	d, err := Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	a := int64(bytes.Index(doc, []byte("<00112233>")))
	b := a + int64(len("<00112233>"))
	nums := map[int]bool{20: true, 21: true}
	c, err := d.NewRefCensus(0, nums, [][2]int64{{a, b}})
	require.NoError(t, err)
	c.Feed(0, doc[:a])
	c.Feed(b, doc[b:])
	counts, ok, err := c.Result()
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, map[int]int{20: 1, 21: 1}, counts)

	c, err = d.NewRefCensus(0, nums, nil)
	require.NoError(t, err)
	c.Feed(0, doc[:a])
	c.Feed(b, doc[b:])
	_, ok, err = c.Result()
	require.NoError(t, err)
	assert.False(t, ok, "bytes not fed")
}

// TestCountReferencesCannotTell: object streams hide references in compressed data.
func TestCountReferencesCannotTell(t *testing.T) {
	doc := pdftest.ObjectStreams()
	d, err := Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	_, ok, err := d.CountReferences(len(d.Revisions())-1, map[int]bool{3: true})
	require.NoError(t, err)
	assert.False(t, ok)
}

// FuzzCountReferences: whatever the body of an object, every reference the lexer
// reads in it is counted (the count is an upper bound: never fewer).
func FuzzCountReferences(f *testing.F) {
	for _, s := range []string{"<</A 20 0 R>>", "[20 0 %x\nR 21\n%y\n0 R]", "<</S(%) /A 20 0\nR>>", "(20 0 R) 21 0 R"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if strings.Contains(body, "endobj") || strings.Contains(body, "stream") || strings.Contains(body, "xref") ||
			strings.Contains(body, "trailer") || strings.Contains(body, "obj") {
			return
		}
		doc := censusDoc(body)
		d, err := Open(bytes.NewReader(doc), int64(len(doc)), nil)
		if err != nil || d.Recovered() {
			return
		}
		o, err := d.Get(Ref{Num: 3})
		if err != nil {
			return
		}
		refs := map[int]int{}
		var walk func(o Object, depth int)
		walk = func(o Object, depth int) {
			switch v := o.(type) {
			case Ref:
				refs[v.Num]++
			case Array:
				for _, e := range v {
					walk(e, depth+1)
				}
			case Dict:
				for _, e := range v {
					walk(e, depth+1)
				}
			}
		}
		walk(o, 0)
		nums := map[int]bool{}
		for n := range refs {
			nums[n] = true
		}
		counts, ok, err := d.CountReferences(0, nums)
		if err != nil || !ok {
			return
		}
		// Fed in small pieces (as a hashing pass would, around a gap it was told of),
		// the census counts at least as many.
		step := 1 + len(body)%13
		c, err := d.NewRefCensus(0, nums, nil)
		require.NoError(t, err)
		for off := 0; off < len(doc); off += step {
			c.Feed(int64(off), doc[off:min(len(doc), off+step)])
		}
		fed, fedOK, err := c.Result()
		require.NoError(t, err)
		require.True(t, fedOK, "fed in pieces of %d", step)
		for n, k := range counts {
			if fed[n] < k {
				t.Fatalf("object %d: %d counted, %d when fed in pieces of %d (body %q)", n, k, fed[n], step, body)
			}
		}
		for n, c := range refs {
			extra := 0
			if n == 2 {
				extra = 1 // the catalog's /Pages
			}
			if n == 1 {
				continue // the trailer's /Root is left out, and counted in the body may go negative
			}
			if n == 0 {
				continue // "." reads as the number 0; object 0 is never counted (the lazy analysis walks fully when a revision defines it)
			}
			if counts[n] < c+extra {
				t.Fatalf("object %d: %d references read, %d counted (body %q)", n, c, counts[n], body)
			}
		}
	})
}
