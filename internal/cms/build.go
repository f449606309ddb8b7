package cms

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"sort"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/kyso-go/kyso/internal/algorithm"
)

// Options selects the algorithms of a new signature, like x509.VerifyOptions selects a
// verification. The zero value (or nil) means SHA-256 with RSA PKCS#1 v1.5 or ECDSA,
// whichever the certificate's key is.
type Options struct {
	// Hash is the digest algorithm for the content and the signed attributes:
	// crypto.SHA256 (default), crypto.SHA384 or crypto.SHA512.
	Hash crypto.Hash
	// PSS selects RSASSA-PSS (salt length = hash length, MGF1 with the same hash) for an
	// RSA key. It is ignored for ECDSA keys.
	PSS bool
}

func (o *Options) hash() crypto.Hash {
	if o == nil || o.Hash == 0 {
		return crypto.SHA256
	}
	return o.Hash
}

// Prepared is a SignerInfo waiting for its signature value: the signed attributes are
// fixed, and Digest is what the signer's key must sign.
type Prepared struct {
	hash        crypto.Hash
	pss         bool
	pub         crypto.PublicKey
	cert        *x509.Certificate
	certs       [][]byte // signer first, then the chain, duplicates removed
	signedAttrs []byte   // DER SET OF Attribute (tag 0x31), as signed
	digest      []byte
	sigAlg      []byte // DER AlgorithmIdentifier
	maxSigLen   int
}

// Prepare computes the signed attributes for a signature over content whose digest
// (with opts.Hash) is messageDigest. cert is the signer certificate; chain holds the
// certificates to embed after it (intermediates, optionally the root). Prepare is
// deterministic: the same inputs give the same Prepared value.
func Prepare(messageDigest []byte, cert *x509.Certificate, chain []*x509.Certificate, opts *Options) (*Prepared, error) {
	if cert == nil {
		return nil, fmt.Errorf("%w: no signer certificate", ErrSignerNotFound)
	}
	h := opts.hash()
	if algorithm.WeakHash(h) {
		return nil, &AlgorithmError{Algorithm: h.String(), Reason: "use SHA-256, SHA-384 or SHA-512", Err: ErrWeakAlgorithm}
	}
	hashID, ok := algorithm.HashOID(h)
	if !ok || !h.Available() {
		return nil, &AlgorithmError{Algorithm: h.String(), Reason: "use SHA-256, SHA-384 or SHA-512", Err: ErrUnsupportedAlgorithm}
	}
	if len(messageDigest) != h.Size() {
		return nil, fmt.Errorf("cms: message digest is %d bytes, %v needs %d", len(messageDigest), h, h.Size())
	}
	p := &Prepared{hash: h, pub: cert.PublicKey, cert: cert}
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		if err := algorithm.KeyStrength(pub); err != nil {
			return nil, &AlgorithmError{Algorithm: fmt.Sprintf("RSA-%d", pub.N.BitLen()), Reason: err.Error(), Err: ErrWeakAlgorithm}
		}
		p.maxSigLen = (pub.N.BitLen() + 7) / 8
		p.pss = opts != nil && opts.PSS
		if p.pss {
			p.sigAlg = pssAlgorithmID(hashID, h.Size())
		} else {
			p.sigAlg = algorithmID(rsaSigOID(h), true)
		}
	case *ecdsa.PublicKey:
		var coord int
		switch pub.Curve {
		case elliptic.P256():
			coord = 32
		case elliptic.P384():
			coord = 48
		default:
			return nil, &AlgorithmError{Algorithm: "ECDSA " + pub.Curve.Params().Name, Reason: "use P-256 or P-384", Err: ErrUnsupportedAlgorithm}
		}
		p.maxSigLen = ecdsaMaxSigLen(coord)
		p.sigAlg = algorithmID(ecdsaSigOID(h), false)
	default:
		return nil, &AlgorithmError{Algorithm: fmt.Sprintf("%T", cert.PublicKey), Reason: "use an RSA or ECDSA P-256/P-384 key", Err: ErrUnsupportedAlgorithm}
	}
	seen := map[string]bool{}
	for _, c := range append([]*x509.Certificate{cert}, chain...) {
		if c == nil || seen[string(c.Raw)] {
			continue
		}
		seen[string(c.Raw)] = true
		p.certs = append(p.certs, c.Raw)
	}
	p.signedAttrs = signedAttributes(messageDigest, h, hashID, cert)
	hh := h.New()
	hh.Write(p.signedAttrs)
	p.digest = hh.Sum(nil)
	return p, nil
}

// SignedAttributes returns the DER encoding (a SET OF Attribute) of the signed
// attributes: the bytes the signature covers.
func (p *Prepared) SignedAttributes() []byte { return bytes.Clone(p.signedAttrs) }

