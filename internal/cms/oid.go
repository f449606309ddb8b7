package cms

import (
	"crypto"
	"encoding/asn1"
)

// Object identifiers used by this package.
var (
	OIDData                    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	OIDSignedData              = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	OIDAttributeContentType    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	OIDAttributeMessageDigest  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	OIDAttributeSigningTime    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	OIDAttributeSigningCertV2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	OIDAttributeSigningCert    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 12}
	OIDAttributeTimeStampToken = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
	OIDTSTInfo                 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	OIDRSAEncryption           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	OIDSHA1WithRSA             = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	OIDSHA256WithRSA           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	OIDSHA384WithRSA           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	OIDSHA512WithRSA           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	OIDRSASSAPSS               = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	OIDMGF1                    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
	OIDECPublicKey             = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	OIDECDSAWithSHA1           = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}
	OIDECDSAWithSHA256         = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	OIDECDSAWithSHA384         = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	OIDECDSAWithSHA512         = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	OIDEd25519                 = asn1.ObjectIdentifier{1, 3, 101, 112}
	OIDSHA1                    = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	OIDMD5                     = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 5}
	OIDSHA256                  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	OIDSHA384                  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	OIDSHA512                  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
)

// HashOID returns the digest algorithm identifier of h: the one table of hash OIDs
// the module uses (certstatus, signature and token read it from here).
func HashOID(h crypto.Hash) (asn1.ObjectIdentifier, bool) {
	switch h {
	case crypto.SHA256:
		return OIDSHA256, true
	case crypto.SHA384:
		return OIDSHA384, true
	case crypto.SHA512:
		return OIDSHA512, true
	case crypto.SHA1:
		return OIDSHA1, true
	case crypto.MD5:
		return OIDMD5, true
	}
	return nil, false
}

// HashFromOID maps a digest algorithm identifier to a crypto.Hash (0 when unknown).
// SHA-1 and MD5 are recognised so that callers can refuse them by name.
func HashFromOID(oid asn1.ObjectIdentifier) crypto.Hash {
	switch {
	case oid.Equal(OIDSHA256):
		return crypto.SHA256
	case oid.Equal(OIDSHA384):
		return crypto.SHA384
	case oid.Equal(OIDSHA512):
		return crypto.SHA512
	case oid.Equal(OIDSHA1):
		return crypto.SHA1
	case oid.Equal(OIDMD5):
		return crypto.MD5
	}
	return 0
}

// WeakHash reports whether h is a weak digest (SHA-1, MD5, MD4, MD5+SHA-1, RIPEMD-160):
// refused for new signatures and, by default, for checks. It is the module's one list of
// weak hashes (internal/evidence applies it with the SHA-1 sunset).
func WeakHash(h crypto.Hash) bool {
	switch h {
	case crypto.SHA1, crypto.MD5, crypto.MD4, crypto.MD5SHA1, crypto.RIPEMD160:
		return true
	}
	return false
}
