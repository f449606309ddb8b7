// Package identity reads the subject of a VGCA certificate the way Vietnamese users
// read it — name, organisation, units, province, title, UID identifiers (CCCD, MST, …)
// — and infers the certificate's kind (individual, organisation, device, CA). It is
// the module's one vocabulary of certificate kinds: certstatus.Kind is this Kind,
// signature.Signer.Kind is its name, and policy.CertificateKind and
// forms.CertificateKind use the same names.
package identity

import (
	"crypto/x509"
	"encoding/asn1"
	"strings"
	"unicode"
)

// Kind is the kind of a certificate as the regulations classify subscribers
// (Thông tư 185/2019/TT-BQP; Nghị định 68/2024/NĐ-CP).
type Kind int

// The certificate kinds.
const (
	KindUnknown      Kind = iota
	KindIndividual        // cá nhân: a person signs with it
	KindOrganisation      // cơ quan, tổ chức: the electronic seal of a body
	KindDevice            // thiết bị, dịch vụ, phần mềm: SSL, VPN, code signing, TSA, OCSP
	KindCA                // a certification authority's own certificate
)

// The names of the kinds: what Kind.String returns, what reports write in JSON
// (signature.Signer.Kind) and the values of policy.CertificateKind and
// forms.CertificateKind.
const (
	NameUnknown      = "unknown"
	NameIndividual   = "individual"
	NameOrganisation = "organisation"
	NameDevice       = "device"
	NameCA           = "ca"
)

var kindNames = [...]string{NameUnknown, NameIndividual, NameOrganisation, NameDevice, NameCA}

// String returns the kind's name: "individual", "organisation", "device", "ca" or
// "unknown".
func (k Kind) String() string {
	if int(k) < len(kindNames) && k >= 0 {
		return kindNames[k]
	}
	return NameUnknown
}

// ParseKind returns the kind named s (a name String returns), or KindUnknown and false.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	return KindUnknown, false
}

// Vietnamese returns the kind's name in Vietnamese, as users read it.
func (k Kind) Vietnamese() string {
	switch k {
	case KindIndividual:
		return "cá nhân"
	case KindOrganisation:
		return "cơ quan, tổ chức"
	case KindDevice:
		return "thiết bị, dịch vụ, phần mềm"
	case KindCA:
		return "tổ chức cung cấp dịch vụ chứng thực"
	}
	return "không xác định"
}

// Identifier is one identifier from a subject UID attribute written "SCHEME:value",
// for example CMND:012345678 (old identity card), CCCD:001099012345 (citizen identity
// card), MST:0101234567 (tax code), MNS:1234567 (budget relationship code, mã quan hệ
// ngân sách), HC:… (passport).
type Identifier struct {
	Scheme string // upper case, e.g. "CCCD"
	Value  string
}

// Identity is the subject of a certificate as Vietnamese users read it.
type Identity struct {
	CommonName          string       // CN: full name, or the organisation's name
	Organization        string       // O: the top body
	OrganizationalUnits []string     // OU, in certificate order
	Province            string       // L (or ST when L is absent): tỉnh, thành phố
	Country             string       // C
	Email               string       // E in the subject, else the first rfc822Name SAN
	Title               string       // T: chức vụ, e.g. "Phó Chủ tịch" (the first T)
	Titles              []string     // every T attribute, in certificate order
	Identifiers         []Identifier // from UID attributes
	Kind                Kind
}

var (
	oidEmailAddress = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
	oidTitle        = asn1.ObjectIdentifier{2, 5, 4, 12}
	oidUID          = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}
)

// personal identifier schemes: an identifier of a person.
var personalSchemes = map[string]bool{"CMND": true, "CCCD": true, "HC": true, "CMT": true, "PID": true}

// organisational identifier schemes: tax code, budget relationship code.
var organisationSchemes = map[string]bool{"MST": true, "MNS": true, "MQHNS": true}

// Parse reads the subject of a certificate.
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
// It does not check the certificate in any way.
func Parse(cert *x509.Certificate) Identity {
	var id Identity
	if cert == nil {
		return id
	}
	s := cert.Subject
	id.CommonName = s.CommonName
	if len(s.Organization) > 0 {
		id.Organization = s.Organization[0]
	}
	id.OrganizationalUnits = append([]string(nil), s.OrganizationalUnit...)
	if len(s.Locality) > 0 {
		id.Province = s.Locality[0]
	} else if len(s.Province) > 0 {
		id.Province = s.Province[0]
	}
	if len(s.Country) > 0 {
		id.Country = s.Country[0]
	}
	for _, atv := range s.Names {
		v, ok := atv.Value.(string)
		if !ok {
			continue
		}
		switch {
		case atv.Type.Equal(oidEmailAddress):
			if id.Email == "" {
				id.Email = v
			}
		case atv.Type.Equal(oidTitle):
			if id.Title == "" {
				id.Title = v
			}
			id.Titles = append(id.Titles, v)
		case atv.Type.Equal(oidUID):
			id.Identifiers = append(id.Identifiers, parseIdentifier(v))
		}
	}
	if id.Email == "" && len(cert.EmailAddresses) > 0 {
		id.Email = cert.EmailAddresses[0]
	}
	id.Kind = inferKind(cert, id)
	return id
}

// parseIdentifier splits "SCHEME:value" (a space or dash may follow the colon).
func parseIdentifier(v string) Identifier {
	scheme, value, ok := strings.Cut(v, ":")
	if !ok {
		return Identifier{Value: strings.TrimSpace(v)}
	}
	return Identifier{Scheme: strings.ToUpper(strings.TrimSpace(scheme)), Value: strings.TrimSpace(value)}
}

// Identifier returns the value of the first identifier with the given scheme
// ("CCCD", "MST", …) and whether there was one.
func (id Identity) Identifier(scheme string) (string, bool) {
	for _, x := range id.Identifiers {
		if strings.EqualFold(x.Scheme, scheme) {
			return x.Value, true
		}
	}
	return "", false
}

func inferKind(cert *x509.Certificate, id Identity) Kind {
	if cert.BasicConstraintsValid && cert.IsCA {
		return KindCA
	}
	for _, x := range id.Identifiers {
		if personalSchemes[x.Scheme] {
			return KindIndividual
		}
	}
	for _, x := range id.Identifiers {
		if organisationSchemes[x.Scheme] {
			return KindOrganisation
		}
	}
	for _, u := range cert.ExtKeyUsage {
		switch u {
		case x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageCodeSigning,
			x509.ExtKeyUsageTimeStamping, x509.ExtKeyUsageOCSPSigning:
			return KindDevice
		}
	}
	if len(cert.DNSNames) > 0 || len(cert.IPAddresses) > 0 {
		return KindDevice
	}
	if isUpperName(id.CommonName) {
		return KindOrganisation
	}
	if cert.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) != 0 && id.CommonName != "" {
		return KindIndividual
	}
	return KindUnknown
}

// isUpperName reports whether s has letters and none of them is lower case.
func isUpperName(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsLower(r) {
				return false
			}
		}
	}
	return letters > 1
}

// MaySign reports whether cert's key usage lets it make signatures: no key usage
// extension, or one that allows digitalSignature or nonRepudiation (contentCommitment).
// It is the one statement of that rule for signers, time-stamping units and the
// verifier.
func MaySign(cert *x509.Certificate) bool {
	return cert.KeyUsage == 0 || cert.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) != 0
}
