// Package cms builds, parses and checks CMS SignedData (RFC 5652) the way PAdES needs it.
//
// # Building
//
// A PAdES signature signs a message digest that the caller computed while streaming the
// PDF's byte ranges, so the content itself never reaches this package. Prepare takes that
// digest, the signer certificate and its chain, and computes the signed attributes —
// content-type (id-data), message-digest and ESS signing-certificate-v2 (RFC 5035, with
// the issuerSerial) and deliberately no signing-time (ETSI EN 319 142-1 puts the time in
// the PDF's /M) — together with the exact bytes and digest a key must sign. Finish takes
// the signature value, checks it against the certificate's public key and returns the
// DER-encoded ContentInfo. Sign does both steps with a crypto.Signer. The two-step form
// serves deferred signing: Prepare is deterministic, so a later process can rebuild the
// same Prepared value from the same inputs.
//
// Digests: SHA-256 (default), SHA-384, SHA-512; SHA-1 and MD5 are refused with
// ErrWeakAlgorithm. Signatures: RSA PKCS#1 v1.5 (sha*WithRSAEncryption), RSASSA-PSS
// (id-RSASSA-PSS with explicit parameters: the hash, MGF1 with the same hash, a salt as
// long as the hash; the trailer field is the default 1 and therefore omitted, as DER
// requires), ECDSA on P-256 and P-384 (ecdsa-with-SHA*).
//
// # Parsing and checking
//
// Parse accepts DER and BER (indefinite lengths and non-minimal length encodings, as
// some tools write them) and trailing zero padding (a PDF /Contents hole). It exposes
// the signer infos with their signed and unsigned attributes, the certificates and the
// CRLs. SignerInfo.CheckSignature checks a signature value over the signed attributes
// for RSA PKCS#1 v1.5, RSA-PSS and ECDSA; it does not compare the message-digest
// attribute with any content and does not validate certificates: those are the caller's
// checks (see SignerInfo.MessageDigest and SignedData.SignerCertificate).
//
// # Unsigned attributes
//
// AddUnsignedAttribute adds an attribute, such as a signature time-stamp token
// (id-aa-signatureTimeStampToken, for PAdES B-T), to one SignerInfo and re-encodes the
// SignedData without touching the signed parts.
package cms
