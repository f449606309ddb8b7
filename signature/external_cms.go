package signature

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"

	"github.com/kyso-go/kyso/internal/cms"
)

// Errors of an external CMS given to Complete. An *ExternalCMSError matches
// ErrExternalCMS and the sentinel of its reason.
var (
	// ErrExternalCMS: the CMS SignedData given to Complete does not fit the prepared
	// signature.
	ErrExternalCMS = errors.New("signature: the external CMS does not fit the prepared signature")
	// ErrExternalCMSDigest: the CMS signs another message digest (another document,
	// another preparation) or uses another digest algorithm than the prepared one.
	ErrExternalCMSDigest = errors.New("signature: the external CMS signs another digest than the prepared one")
	// ErrExternalCMSCertificate: the CMS was signed with another certificate than the
	// prepared one.
	ErrExternalCMSCertificate = errors.New("signature: the external CMS was made with another certificate than the prepared one")
	// ErrExternalCMSAttributes: the CMS's signed attributes are not PAdES baseline
	// (signing-time present, ESS signing-certificate-v2 missing or wrong, content-type
	// not id-data).
	ErrExternalCMSAttributes = errors.New("signature: the external CMS's signed attributes are not PAdES-valid")
)

// ExternalCMSReason says what is wrong with an external CMS.
type ExternalCMSReason int

// The checks an external CMS can fail.
const (
	CMSMalformed           ExternalCMSReason = iota + 1 // not one detached SignedData with one signer
	CMSDigestMismatch                                   // message-digest or digest algorithm differs
	CMSCertificateMismatch                              // signed by another certificate
	CMSSigningTime                                      // has a signing-time attribute (PAdES forbids it)
	CMSSigningCertificate                               // ESS signing-certificate-v2 missing or names another certificate
	CMSContentType                                      // content-type attribute missing or not id-data
	CMSBadSignature                                     // the signature value does not verify
	CMSTooLarge                                         // does not fit into the reserved /Contents
	CMSCertificateMissing                               // the signer's certificate is not embedded
	CMSTimestamp                                        // a signature time-stamp not over this signature value
)

// ExternalCMSError details why Complete refused an external CMS.
type ExternalCMSError struct {
	Reason ExternalCMSReason
	Detail string
	Err    error // the underlying error (parser, verification), if any
}

// Error names the failed check in Vietnamese and English.
func (e *ExternalCMSError) Error() string {
	var msg string
	switch e.Reason {
	case CMSMalformed:
		msg = "CMS bên ngoài không đúng cấu trúc (cần một SignedData tách rời, một người ký) / the external CMS is not one detached SignedData with one signer"
	case CMSDigestMismatch:
		msg = "CMS bên ngoài ký một giá trị băm khác với tài liệu đã chuẩn bị / the external CMS signs another digest than the prepared document"
	case CMSCertificateMismatch:
		msg = "CMS bên ngoài được ký bằng chứng thư số khác / the external CMS was signed with another certificate than the prepared one"
	case CMSSigningTime:
		msg = "CMS bên ngoài có thuộc tính signing-time, PAdES không cho phép / the external CMS has a signing-time attribute, which PAdES forbids"
	case CMSSigningCertificate:
		msg = "CMS bên ngoài thiếu hoặc sai thuộc tính ESS signing-certificate-v2 / the external CMS lacks an ESS signing-certificate-v2 naming the certificate"
	case CMSContentType:
		msg = "CMS bên ngoài có content-type khác id-data / the external CMS's content-type is not id-data"
	case CMSBadSignature:
		msg = "chữ ký trong CMS bên ngoài không hợp lệ / the external CMS's signature value does not verify"
	case CMSTooLarge:
		msg = "CMS bên ngoài quá lớn so với vùng /Contents đã dành / the external CMS does not fit into the reserved /Contents"
	case CMSCertificateMissing:
		msg = "CMS bên ngoài không kèm chứng thư số của người ký, bên kiểm tra không thể xác minh / the external CMS does not carry the signer's certificate, so no verifier could check it"
	case CMSTimestamp:
		msg = "dấu thời gian trong CMS bên ngoài không gắn với chữ ký này / the external CMS's signature time-stamp is not a valid time-stamp of its signature value"
	default:
		msg = "CMS bên ngoài không hợp lệ / invalid external CMS"
	}
	s := "signature: " + msg
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is matches ErrExternalCMS and the sentinel of the reason: ErrExternalCMSDigest,
// ErrExternalCMSCertificate, ErrExternalCMSAttributes, ErrBadSignatureValue,
// ErrContentsTooSmall.
func (e *ExternalCMSError) Is(target error) bool {
	switch target {
	case ErrExternalCMS:
		return true
	case ErrExternalCMSDigest:
		return e.Reason == CMSDigestMismatch
	case ErrExternalCMSCertificate:
		return e.Reason == CMSCertificateMismatch || e.Reason == CMSCertificateMissing
	case ErrExternalCMSAttributes:
		return e.Reason == CMSSigningTime || e.Reason == CMSSigningCertificate || e.Reason == CMSContentType || e.Reason == CMSTimestamp
	case ErrBadSignatureValue:
		return e.Reason == CMSBadSignature
	case ErrContentsTooSmall:
		return e.Reason == CMSTooLarge
	}
	return false
}

// Unwrap returns the underlying error.
func (e *ExternalCMSError) Unwrap() error { return e.Err }

// signedDataPrefix is the start of a ContentInfo's contentType id-signedData.
var signedDataPrefix = []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02}

