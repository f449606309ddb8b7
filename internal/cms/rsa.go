package cms

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/subtle"
	"encoding/asn1"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/kyso-go/kyso/internal/algorithm"
)

// maxGoRSAExponent is the largest public exponent crypto/rsa accepts. RFC 8017 allows
// any odd e with 3 ≤ e < n, and OpenSSL, NSS and BouncyCastle verify with larger ones.
const maxGoRSAExponent = 1<<31 - 1

// CheckDigestSignature verifies sig over digest (made with h) with pub: RSA PKCS#1
// v1.5 (any legal public exponent) or ECDSA. It returns nil, ErrBadSignature or an
// *AlgorithmError. It is for signatures without signed attributes (adbe.pkcs7.detached)
// and other raw uses; it applies no algorithm policy.
func CheckDigestSignature(pub crypto.PublicKey, h crypto.Hash, digest, sig []byte) error {
	switch pub.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey:
		return checkSignatureValue(pub, h, false, 0, digest, sig)
	}
	return &AlgorithmError{Algorithm: fmt.Sprintf("%T", pub), Reason: "public key type", Err: ErrUnsupportedAlgorithm}
}

// verifyRSA checks an RSA signature, with crypto/rsa when it accepts the key and with
// the textbook big-integer operation otherwise (a public exponent above 2³¹−1).
func verifyRSA(k *rsa.PublicKey, h crypto.Hash, pss bool, saltLen int, digest, sig []byte) error {
	if k.E <= maxGoRSAExponent {
		if pss {
			return rsa.VerifyPSS(k, h, digest, sig, &rsa.PSSOptions{SaltLength: saltLen, Hash: h})
		}
		return rsa.VerifyPKCS1v15(k, h, digest, sig)
	}
	if k.N == nil || k.N.Sign() <= 0 || k.E%2 == 0 || len(digest) != h.Size() {
		return ErrBadSignature
	}
	kLen := (k.N.BitLen() + 7) / 8
	if len(sig) != kLen {
		return ErrBadSignature
	}
	s := new(big.Int).SetBytes(sig)
	if s.Cmp(k.N) >= 0 {
		return ErrBadSignature
	}
	m := new(big.Int).Exp(s, big.NewInt(int64(k.E)), k.N)
	if pss {
		emBits := k.N.BitLen() - 1
		emLen := (emBits + 7) / 8
		if m.BitLen() > emLen*8 {
			return ErrBadSignature
		}
		return emsaPSSVerify(digest, m.FillBytes(make([]byte, emLen)), emBits, saltLen, h)
	}
	prefix, ok := algorithm.DigestInfoPrefix[h]
	if !ok {
		return &AlgorithmError{Algorithm: h.String(), Reason: "PKCS#1 v1.5 DigestInfo", Err: ErrUnsupportedAlgorithm}
	}
	tLen := len(prefix) + len(digest)
	if kLen < tLen+11 {
		return ErrBadSignature
	}
	want := make([]byte, kLen)
	want[1] = 1
	for i := 2; i < kLen-tLen-1; i++ {
		want[i] = 0xff
	}
	copy(want[kLen-tLen:], prefix)
	copy(want[kLen-len(digest):], digest)
	if subtle.ConstantTimeCompare(m.FillBytes(make([]byte, kLen)), want) != 1 {
		return ErrBadSignature
	}
	return nil
}

// emsaPSSVerify is EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with MGF1 over h.
func emsaPSSVerify(mHash, em []byte, emBits, sLen int, h crypto.Hash) error {
	hLen := h.Size()
	emLen := len(em)
	if sLen < 0 || emLen < hLen+sLen+2 || em[emLen-1] != 0xbc {
		return ErrBadSignature
	}
	db := bytes.Clone(em[:emLen-hLen-1])
	hh := em[emLen-hLen-1 : emLen-1]
	topBits := uint(8*emLen - emBits)
	if topBits > 0 && db[0]>>(8-topBits) != 0 {
		return ErrBadSignature
	}
	mask := mgf1(hh, len(db), h)
	for i := range db {
		db[i] ^= mask[i]
	}
	if topBits > 0 {
		db[0] &= 0xff >> topBits
	}
	ps := emLen - hLen - sLen - 2
	for _, b := range db[:ps] {
		if b != 0 {
			return ErrBadSignature
		}
	}
	if db[ps] != 1 {
		return ErrBadSignature
	}
	d := h.New()
	d.Write(make([]byte, 8))
	d.Write(mHash)
	d.Write(db[len(db)-sLen:])
	if subtle.ConstantTimeCompare(d.Sum(nil), hh) != 1 {
		return ErrBadSignature
	}
	return nil
}

// mgf1 is the mask generation function MGF1 (RFC 8017 B.2.1).
func mgf1(seed []byte, n int, h crypto.Hash) []byte {
	var out []byte
	for c := uint32(0); len(out) < n; c++ {
		d := h.New()
		d.Write(seed)
		d.Write([]byte{byte(c >> 24), byte(c >> 16), byte(c >> 8), byte(c)})
		out = d.Sum(out)
	}
	return out[:n]
}

// DigestInfoHash opens an RSA PKCS#1 v1.5 signature value with pub and returns the
// hash its DigestInfo names, or 0 when the value does not open to a PKCS#1 v1.5
// encoding (it is then a bad signature, which the value check reports). It only finds
// out which digest to compute; the value itself is verified by CheckDigestSignature.
// It serves adbe.x509.rsa_sha1, whose value names its digest only in the DigestInfo.
func DigestInfoHash(pub *rsa.PublicKey, sig []byte) crypto.Hash {
	if pub.N == nil || pub.N.Sign() <= 0 || pub.E <= 0 {
		return 0
	}
	k := (pub.N.BitLen() + 7) / 8
	if len(sig) != k {
		return 0
	}
	c := new(big.Int).SetBytes(sig)
	if c.Cmp(pub.N) >= 0 {
		return 0
	}
	em := new(big.Int).Exp(c, big.NewInt(int64(pub.E)), pub.N).FillBytes(make([]byte, k))
	if em[0] != 0 || em[1] != 1 {
		return 0
	}
	i := 2
	for i < len(em) && em[i] == 0xff {
		i++
	}
	if i < 10 || i >= len(em) || em[i] != 0 {
		return 0
	}
	in := cryptobyte.String(em[i+1:])
	var di, alg cryptobyte.String
	var oid asn1.ObjectIdentifier
	if !in.ReadASN1(&di, cbasn1.SEQUENCE) || !di.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&oid) {
		return 0
	}
	h := algorithm.HashFromOID(oid)
	if h == 0 || !h.Available() {
		return 0
	}
	return h
}
