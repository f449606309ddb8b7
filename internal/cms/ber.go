package cms

// BER to DER-length normalisation. Other tools' CMS files (Adobe's among them) may use
// indefinite lengths, non-minimal length encodings or constructed OCTET STRINGs; the
// strict reader used by Parse wants definite, minimal lengths. normalize rewrites every
// length in DER form and flattens constructed OCTET STRINGs, leaving tags and contents
// as they are.

// Limits applied to outside input.
const (
	// MaxInputSize bounds the CMS structure Parse accepts (a PDF /Contents hole is
	// typically 8–64 KiB).
	MaxInputSize = 32 << 20
	// MaxDepth bounds the nesting of ASN.1 elements.
	MaxDepth = 64
	// MaxElements bounds the number of elements in one constructed element.
	MaxElements = 100_000
)

// normalize returns the DER-length form of the single element at the start of b and
// checks that anything after it is zero padding.
func normalize(b []byte) ([]byte, error) {
	if len(b) > MaxInputSize {
		return nil, &SyntaxError{Where: "input", Msg: "larger than MaxInputSize", Err: ErrLimit}
	}
	out, rest, err := berElement(make([]byte, 0, len(b)), b, 0)
	if err != nil {
		return nil, err
	}
	for _, c := range rest {
		if c != 0 {
			return nil, malformed("input", "trailing data after the ContentInfo")
		}
	}
	return out, nil
}

// berElement appends the normalised first element of b to out and returns the rest of b.
func berElement(out, b []byte, depth int) ([]byte, []byte, error) {
	if depth > MaxDepth {
		return nil, nil, &SyntaxError{Where: "ASN.1", Msg: "nesting deeper than MaxDepth", Err: ErrLimit}
	}
	tagLen, err := tagLength(b)
	if err != nil {
		return nil, nil, err
	}
	tag := b[:tagLen]
	b = b[tagLen:]
	if len(b) == 0 {
		return nil, nil, malformed("ASN.1", "truncated length")
	}
	constructed := tag[0]&0x20 != 0
	l := b[0]
	b = b[1:]
	if l == 0x80 { // indefinite length
		if !constructed {
			return nil, nil, malformed("ASN.1", "indefinite length on a primitive element")
		}
		var content []byte
		for n := 0; ; n++ {
			if n > MaxElements {
				return nil, nil, &SyntaxError{Where: "ASN.1", Msg: "too many elements", Err: ErrLimit}
			}
			if len(b) < 2 {
				return nil, nil, malformed("ASN.1", "missing end-of-contents")
			}
			if b[0] == 0 && b[1] == 0 {
				b = b[2:]
				break
			}
			content, b, err = berElement(content, b, depth+1)
			if err != nil {
				return nil, nil, err
			}
		}
		return appendTLV(out, tag, content, constructed), b, nil
	}
	n := int(l)
	if l > 0x80 {
		k := int(l & 0x7f)
		if k > 4 || k > len(b) {
			return nil, nil, malformed("ASN.1", "bad length")
		}
		n = 0
		for _, c := range b[:k] {
			n = n<<8 | int(c)
		}
		b = b[k:]
	}
	if n < 0 || n > len(b) {
		return nil, nil, malformed("ASN.1", "length beyond the end of the data")
	}
	body, rest := b[:n], b[n:]
	if !constructed {
		return appendTLV(out, tag, body, false), rest, nil
	}
	var content []byte
	for k := 0; len(body) > 0; k++ {
		if k > MaxElements {
			return nil, nil, &SyntaxError{Where: "ASN.1", Msg: "too many elements", Err: ErrLimit}
		}
		content, body, err = berElement(content, body, depth+1)
		if err != nil {
			return nil, nil, err
		}
	}
	return appendTLV(out, tag, content, true), rest, nil
}

// tagLength returns the number of identifier octets at the start of b.
func tagLength(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, malformed("ASN.1", "truncated tag")
	}
	if b[0]&0x1f != 0x1f {
		return 1, nil
	}
	for i := 1; i < len(b) && i <= 5; i++ {
		if b[i]&0x80 == 0 {
			return i + 1, nil
		}
	}
	return 0, malformed("ASN.1", "bad high tag number")
}

// appendTLV appends tag, a minimal definite length and content. A constructed universal
// OCTET STRING (tag 0x24) whose children are primitive OCTET STRINGs is flattened.
func appendTLV(out, tag, content []byte, constructed bool) []byte {
	if constructed && len(tag) == 1 && tag[0] == 0x24 {
		if flat, ok := flattenOctets(content); ok {
			tag, content = []byte{0x04}, flat
		}
	}
	out = append(out, tag...)
	out = appendLength(out, len(content))
	return append(out, content...)
}

func appendLength(out []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(out, byte(n))
	case n < 1<<8:
		return append(out, 0x81, byte(n))
	case n < 1<<16:
		return append(out, 0x82, byte(n>>8), byte(n))
	case n < 1<<24:
		return append(out, 0x83, byte(n>>16), byte(n>>8), byte(n))
	default:
		return append(out, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

// flattenOctets concatenates normalised primitive OCTET STRING children.
func flattenOctets(content []byte) ([]byte, bool) {
	var flat []byte
	for len(content) > 0 {
		if content[0] != 0x04 || len(content) < 2 {
			return nil, false
		}
		n, hl := 0, 2
		if l := content[1]; l < 0x80 {
			n = int(l)
		} else {
			k := int(l & 0x7f)
			if k > 4 || 2+k > len(content) {
				return nil, false
			}
			for _, c := range content[2 : 2+k] {
				n = n<<8 | int(c)
			}
			hl = 2 + k
		}
		if hl+n > len(content) {
			return nil, false
		}
		flat = append(flat, content[hl:hl+n]...)
		content = content[hl+n:]
	}
	return flat, true
}
