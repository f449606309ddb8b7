package signature

import (
	"bytes"
	"encoding/hex"
	"io"
	"math"
)

// maxContentsHole bounds the /Contents hole read to compare it with the parsed string.
const maxContentsHole = 16 << 20

// checkByteRange checks a signature's /ByteRange against the file, the way pyHanko's
// coverage-anomaly tests expect: exactly two ranges, the first starting at byte 0, a
// non-empty hole between them, both inside the file. It returns the ranges as half-open
// intervals, or the failure message.
func checkByteRange(br []int64, size int64) ([][2]int64, *msg) {
	if len(br) != 4 {
		m := msgByteRangeShape(len(br))
		return nil, &m
	}
	if br[0] != 0 {
		m := msgByteRangeStart(br[0])
		return nil, &m
	}
	for _, v := range br {
		if v < 0 {
			m := msgByteRangeOrder(br)
			return nil, &m
		}
	}
	// Every number inside the file first, so that no sum below can overflow.
	if br[1] > size || br[2] > size || br[3] > size-br[2] {
		end := br[1]
		if br[2] <= math.MaxInt64-br[3] {
			end = max(end, br[2]+br[3])
		} else {
			end = math.MaxInt64
		}
		m := msgByteRangeOutside(end, size)
		return nil, &m
	}
	// The hole must hold at least "<>" and the second range must follow it.
	if br[1] == 0 || br[2] < br[1]+2 {
		m := msgByteRangeOrder(br)
		return nil, &m
	}
	return [][2]int64{{br[0], br[0] + br[1]}, {br[2], br[2] + br[3]}}, nil
}

// isPDFSpace reports whether c is PDF white-space.
func isPDFSpace(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

// checkContentsHole checks that the bytes of the file between the two ranges are exactly
// one hexadecimal string whose value is contents, the /Contents of the signature
// dictionary: nothing unsigned may hide in the hole ("signature gap too big", signature
// wrapping).
func checkContentsHole(r io.ReaderAt, start, end int64, contents []byte) *msg {
	n := end - start
	if n > maxContentsHole {
		m := msgContentsGap("too large")
		return &m
	}
	buf := make([]byte, n)
	if got, err := r.ReadAt(buf, start); int64(got) < n {
		m := msgContentsGap("unreadable: " + errString(err))
		return &m
	}
	if buf[0] != '<' || buf[n-1] != '>' {
		m := msgContentsGap("not a hexadecimal string")
		return &m
	}
	digits := make([]byte, 0, n)
	for _, c := range buf[1 : n-1] {
		switch {
		case isPDFSpace(c):
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
			digits = append(digits, c)
		default:
			m := msgContentsGap("not a hexadecimal string")
			return &m
		}
	}
	if len(digits)%2 == 1 {
		digits = append(digits, '0')
	}
	val := make([]byte, len(digits)/2)
	if _, err := hex.Decode(val, digits); err != nil {
		m := msgContentsGap("not a hexadecimal string")
		return &m
	}
	if !bytes.Equal(val, contents) {
		m := msgContentsGap("it differs from /Contents")
		return &m
	}
	return nil
}

// errString is err's text, or "short read".
func errString(err error) string {
	if err == nil {
		return "short read"
	}
	return err.Error()
}

// emptyContents reports whether a /Contents value carries no signature at all (absent,
// empty, or only zero padding): the "universal signature forgery" shape.
func emptyContents(c []byte) bool {
	for _, b := range c {
		if b != 0 {
			return false
		}
	}
	return true
}

// coveredRevision finds the revision whose end the signed bytes reach: the range must
// end right after that revision's %%EOF marker (an end-of-line after it may or may not
// be included). eofs are the revisions' EOF offsets (just after %%EOF and its EOL),
// oldest first. It returns -1 when the signed part ends anywhere else.
func coveredRevision(r io.ReaderAt, end int64, eofs []int64) int {
	// What precedes end must be "%%EOF" possibly followed by an EOL.
	const look = 8
	from := max(end-look, 0)
	tail := make([]byte, end-from)
	if got, _ := r.ReadAt(tail, from); got < len(tail) {
		return -1
	}
	if !bytes.HasSuffix(bytes.TrimRight(tail, "\r\n"), []byte("%%EOF")) {
		return -1
	}
	for i, eof := range eofs {
		lo, hi := min(eof, end), max(eof, end)
		if hi-lo > 2 {
			continue
		}
		between := make([]byte, hi-lo)
		if got, _ := r.ReadAt(between, lo); got < len(between) {
			continue
		}
		if len(bytes.Trim(between, "\r\n")) == 0 {
			return i
		}
	}
	return -1
}

// onlyWhitespaceFrom reports whether the bytes from off to size are all PDF white-space
// (reading at most limit bytes; more than that is never "only white-space").
func onlyWhitespaceFrom(r io.ReaderAt, off, size int64) bool {
	if off >= size {
		return true
	}
	if size-off > 4096 {
		return false
	}
	buf := make([]byte, size-off)
	if got, _ := r.ReadAt(buf, off); got < len(buf) {
		return false
	}
	for _, c := range buf {
		if !isPDFSpace(c) {
			return false
		}
	}
	return true
}

// maxInertTail bounds the unsigned tail inertFrom accepts as harmless: more than this
// after the last %%EOF is not something a mail gateway or a download manager appends.
const maxInertTail = 64 << 10

// inertFrom reports whether the bytes from off to size hold no keyword of the PDF file
// structure (object or stream delimiters, dictionaries, cross-reference sections,
// trailers, a header) and so cannot be taken for PDF by any reader, however lenient
// its repair: junk a transfer appended, not an update. A repeated %%EOF marker (some
// producers write two) is a comment without a startxref before it: it defines
// nothing. Such a tail leaves the signatures valid but
// not covering the whole file; anything else after the last %%EOF is judged as an
// unsigned change (the incremental saving attack without a cross-reference).
func inertFrom(r io.ReaderAt, off, size int64) bool {
	if off >= size || size-off > maxInertTail {
		return off >= size
	}
	buf := make([]byte, size-off)
	if got, _ := r.ReadAt(buf, off); got < len(buf) {
		return false
	}
	for _, kw := range [][]byte{[]byte("obj"), []byte("stream"), []byte("xref"), []byte("trailer"), []byte("%PDF"), []byte("<<")} {
		if bytes.Contains(buf, kw) {
			return false
		}
	}
	return true
}
