package signature

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/kyso-go/kyso/internal/cms"
)

// tstInfo is RFC 3161's TSTInfo, the content a time-stamping authority signs.
type tstInfo struct {
	Version        int
	Policy         asn1.ObjectIdentifier
	MessageImprint struct {
		HashAlgorithm pkix.AlgorithmIdentifier
		HashedMessage []byte
	}
	SerialNumber *big.Int
	GenTime      time.Time     `asn1:"generalized"`
	Accuracy     asn1.RawValue `asn1:"optional"`
	Ordering     bool          `asn1:"optional"`
	Nonce        *big.Int      `asn1:"optional"`
	TSA          asn1.RawValue `asn1:"optional,tag:0"`
	Extensions   asn1.RawValue `asn1:"optional,tag:1"`
}

// timestampToken is a parsed and cryptographically checked RFC 3161 token.
type timestampToken struct {
	GenTime   time.Time
	Hash      crypto.Hash // of the message imprint
	Imprint   []byte
	TSA       *x509.Certificate
	Certs     []*x509.Certificate
	SignedCMS *cms.SignedData
}

var errTimestampFormat = errors.New("not an RFC 3161 time-stamp token")

// hashByOID maps digest algorithm identifiers to hashes (SHA-2 family, and SHA-1 to be
// refused by name).
func hashByOID(oid asn1.ObjectIdentifier) crypto.Hash {
	switch {
	case oid.Equal(cms.OIDSHA256):
		return crypto.SHA256
	case oid.Equal(cms.OIDSHA384):
		return crypto.SHA384
	case oid.Equal(cms.OIDSHA512):
		return crypto.SHA512
	case oid.Equal(cms.OIDSHA1):
		return crypto.SHA1
	}
	return 0
}

// parseTimestampToken parses a TimeStampToken and checks everything that does not
// depend on trust or on the time-stamped data: the TSTInfo content type, the TSA's
// signature over it, the message-digest and ESS signing-certificate attributes, and the
// TSA certificate's timeStamping key usage.
func parseTimestampToken(der []byte) (*timestampToken, error) {
	sd, err := cms.Parse(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errTimestampFormat, err)
	}
	if !sd.ContentType.Equal(cms.OIDTSTInfo) || sd.Content == nil {
		return nil, fmt.Errorf("%w: content is not a TSTInfo", errTimestampFormat)
	}
	if len(sd.Signers) != 1 {
		return nil, fmt.Errorf("%w: %d signers", errTimestampFormat, len(sd.Signers))
	}
	var info tstInfo
	if rest, err := asn1.Unmarshal(sd.Content, &info); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("%w: TSTInfo: %v", errTimestampFormat, err)
	}
	tok := &timestampToken{
		GenTime:   info.GenTime,
		Hash:      hashByOID(info.MessageImprint.HashAlgorithm.Algorithm),
		Imprint:   info.MessageImprint.HashedMessage,
		Certs:     sd.Certificates,
		SignedCMS: sd,
	}
	if tok.Hash == 0 {
		return nil, fmt.Errorf("%w: unsupported imprint algorithm %v", errTimestampFormat, info.MessageImprint.HashAlgorithm.Algorithm)
	}
	if tok.Hash == crypto.SHA1 {
		return nil, fmt.Errorf("time-stamp imprint uses SHA-1, which is not allowed")
	}
	si := sd.Signers[0]
	tsa, err := sd.SignerCertificate(si)
	if err != nil {
		return nil, fmt.Errorf("time-stamp: the TSA certificate is not in the token")
	}
	tok.TSA = tsa
	md, err := si.MessageDigest()
	if err != nil {
		return nil, fmt.Errorf("time-stamp: %v", err)
	}
	if si.Hash == 0 || !si.Hash.Available() {
		return nil, fmt.Errorf("time-stamp: unsupported digest algorithm")
	}
	h := si.Hash.New()
	h.Write(sd.Content)
	if !bytes.Equal(h.Sum(nil), md) {
		return nil, fmt.Errorf("time-stamp: the TSA's message digest does not match the TSTInfo")
	}
	if err := si.CheckSignature(tsa.PublicKey, nil); err != nil {
		return nil, fmt.Errorf("time-stamp: the TSA's signature does not verify: %v", err)
	}
	if id, err := si.SigningCertificate(); err != nil || !id.Matches(tsa) {
		return nil, fmt.Errorf("time-stamp: the ESS signing-certificate attribute does not name the TSA certificate")
	}
	if why := checkTSAKeyUsage(tsa); why != "" {
		return nil, fmt.Errorf("time-stamp: TSA certificate: %s", why)
	}
	return tok, nil
}

// covers checks that the token's imprint is the digest of data.
func (t *timestampToken) covers(data []byte) error {
	h := t.Hash.New()
	h.Write(data)
	if !bytes.Equal(h.Sum(nil), t.Imprint) {
		return errors.New("the time-stamp is over other data (message imprint mismatch)")
	}
	return nil
}

// tsaName is the TSA's name for messages.
func (t *timestampToken) tsaName() string {
	if t.TSA == nil {
		return "?"
	}
	if t.TSA.Subject.CommonName != "" {
		return t.TSA.Subject.CommonName
	}
	return t.TSA.Subject.String()
}
