package kyso

import (
	"crypto/x509"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/policy"
)

// CertificateKind is kyso's one rule for the kind of a certificate (rules.md §2.1):
// every operation of this package, the kyso command and the portal use it, so a
// certificate has the same kind in a verification report, a policy decision and a
// signing step.
//
// It reads the certificate with certstatus.ParseIdentity (first match wins: a CA; a
// personal identifier CMND/CCCD/HC; a tax or budget code MST/MNS; a server,
// code-signing, time-stamping or OCSP usage or DNS/IP names; a common name all in
// upper case, which is how the VGCA writes an organisation — "CN=ỦY BAN NHÂN DÂN TỈNH
// QUẢNG NINH", while a person's certificate holds their name in mixed case) and maps it
// to policy's vocabulary:
//
//   - organisation → policy.CertOrganisation (the electronic seal);
//   - device or a CA's own certificate → policy.CertDevice (never signs documents);
//   - individual, and a certificate whose kind cannot be read (no common name, no
//     signing key usage) → policy.CertIndividual: the policy's title and role rules
//     then apply to it.
//
// A second organisation certificate (chứng thư số thứ 2) cannot be told from the
// certificate: callers that use one say so in policy.Request.Certificate.Kind. A nil
// certificate is an individual's.
//
// The inference is the module's one identity rule (internal/identity, which
// certstatus.ParseIdentity and signature's report, Signer.Kind, use too); this function
// only adds the mapping of its unknown and CA kinds to policy's vocabulary, and a test
// asserts that reports and policy agree.
func CertificateKind(cert *x509.Certificate) policy.CertificateKind {
	if cert == nil {
		return policy.CertIndividual
	}
	switch certstatus.ParseIdentity(cert).Kind {
	case certstatus.KindOrganisation:
		return policy.CertOrganisation
	case certstatus.KindDevice, certstatus.KindCA:
		return policy.CertDevice
	}
	return policy.CertIndividual
}

// CertificateStatus turns a revocation check of certstatus into the status policy
// reasons about: good (also a certificate revoked only after the time checked),
// revoked, suspended, or unknown when the check settled nothing (a warning in the
// decision, not a refusal).
func CertificateStatus(s certstatus.Status) policy.CertificateStatus {
	switch {
	case s.ValidAt():
		return policy.StatusGood
	case s == certstatus.StatusRevoked:
		return policy.StatusRevoked
	case s == certstatus.StatusSuspended:
		return policy.StatusSuspended
	}
	return policy.StatusUnknown
}
