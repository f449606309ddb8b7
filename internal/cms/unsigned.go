package cms

import (
	"bytes"
	"encoding/asn1"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// AddUnsignedAttribute adds an unsigned attribute with one value (the DER of the
// value, e.g. a time-stamp token's ContentInfo) to the signer info at index signer of
// the SignedData der, and returns the re-encoded ContentInfo. The signed parts are
// kept byte for byte, so the signature stays valid; the unsigned attributes are
// written as a DER SET OF (sorted).
func AddUnsignedAttribute(der []byte, signer int, oid asn1.ObjectIdentifier, value []byte) ([]byte, error) {
	return setUnsignedAttribute(der, signer, oid, value, false)
}

// ReplaceUnsignedAttribute is AddUnsignedAttribute that first drops the signer's
// unsigned attributes of type oid: the result holds value as the only one (for
// example a signature time-stamp token completed with its TSA's certificate).
func ReplaceUnsignedAttribute(der []byte, signer int, oid asn1.ObjectIdentifier, value []byte) ([]byte, error) {
	return setUnsignedAttribute(der, signer, oid, value, true)
}

func setUnsignedAttribute(der []byte, signer int, oid asn1.ObjectIdentifier, value []byte, replace bool) ([]byte, error) {
	sd, err := Parse(der)
	if err != nil {
		return nil, err
	}
	if signer < 0 || signer >= len(sd.Signers) {
		return nil, fmt.Errorf("%w: signer index %d of %d", ErrSignerNotFound, signer, len(sd.Signers))
	}
	var el cryptobyte.String
	var tag cbasn1.Tag
	if v := cryptobyte.String(value); !v.ReadAnyASN1Element(&el, &tag) || !v.Empty() {
		return nil, malformed("unsigned attribute value", "not one DER element")
	}
	si := sd.Signers[signer]
	var elems [][]byte
	for _, a := range si.UnsignedAttributes {
		if replace && a.Type.Equal(oid) {
			continue
		}
		elems = append(elems, encodeAttribute(a))
	}
	elems = append(elems, encodeAttribute(Attribute{Type: oid, Values: [][]byte{value}}))
	set := setOf(elems)
	var sib cryptobyte.Builder
	sib.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(si.rawSigned)
		b.AddASN1(cbasn1.Tag(1).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
			b.AddBytes(set[headerLen(set):])
		})
	})
	newSI, err := sib.Bytes()
	if err != nil {
		return nil, fmt.Errorf("cms: re-encoding signer info: %w", err)
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(OIDSignedData)
		b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddBytes(sd.head)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					for i, s := range sd.Signers {
						if i == signer {
							b.AddBytes(newSI)
						} else {
							b.AddBytes(s.raw)
						}
					}
				})
			})
		})
	})
	return b.Bytes()
}

func encodeAttribute(a Attribute) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(a.Type)
		b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
			vals := append([][]byte(nil), a.Values...)
			sortBytes(vals)
			for _, v := range vals {
				b.AddBytes(v)
			}
		})
	})
	return b.BytesOrPanic()
}

func sortBytes(v [][]byte) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && bytes.Compare(v[j-1], v[j]) > 0; j-- {
			v[j-1], v[j] = v[j], v[j-1]
		}
	}
}
