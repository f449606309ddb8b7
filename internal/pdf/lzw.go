package pdf

// lzwDecode decodes PDF's LZWDecode filter: variable-width codes of 9 to 12 bits, most
// significant bit first, 256 to clear the table and 257 to end; with early change (the
// default, EarlyChange 1) the code width grows one code early, as TIFF's variant does.
func lzwDecode(data []byte, early int, max int64) ([]byte, error) {
	const (
		clear = 256
		eod   = 257
	)
	type entry struct {
		prefix int // index of the prefix entry, -1 for single bytes
		last   byte
		length int
	}
	table := make([]entry, 258, 4096)
	for i := 0; i < 256; i++ {
		table[i] = entry{prefix: -1, last: byte(i), length: 1}
	}
	var out []byte
	width := 9
	var bitBuf uint32
	bits := 0
	pos := 0
	prev := -1
	// expand appends the string of entry i to out.
	expand := func(i int) byte {
		n := table[i].length
		start := len(out)
		out = append(out, make([]byte, n)...)
		for k := start + n - 1; k >= start; k-- {
			out[k] = table[i].last
			i = table[i].prefix
		}
		return out[start]
	}
	for {
		for bits < width && pos < len(data) {
			bitBuf = bitBuf<<8 | uint32(data[pos])
			pos++
			bits += 8
		}
		if bits < width {
			return out, nil // ran out of data without EOD: keep what was decoded
		}
		code := int(bitBuf>>(bits-width)) & (1<<width - 1)
		bits -= width
		switch {
		case code == clear:
			table = table[:258]
			width = 9
			prev = -1
			continue
		case code == eod:
			return out, nil
		case prev < 0:
			if code > 255 {
				return nil, malformed(-1, "LZWDecode stream starts with code %d", code)
			}
			expand(code)
		case code < len(table):
			first := expand(code)
			if len(table) < 4096 {
				table = append(table, entry{prefix: prev, last: first, length: table[prev].length + 1})
			}
		case code == len(table):
			// The KwKwK case: the previous string plus its own first byte.
			first := expand(prev)
			out = append(out, first)
			if len(table) < 4096 {
				table = append(table, entry{prefix: prev, last: first, length: table[prev].length + 1})
			}
		default:
			return nil, malformed(-1, "LZWDecode stream has code %d beyond its table (%d)", code, len(table))
		}
		if int64(len(out)) > max {
			return nil, &LimitError{Limit: "MaxStreamSize", Max: max, Offset: -1}
		}
		prev = code
		if len(table)+early >= 1<<width && width < 12 {
			width++
		}
	}
}
