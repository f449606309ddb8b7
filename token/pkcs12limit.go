package token

import (
	"encoding/asn1"
	"fmt"
	"math/big"
)

// Work limits for PKCS#12 input. go-pkcs12 runs whatever key-derivation iteration
// counts a file asks for, so a hostile file could make OpenPKCS12 spin for hours; the
// counts are checked before it runs.
const (
	maxPKCS12Iterations = 1_000_000 // per key derivation
	maxPKCS12TotalWork  = 4_000_000 // summed over the file's derivations
	maxASN1Depth        = 24
	maxASN1Elements     = 100_000
)

// checkPKCS12Work walks the DER of a PFX and refuses it when its key-derivation
// iteration counts exceed the limits. An iteration count is an INTEGER that directly
// follows an OCTET STRING (the salt) in a SEQUENCE, the shape of PKCS#12 PBE parameters,
// PBKDF2 parameters and MacData alike; OCTET STRINGs that hold DER are walked too.
// Input that is not DER is left to the PKCS#12 parser to reject.
func checkPKCS12Work(der []byte) error {
	w := workWalker{}
	w.walk(der, 0)
	return w.err
}

type workWalker struct {
	total    int64
	elements int
	err      error
}

func (w *workWalker) walk(der []byte, depth int) {
	if w.err != nil || depth > maxASN1Depth {
		if w.err == nil {
			w.err = fmt.Errorf("%w: PKCS#12 structure nested deeper than %d", ErrMalformedKeyFile, maxASN1Depth)
		}
		return
	}
	var v asn1.RawValue
	rest, err := asn1.Unmarshal(der, &v)
	if err != nil || len(rest) != 0 {
		return
	}
	w.element(v, depth)
}

func (w *workWalker) element(v asn1.RawValue, depth int) {
	if w.err != nil {
		return
	}
	if w.elements++; w.elements > maxASN1Elements {
		w.err = fmt.Errorf("%w: PKCS#12 file with more than %d ASN.1 elements", ErrTooLarge, maxASN1Elements)
		return
	}
	if depth > maxASN1Depth {
		w.err = fmt.Errorf("%w: PKCS#12 structure nested deeper than %d", ErrMalformedKeyFile, maxASN1Depth)
		return
	}
	if v.Class == asn1.ClassUniversal && v.Tag == asn1.TagOctetString && !v.IsCompound {
		w.walk(v.Bytes, depth+1)
		return
	}
	if !v.IsCompound {
		return
	}
	rest := v.Bytes
	prevOctets := false
	for len(rest) > 0 {
		var c asn1.RawValue
		var err error
		rest, err = asn1.Unmarshal(rest, &c)
		if err != nil {
			return
		}
		if prevOctets && v.Tag == asn1.TagSequence && c.Class == asn1.ClassUniversal && c.Tag == asn1.TagInteger {
			var n *big.Int
			if _, err := asn1.Unmarshal(c.FullBytes, &n); err == nil {
				if !n.IsInt64() || n.Int64() > maxPKCS12Iterations {
					w.err = fmt.Errorf("%w: PKCS#12 key derivation with %v iterations (limit %d)", ErrTooLarge, n, maxPKCS12Iterations)
					return
				}
				if n.Int64() > 0 {
					w.total += n.Int64()
				}
				if w.total > maxPKCS12TotalWork {
					w.err = fmt.Errorf("%w: PKCS#12 key derivations total over %d iterations", ErrTooLarge, maxPKCS12TotalWork)
					return
				}
			}
		}
		prevOctets = c.Class == asn1.ClassUniversal && c.Tag == asn1.TagOctetString
		w.element(c, depth+1)
	}
}
