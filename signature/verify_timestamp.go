package signature

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/kyso-go/kyso/internal/cms"
)

// timestampToken is a parsed and cryptographically checked RFC 3161 token.
type timestampToken struct {
	GenTime   time.Time
	Hash      crypto.Hash         // of the message imprint
	tst       *cms.TimeStampToken // the parsed token, whose CheckImprint is the one imprint check
	TSA       *x509.Certificate
	Certs     []*x509.Certificate
	SignedCMS *cms.SignedData
}

var errTimestampFormat = errors.New("not an RFC 3161 time-stamp token")

// errTSANotFound: the TSA's certificate is neither in the token nor among the
// candidates (the document's DSS, the signature's CMS). The token cannot be checked:
// INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND (ETSI EN 319 102-1 5.2.3), not a broken
// signature value.
var errTSANotFound = errors.New("time-stamp: the TSA certificate is neither in the token nor in the document")

// parseTimestampToken parses a TimeStampToken (internal/cms) and checks everything
// that does not depend on trust or on the time-stamped data: the TSTInfo content type,
// the TSA's signature over it, the message-digest and ESS signing-certificate
// attributes, and the TSA certificate's timeStamping key usage.
//
// The TSA's certificate is taken from the token, else from candidates (PAdES lets the
// DSS hold it: ETSI EN 319 142-1 5.4.2); its chain is validated by the caller.
//
// A token that verifies but relies on SHA-1 (its imprint, digest or signature) is
// returned together with a *weakTimestampError: the token is then
// INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE (ETSI EN 319 102-1), which is not a broken
// signature value.
func parseTimestampToken(der []byte, candidates ...*x509.Certificate) (*timestampToken, error) {
	t, err := cms.ParseTimeStampToken(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errTimestampFormat, err)
	}
	if t.Info.Hash == 0 || !t.Info.Hash.Available() {
		return nil, fmt.Errorf("%w: unsupported imprint algorithm %v", errTimestampFormat, t.Info.HashAlgorithm)
	}
	sd := t.SignedData
	tsa, err := t.Check(candidates, &cms.CheckOptions{AllowWeakHash: true})
	var algErr *cms.AlgorithmError
	switch {
	case errors.As(err, &algErr) && errors.Is(err, cms.ErrWeakAlgorithm):
		return nil, &weakTimestampError{what: algErr.Algorithm}
	case errors.Is(err, cms.ErrSignerNotFound):
		return nil, errTSANotFound
	case errors.Is(err, cms.ErrBadSignature):
		return nil, fmt.Errorf("time-stamp: the TSA's signature does not verify: %v", err)
	case err != nil:
		return nil, fmt.Errorf("time-stamp: %v", err)
	}
	if why := checkTSAKeyUsage(tsa); why != "" {
		return nil, fmt.Errorf("time-stamp: TSA certificate: %s", why)
	}
	tok := &timestampToken{
		GenTime:   t.Info.GenTime,
		Hash:      t.Info.Hash,
		tst:       t,
		TSA:       tsa,
		Certs:     sd.Certificates,
		SignedCMS: sd,
	}
	if weak := t.WeakHashes(); len(weak) > 0 {
		return tok, &weakTimestampError{what: fmt.Sprint(weak)}
	}
	return tok, nil
}

// weakTimestampError: a time-stamp token that relies on a weak hash (SHA-1, MD5). Its
// signature may verify; its algorithm is below the policy, so it proves no time
// (INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE).
type weakTimestampError struct{ what string }

func (e *weakTimestampError) Error() string {
	return "the time-stamp token uses a weak algorithm (" + e.what + ")"
}

// covers checks that the token's imprint is the digest of data.
func (t *timestampToken) covers(data []byte) error {
	if err := t.tst.CheckImprintOf(data); err != nil {
		if errors.Is(err, cms.ErrImprint) {
			return errors.New("the time-stamp is over other data (message imprint mismatch)")
		}
		return err
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

// weakDocTimestamp reports a document time-stamp whose algorithm is below the policy
// as INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE and returns nil when the token otherwise
// verified (so that its imprint and chain are still checked and reported), or err.
func weakDocTimestamp(rep *SignatureReport, tok *timestampToken, err error) error {
	var weak *weakTimestampError
	if !errors.As(err, &weak) {
		return err
	}
	rep.add(CheckAlgorithms, CheckFailed, msgTimestampWeak(weak.what))
	rep.fail(Indeterminate, CryptoConstraintsFailure)
	if tok == nil {
		return errors.New("the time-stamp token cannot be checked")
	}
	return nil
}
