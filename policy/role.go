package policy

// Role is the capacity in which someone acts on a document. It is a fact the caller
// supplies (from its document-management system); a certificate does not carry it.
type Role string

// The roles of the regulations.
const (
	// RoleAuthority is the person with authority (người có thẩm quyền) who signs the
	// document in their own right: the head of the body, or its collective's chair.
	RoleAuthority Role = "authority"
	// RoleDeputy is a deputy or acting head (cấp phó, người được giao quyền) signing
	// on the head's behalf (KT.) or as acting head (Q.).
	RoleDeputy Role = "deputy"
	// RoleClerk is the văn thư: the clerk the head assigns the organisation's key
	// device to, who alone applies the organisation's signature (its electronic seal).
	RoleClerk Role = "clerk"
	// RoleKeyKeeper is a person other than the clerk assigned in writing to keep and
	// use the organisation's key device (người được giao quản lý thiết bị lưu khóa bí
	// mật), which some provinces allow; also the staff of a public administrative
	// service centre holding the second organisation certificate.
	RoleKeyKeeper Role = "key-keeper"
	// RoleITOfficer is the IT officer (cán bộ chuyên trách công nghệ thông tin) who
	// installs signing software and supports subscribers.
	RoleITOfficer Role = "it-officer"
	// RoleSubscriber is any official holding a certificate (thuê bao) who does not
	// sign this document with authority.
	RoleSubscriber Role = "subscriber"
	// RoleManagingOrganisation is the managing organisation (cơ quan, tổ chức quản lý
	// trực tiếp) that requests, renews and revokes its subscribers' certificates.
	RoleManagingOrganisation Role = "managing-organisation"
	// RoleProvincialDepartment is the provincial body that manages subscribers for the
	// province (Sở Thông tin và Truyền thông, or as the province's profile says).
	RoleProvincialDepartment Role = "provincial-department"
)

var roleAliases = map[string][]string{
	string(RoleAuthority):            {"người có thẩm quyền", "person with authority", "leader", "lãnh đạo"},
	string(RoleDeputy):               {"cấp phó", "acting", "quyền", "ký thay"},
	string(RoleClerk):                {"văn thư", "van thu"},
	string(RoleKeyKeeper):            {"người được giao quản lý thiết bị", "keeper"},
	string(RoleITOfficer):            {"cán bộ chuyên trách công nghệ thông tin", "it", "cntt"},
	string(RoleSubscriber):           {"thuê bao"},
	string(RoleManagingOrganisation): {"cơ quan, tổ chức quản lý trực tiếp"},
	string(RoleProvincialDepartment): {"sở", "provincial department"},
}

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool { _, ok := roleAliases[string(r)]; return ok }

// Vietnamese returns the role's Vietnamese name.
func (r Role) Vietnamese() string {
	switch r {
	case RoleAuthority:
		return "người có thẩm quyền"
	case RoleDeputy:
		return "cấp phó hoặc người được giao quyền cấp trưởng"
	case RoleClerk:
		return "văn thư"
	case RoleKeyKeeper:
		return "người được giao quản lý thiết bị lưu khóa bí mật của cơ quan"
	case RoleITOfficer:
		return "cán bộ chuyên trách công nghệ thông tin"
	case RoleSubscriber:
		return "thuê bao"
	case RoleManagingOrganisation:
		return "cơ quan, tổ chức quản lý trực tiếp"
	case RoleProvincialDepartment:
		return "cơ quan quản lý thuê bao cấp tỉnh"
	}
	return string(r)
}

// UnmarshalText accepts the identifier ("clerk") or a Vietnamese name ("văn thư").
func (r *Role) UnmarshalText(b []byte) error {
	id, ok := parseEnum(string(b), roleAliases)
	if !ok {
		return &RequestError{Field: "role", Value: string(b), Reason: "unknown role; use one of " + enumValues(roleAliases)}
	}
	*r = Role(id)
	return nil
}

// isPersonWithAuthority reports whether r signs documents in its own name.
func (r Role) isPersonWithAuthority() bool { return r == RoleAuthority || r == RoleDeputy }
