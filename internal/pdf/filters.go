package pdf

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
)

// ErrUnsupportedFilter means a stream uses a filter StreamData cannot decode (the image
// codecs DCTDecode, JPXDecode, CCITTFaxDecode and JBIG2Decode); RawStreamData still
// returns its bytes.
var ErrUnsupportedFilter = errors.New("pdf: unsupported stream filter")

// UnsupportedFilterError names the filter StreamData cannot decode.
type UnsupportedFilterError struct {
	Filter Name // e.g. JBIG2Decode
}

// Error names the filter and points to RawStreamData.
func (e *UnsupportedFilterError) Error() string {
	return "pdf: unsupported stream filter /" + string(e.Filter) + " (use RawStreamData for the encoded bytes)"
}

// Is reports whether target is ErrUnsupportedFilter.
func (e *UnsupportedFilterError) Is(target error) bool { return target == ErrUnsupportedFilter }

// filters returns the stream's filters and their parameters.
func filterList(sd Dict, resolve func(Object) Object) ([]Name, []Dict, error) {
	var names []Name
	var parms []Dict
	switch f := resolve(sd.Get("Filter")).(type) {
	case nil:
		return nil, nil, nil
	case Name:
		names = []Name{f}
	case Array:
		for _, e := range f {
			n, ok := resolve(e).(Name)
			if !ok {
				return nil, nil, malformed(-1, "stream /Filter array holds a non-name")
			}
			names = append(names, n)
		}
	default:
		return nil, nil, malformed(-1, "stream /Filter is not a name or array")
	}
	dp := resolve(sd.Get("DecodeParms"))
	if dp == nil {
		dp = resolve(sd.Get("DP"))
	}
	parms = make([]Dict, len(names))
	switch p := dp.(type) {
	case Dict:
		parms[0] = p
	case Array:
		for i := 0; i < len(p) && i < len(parms); i++ {
			parms[i], _ = resolve(p[i]).(Dict)
		}
	}
	return names, parms, nil
}

// decodeStream applies the filters in turn, bounding every stage's output to max bytes.
func decodeStream(data []byte, names []Name, parms []Dict, max int64) ([]byte, error) {
	for i, f := range names {
		var err error
		switch f {
		case "FlateDecode", "Fl":
			data, err = inflate(data, max)
			if err == nil {
				data, err = unpredict(data, parms[i], max)
			}
		case "ASCIIHexDecode", "AHx":
			data, err = asciiHexDecode(data)
		case "ASCII85Decode", "A85":
			data, err = ascii85Decode(data)
		case "RunLengthDecode", "RL":
			data, err = runLengthDecode(data, max)
		case "LZWDecode", "LZW":
			data, err = lzwDecode(data, intParm(parms[i], "EarlyChange", 1), max)
			if err == nil {
				data, err = unpredict(data, parms[i], max)
			}
		case "Crypt":
			// Identity crypt filter (the only one that can appear here: named crypt
			// filters other than Identity are applied by the security handler).
		default:
			return nil, &UnsupportedFilterError{Filter: f}
		}
		if err != nil {
			return nil, err
		}
		if int64(len(data)) > max {
			return nil, &LimitError{Limit: "MaxStreamSize", Max: max, Offset: -1}
		}
	}
	return data, nil
}

// inflate decompresses zlib (or, failing that, raw deflate) data, tolerating a
// truncated end as viewers do.
func inflate(data []byte, max int64) ([]byte, error) {
	var r io.Reader
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err == nil {
		r = zr
	} else {
		r = flate.NewReader(bytes.NewReader(data))
	}
	var out bytes.Buffer
	_, err = io.Copy(&out, io.LimitReader(r, max+1))
	if int64(out.Len()) > max {
		return nil, &LimitError{Limit: "MaxStreamSize", Max: max, Offset: -1}
	}
	if err != nil && out.Len() == 0 {
		return nil, &MalformedError{Offset: -1, Msg: "cannot inflate FlateDecode stream", Err: err}
	}
	return out.Bytes(), nil
}

func intParm(p Dict, k Name, def int) int {
	if v, ok := p.Get(k).(Integer); ok {
		return int(v)
	}
	return def
}

