package signature

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"strings"
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

// parseTimestampToken parses a TimeStampToken (internal/cms) and checks everything
// that does not depend on trust or on the time-stamped data: the TSTInfo content type,
// the TSA's signature over it, the message-digest and ESS signing-certificate
// attributes, and the TSA certificate's timeStamping key usage. The TSA certificate is
// taken from the token, else from candidates (a token requested with certReq false
// carries no certificate; the document's DSS or the caller may hold it).
//
// A token that verifies but relies on SHA-1 (its imprint, digest or signature) is
// returned together with a *weakTimestampError: the token is then
// INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE (ETSI EN 319 102-1), which is not a broken
// signature value. A token whose TSA certificate is nowhere to be found is returned
// (without TSA) together with a *tsaNotFoundError: its signature cannot be checked, so
// it is INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND, not a forgery; its imprint can
// still be compared.
func parseTimestampToken(der []byte, candidates ...*x509.Certificate) (*timestampToken, error) {
	t, err := cms.ParseTimeStampToken(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errTimestampFormat, err)
	}
	if t.Info.Hash == 0 || !t.Info.Hash.Available() {
		return nil, fmt.Errorf("%w: unsupported imprint algorithm %v", errTimestampFormat, t.Info.HashAlgorithm)
	}
	sd := t.SignedData
	tok := &timestampToken{
		GenTime:   t.Info.GenTime,
		Hash:      t.Info.Hash,
		tst:       t,
		Certs:     sd.Certificates,
		SignedCMS: sd,
	}
	tsa, err := t.Check(candidates, &cms.CheckOptions{AllowWeakHash: true})
	var algErr *cms.AlgorithmError
	var attrErr *cms.AttributeError
	switch {
	case errors.As(err, &algErr) && errors.Is(err, cms.ErrWeakAlgorithm):
		return nil, &weakTimestampError{what: algErr.Algorithm}
	case errors.Is(err, cms.ErrSignerNotFound):
		return tok, &tsaNotFoundError{tsa: signerIDText(sd.Signers[0])}
	case errors.Is(err, cms.ErrBadSignature):
		return nil, &tokenError{sub: SigCryptoFailure, err: fmt.Errorf("time-stamp: the TSA's signature does not verify: %v", err)}
	case errors.As(err, &attrErr) && attrErr.Attribute == "signing-certificate":
		// The ESS attribute names another certificate than the one the signer
		// identifier found: the TSA's certificate is not known.
		return nil, &tokenError{sub: NoSigningCertificateFound, err: fmt.Errorf("time-stamp: %v", err)}
	case errors.Is(err, cms.ErrAttribute) || errors.Is(err, cms.ErrNoSignedAttributes):
		return nil, &tokenError{sub: FormatFailure, err: fmt.Errorf("time-stamp: %v", err)}
	case errors.Is(err, cms.ErrUnusableCertificate):
		// The TSA certificate is there but cannot be read (crypto/x509 refuses it).
		return nil, &tokenError{sub: NoSigningCertificateFound, err: fmt.Errorf("time-stamp: %v", err)}
	case errors.Is(err, cms.ErrUnsupportedAlgorithm):
		return nil, &tokenError{sub: CryptoConstraintsFailure, err: fmt.Errorf("time-stamp: %v", err)}
	case err != nil:
		return nil, fmt.Errorf("time-stamp: %v", err)
	}
	if why := checkTSAKeyUsage(tsa); why != "" {
		return nil, &tokenError{sub: ChainConstraintsFailure, err: fmt.Errorf("time-stamp: TSA certificate: %s", why)}
	}
	tok.TSA = tsa
	if !slices.Contains(tok.Certs, tsa) {
		tok.Certs = append(slices.Clip(tok.Certs), tsa)
	}
	if weak := t.WeakHashes(); len(weak) > 0 {
		names := make([]string, len(weak))
		for i, h := range weak {
			names[i] = h.String()
		}
		return tok, &weakTimestampError{what: strings.Join(names, ", ")}
	}
	return tok, nil
}

// tsaNotFoundError: the token's TSA certificate is neither in the token nor among the
// certificates available to the verifier (ETSI EN 319 102-1:
// INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND for the token).
type tsaNotFoundError struct{ tsa string }

func (e *tsaNotFoundError) Error() string {
	return "the TSA certificate (" + e.tsa + ") is neither in the time-stamp token nor in the document's DSS, its signatures or the certificates given to the verifier"
}

// tokenError is a time-stamp token that fails a check, with the sub-indication the
// failure deserves.
type tokenError struct {
	sub SubIndication
	err error
}

func (e *tokenError) Error() string { return e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

// tokenVerdict returns the indication and sub-indication a token failure deserves:
// TOTAL_FAILED for a signature value, digest or structure that fails
// (SIG_CRYPTO_FAILURE unless the error says otherwise), INDETERMINATE for what more
// data or another policy could settle (the TSA's certificate, its key usage).
func tokenVerdict(err error) (Indication, SubIndication) {
	var te *tokenError
	var nf *tsaNotFoundError
	switch {
	case errors.As(err, &nf):
		return Indeterminate, NoSigningCertificateFound
	case errors.As(err, &te):
		switch te.sub {
		case SigCryptoFailure, HashFailure, FormatFailure:
			return TotalFailed, te.sub
		}
		return Indeterminate, te.sub
	}
	return TotalFailed, SigCryptoFailure
}

// signerIDText names the certificate a SignerInfo identifies, for messages: the
// issuer's common name and the serial number, or the subject key identifier.
func signerIDText(si *cms.SignerInfo) string {
	if si.SerialNumber != nil {
		var issuer pkix.RDNSequence
		name := ""
		if _, err := asn1.Unmarshal(si.Issuer, &issuer); err == nil {
			var n pkix.Name
			n.FillFromRDNSequence(&issuer)
			name = n.CommonName
			if name == "" {
				name = n.String()
			}
		}
		return fmt.Sprintf("issuer %q, serial %X", name, si.SerialNumber)
	}
	return fmt.Sprintf("subject key identifier %X", si.SubjectKeyID)
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
