package token

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
)

// maxObjects bounds how many objects of one class are read from a token.
const maxObjects = 256

// KeySelector chooses a signing key on a token. Empty fields match any key; with both
// empty, the token must hold exactly one signing key with a certificate.
type KeySelector struct {
	ID    []byte // CKA_ID
	Label string // CKA_LABEL
}

// KeyInfo describes a private key on a token.
type KeyInfo struct {
	ID        []byte
	Label     string
	Algorithm string           // "RSA-2048", "ECDSA-P256", …
	Public    crypto.PublicKey // nil when neither the key, a public-key object nor a certificate gives it
	// Certificate is the key's certificate (matched by CKA_ID, else by public key);
	// nil when the token holds none.
	Certificate *x509.Certificate
	// Chain holds the issuers of Certificate found on the token, ordered towards the
	// root.
	Chain []*x509.Certificate
	// AlwaysAuthenticate: the key asks for the PIN before every signature.
	AlwaysAuthenticate bool
	// CanSign is false for keys whose CKA_SIGN is false.
	CanSign bool
}

// foundKey is a KeyInfo with what signing needs.
type foundKey struct {
	KeyInfo
	handle  uint
	keyType uint
}

type tokenCert struct {
	id    []byte
	label string
	cert  *x509.Certificate
}

// TokenCertificate is an X.509 certificate object on a token.
type TokenCertificate struct {
	ID          []byte // CKA_ID, shared with the certificate's key on most tokens
	Label       string
	Certificate *x509.Certificate
}

// Certificates lists the X.509 certificates on the token (public objects: no login is
// needed). Certificates the package cannot parse are skipped.
func (t *Token) Certificates(ctx context.Context) ([]TokenCertificate, error) {
	var out []TokenCertificate
	err := t.withSession(ctx, func(sh uint) (bool, error) {
		certs, err := t.readCertificates(sh)
		out = out[:0]
		for _, c := range certs {
			out = append(out, TokenCertificate{ID: c.id, Label: c.label, Certificate: c.cert})
		}
		return false, err
	})
	return out, err
}

// readCertificates reads every X.509 certificate object.
func (t *Token) readCertificates(sh uint) ([]tokenCert, error) {
	objs, err := t.be.findObjects(sh, []attr{{ckaClass, uint(ckoCertificate)}, {ckaCertificateType, uint(ckcX509)}}, maxObjects)
	if err != nil {
		return nil, err
	}
	var certs []tokenCert
	for _, o := range objs {
		der, _, err := t.be.attribute(sh, o, ckaValue)
		if err != nil {
			return nil, err
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			continue // a certificate this package cannot read is not a signing certificate
		}
		id, _, err := t.be.attribute(sh, o, ckaID)
		if err != nil {
			return nil, err
		}
		label, _, err := t.be.attribute(sh, o, ckaLabel)
		if err != nil {
			return nil, err
		}
		certs = append(certs, tokenCert{id: id, label: string(label), cert: c})
	}
	return certs, nil
}

// Keys lists the token's private keys with their certificates. Private keys are visible
// only after login.
func (t *Token) Keys(ctx context.Context) ([]KeyInfo, error) {
	var keys []foundKey
	err := t.withSession(ctx, func(sh uint) (bool, error) {
		var err error
		keys, err = t.discover(sh)
		return false, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]KeyInfo, len(keys))
	for i, k := range keys {
		out[i] = k.KeyInfo
	}
	return out, nil
}

