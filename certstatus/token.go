package certstatus

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	_ "crypto/sha256" // hashes used by tokens
	_ "crypto/sha512"

	"github.com/kyso-go/kyso/internal/cms"
)

// maxTokenBytes bounds a time-stamp token or response.
const maxTokenBytes = 1 << 20

// Token is an RFC 3161 time-stamp token (a CMS SignedData over a TSTInfo).
type Token struct {
	// Raw is the token (ContentInfo) as given: DER, or BER as some TSAs write it.
	Raw []byte
	// Time is genTime: when the TSA saw the imprint.
	Time time.Time
	// Accuracy of Time, zero when the token states none.
	Accuracy      time.Duration
	SerialNumber  *big.Int
	Policy        asn1.ObjectIdentifier
	Hash          crypto.Hash // imprint hash algorithm
	HashedMessage []byte      // imprint value
	Nonce         *big.Int    // nil when the request carried none
	Ordering      bool
	// Certificates embedded in the token.
	Certificates []*x509.Certificate
	// Signer is the TSA certificate, and Chain its validated chain (TSA first, root
	// last); both are set only by VerifyTimestamp.
	Signer *x509.Certificate
	Chain  []*x509.Certificate

	tst *cms.TimeStampToken
}

// ParseToken parses a DER (or BER) time-stamp token without verifying it, with the
// CMS reader the verifier uses (internal/cms): the structure, the TSTInfo and the
// embedded certificates. Use Checker.VerifyTimestamp to verify.
func ParseToken(der []byte) (*Token, error) {
	fail := func(detail string, args ...any) (*Token, error) {
		return nil, &TimestampError{Reason: ErrMalformed, Detail: fmt.Sprintf(detail, args...)}
	}
	if len(der) > maxTokenBytes {
		return nil, &TimestampError{Reason: ErrTooLarge, Detail: fmt.Sprintf("token of %d bytes", len(der))}
	}
	tst, err := cms.ParseTimeStampToken(der)
	if err != nil {
		return fail("%s", strings.TrimPrefix(err.Error(), "cms: "))
	}
	info := tst.Info
	if info.Hash == 0 {
		return nil, &TimestampError{Reason: ErrUnsupported, Detail: fmt.Sprintf("imprint hash algorithm %v", info.HashAlgorithm)}
	}
	for _, e := range info.Extensions {
		if e.Critical {
			return nil, &TimestampError{Reason: ErrUnsupported, Detail: fmt.Sprintf("critical TSTInfo extension %v", e.Id)}
		}
	}
	sd := tst.SignedData
	if len(sd.Certificates) != len(sd.RawCertificates) {
		return fail("embedded certificates: %d of %d cannot be parsed", len(sd.RawCertificates)-len(sd.Certificates), len(sd.RawCertificates))
	}
	return &Token{
		Raw: der, Time: info.GenTime, SerialNumber: info.SerialNumber, Policy: info.Policy,
		Hash: info.Hash, HashedMessage: info.HashedMessage, Nonce: info.Nonce, Ordering: info.Ordering,
		Accuracy: info.Accuracy, Certificates: sd.Certificates, tst: tst,
	}, nil
}

// TimestampOptions add to what VerifyTimestamp checks.
type TimestampOptions struct {
	// Certificates are candidates for the TSA certificate and its chain when the token
	// does not embed them (for example from a PDF's DSS).
	Certificates []*x509.Certificate
	// Nonce, when not nil, must equal the token's nonce.
	Nonce *big.Int
}

