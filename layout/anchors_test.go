package layout_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"

	"github.com/kyso-go/kyso/internal/typeset"
	"github.com/kyso-go/kyso/layout"
)

func TestFindSignerOnLibreOfficeExports(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		doc, title, name string
		page             int
		titleLines       int
	}{
		{"decision", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Nguyễn Văn Thắng", 2, 3},
		{"decision", "kt. chủ tịch phó chủ tịch", "NGUYỄN VĂN THẮNG", 2, 3},                      // case, line breaks
		{"decision", norm.NFD.String("PHÓ CHỦ TỊCH"), norm.NFD.String("Nguyễn Văn Thắng"), 2, 3}, // NFD, no authority line given
		{"decision", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Nguyễn Văn Thắng", 2, 3},
		{"joint", "KT. BỘ TRƯỞNG BỘ TÀI CHÍNH\nTHỨ TRƯỞNG", "Trần Thị Hương", 1, 2},
		{"joint", "THỨ TRƯỞNG", "Lê Minh Đức", 1, 2},
		{"landscape", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "Nguyễn Văn Thắng", 1, 2},
	}
	for _, c := range cases {
		t.Run(c.doc+"/"+c.name, func(t *testing.T) {
			pdf := exported(t, c.doc)
			b, err := layout.FindSigner(ctx, bytes.NewReader(pdf), int64(len(pdf)), c.title, c.name, nil)
			require.NoError(t, err)
			assert.Equal(t, c.page, b.Page)
			assert.Len(t, b.Title, c.titleLines, b.Text())
			assert.Greater(t, b.Gap[3]-b.Gap[1], 40.0, "four empty 14 pt lines between title and name")
			assert.Less(t, b.Gap[3]-b.Gap[1], 100.0)
			assert.True(t, strings.EqualFold(norm.NFC.String(c.name), b.Name.Text), b.Name.Text)
		})
	}
	// The two blocks of the joint document are told apart.
	pdf := exported(t, "joint")
	a, err := layout.FindSigner(ctx, bytes.NewReader(pdf), int64(len(pdf)), "THỨ TRƯỞNG", "Trần Thị Hương", nil)
	require.NoError(t, err)
	b, err := layout.FindSigner(ctx, bytes.NewReader(pdf), int64(len(pdf)), "THỨ TRƯỞNG", "Lê Minh Đức", nil)
	require.NoError(t, err)
	assert.Less(t, a.Gap[2], b.Gap[0], "Bộ Tài chính's block is left of Bộ Nội vụ's")
}

func TestFindSignerErrors(t *testing.T) {
	ctx := context.Background()
	pdf := exported(t, "decision")
	_, err := layout.FindSigner(ctx, bytes.NewReader(pdf), int64(len(pdf)), "CHỦ TỊCH", "Nguyễn Văn Thắng", nil)
	require.ErrorIs(t, err, layout.ErrAnchorNotFound, "the title printed is PHÓ CHỦ TỊCH, not CHỦ TỊCH alone")
	var ae *layout.AnchorError
	require.True(t, errors.As(err, &ae))
	require.NotEmpty(t, ae.Candidates)
	assert.Equal(t, 2, ae.Candidates[0].Page)
	assert.Contains(t, err.Error(), "Nguyễn Văn Thắng")

	_, err = layout.FindSigner(ctx, bytes.NewReader(pdf), int64(len(pdf)), "PHÓ CHỦ TỊCH", "Nguyễn Văn Thắng", &layout.FindOptions{Page: 1})
	assert.ErrorIs(t, err, layout.ErrAnchorNotFound, "not on page 1")

	_, err = layout.FindSigner(ctx, bytes.NewReader(pdf), int64(len(pdf)), "PHÓ CHỦ TỊCH", "Hoàng Văn Thụ", nil)
	assert.ErrorIs(t, err, layout.ErrAnchorNotFound)

	// Searched by name alone and nothing close: the signer is the name, and what to do
	// is said in both languages.
	_, err = layout.FindSigner(ctx, bytes.NewReader(pdf), int64(len(pdf)), "", "Hoàng Văn Thụ", nil)
	require.ErrorIs(t, err, layout.ErrAnchorNotFound)
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, "Hoàng Văn Thụ", ae.Signer)
	msg := (&layout.AnchorError{Err: layout.ErrAnchorNotFound, Signer: ae.Signer}).Error()
	assert.Contains(t, msg, "hãy chỉ định trang và khung chữ ký")
	assert.Contains(t, msg, "give the page and rectangle by hand")

	_, err = layout.FindSigner(ctx, bytes.NewReader([]byte("not a pdf")), 9, "X", "Y", nil)
	assert.ErrorIs(t, err, layout.ErrDocument)

	// The same block printed twice on the last page is ambiguous.
	joint := exported(t, "joint")
	_, err = layout.FindSigner(ctx, bytes.NewReader(joint), int64(len(joint)), "THỨ TRƯỞNG", "", nil)
	assert.ErrorIs(t, err, layout.ErrSpec, "a name is needed")
}

