package signature

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/kyso-go/kyso/internal/algorithm"
	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf"
)

// The legacy SubFilters of ISO 32000-1 §12.8.3 that PAdES does not use but documents
// other tools made still carry:
//
//   - adbe.x509.rsa_sha1 (§12.8.3.2): /Contents is a DER OCTET STRING holding a PKCS#1
//     v1.5 RSA signature over the digest of the byte ranges; the signer's certificate
//     (first) and its chain are the byte strings of /Cert. The digest algorithm is the
//     one the signature's DigestInfo names (SHA-1 by the SubFilter's name; Acrobat
//     also writes SHA-256 and up).
//   - adbe.pkcs7.sha1 (§12.8.3.3.1): a CMS SignedData whose encapsulated id-data
//     content is the SHA-1 digest of the byte ranges, signed like any content.
//
// Both are read into the verifier's CMS shape (a SignedData with one SignerInfo) so
// that the signature value, certificate, path and revocation checks are the common
// ones. SHA-1 is below the algorithm policy: a signature that verifies is then
// INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE; one whose digest or value fails is
// TOTAL_FAILED (HASH_FAILURE, SIG_CRYPTO_FAILURE), as ETSI EN 319 102-1 verifies the
// cryptography before it applies the constraints.

// maxLegacyCerts bounds the certificates read from /Cert.
const maxLegacyCerts = 32

// parseX509RSASHA1 reads an adbe.x509.rsa_sha1 signature: the PKCS#1 value in
// /Contents and the certificates in /Cert.
func (v *verifier) parseX509RSASHA1(s *sigState) flow {
	sig, err := pkcs1Value(s.contents)
	if err != nil {
		return s.failFormat(CheckCMSFormat, msgPKCS1Parse(err))
	}
	var raws [][]byte
	certObj := resolveQuiet(v.doc, s.dict.Get("Cert"))
	if arr, ok := certObj.(pdf.Array); ok {
		for _, e := range arr {
			if b, ok := pdf.Bytes(resolveQuiet(v.doc, e)); ok && len(raws) < maxLegacyCerts {
				raws = append(raws, b)
			}
		}
	} else if b, ok := pdf.Bytes(certObj); ok {
		raws = append(raws, b)
	}
	if len(raws) == 0 {
		return s.failFormat(CheckCMSFormat, msgPKCS1Parse(errors.New("/Cert holds no certificate")))
	}
	var certs []*x509.Certificate
	for _, der := range raws {
		if c, err := x509.ParseCertificate(der); err == nil {
			certs = append(certs, c)
		}
	}
	sd := &cms.SignedData{Certificates: certs, RawCertificates: raws}
	si := &cms.SignerInfo{Version: 1, Signature: sig}
	if len(certs) > 0 && bytes.Equal(certs[0].Raw, raws[0]) {
		signer := certs[0]
		si.Issuer, si.SerialNumber = signer.RawIssuer, signer.SerialNumber
		pub, ok := signer.PublicKey.(*rsa.PublicKey)
		if !ok {
			return s.failFormat(CheckSubFilter, msgSubFilterMismatch(s.rep.SubFilter, fmt.Sprintf("the signer's key is %s, not RSA", keyDescription(signer.PublicKey))))
		}
		// The hash is the one the DigestInfo inside the value names; a value that
		// does not open is checked (and fails) as SHA-1, the SubFilter's own.
		si.Hash = cms.DigestInfoHash(pub, sig)
		s.pkcs1Opened = si.Hash != 0
	} else if issuer, serial, pub, ok := rawCertFields(raws[0]); ok {
		// crypto/x509 refuses the signer's certificate (a negative serial number,
		// …): findSignerCertificate says why, and checks the value with its key.
		si.Issuer, si.SerialNumber = issuer, serial
		if rsaPub, ok := pub.(*rsa.PublicKey); ok {
			si.Hash = cms.DigestInfoHash(rsaPub, sig)
		}
	} else {
		return s.failFormat(CheckCMSFormat, msgPKCS1Parse(errors.New("the first /Cert entry is not an X.509 certificate")))
	}
	if si.Hash == 0 {
		si.Hash = crypto.SHA1
	}
	hashOID, _ := algorithm.HashOID(si.Hash)
	si.DigestAlgorithm = pkix.AlgorithmIdentifier{Algorithm: hashOID}
	si.SignatureAlgorithm = pkix.AlgorithmIdentifier{Algorithm: cms.OIDRSAEncryption}
	sd.Signers = []*cms.SignerInfo{si}
	s.sd, s.si = sd, si
	s.rep.add(CheckCMSFormat, CheckPassed, msgPKCS1OK(len(raws)))
	return next
}

