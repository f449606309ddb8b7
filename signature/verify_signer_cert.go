package signature

import (
	"errors"

	"github.com/kyso-go/kyso/internal/cms"
)

// signerCertProblem reports why the signer's certificate cannot be used: absent from
// the CMS (INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND), or present but refused by
// crypto/x509 — a key algorithm or curve this module does not implement is a crypto
// constraint (CRYPTO_CONSTRAINTS_FAILURE), a malformed certificate (a negative serial
// number, …) a certificate failure (CERTIFICATE_CHAIN_GENERAL_FAILURE).
func signerCertProblem(rep *SignatureReport, err error) {
	var ce *cms.CertificateError
	switch {
	case errors.As(err, &ce) && ce.UnsupportedKey:
		rep.add(CheckSignatureValue, CheckIndeterminate, msgSignerCertUnusable(ce.Reason))
		rep.fail(Indeterminate, CryptoConstraintsFailure)
	case errors.As(err, &ce):
		rep.add(CheckSignatureValue, CheckIndeterminate, msgSignerCertUnusable(ce.Reason))
		rep.fail(Indeterminate, CertificateChainFailure)
	default:
		rep.add(CheckSignatureValue, CheckIndeterminate, msgSignerCertMissing())
		rep.fail(Indeterminate, NoSigningCertificateFound)
	}
}