// Digest returns the hash of SignedAttributes: the value to pass to crypto.Signer.Sign.
func (p *Prepared) Digest() []byte { return bytes.Clone(p.digest) }

// Hash returns the digest algorithm.
func (p *Prepared) Hash() crypto.Hash { return p.hash }

// SignerOpts returns the options to pass to crypto.Signer.Sign with Digest: an
// *rsa.PSSOptions for RSA-PSS, else the hash.
func (p *Prepared) SignerOpts() crypto.SignerOpts {
	if p.pss {
		return &rsa.PSSOptions{SaltLength: p.hash.Size(), Hash: p.hash}
	}
	return p.hash
}

// MaxSize returns an upper bound of the length of what Finish returns, for any valid
// signature value. Unsigned attributes added later come on top.
func (p *Prepared) MaxSize() int {
	return len(p.encode(make([]byte, p.maxSigLen)))
}

// Finish checks signature (the value a key produced over Digest) against the signer
// certificate's public key and returns the DER-encoded ContentInfo holding the
// SignedData. A value that does not verify yields ErrBadSignature.
func (p *Prepared) Finish(signature []byte) ([]byte, error) {
	if err := checkSignatureValue(p.pub, p.hash, p.pss, p.hash.Size(), p.digest, signature); err != nil {
		return nil, err
	}
	return p.encode(signature), nil
}

// Sign prepares the signed attributes for messageDigest, has signer sign them and
// returns the DER-encoded SignedData. signer's public key must be cert's.
func Sign(signer crypto.Signer, messageDigest []byte, cert *x509.Certificate, chain []*x509.Certificate, opts *Options) ([]byte, error) {
	if err := MatchKey(signer, cert); err != nil {
		return nil, err
	}
	p, err := Prepare(messageDigest, cert, chain, opts)
	if err != nil {
		return nil, err
	}
	sig, err := signer.Sign(rand.Reader, p.Digest(), p.SignerOpts())
	if err != nil {
		return nil, fmt.Errorf("cms: signing: %w", err)
	}
	return p.Finish(sig)
}

// MatchKey reports ErrKeyMismatch unless signer's public key is cert's.
func MatchKey(signer crypto.Signer, cert *x509.Certificate) error {
	if signer == nil || cert == nil {
		return fmt.Errorf("%w: no signer or no certificate", ErrKeyMismatch)
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return fmt.Errorf("%w (certificate %q)", ErrKeyMismatch, cert.Subject.CommonName)
	}
	return nil
}

// encode builds ContentInfo { id-signedData, [0] SignedData }.
func (p *Prepared) encode(signature []byte) []byte {
	hashID, _ := algorithm.HashOID(p.hash)
	digestAlg := algorithmID(hashID, false)
	issuerSerial := issuerAndSerial(p.cert)
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ContentInfo
		b.AddASN1ObjectIdentifier(OIDSignedData)
		b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignedData
				b.AddASN1Int64(1)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(digestAlg) })
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // detached id-data
					b.AddASN1ObjectIdentifier(OIDData)
				})
				b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
					for _, c := range p.certs {
						b.AddBytes(c)
					}
				})
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignerInfo
						b.AddASN1Int64(1)
						b.AddBytes(issuerSerial)
						b.AddBytes(digestAlg)
						b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
							b.AddBytes(p.signedAttrs[headerLen(p.signedAttrs):])
						})
						b.AddBytes(p.sigAlg)
						b.AddASN1OctetString(signature)
					})
				})
			})
		})
	})
	return b.BytesOrPanic()
}

// signedAttributes returns SET OF { content-type, message-digest,
// signing-certificate-v2 } in DER (sorted) order.
func signedAttributes(messageDigest []byte, h crypto.Hash, hashID asn1.ObjectIdentifier, cert *x509.Certificate) []byte {
	ct := attribute(OIDAttributeContentType, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(OIDData) })
	md := attribute(OIDAttributeMessageDigest, func(b *cryptobyte.Builder) { b.AddASN1OctetString(messageDigest) })
	hh := h.New()
	hh.Write(cert.Raw)
	certHash := hh.Sum(nil)
	sc := attribute(OIDAttributeSigningCertV2, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SigningCertificateV2
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // certs
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ESSCertIDv2
					if h != crypto.SHA256 { // DEFAULT {id-sha256} is omitted in DER
						b.AddBytes(algorithmID(hashID, false))
					}
					b.AddASN1OctetString(certHash)
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // IssuerSerial
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // GeneralNames
							b.AddASN1(cbasn1.Tag(4).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
								b.AddBytes(cert.RawIssuer)
							})
						})
						b.AddASN1BigInt(cert.SerialNumber)
					})
				})
			})
		})
	})
	return setOf([][]byte{ct, md, sc})
}