// discover reads private keys, public keys and certificates and pairs them.
func (t *Token) discover(sh uint) ([]foundKey, error) {
	be := t.be
	get := func(obj, typ uint) ([]byte, error) {
		v, _, err := be.attribute(sh, obj, typ)
		return v, err
	}
	certs, err := t.readCertificates(sh)
	if err != nil {
		return nil, err
	}
	pubObjs, err := be.findObjects(sh, []attr{{ckaClass, uint(ckoPublicKey)}}, maxObjects)
	if err != nil {
		return nil, err
	}
	type pubObj struct {
		id  []byte
		pub crypto.PublicKey
	}
	var pubs []pubObj
	for _, o := range pubObjs {
		id, err := get(o, ckaID)
		if err != nil {
			return nil, err
		}
		pub, _, err := t.readPublic(sh, o, true)
		if err != nil {
			return nil, err
		}
		if pub != nil {
			pubs = append(pubs, pubObj{id, pub})
		}
	}
	privObjs, err := be.findObjects(sh, []attr{{ckaClass, uint(ckoPrivateKey)}}, maxObjects)
	if err != nil {
		return nil, err
	}
	var keys []foundKey
	for _, o := range privObjs {
		var k foundKey
		k.handle = o
		if k.ID, err = get(o, ckaID); err != nil {
			return nil, err
		}
		label, err := get(o, ckaLabel)
		if err != nil {
			return nil, err
		}
		k.Label = string(label)
		k.CanSign = true
		if v, ok, err := be.attribute(sh, o, ckaSign); err != nil {
			return nil, err
		} else if ok && len(v) > 0 && v[0] == 0 {
			k.CanSign = false
		}
		if v, ok, err := be.attribute(sh, o, ckaAlwaysAuthenticate); err != nil {
			return nil, err
		} else if ok && len(v) > 0 && v[0] != 0 {
			k.AlwaysAuthenticate = true
		}
		pub, keyType, err := t.readPublic(sh, o, false)
		if err != nil {
			return nil, err
		}
		k.keyType = keyType
		if pub == nil && keyType == ckkEC {
			for _, p := range pubs {
				if len(k.ID) > 0 && bytes.Equal(p.id, k.ID) {
					pub = p.pub
					break
				}
			}
		}
		k.Public = pub
		// Certificate: same CKA_ID and (when the key is known) same public key; else
		// any certificate with the key's public key.
		for _, c := range certs {
			if len(k.ID) > 0 && bytes.Equal(c.id, k.ID) && (pub == nil || publicKeysEqual(pub, c.cert.PublicKey)) {
				k.Certificate = c.cert
				break
			}
		}
		if k.Certificate == nil && pub != nil {
			for _, c := range certs {
				if publicKeysEqual(pub, c.cert.PublicKey) {
					k.Certificate = c.cert
					break
				}
			}
		}
		if k.Certificate != nil {
			k.Public = k.Certificate.PublicKey
			pool := make([]*x509.Certificate, 0, len(certs))
			for _, c := range certs {
				pool = append(pool, c.cert)
			}
			k.Chain, _ = orderChain(k.Certificate, pool)
		}
		k.Algorithm = algorithmName(keyType, k.Public)
		keys = append(keys, k)
	}
	return keys, nil
}

// readPublic reads the public half of a key object: modulus and exponent for RSA, and
// for EC the point (public-key objects only; private keys do not carry it).
func (t *Token) readPublic(sh, obj uint, public bool) (crypto.PublicKey, uint, error) {
	kt, ok, err := t.be.attribute(sh, obj, ckaKeyType)
	if err != nil || !ok {
		return nil, 0, err
	}
	keyType := ulong(kt)
	switch keyType {
	case ckkRSA:
		n, okN, err := t.be.attribute(sh, obj, ckaModulus)
		if err != nil {
			return nil, keyType, err
		}
		e, okE, err := t.be.attribute(sh, obj, ckaPublicExponent)
		if err != nil {
			return nil, keyType, err
		}
		if !okN || !okE || len(n) == 0 || len(e) == 0 || len(e) > 8 {
			return nil, keyType, nil
		}
		exp := new(big.Int).SetBytes(e)
		if !exp.IsInt64() || exp.Int64() > 1<<31-1 {
			return nil, keyType, nil
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exp.Int64())}, keyType, nil
	case ckkEC:
		if !public {
			return nil, keyType, nil
		}
		params, _, err := t.be.attribute(sh, obj, ckaECParams)
		if err != nil {
			return nil, keyType, err
		}
		point, _, err := t.be.attribute(sh, obj, ckaECPoint)
		if err != nil {
			return nil, keyType, err
		}
		return ecPublicKey(params, point), keyType, nil
	}
	return nil, keyType, nil
}