// unpredict reverses a PNG (10–15) or TIFF (2) predictor.
func unpredict(data []byte, p Dict, max int64) ([]byte, error) {
	pred := intParm(p, "Predictor", 1)
	if pred <= 1 {
		return data, nil
	}
	colors := intParm(p, "Colors", 1)
	bpc := intParm(p, "BitsPerComponent", 8)
	cols := intParm(p, "Columns", 1)
	if colors < 1 || colors > 32 || cols < 1 || cols > 1<<24 || (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16) {
		return nil, malformed(-1, "invalid predictor parameters")
	}
	bpp := (colors*bpc + 7) / 8
	rowLen := (colors*bpc*cols + 7) / 8
	if pred == 2 {
		if bpc != 8 {
			return nil, malformed(-1, "TIFF predictor with %d bits per component is not supported", bpc)
		}
		out := append([]byte(nil), data...)
		for r := 0; r+rowLen <= len(out); r += rowLen {
			row := out[r : r+rowLen]
			for i := bpp; i < len(row); i++ {
				row[i] += row[i-bpp]
			}
		}
		return out, nil
	}
	if pred < 10 || pred > 15 {
		return nil, malformed(-1, "unknown predictor %d", pred)
	}
	stride := rowLen + 1
	rows := (len(data) + stride - 1) / stride
	if int64(rows)*int64(rowLen) > max {
		return nil, &LimitError{Limit: "MaxStreamSize", Max: max, Offset: -1}
	}
	out := make([]byte, 0, rows*rowLen)
	prev := make([]byte, rowLen)
	for r := 0; r*stride < len(data); r++ {
		chunk := data[r*stride:]
		if len(chunk) > stride {
			chunk = chunk[:stride]
		}
		ft := chunk[0]
		row := make([]byte, rowLen)
		copy(row, chunk[1:])
		switch ft {
		case 0:
		case 1:
			for i := bpp; i < rowLen; i++ {
				row[i] += row[i-bpp]
			}
		case 2:
			for i := 0; i < rowLen; i++ {
				row[i] += prev[i]
			}
		case 3:
			for i := 0; i < rowLen; i++ {
				var left byte
				if i >= bpp {
					left = row[i-bpp]
				}
				row[i] += byte((int(left) + int(prev[i])) / 2)
			}
		case 4:
			for i := 0; i < rowLen; i++ {
				var a, c byte
				if i >= bpp {
					a, c = row[i-bpp], prev[i-bpp]
				}
				row[i] += paeth(a, prev[i], c)
			}
		default:
			return nil, malformed(-1, "invalid PNG filter type %d", ft)
		}
		out = append(out, row...)
		prev = row
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	if pa <= pb && pa <= pc {
		return a
	}
	if pb <= pc {
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func asciiHexDecode(data []byte) ([]byte, error) {
	out := make([]byte, 0, len(data)/2)
	var hi byte
	half := false
	for _, c := range data {
		if c == '>' {
			break
		}
		if isWhite(c) {
			continue
		}
		v, ok := unhex(c)
		if !ok {
			return nil, malformed(-1, "invalid byte %q in ASCIIHexDecode stream", c)
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return out, nil
}

func ascii85Decode(data []byte) ([]byte, error) {
	out := make([]byte, 0, len(data)*4/5+4)
	var tuple uint64
	n := 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case isWhite(c):
			continue
		case c == '~':
			i = len(data)
			continue
		case c == 'z' && n == 0:
			out = append(out, 0, 0, 0, 0)
			continue
		case c < '!' || c > 'u':
			return nil, malformed(-1, "invalid byte %q in ASCII85Decode stream", c)
		}
		tuple = tuple*85 + uint64(c-'!')
		n++
		if n == 5 {
			if tuple > 0xFFFFFFFF {
				return nil, malformed(-1, "ASCII85 group out of range")
			}
			out = append(out, byte(tuple>>24), byte(tuple>>16), byte(tuple>>8), byte(tuple))
			tuple, n = 0, 0
		}
	}
	if n == 1 {
		return nil, malformed(-1, "ASCII85 stream ends with a single byte")
	}
	if n > 1 {
		for k := n; k < 5; k++ {
			tuple = tuple*85 + 84
		}
		if tuple > 0xFFFFFFFF {
			return nil, malformed(-1, "ASCII85 group out of range")
		}
		b := []byte{byte(tuple >> 24), byte(tuple >> 16), byte(tuple >> 8), byte(tuple)}
		out = append(out, b[:n-1]...)
	}
	return out, nil
}

func runLengthDecode(data []byte, max int64) ([]byte, error) {
	var out []byte
	for i := 0; i < len(data); {
		l := int(data[i])
		i++
		switch {
		case l == 128:
			return out, nil
		case l < 128:
			end := i + l + 1
			if end > len(data) {
				end = len(data)
			}
			out = append(out, data[i:end]...)
			i = end
		default:
			if i >= len(data) {
				return out, nil
			}
			for k := 0; k < 257-l; k++ {
				out = append(out, data[i])
			}
			i++
		}
		if int64(len(out)) > max {
			return nil, &LimitError{Limit: "MaxStreamSize", Max: max, Offset: -1}
		}
	}
	return out, nil
}

// errorf wraps an error with the stream's object.
func streamErr(ref Ref, err error) error {
	var me *MalformedError
	if errors.As(err, &me) && me.Ref.Num == 0 {
		c := *me
		c.Ref = ref
		return &c
	}
	if err != nil && ref.Num > 0 {
		return fmt.Errorf("object %d %d: %w", ref.Num, ref.Gen, err)
	}
	return err
}