// attribute encodes Attribute { type, SET { value } }.
func attribute(oid asn1.ObjectIdentifier, value func(*cryptobyte.Builder)) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid)
		b.AddASN1(cbasn1.SET, value)
	})
	return b.BytesOrPanic()
}

// setOf encodes a DER SET OF with its elements sorted by their encodings.
func setOf(elems [][]byte) []byte {
	sorted := append([][]byte(nil), elems...)
	sort.Slice(sorted, func(i, j int) bool { return bytes.Compare(sorted[i], sorted[j]) < 0 })
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
		for _, e := range sorted {
			b.AddBytes(e)
		}
	})
	return b.BytesOrPanic()
}

// issuerAndSerial encodes IssuerAndSerialNumber of cert.
func issuerAndSerial(cert *x509.Certificate) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(cert.RawIssuer)
		b.AddASN1BigInt(cert.SerialNumber)
	})
	return b.BytesOrPanic()
}

// algorithmID encodes AlgorithmIdentifier { oid, NULL or absent parameters }.
func algorithmID(oid asn1.ObjectIdentifier, null bool) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid)
		if null {
			b.AddASN1NULL()
		}
	})
	return b.BytesOrPanic()
}

// pssAlgorithmID encodes id-RSASSA-PSS with RSASSA-PSS-params (RFC 4055): the hash,
// MGF1 with the same hash, the salt length; trailerField is the DEFAULT 1, omitted.
func pssAlgorithmID(hashID asn1.ObjectIdentifier, saltLen int) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(OIDRSASSAPSS)
		b.AddBytes(PSSParams(hashID, saltLen))
	})
	return b.BytesOrPanic()
}

// PSSParams encodes RSASSA-PSS-params (RFC 4055, RFC 8017 A.2.3): the hash hashID,
// MGF1 with the same hash, the salt length; trailerField is the DEFAULT 1, omitted.
// CMS signing and the CSC signHash request (token) both send these parameters.
func PSSParams(hashID asn1.ObjectIdentifier, saltLen int) []byte {
	hashAlg := algorithmID(hashID, true)
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
			b.AddBytes(hashAlg)
		})
		b.AddASN1(cbasn1.Tag(1).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(OIDMGF1)
				b.AddBytes(hashAlg)
			})
		})
		b.AddASN1(cbasn1.Tag(2).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
			b.AddASN1Int64(int64(saltLen))
		})
	})
	return b.BytesOrPanic()
}

// sigAlgOIDs names the PKCS#1 v1.5 RSA and the ECDSA signature algorithm of each hash
// kyso signs with.
var sigAlgOIDs = map[crypto.Hash]struct{ rsa, ecdsa asn1.ObjectIdentifier }{
	crypto.SHA256: {OIDSHA256WithRSA, OIDECDSAWithSHA256},
	crypto.SHA384: {OIDSHA384WithRSA, OIDECDSAWithSHA384},
	crypto.SHA512: {OIDSHA512WithRSA, OIDECDSAWithSHA512},
}

// SignatureAlgorithmOID returns the signature algorithm that combines h with the key
// type of pub — sha256WithRSAEncryption (PKCS#1 v1.5), ecdsa-with-SHA384, … — and
// false for a hash or key type without one here (SHA-3, RSASSA-PSS, Ed25519).
func SignatureAlgorithmOID(pub crypto.PublicKey, h crypto.Hash) (asn1.ObjectIdentifier, bool) {
	e, ok := sigAlgOIDs[h]
	if !ok {
		return nil, false
	}
	switch pub.(type) {
	case *rsa.PublicKey:
		return e.rsa, true
	case *ecdsa.PublicKey:
		return e.ecdsa, true
	}
	return nil, false
}

func rsaSigOID(h crypto.Hash) asn1.ObjectIdentifier {
	if e, ok := sigAlgOIDs[h]; ok {
		return e.rsa
	}
	return OIDSHA256WithRSA
}

func ecdsaSigOID(h crypto.Hash) asn1.ObjectIdentifier {
	if e, ok := sigAlgOIDs[h]; ok {
		return e.ecdsa
	}
	return OIDECDSAWithSHA256
}

// ecdsaMaxSigLen is the longest DER Ecdsa-Sig-Value for coordinates of coord bytes.
func ecdsaMaxSigLen(coord int) int {
	intLen := 2 + coord + 1 // tag, length, a leading zero
	content := 2 * intLen
	return 1 + len(appendLength(nil, content)) + content
}

// headerLen returns the length of the tag and length octets of a DER element.
func headerLen(der []byte) int {
	if len(der) < 2 || der[1] < 0x80 {
		return 2
	}
	return 2 + int(der[1]&0x7f)
}