// ulong decodes a CK_ULONG attribute value (native byte order).
func ulong(b []byte) uint {
	switch len(b) {
	case 8:
		return uint(binary.NativeEndian.Uint64(b))
	case 4:
		return uint(binary.NativeEndian.Uint32(b))
	}
	return ^uint(0)
}

var (
	oidP256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	oidP384 = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
	oidP521 = asn1.ObjectIdentifier{1, 3, 132, 0, 35}
)

// ecPublicKey decodes CKA_EC_PARAMS (a named curve) and CKA_EC_POINT (an uncompressed
// point, DER OCTET STRING-wrapped as the standard says or raw as some tokens give it).
func ecPublicKey(params, point []byte) *ecdsa.PublicKey {
	var oid asn1.ObjectIdentifier
	if rest, err := asn1.Unmarshal(params, &oid); err != nil || len(rest) != 0 {
		return nil
	}
	var curve elliptic.Curve
	switch {
	case oid.Equal(oidP256):
		curve = elliptic.P256()
	case oid.Equal(oidP384):
		curve = elliptic.P384()
	case oid.Equal(oidP521):
		curve = elliptic.P521()
	default:
		return nil
	}
	// PKCS#11 says CKA_EC_POINT is a DER OCTET STRING, but some tokens hand back the
	// raw point. A raw uncompressed point starts with 0x04, the OCTET STRING tag, and
	// can itself parse as DER (when its next byte happens to equal the remaining
	// length), so take whichever reading is a point on the curve.
	var wrapped []byte
	if rest, err := asn1.Unmarshal(point, &wrapped); err == nil && len(rest) == 0 {
		if pub, err := ecdsa.ParseUncompressedPublicKey(curve, wrapped); err == nil {
			return pub
		}
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, point)
	if err != nil {
		return nil
	}
	return pub
}

func algorithmName(keyType uint, pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA-%d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "ECDSA-" + strings.ReplaceAll(k.Curve.Params().Name, "-", "")
	}
	switch keyType {
	case ckkRSA:
		return "RSA"
	case ckkEC:
		return "ECDSA"
	}
	return fmt.Sprintf("key type 0x%X", keyType)
}

// Signer returns the signing key sel chooses, with its certificate. Only keys that may
// sign and have a certificate are considered; with an empty selector the token must
// hold exactly one.
func (t *Token) Signer(ctx context.Context, sel KeySelector) (*KeySigner, error) {
	var keys []foundKey
	err := t.withSession(ctx, func(sh uint) (bool, error) {
		var err error
		keys, err = t.discover(sh)
		return false, err
	})
	if err != nil {
		return nil, err
	}
	var match []foundKey
	var avail []string
	for _, k := range keys {
		if !k.CanSign || k.Certificate == nil {
			continue
		}
		avail = append(avail, fmt.Sprintf("id %s label %q (%s, %s)", hex.EncodeToString(k.ID), k.Label, k.Algorithm, k.Certificate.Subject.CommonName))
		if (sel.ID == nil || bytes.Equal(sel.ID, k.ID)) && (sel.Label == "" || sel.Label == k.Label) {
			match = append(match, k)
		}
	}
	switch {
	case len(match) == 0:
		if len(avail) == 0 {
			return nil, fmt.Errorf("%w (token %q has no signing key with a certificate)", ErrKeyNotFound, t.info.Label)
		}
		return nil, fmt.Errorf("%w: id %s label %q; keys on token %q: %s", ErrKeyNotFound, hex.EncodeToString(sel.ID), sel.Label, t.info.Label, strings.Join(avail, "; "))
	case len(match) > 1:
		return nil, fmt.Errorf("%w: %s", ErrAmbiguousKey, strings.Join(avail, "; "))
	}
	k := match[0]
	if err := checkKey(k.Public); err != nil {
		return nil, err
	}
	return &KeySigner{t: t, key: k, handle: k.handle}, nil
}