// VerifyTimestamp verifies a time-stamp token against the digest (under h) of the
// data it claims to stamp: the imprint, the nonce when opts.Nonce is set, the CMS
// signature and its signed attributes (content type, message digest, ESS
// signing-certificate binding the TSA certificate), the TSA certificate's sole and
// critical timeStamping extended key usage, the algorithm policy, and the TSA's chain
// to a trusted root at the token's time. It does not check the TSA certificate's
// revocation; call Check with Chain[0] and Chain[1] for that.
//
// Errors are *TimestampError wrapping ErrMalformed, ErrImprintMismatch, ErrBadNonce,
// ErrBadSignature, ErrTSACertificate, ErrWeakAlgorithm or a chain sentinel.
func (c *Checker) VerifyTimestamp(ctx context.Context, token, digest []byte, h crypto.Hash, opts TimestampOptions) (*Token, error) {
	t, err := ParseToken(token)
	if err != nil {
		return nil, err
	}
	if h == 0 {
		h = crypto.SHA256
	}
	if err := t.tst.CheckImprint(h, digest); err != nil {
		return nil, &TimestampError{Reason: ErrImprintMismatch, Detail: strings.TrimPrefix(err.Error(), cms.ErrImprint.Error()+": ")}
	}
	if opts.Nonce != nil && (t.Nonce == nil || t.Nonce.Cmp(opts.Nonce) != 0) {
		return nil, &TimestampError{Reason: ErrBadNonce, Detail: fmt.Sprintf("token nonce %v, request nonce %v", t.Nonce, opts.Nonce)}
	}
	candidates := append(append([]*x509.Certificate(nil), t.Certificates...), opts.Certificates...)
	signer, err := t.verifySignature(candidates)
	if err != nil {
		return nil, err
	}
	if err := checkTSAUsage(signer); err != nil {
		return nil, &TimestampError{Reason: ErrTSACertificate, Detail: fmt.Sprintf("%s: %v", signer.Subject.CommonName, err)}
	}
	// The algorithm policy at genTime covers the signature, the digest of the
	// signed attributes and the imprint: a weak hash anywhere undoes the token.
	for _, use := range []struct {
		what string
		h    crypto.Hash
	}{{"signature", t.signatureHash()}, {"message digest", t.tst.SignedData.Signers[0].Hash}, {"imprint", t.Hash}} {
		if err := c.CheckAlgorithm(signer.PublicKey, use.h, t.Time); err != nil {
			return nil, &TimestampError{Reason: ErrWeakAlgorithm, Detail: fmt.Sprintf("%s: %v", use.what, err)}
		}
	}
	chain, err := c.VerifyCertificate(ctx, signer, VerifyOptions{At: t.Time, Intermediates: candidates, Usage: UsageTimestamping})
	if err != nil {
		reason := ErrNoChain
		if ce, ok := err.(*CertificateInvalidError); ok {
			reason = ce.Reason
		}
		return nil, &TimestampError{Reason: reason, Detail: err.Error()}
	}
	t.Signer, t.Chain = signer, chain
	return t, nil
}

// signatureHash is the hash the signer used over the signed attributes.
func (t *Token) signatureHash() crypto.Hash {
	si := t.tst.SignedData.Signers[0]
	if h := cms.SignatureHash(si.SignatureAlgorithm); h != 0 {
		return h
	}
	return si.Hash
}

// verifySignature finds the signer among candidates and checks the CMS signature and
// the signed attributes (internal/cms). It returns the signer certificate.
func (t *Token) verifySignature(candidates []*x509.Certificate) (*x509.Certificate, error) {
	signer, err := t.tst.Check(candidates, &cms.CheckOptions{AllowWeakHash: true})
	if err == nil {
		return signer, nil
	}
	detail := strings.TrimPrefix(err.Error(), "cms: ")
	var attrErr *cms.AttributeError
	reason := ErrMalformed
	switch {
	case errors.Is(err, cms.ErrSignerNotFound):
		reason, detail = ErrNoChain, "the TSA certificate is neither in the token nor among the given certificates"
	case errors.As(err, &attrErr) && attrErr.Attribute == "signing-certificate" && strings.Contains(attrErr.Reason, "another"):
		reason, detail = ErrBadSignature, "ESS signing-certificate attribute names another certificate than the TSA's"
	case errors.As(err, &attrErr) && strings.HasPrefix(attrErr.Attribute, "signing-certificate"):
		detail = "no usable ESS signing-certificate attribute (RFC 3161 §2.4.2, RFC 5816): " + attrErr.Reason
	case errors.Is(err, cms.ErrBadSignature):
		reason = ErrBadSignature
	case errors.Is(err, cms.ErrWeakAlgorithm):
		reason = ErrWeakAlgorithm
	case errors.Is(err, cms.ErrUnsupportedAlgorithm):
		reason = ErrUnsupported
	}
	return nil, &TimestampError{Reason: reason, Detail: detail}
}
