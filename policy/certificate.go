package policy

import (
	"time"

	"github.com/kyso-go/kyso/internal/identity"
)

// CertificateKind is the kind of a VGCA certificate, which decides what it may sign.
// Its values are the module's one vocabulary of kinds: certstatus.Kind's names (what
// certstatus.ParseIdentity infers from a certificate) and signature.Signer.Kind, so
// policy.CertificateKind(certstatus.ParseIdentity(cert).Kind.String()) is the kind a
// certificate says; CertOrganisationSecond is a registration fact no certificate
// states.
type CertificateKind string

// The kinds of certificate (Quảng Ninh 41/2022 Điều 2 k3).
const (
	// CertIndividual is a personal certificate (chứng thư số cá nhân): it confirms a
	// person's signature.
	CertIndividual CertificateKind = identity.NameIndividual
	// CertOrganisation is an organisation certificate (chứng thư số cơ quan, tổ chức):
	// the organisation's electronic seal, applied by its clerk.
	CertOrganisation CertificateKind = identity.NameOrganisation
	// CertOrganisationSecond is an organisation's second certificate (chứng thư số thứ
	// 2), issued only for administrative procedures at a public administrative service
	// centre (Trung tâm Phục vụ Hành chính công, Bộ phận một cửa).
	CertOrganisationSecond CertificateKind = "organisation-second"
	// CertDevice is a device, service or software certificate (chứng thư số thiết bị,
	// dịch vụ, phần mềm: SSL, VPN, mail, code signing). It never signs documents.
	CertDevice CertificateKind = identity.NameDevice
)

var certKindAliases = map[string][]string{
	string(CertIndividual):         {"cá nhân", "personal"},
	string(CertOrganisation):       {"cơ quan, tổ chức", "cơ quan", "tổ chức", "organization", "seal"},
	string(CertOrganisationSecond): {"chứng thư số thứ 2", "organisation second", "organization-second", "second"},
	string(CertDevice):             {"thiết bị, dịch vụ, phần mềm", "thiết bị", "service", "software"},
}

// Valid reports whether k is one of the defined kinds.
func (k CertificateKind) Valid() bool { _, ok := certKindAliases[string(k)]; return ok }

// Vietnamese returns the kind's Vietnamese name.
func (k CertificateKind) Vietnamese() string {
	switch k {
	case CertIndividual:
		return "chứng thư số cá nhân"
	case CertOrganisation:
		return "chứng thư số cơ quan, tổ chức"
	case CertOrganisationSecond:
		return "chứng thư số thứ 2 của cơ quan, tổ chức"
	case CertDevice:
		return "chứng thư số thiết bị, dịch vụ, phần mềm"
	}
	return string(k)
}

// UnmarshalText accepts the identifier ("organisation") or a Vietnamese name.
func (k *CertificateKind) UnmarshalText(b []byte) error {
	id, ok := parseEnum(string(b), certKindAliases)
	if !ok {
		return &RequestError{Field: "certificate.kind", Value: string(b), Reason: "unknown certificate kind; use one of " + enumValues(certKindAliases)}
	}
	*k = CertificateKind(id)
	return nil
}

func (k CertificateKind) isOrganisation() bool {
	return k == CertOrganisation || k == CertOrganisationSecond
}

// CertificateStatus is a certificate's revocation status at the time that matters (the
// signing time), as the caller's OCSP or CRL check found it.
type CertificateStatus string

// Certificate statuses. The zero value means nobody checked.
const (
	StatusUnknown   CertificateStatus = ""
	StatusGood      CertificateStatus = "good"
	StatusRevoked   CertificateStatus = "revoked"
	StatusSuspended CertificateStatus = "suspended"
)

var statusAliases = map[string][]string{
	string(StatusUnknown):   {"unknown", "không rõ"},
	string(StatusGood):      {"valid", "hợp lệ", "có hiệu lực"},
	string(StatusRevoked):   {"thu hồi", "bị thu hồi"},
	string(StatusSuspended): {"tạm dừng", "bị tạm dừng", "on-hold"},
}

