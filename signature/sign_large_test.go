package signature_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/signature"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hugePDF is an io.ReaderAt over a synthetic PDF of any size: a one-page document whose
// content stream is padded with spaces to the wanted size. Only the short head and tail
// are real bytes; the padding is produced on demand.
type hugePDF struct {
	head, tail []byte
	pad        int64 // spaces between head and tail
}

func newHugePDF(size int64) *hugePDF {
	head := []byte("%PDF-1.7\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n" +
		"2 0 obj\n<</Type/Pages/Kids[3 0 R]/Count 1/MediaBox[0 0 595 842]>>\nendobj\n" +
		"3 0 obj\n<</Type/Page/Parent 2 0 R/Contents 4 0 R>>\nendobj\n")
	off4 := len(head)
	h := &hugePDF{}
	// The stream length is fixed-width so the head's size does not depend on it.
	streamHead := "4 0 obj\n<</Length %020d>>\nstream\n"
	probe := fmt.Sprintf(streamHead, 0)
	tailFmt := "\nendstream\nendobj\nxref\n0 5\n0000000000 65535 f \n%010d 00000 n \n%010d 00000 n \n%010d 00000 n \n%010d 00000 n \ntrailer\n<</Size 5/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n"
	tailLen := len(fmt.Sprintf(tailFmt, 0, 0, 0, 0, int64(0))) + 10 // startxref grows with the size
	h.pad = size - int64(len(head)+len(probe)+tailLen)
	head = append(head, fmt.Sprintf(streamHead, h.pad)...)
	xref := int64(len(head)) + h.pad + int64(len("\nendstream\nendobj\n"))
	h.head = head
	h.tail = fmt.Appendf(nil, tailFmt, 9, bytes.Index(head, []byte("2 0 obj")), bytes.Index(head, []byte("3 0 obj")), off4, xref)
	return h
}

func (h *hugePDF) Size() int64 { return int64(len(h.head)) + h.pad + int64(len(h.tail)) }

func (h *hugePDF) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		o := off + int64(n)
		switch {
		case o < int64(len(h.head)):
			n += copy(p[n:], h.head[o:])
		case o < int64(len(h.head))+h.pad:
			k := min(int64(len(p)-n), int64(len(h.head))+h.pad-o)
			for i := range p[n : n+int(k)] {
				p[n+i] = ' '
			}
			n += int(k)
		case o < h.Size():
			n += copy(p[n:], h.tail[o-int64(len(h.head))-h.pad:])
		default:
			return n, io.EOF
		}
	}
	return n, nil
}

// tailWriter discards the first skip bytes written and keeps the rest.
type tailWriter struct {
	skip, seen int64
	kept       bytes.Buffer
}

func (w *tailWriter) Write(p []byte) (int, error) {
	n := len(p)
	if w.seen < w.skip {
		d := min(int64(len(p)), w.skip-w.seen)
		w.seen += d
		p = p[d:]
	}
	w.seen += int64(len(p))
	w.kept.Write(p)
	return n, nil
}

// TestSignBeyond4GB signs a synthetic 4.3 GB document (generated on the fly, nothing
// on disk) and checks that /ByteRange holds the offsets beyond 2³² and that the CMS
// message digest is the SHA-256 of the ranges it names. It hashes 4.3 GB twice (about
// 8 s of CPU), so it runs under CI or with KYSO_LARGE_TESTS=1, and never with -short.
func TestSignBeyond4GB(t *testing.T) {
	if testing.Short() || (os.Getenv("KYSO_LARGE_TESTS") == "" && os.Getenv("CI") == "") {
		t.Skip("set KYSO_LARGE_TESTS=1 (or CI) to sign a 4.3 GB synthetic document")
	}
	keys := signTestPKI(t)
	s := keys.byName["p256"]
	in := newHugePDF(4<<30 + 300<<20)
	size := in.Size()
	w := &tailWriter{skip: size}
	res, err := signature.Sign(context.Background(), w, in, size, s.key, s.chain, nil)
	require.NoError(t, err)
	section := w.kept.Bytes()
	assert.Equal(t, size+int64(len(section)), res.Size)
	br := res.ByteRange
	assert.Greater(t, br[1], int64(1)<<32)
	assert.Contains(t, string(section), fmt.Sprintf("/ByteRange [0 %d %d %d", br[1], br[2], br[3]))

	h := sha256.New()
	_, err = io.Copy(h, io.NewSectionReader(in, 0, size))
	require.NoError(t, err)
	h.Write(section[:br[1]-size])
	h.Write(section[br[2]-size:])
	hexCMS := section[br[1]-size+1 : br[2]-size-1]
	der := make([]byte, len(hexCMS)/2)
	_, err = hex.Decode(der, hexCMS)
	require.NoError(t, err)
	sd, err := cms.Parse(der)
	require.NoError(t, err)
	md, err := sd.Signers[0].MessageDigest()
	require.NoError(t, err)
	assert.Equal(t, h.Sum(nil), md)
	require.NoError(t, sd.Signers[0].CheckSignature(s.chain[0].PublicKey, nil))
}

// TestHugePDFIsReadable keeps the synthetic generator honest at a small size.
func TestHugePDFIsReadable(t *testing.T) {
	keys := signTestPKI(t)
	in := newHugePDF(1 << 20)
	data := make([]byte, in.Size())
	_, err := in.ReadAt(data, 0)
	require.NoError(t, err)
	rootPEM := writeRootPEM(t, keys.root)
	out, _ := signBytes(t, data, keys.byName["p256"], nil)
	signTestCheck{in: data, out: out, signatures: 1, rootPEM: rootPEM}.run(t)
}
