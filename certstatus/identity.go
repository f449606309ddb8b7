package certstatus

import (
	"crypto/x509"

	"github.com/kyso-go/kyso/internal/identity"
)

// Kind is the kind of a certificate as the regulations classify subscribers
// (Thông tư 185/2019/TT-BQP; Nghị định 68/2024/NĐ-CP). It is the module's one
// vocabulary of kinds: String returns "individual", "organisation", "device", "ca" or
// "unknown" — the names signature.Signer.Kind, policy.CertificateKind and
// forms.CertificateKind use — and Vietnamese the name users read.
type Kind = identity.Kind

// The certificate kinds.
const (
	KindUnknown      = identity.KindUnknown
	KindIndividual   = identity.KindIndividual   // cá nhân: a person signs with it
	KindOrganisation = identity.KindOrganisation // cơ quan, tổ chức: the electronic seal of a body
	KindDevice       = identity.KindDevice       // thiết bị, dịch vụ, phần mềm: SSL, VPN, code signing, TSA, OCSP
	KindCA           = identity.KindCA           // a certification authority's own certificate
)

// Identifier is one identifier from a subject UID attribute written "SCHEME:value",
// for example CMND:012345678 (old identity card), CCCD:001099012345 (citizen identity
// card), MST:0101234567 (tax code), MNS:1234567 (budget relationship code, mã quan hệ
// ngân sách), HC:… (passport).
type Identifier = identity.Identifier

// Identity is the subject of a certificate as Vietnamese users read it: CommonName,
// Organization, OrganizationalUnits, Province, Country, Email, Title, Identifiers and
// the inferred Kind. Its Identifier method returns the value of a scheme.
type Identity = identity.Identity

// ParseIdentity reads the subject of a certificate.
//
// The kind is inferred with these rules, first match wins:
//  1. a CA certificate (basic constraints CA) is KindCA;
//  2. a UID identifier of a person (CMND, CMT, CCCD, PID, HC) makes it
//     KindIndividual;
//  3. a UID tax or budget code (MST, MNS, MQHNS) makes it KindOrganisation;
//  4. an extended key usage for servers, code signing, time-stamping or OCSP signing,
//     or DNS/IP names, make it KindDevice;
//  5. a common name written entirely in upper case (the VGCA convention for
//     organisations, "CN=ỦY BAN NHÂN DÂN TỈNH …") makes it KindOrganisation;
//  6. otherwise, a key usage for digital signature or non-repudiation with a common name
//     in mixed case makes it KindIndividual;
//  7. otherwise KindUnknown.
//
// It does not check the certificate in any way. The same rules give
// signature.Signer.Kind.
func ParseIdentity(cert *x509.Certificate) Identity { return identity.Parse(cert) }