// pkcs1Value reads the DER OCTET STRING of an adbe.x509.rsa_sha1 /Contents; the zero
// bytes that pad the /Contents hole may follow it.
func pkcs1Value(contents []byte) ([]byte, error) {
	in := cryptobyte.String(contents)
	var sig cryptobyte.String
	if !in.ReadASN1(&sig, cbasn1.OCTET_STRING) || len(sig) == 0 {
		return nil, errors.New("/Contents is not a DER OCTET STRING holding the signature value")
	}
	for _, b := range in {
		if b != 0 {
			return nil, errors.New("bytes other than padding follow the signature value")
		}
	}
	return bytes.Clone(sig), nil
}

// checkEncapsulatedDigest: an adbe.pkcs7.sha1 signature encapsulates the SHA-1 digest
// of the byte ranges; it must be the digest computed, and what the CMS signs is that
// content, so the signer's digest is then taken over it.
func (v *verifier) checkEncapsulatedDigest(s *sigState) flow {
	if s.rep.SubFilter != "adbe.pkcs7.sha1" {
		return next
	}
	if subtle.ConstantTimeCompare(s.digest, s.sd.Content) != 1 {
		s.rep.add(CheckMessageDigest, CheckFailed, msgDigestMismatch("SHA-1"))
		s.rep.fail(TotalFailed, HashFailure)
		v.modifications(s)
		v.integritySummary(s, false)
		return stop
	}
	s.rep.add(CheckMessageDigest, CheckPassed, msgEncapsulatedDigestOK())
	h := s.si.Hash.New()
	h.Write(s.sd.Content)
	s.digest = h.Sum(nil)
	return next
}

// rawCertFields reads a certificate's issuer (DER Name), serial number (possibly
// negative) and public key without crypto/x509's checks of the rest, for certificates
// it refuses. pub is nil when the key is of a kind Go cannot read.
func rawCertFields(der []byte) (issuer []byte, serial *big.Int, pub any, ok bool) {
	in := cryptobyte.String(der)
	var cert, tbs cryptobyte.String
	if !in.ReadASN1(&cert, cbasn1.SEQUENCE) || !cert.ReadASN1(&tbs, cbasn1.SEQUENCE) {
		return nil, nil, nil, false
	}
	tbs.SkipOptionalASN1(cbasn1.Tag(0).ContextSpecific().Constructed())
	serial = new(big.Int)
	var iss, spki cryptobyte.String
	if !tbs.ReadASN1Integer(serial) || !tbs.SkipASN1(cbasn1.SEQUENCE) ||
		!tbs.ReadASN1Element(&iss, cbasn1.SEQUENCE) || !tbs.SkipASN1(cbasn1.SEQUENCE) ||
		!tbs.SkipASN1(cbasn1.SEQUENCE) || !tbs.ReadASN1Element(&spki, cbasn1.SEQUENCE) {
		return nil, nil, nil, false
	}
	// On error ParsePKIXPublicKey may return a typed nil (a nil *ecdsa.PublicKey for a
	// curve it does not know) inside a non-nil interface: keep only a key it parsed.
	if k, err := x509.ParsePKIXPublicKey(spki); err == nil {
		pub = k
	}
	return bytes.Clone(iss), serial, pub, true
}

// rawCertPublicKey returns the public key of a certificate crypto/x509 refuses, when
// the key itself is one it reads (RSA, ECDSA on its curves, Ed25519), else nil.
func rawCertPublicKey(der []byte) any {
	_, _, pub, ok := rawCertFields(der)
	if !ok {
		return nil
	}
	return pub
}