// looksLikeCMS reports whether v is a ContentInfo holding SignedData rather than a
// raw signature value: a SEQUENCE whose first element is the id-signedData OID. Neither
// an RSA signature (a number below the modulus, almost never this shape) nor an ECDSA
// Ecdsa-Sig-Value (a SEQUENCE of INTEGERs) starts so.
func looksLikeCMS(v []byte) bool {
	if len(v) < 2+len(signedDataPrefix) || v[0] != 0x30 {
		return false
	}
	off := 2
	if v[1]&0x80 != 0 {
		off += int(v[1] & 0x7f)
	}
	return off+len(signedDataPrefix) <= len(v) && bytes.Equal(v[off:off+len(signedDataPrefix)], signedDataPrefix)
}

// maxExternalCMS bounds an external CMS (the /Contents hole is at most ~1 MiB anyway).
const maxExternalCMS = 2 << 20

// checkExternalCMS checks an external CMS against the prepared signature and returns its
// DER to embed.
//
// A signature time-stamp it brings without its TSA's certificate or intermediates
// (the TSA was asked without certReq) is completed with those found among the CMS's
// certificates and candidates (CompleteOptions.Level.Certificates), so that it
// verifies on its own; the CMS is refused when the TSA certificate is nowhere.
func checkExternalCMS(v []byte, st *deferredState, cert *x509.Certificate, h crypto.Hash, candidates []*x509.Certificate) ([]byte, error) {
	if len(v) > maxExternalCMS {
		return nil, &ExternalCMSError{Reason: CMSTooLarge, Detail: fmt.Sprintf("%d bytes", len(v))}
	}
	sd, err := cms.Parse(v)
	if err != nil {
		return nil, &ExternalCMSError{Reason: CMSMalformed, Err: err}
	}
	switch {
	case len(sd.Signers) != 1:
		return nil, &ExternalCMSError{Reason: CMSMalformed, Detail: fmt.Sprintf("%d signers", len(sd.Signers))}
	case sd.Content != nil:
		return nil, &ExternalCMSError{Reason: CMSMalformed, Detail: "the content is encapsulated; PAdES needs a detached signature"}
	case !sd.ContentType.Equal(cms.OIDData):
		return nil, &ExternalCMSError{Reason: CMSContentType, Detail: "encapsulated content type " + sd.ContentType.String()}
	}
	si := sd.Signers[0]
	if !identifies(si, cert) {
		who := "an unknown certificate"
		if c, err := sd.SignerCertificate(si); err == nil {
			who = fmt.Sprintf("%q", c.Subject.CommonName)
		}
		return nil, &ExternalCMSError{Reason: CMSCertificateMismatch, Detail: fmt.Sprintf("signed by %s, prepared for %q", who, cert.Subject.CommonName)}
	}
	if si.Hash != h {
		return nil, &ExternalCMSError{Reason: CMSDigestMismatch, Detail: fmt.Sprintf("digest algorithm %v, prepared with %v", si.Hash, h)}
	}
	if md, err := si.MessageDigest(); err != nil || !bytes.Equal(md, st.MessageDigest) {
		return nil, &ExternalCMSError{Reason: CMSDigestMismatch, Err: err}
	}
	if ct, err := si.ContentTypeAttribute(); err != nil || !ct.Equal(cms.OIDData) {
		return nil, &ExternalCMSError{Reason: CMSContentType, Err: err}
	}
	if _, ok := si.Attribute(cms.OIDAttributeSigningTime); ok {
		return nil, &ExternalCMSError{Reason: CMSSigningTime, Detail: "the signing time belongs in the signature dictionary's /M"}
	}
	if _, ok := si.Attribute(cms.OIDAttributeSigningCertV2); !ok {
		return nil, &ExternalCMSError{Reason: CMSSigningCertificate, Detail: "missing"}
	}
	if id, err := si.SigningCertificate(); err != nil || !id.Matches(cert) {
		return nil, &ExternalCMSError{Reason: CMSSigningCertificate, Detail: "it names another certificate", Err: err}
	}
	if err := si.CheckSignature(cert.PublicKey, nil); err != nil {
		return nil, &ExternalCMSError{Reason: CMSBadSignature, Err: err}
	}
	if c, err := sd.SignerCertificate(si); err != nil || !c.Equal(cert) {
		return nil, &ExternalCMSError{Reason: CMSCertificateMissing, Err: err}
	}
	if tok, ok := si.SignatureTimeStampToken(); ok {
		full, added, err := cms.AddSignerChain(tok, append(slices.Clip(sd.Certificates), candidates...))
		if errors.Is(err, cms.ErrSignerNotFound) {
			return nil, &ExternalCMSError{Reason: CMSTimestamp, Detail: "the TSA certificate is neither in the time-stamp token, nor in the CMS, nor among CompleteOptions.Level.Certificates"}
		} else if err != nil {
			return nil, &ExternalCMSError{Reason: CMSTimestamp, Err: err}
		}
		if err := checkEmbeddedTimestamp(full, si.Signature); err != nil {
			return nil, &ExternalCMSError{Reason: CMSTimestamp, Err: err}
		}
		if added {
			out, err := cms.ReplaceUnsignedAttribute(sd.Raw, 0, cms.OIDAttributeTimeStampToken, full)
			if err != nil {
				return nil, &ExternalCMSError{Reason: CMSTimestamp, Err: err}
			}
			return out, nil
		}
	}
	return sd.Raw, nil
}

