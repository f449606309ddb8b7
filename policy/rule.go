package policy

// Rule is one rule of the policy, with its legal basis.
type Rule struct {
	// ID is the rule's stable identifier, e.g. "VN-ORG-SEAL-AFTER-AUTHORITY".
	ID string `json:"id"`
	// Vietnamese and English state the rule in one sentence.
	Vietnamese string `json:"vi"`
	English    string `json:"en"`
	// Citations are the rule's legal basis, the primary citation first. Under a
	// province profile (Engine.Rules) the province's own restatement comes first.
	Citations []Citation `json:"citations"`
	// Verification says the rule is also checked on an already-signed document's
	// signature sequence (Engine.CheckSequence).
	Verification bool `json:"verification"`
	// Provincial marks a rule kyso's sources found only in a province's regulation;
	// Binding says whether it refuses under this profile (otherwise it only warns).
	Provincial bool `json:"provincial,omitempty"`
	Binding    bool `json:"binding"`
}

// The rule identifiers.
const (
	RuleDeviceCertificate       = "VN-DEVICE-CERT-NO-DOCUMENT"
	RuleClassified              = "VN-CLASSIFIED-NO-DIGITAL-SIGNATURE"
	RuleAuthorityIndividualCert = "VN-AUTHORITY-INDIVIDUAL-CERT"
	RuleSubscriberOwnRequest    = "VN-SUBSCRIBER-OWN-REQUEST"
	RuleAuthorityWithinTitle    = "VN-AUTHORITY-WITHIN-TITLE"
	RuleMarkerMatchesTitle      = "VN-AUTHORITY-MARKER-MATCHES-TITLE"
	RuleOrgSealByClerk          = "VN-ORG-SEAL-BY-CLERK"
	RuleOrgSealAfterAuthority   = "VN-ORG-SEAL-AFTER-AUTHORITY"
	RuleCopyOwnOrganisation     = "VN-COPY-OWN-ORGANISATION"
	RuleCopyStamp               = "VN-COPY-STAMP-BY-ORGANISATION"
	RuleAppendixSameFile        = "VN-APPENDIX-SAME-FILE-NOT-SIGNED"
	RuleAttachmentSeparateFile  = "VN-ATTACHMENT-SEPARATE-FILE-ORG-SIGNS"
	RuleCertificateValid        = "VN-CERT-VALID-AT-SIGNING"
	RuleKeySoleControl          = "VN-KEY-SOLE-CONTROL"
	RuleSecondCertServiceCentre = "VN-SECOND-ORG-CERT-SERVICE-CENTRE"
	// RuleProfilePeriod is not a rule of the catalogue: a decision carries a warning
	// under this identifier when the signing time lies outside the profile's period.
	RuleProfilePeriod = "VN-PROFILE-PERIOD"
)

// Rules lists every rule of the national baseline with its citations (the national
// articles from the catalogue and the provincial ones from the baseline's file), in
// the order decisions report them. Each call returns fresh values.
func Rules() []Rule {
	e, err := New(Options{})
	if err != nil {
		panic("policy: national baseline: " + err.Error()) // embedded, covered by tests
	}
	return e.Rules()
}

func (d ruleDef) rule() Rule {
	return Rule{
		ID:           d.id,
		Vietnamese:   d.vi,
		English:      d.en,
		Citations:    append([]Citation(nil), d.citations...),
		Verification: d.verification,
		Provincial:   d.provincial,
		Binding:      !d.provincial,
	}
}
