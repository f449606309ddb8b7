package pdf

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseCMap(t *testing.T) {
	cm := parseCMap([]byte(`1 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange
2 beginbfchar <41> <0041> <8001> /dcroat endbfchar
2 beginbfrange <42> <44> <0062> <8002> <8003> [<1EC5> <D83DDE00>] endbfrange`))
	assert.Equal(t, map[uint32]string{0x41: "A", 0x8001: "đ", 0x42: "b", 0x43: "c", 0x44: "d", 0x8002: "ễ", 0x8003: "😀"}, cm.unicode)
	assert.Equal(t, []uint32{0x41, 0x8001, 0x42}, cm.split([]byte("\x41\x80\x01\x42"), 2))
	var none *cmap
	assert.Equal(t, []uint32{0x4142, 0x43}, none.split([]byte("ABC"), 2))
}

// FuzzParseCMap: CMaps come from outside; no panic, bounded output.
func FuzzParseCMap(f *testing.F) {
	f.Add([]byte("1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <FFFF> <0041> endbfrange"))
	f.Add([]byte("2 beginbfchar <41> <0041> <8001> /dcroat endbfchar"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cm := parseCMap(b)
		if len(cm.unicode) > maxCMapEntries+0x10000 {
			t.Fatalf("%d entries", len(cm.unicode))
		}
		cm.split(b, 2)
	})
}

func TestParseCMapRangeAtTop(t *testing.T) {
	cm := parseCMap([]byte("1 beginbfrange <FFFFFFFE> <FFFFFFFF> <0041> endbfrange"))
	assert.Equal(t, map[uint32]string{0xFFFFFFFE: "A", 0xFFFFFFFF: "B"}, cm.unicode)
}