// Valid reports whether s is one of the defined statuses (including unknown).
func (s CertificateStatus) Valid() bool { _, ok := statusAliases[string(s)]; return ok }

// UnmarshalText accepts the identifier ("revoked") or a Vietnamese name ("thu hồi").
func (s *CertificateStatus) UnmarshalText(b []byte) error {
	id, ok := parseEnum(string(b), statusAliases)
	if !ok {
		return &RequestError{Field: "certificate.status", Value: string(b), Reason: "unknown certificate status; use one of " + enumValues(statusAliases) + " or leave it out"}
	}
	*s = CertificateStatus(id)
	return nil
}

// Certificate holds the facts about the signer's certificate that the rules use. The
// caller reads them from the *x509.Certificate (kind from its profile, Title from the
// title attribute or its directory of staff) and from its revocation check.
type Certificate struct {
	// Kind is the kind of certificate, which decides what it may sign.
	Kind CertificateKind `json:"kind"`
	// Title is the title (chức danh) the certificate was issued for, e.g. "Phó Chủ
	// tịch": its T= attribute when it has one (CertificateFacts), else the title in
	// the registration record (Mẫu 01 "Chức vụ") or the caller's staff directory. It
	// may itself begin with an authority marker ("KT. Giám đốc"). Empty means unknown:
	// the authority rules then warn instead of deciding.
	Title string `json:"title,omitempty"`
	// NotBefore and NotAfter bound the validity period; zero when unknown.
	NotBefore time.Time `json:"not_before,omitzero"`
	NotAfter  time.Time `json:"not_after,omitzero"`
	// Status is the revocation status at the signing time.
	Status CertificateStatus `json:"status,omitempty"`
}

// validity describes whether the certificate was usable at t. problem is a
// Vietnamese/English pair explaining why not; unknown is set when the facts needed
// are missing.
func (c Certificate) validity(t time.Time) (ok bool, unknown bool, vi, en string) {
	switch {
	case !c.NotBefore.IsZero() && t.Before(c.NotBefore):
		return false, false, "chứng thư số chưa có hiệu lực tại thời điểm ký (hiệu lực từ " + vnTime(c.NotBefore) + ")",
			"the certificate was not yet valid at the signing time (valid from " + c.NotBefore.In(vietnamZone).Format(time.RFC3339) + ")"
	case !c.NotAfter.IsZero() && t.After(c.NotAfter):
		return false, false, "chứng thư số đã hết hạn tại thời điểm ký (hết hạn " + vnTime(c.NotAfter) + ")",
			"the certificate had expired at the signing time (expired " + c.NotAfter.In(vietnamZone).Format(time.RFC3339) + ")"
	case c.Status == StatusRevoked:
		return false, false, "chứng thư số đã bị thu hồi tại thời điểm ký", "the certificate was revoked at the signing time"
	case c.Status == StatusSuspended:
		return false, false, "chứng thư số đang bị tạm dừng tại thời điểm ký", "the certificate was suspended at the signing time"
	case c.Status == StatusUnknown:
		return true, true, "chưa kiểm tra được trạng thái thu hồi của chứng thư số tại thời điểm ký", "the certificate's revocation status at the signing time was not checked"
	case c.NotBefore.IsZero() || c.NotAfter.IsZero():
		return true, true, "chưa biết thời hạn hiệu lực của chứng thư số", "the certificate's validity period is not known"
	}
	return true, false, "", ""
}

// vietnamZone is UTC+7, the zone the regulations write times in (ISO 8601).
var vietnamZone = time.FixedZone("ICT", 7*3600)

func vnTime(t time.Time) string { return t.In(vietnamZone).Format("02/01/2006 15:04:05 -07:00") }
