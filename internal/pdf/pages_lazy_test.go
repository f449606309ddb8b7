package pdf_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r *bytes.Reader
	n atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// manyPages returns a document of groups×per pages in a two-level page tree (object 2
// the root, then the group nodes, then the pages); a few pages set their own /Rotate.
func manyPages(groups, per int) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", ""}
	var groupRefs []string
	for g := range groups {
		gNum := len(objs) + 1
		groupRefs = append(groupRefs, fmt.Sprintf("%d 0 R", gNum))
		var kids []string
		for p := range per {
			kids = append(kids, fmt.Sprintf("%d 0 R", gNum+1+p))
		}
		rot := ""
		if g%2 == 1 {
			rot = " /Rotate 90"
		}
		objs = append(objs, fmt.Sprintf("<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count %d%s >>", strings.Join(kids, " "), per, rot))
		for p := range per {
			mb := ""
			if p == 3 {
				mb = " /MediaBox [0 0 300 400]"
			}
			objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent %d 0 R%s >>", gNum, mb))
		}
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 595 842] >>", strings.Join(groupRefs, " "), groups*per)
	return rawPDF(objs, "/Root 1 0 R")
}

// TestPageByCount: Page, PageCount and PageOf agree with Pages, on generated files
// and on a tree whose /Count lies (the fallback).
func TestPageByCount(t *testing.T) {
	lying := bytes.Replace(manyPages(3, 4), []byte("/Count 12"), []byte("/Count 13"), 1)
	wrongKidCount := bytes.Replace(manyPages(3, 4), []byte("/Count 4"), []byte("/Count 1"), 1)
	for name, b := range map[string][]byte{
		"classic": pdftest.Classic(), "objstm": pdftest.ObjectStreams(), "tree": manyPages(3, 4),
		"lying-root-count": lying, "lying-kid-count": wrongKidCount,
	} {
		t.Run(name, func(t *testing.T) {
			d := open(t, b)
			pages, err := d.Pages()
			require.NoError(t, err)
			for i, want := range pages {
				got, err := d.Page(i + 1)
				require.NoError(t, err, "page %d", i+1)
				assert.Equal(t, want, got, "page %d", i+1)
				of, err := d.PageOf(want.Ref)
				require.NoError(t, err)
				assert.Equal(t, want, of, "PageOf page %d", i+1)
			}
			_, err = d.Page(len(pages) + 1)
			assert.ErrorIs(t, err, pdf.ErrMalformed)
			_, err = d.Page(0)
			assert.ErrorIs(t, err, pdf.ErrMalformed)
			if name != "lying-root-count" {
				n, err := d.PageCount()
				require.NoError(t, err)
				assert.Equal(t, len(pages), n)
			}
		})
	}
}

// TestPageOneReadsLittle: finding page 1 of 10,000 pages reads a few nodes, not the
// tree.
func TestPageOneReadsLittle(t *testing.T) {
	b := manyPages(100, 100)
	c := &countingReader{r: bytes.NewReader(b)}
	d, err := pdf.Open(c, int64(len(b)), nil)
	require.NoError(t, err)
	before := c.n.Load()
	p, err := d.Page(1)
	require.NoError(t, err)
	assert.Equal(t, [4]float64{0, 0, 595, 842}, p.MediaBox)
	lazy := c.n.Load() - before
	p, err = d.Page(10_000)
	require.NoError(t, err)
	assert.Equal(t, 90, p.Rotate)
	_, err = d.Pages()
	require.NoError(t, err)
	all := c.n.Load() - before
	assert.Less(t, lazy*20, all, "Page(1) read %d bytes, the whole tree %d", lazy, all)
}

// TestPageOneIgnoresOtherPages: page 1 (and the last page of the first node) are found
// in a 10,000-page tree whose other page objects are unreadable: Page never parsed
// them, while Pages, which walks the whole tree, fails.
func TestPageOneIgnoresOtherPages(t *testing.T) {
	b := manyPages(100, 100) // objects 4-103: the first node's pages
	re := regexp.MustCompile(`(\d+) 0 obj\n<< /Type /Page /Parent`)
	b = re.ReplaceAllFunc(b, func(m []byte) []byte {
		n, _ := strconv.Atoi(string(re.FindSubmatch(m)[1]))
		if n <= 103 {
			return m
		}
		return bytes.Replace(m, []byte("<< /Type"), []byte("[  /Type"), 1) // same length
	})
	d := open(t, b)
	for _, n := range []int{1, 100} {
		p, err := d.Page(n)
		require.NoError(t, err, "page %d", n)
		assert.Equal(t, 3+n, p.Ref.Num)
	}
	_, err := d.Pages()
	assert.Error(t, err, "the whole tree holds unreadable pages")
}
