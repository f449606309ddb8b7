package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"unicode/utf8"
)

// maxJSONKey bounds a key of the JSON request object; every accepted key is short.
const maxJSONKey = 64

// readJSONForm reads a flat JSON object whose values are all strings, in one pass over
// the body: a document's base64 is decoded as it streams in, without first holding the
// JSON text, then the string, then the cleaned base64 (a 10 MB upload used to cost
// seven times the multipart path). Unknown and repeated keys are refused, and so is
// anything after the object.
func readJSONForm(body io.Reader, spec map[string]fieldSpec) (map[string][]byte, error) {
	jr := &jsonReader{br: bufio.NewReaderSize(body, 64<<10)}
	out := make(map[string][]byte, len(spec))
	if err := jr.expect('{'); err != nil {
		return nil, err
	}
	c, err := jr.nonSpace()
	if err != nil {
		return nil, err
	}
	for c != '}' {
		if c != '"' {
			return nil, jr.malformed(nil)
		}
		key, err := jr.text(maxJSONKey)
		if err != nil {
			return nil, err
		}
		if err := jr.expect(':'); err != nil {
			return nil, err
		}
		fs, ok := spec[key]
		if !ok {
			return nil, unknownField(key)
		}
		if _, dup := out[key]; dup {
			return nil, badRequest(fmt.Sprintf("Trường %q xuất hiện nhiều lần", key), fmt.Sprintf("Field %q is repeated", key), nil)
		}
		if c, err = jr.nonSpace(); err != nil {
			return nil, err
		}
		if c != '"' {
			return nil, badRequest(fmt.Sprintf("Trường %q phải là chuỗi", key), fmt.Sprintf("Field %q must be a string", key), nil)
		}
		var val []byte
		if fs.kind == fieldFile || fs.kind == fieldBase64 {
			val, err = jr.base64(key, fs.max)
		} else {
			var s string
			// A JSON escape takes at most six bytes for one byte of text.
			if s, err = jr.text(6*fs.max + 6); err == errJSONTooLong {
				err = fieldTooLarge(key, fs.max)
			}
			val = []byte(s)
		}
		if err != nil {
			return nil, err
		}
		if err := checkField(key, fs, val); err != nil {
			return nil, err
		}
		out[key] = val
		if c, err = jr.nonSpace(); err != nil {
			return nil, err
		}
		switch c {
		case ',':
			if c, err = jr.nonSpace(); err != nil {
				return nil, err
			}
			if c == '}' {
				return nil, jr.malformed(nil)
			}
		case '}':
		default:
			return nil, jr.malformed(nil)
		}
	}
	if _, err := jr.nonSpace(); err != io.EOF {
		if err != nil && !errors.Is(err, errJSONEnd) {
			return nil, err
		}
		return nil, badRequest("Dữ liệu JSON có phần thừa sau đối tượng", "Trailing data after the JSON object", nil)
	}
	return out, nil
}

var (
	errJSONTooLong = errors.New("JSON string too long")
	errJSONEnd     = errors.New("unexpected end of the JSON body")
)

// jsonReader reads the few JSON tokens a request object needs.
type jsonReader struct {
	br *bufio.Reader
}

// readErr keeps a body over the limit (*http.MaxBytesError, which the caller maps to
// 413) and calls every other read failure malformed JSON.
func (jr *jsonReader) readErr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return jr.malformed(err)
}

func (jr *jsonReader) malformed(err error) error {
	if err == io.EOF {
		err = errJSONEnd
	}
	return badRequest("Dữ liệu JSON không hợp lệ", "Malformed JSON body", err)
}