// The same block printed twice on the last page is ambiguous: the error lists both,
// with their page.
func TestFindSignerAmbiguous(t *testing.T) {
	d, err := typeset.New(nil)
	require.NoError(t, err)
	d.NewPage(typeset.A4Width, typeset.A4Height)
	p := d.NewPage(typeset.A4Width, typeset.A4Height)
	for _, x := range []float64{100, 350} {
		d.Text(p, typeset.Bold, 14, x, 300, "CHỦ TỊCH")
		d.Text(p, typeset.Bold, 14, x, 220, "Nguyễn Văn Thắng")
	}
	pdf, err := d.Bytes(typeset.Info{})
	require.NoError(t, err)
	_, err = layout.FindSigner(context.Background(), bytes.NewReader(pdf), int64(len(pdf)), "CHỦ TỊCH", "Nguyễn Văn Thắng", nil)
	require.ErrorIs(t, err, layout.ErrAnchorAmbiguous)
	var ae *layout.AnchorError
	require.True(t, errors.As(err, &ae))
	require.Len(t, ae.Candidates, 2)
	for _, c := range ae.Candidates {
		assert.Equal(t, 2, c.Page)
		assert.Equal(t, "CHỦ TỊCH\nNguyễn Văn Thắng", c.Text)
	}
	assert.Contains(t, err.Error(), "trang/page 2")
}

// The name as printed with doubled spaces and a no-break space, searched for in NFD
// and lower case, is found; a block whose title ends page 1 and whose name opens page
// 2 is not a block (7a, 7c and 7b stay together): the error lists the lines that
// came close on both pages.
func TestFindSignerSpacingAndPageBreak(t *testing.T) {
	ctx := context.Background()
	d, err := typeset.New(nil)
	require.NoError(t, err)
	p := d.NewPage(typeset.A4Width, typeset.A4Height)
	d.Text(p, typeset.Bold, 13, 350, 400, "KT.  CHỦ TỊCH")
	d.Text(p, typeset.Bold, 13, 350, 384, "PHÓ CHỦ\u00a0TỊCH")
	d.Text(p, typeset.Bold, 14, 350, 300, "Nguyễn  Văn\u00a0Thắng")
	one, err := d.Bytes(typeset.Info{})
	require.NoError(t, err)
	b, err := layout.FindSigner(ctx, bytes.NewReader(one), int64(len(one)), norm.NFD.String("kt. chủ tịch\nphó chủ tịch"), norm.NFD.String("nguyễn văn thắng"), nil)
	require.NoError(t, err)
	assert.Len(t, b.Title, 2)
	assert.Equal(t, 1, b.Page)

	d, err = typeset.New(nil)
	require.NoError(t, err)
	p1 := d.NewPage(typeset.A4Width, typeset.A4Height)
	d.Text(p1, typeset.Bold, 13, 350, 80, "KT. CHỦ TỊCH")
	d.Text(p1, typeset.Bold, 13, 350, 64, "PHÓ CHỦ TỊCH")
	p2 := d.NewPage(typeset.A4Width, typeset.A4Height)
	d.Text(p2, typeset.Bold, 14, 350, 780, "Nguyễn Văn Thắng")
	split, err := d.Bytes(typeset.Info{})
	require.NoError(t, err)
	_, err = layout.FindSigner(ctx, bytes.NewReader(split), int64(len(split)), "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Nguyễn Văn Thắng", nil)
	require.ErrorIs(t, err, layout.ErrAnchorNotFound)
	var ae *layout.AnchorError
	require.True(t, errors.As(err, &ae))
	pages := map[int]bool{}
	for _, c := range ae.Candidates {
		pages[c.Page] = true
	}
	assert.Equal(t, map[int]bool{1: true, 2: true}, pages, "candidates on both pages: %v", ae.Candidates)
	assert.Contains(t, err.Error(), "trang/page 2")
}

// A block printed on two pages is taken from the last one, unless a page is given.
func TestFindSignerLastPage(t *testing.T) {
	d, err := typeset.New(nil)
	require.NoError(t, err)
	for range 3 {
		p := d.NewPage(typeset.A4Width, typeset.A4Height)
		d.Text(p, typeset.Bold, 13, 350, 400, "CHỦ TỊCH")
		d.Text(p, typeset.Bold, 14, 350, 320, "Nguyễn Văn Thắng")
	}
	d.Text(d.NewPage(typeset.A4Width, typeset.A4Height), typeset.Regular, 14, 90, 700, "Phụ lục: danh sách")
	pdf, err := d.Bytes(typeset.Info{})
	require.NoError(t, err)
	ctx := context.Background()
	b, err := layout.FindSigner(ctx, bytes.NewReader(pdf), int64(len(pdf)), "CHỦ TỊCH", "Nguyễn Văn Thắng", nil)
	require.NoError(t, err)
	assert.Equal(t, 3, b.Page)
	b, err = layout.FindSigner(ctx, bytes.NewReader(pdf), int64(len(pdf)), "CHỦ TỊCH", "Nguyễn Văn Thắng", &layout.FindOptions{Page: 1})
	require.NoError(t, err)
	assert.Equal(t, 1, b.Page)
}