// checkEmbeddedTimestamp checks that the signature time-stamp token tok, which an
// external CMS brought with it, time-stamps sig (its imprint is the hash of the
// signature value) and that its own signature verifies. Whether its TSA is trusted is
// the verifier's question.
func checkEmbeddedTimestamp(tok, sig []byte) error {
	tst, err := cms.ParseTimeStampToken(tok)
	if err != nil {
		return err
	}
	if err := tst.CheckImprintOf(sig); errors.Is(err, cms.ErrImprint) {
		return errors.New("its imprint is not the hash of this signature value (a time-stamp of another signature)")
	} else if err != nil {
		return err
	}
	if _, err := tst.Check(nil, nil); err != nil {
		return err
	}
	return nil
}

// identifies reports whether the signer identifier of si names cert.
func identifies(si *cms.SignerInfo, cert *x509.Certificate) bool {
	if si.SerialNumber != nil {
		return si.SerialNumber.Cmp(cert.SerialNumber) == 0 && bytes.Equal(si.Issuer, cert.RawIssuer)
	}
	return si.SubjectKeyID != nil && bytes.Equal(si.SubjectKeyID, cert.SubjectKeyId)
}

// hasSignatureTimestamp reports whether the CMS der already carries a signature
// time-stamp.
func hasSignatureTimestamp(der []byte) bool {
	sd, err := cms.Parse(der)
	if err != nil || len(sd.Signers) != 1 {
		return false
	}
	_, ok := sd.Signers[0].SignatureTimeStampToken()
	return ok
}