// nonSpace returns the next byte that is not JSON white space; io.EOF at the end.
func (jr *jsonReader) nonSpace() (byte, error) {
	for {
		c, err := jr.br.ReadByte()
		if err == io.EOF {
			return 0, io.EOF
		}
		if err != nil {
			return 0, jr.readErr(err)
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c, nil
	}
}

func (jr *jsonReader) expect(want byte) error {
	c, err := jr.nonSpace()
	if err == io.EOF {
		return jr.malformed(io.EOF)
	}
	if err != nil {
		return err
	}
	if c != want {
		return jr.malformed(fmt.Errorf("expected %q, found %q", want, c))
	}
	return nil
}

// text reads the rest of a JSON string (the opening quote is read) of at most max
// bytes as written, and decodes its escapes with encoding/json.
func (jr *jsonReader) text(max int) (string, error) {
	raw := []byte{'"'}
	for {
		c, err := jr.br.ReadByte()
		if err != nil {
			return "", jr.readErr(err)
		}
		raw = append(raw, c)
		if len(raw) > max+2 {
			return "", errJSONTooLong
		}
		switch c {
		case '\\':
			e, err := jr.br.ReadByte()
			if err != nil {
				return "", jr.readErr(err)
			}
			raw = append(raw, e)
			continue
		case '"':
			if !utf8.Valid(raw) {
				return "", badRequest("Dữ liệu JSON có chuỗi không phải UTF-8", "A JSON string is not UTF-8 text", nil)
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return "", jr.malformed(err)
			}
			return s, nil
		}
	}
}

// base64 decodes the rest of a JSON string (the opening quote is read) as it streams:
// standard or URL-safe alphabet, padded or not, with white space (also written as the
// escapes \n, \r, \t) and "\/" allowed. It stops as soon as the decoded value would
// exceed max bytes.
func (jr *jsonReader) base64(name string, max int) ([]byte, error) {
	bad := func(err error) error {
		return badRequest(fmt.Sprintf("Trường %q không phải base64 hợp lệ", name),
			fmt.Sprintf("Field %q is not valid base64", name), err)
	}
	var (
		out    []byte
		chunk  = make([]byte, 0, 112<<10) // clean base64 symbols, decoded by whole quanta
		padded bool
	)
	flush := func(final bool) error {
		n := len(chunk)
		if !final {
			n -= n % 4
		}
		if n == 0 {
			return nil
		}
		if base64.RawStdEncoding.DecodedLen(n)+len(out) > max {
			return fieldTooLarge(name, max)
		}
		start, need := len(out), base64.RawStdEncoding.DecodedLen(n)
		if cap(out)-start < need {
			// Grow by doubling: append's growth of large slices (1.25×) would copy a
			// 10 MB document a dozen times over.
			size := 2 * cap(out)
			if size < start+need {
				size = start + need
			}
			if size < 64<<10 {
				size = 64 << 10
			}
			if size > max {
				size = max // never more than the field's limit (the check above keeps start+need within it)
			}
			grown := make([]byte, start, size)
			copy(grown, out)
			out = grown
		}
		out = out[:start+need]
		m, err := base64.RawStdEncoding.Decode(out[start:], chunk[:n])
		if err != nil {
			return bad(err)
		}
		out = out[:start+m]
		chunk = append(chunk[:0], chunk[n:]...)
		return nil
	}
	for {
		// Take what the buffer holds up to the closing quote, and copy the base64
		// symbols of it in a tight loop; only the rare escape needs a byte at a time.
		seg, err := jr.br.ReadSlice('"')
		if err != nil && err != bufio.ErrBufferFull {
			return nil, jr.readErr(err)
		}
		closed := err == nil
		if closed {
			seg = seg[:len(seg)-1]
		}
		for k := 0; k < len(seg); k++ {
			// A run of plain symbols is copied at once.
			run := k
			for run < len(seg) && b64class[seg[run]] == b64Symbol {
				run++
			}
			if run > k {
				if padded {
					return nil, bad(errors.New("data after the padding"))
				}
				chunk = append(chunk, seg[k:run]...)
				if len(chunk) >= 48<<10 {
					if err := flush(false); err != nil {
						return nil, err
					}
				}
				if k = run; k == len(seg) {
					break
				}
			}
			b := seg[k]
			switch b64class[b] {
			case b64Space:
				continue
			case b64Pad:
				padded = true
				continue
			case b64URL:
				if b == '-' {
					b = '+'
				} else {
					b = '/'
				}
			case b64Escape:
				var e byte
				if k+1 < len(seg) {
					k++
					e = seg[k]
				} else if closed {
					// The quote ReadSlice stopped at is the escaped one: \" is no base64.
					return nil, bad(errors.New("escaped quote in base64"))
				} else if e, err = jr.br.ReadByte(); err != nil {
					return nil, jr.readErr(err)
				}
				switch e {
				case 'n', 'r', 't':
					continue
				case '/':
					b = '/'
				default:
					return nil, bad(fmt.Errorf("escape \\%c in base64", e))
				}
			}
			if padded {
				return nil, bad(errors.New("data after the padding"))
			}
			chunk = append(chunk, b)
		}
		if closed {
			if err := flush(true); err != nil {
				return nil, err
			}
			if out == nil {
				out = []byte{}
			}
			return out, nil
		}
	}
}

// Classes of the bytes of a base64 JSON string; b64Symbol also covers bytes that are
// not base64 at all, which the decoder then refuses.
const (
	b64Symbol = iota
	b64Space
	b64Pad
	b64URL
	b64Escape
)

var b64class = func() (c [256]uint8) {
	for _, b := range []byte(" \t\r\n") {
		c[b] = b64Space
	}
	c['='], c['-'], c['_'], c['\\'] = b64Pad, b64URL, b64URL, b64Escape
	return c
}()
