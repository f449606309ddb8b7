package signature

import (
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/kyso-go/kyso/internal/identity"
)

// Indication is the main status of a validation, as defined by ETSI EN 319 102-1 §5.1.3
// and spelled as EU DSS spells it.
type Indication string

// The three ETSI EN 319 102-1 main indications.
const (
	TotalPassed   Indication = "TOTAL_PASSED"  // every check passed
	TotalFailed   Indication = "TOTAL_FAILED"  // a check failed in a way no further data can repair
	Indeterminate Indication = "INDETERMINATE" // the checks could not conclude (missing data, no proof of time, …)
)

// SubIndication refines an Indication (ETSI EN 319 102-1 Table 5, EU DSS names).
type SubIndication string

// The sub-indications kyso reports.
const (
	// Sub-indications of TOTAL_FAILED.
	FormatFailure    SubIndication = "FORMAT_FAILURE"     // the PDF or the CMS is not what PAdES allows (ByteRange, coverage, disallowed modification)
	HashFailure      SubIndication = "HASH_FAILURE"       // the signed bytes do not match the message digest
	SigCryptoFailure SubIndication = "SIG_CRYPTO_FAILURE" // the signature value does not verify with the signer's public key
	Revoked          SubIndication = "REVOKED"            // the signer's certificate was revoked before the (proven) signing time
	Expired          SubIndication = "EXPIRED"            // the certificate had expired at the proven signing time
	NotYetValid      SubIndication = "NOT_YET_VALID"      // the certificate was not yet valid at the proven signing time

	// Sub-indications of INDETERMINATE.
	NoSigningCertificateFound SubIndication = "NO_SIGNING_CERTIFICATE_FOUND" // the signer's certificate is missing or does not match the ESS reference
	NoCertificateChainFound   SubIndication = "NO_CERTIFICATE_CHAIN_FOUND"   // no chain to a trusted root
	CertificateChainFailure   SubIndication = "CERTIFICATE_CHAIN_GENERAL_FAILURE"
	ChainConstraintsFailure   SubIndication = "CHAIN_CONSTRAINTS_FAILURE"  // key usage, path constraints
	CryptoConstraintsFailure  SubIndication = "CRYPTO_CONSTRAINTS_FAILURE" // algorithm or key size below policy (SHA-1, RSA < 2048, …)
	RevokedNoPOE              SubIndication = "REVOKED_NO_POE"             // revoked, and no proof the signature existed before
	RevokedCANoPOE            SubIndication = "REVOKED_CA_NO_POE"          // a CA of the chain was revoked, no proof of an earlier signing time
	OutOfBoundsNoPOE          SubIndication = "OUT_OF_BOUNDS_NO_POE"       // certificate outside its validity now, no proof of an earlier signing time
	OutOfBoundsNotRevoked     SubIndication = "OUT_OF_BOUNDS_NOT_REVOKED"  // expired, not revoked before expiry, no POE
	TryLater                  SubIndication = "TRY_LATER"                  // revocation status could not be obtained
	TimestampOrderFailure     SubIndication = "TIMESTAMP_ORDER_FAILURE"    // time-stamps in an impossible order
	SignedDataNotFound        SubIndication = "SIGNED_DATA_NOT_FOUND"      // the signed bytes cannot be read
	SigConstraintsFailure     SubIndication = "SIG_CONSTRAINTS_FAILURE"    // the signature's attributes break the validation constraints
)

// Level is the PAdES baseline level a signature reaches (ETSI EN 319 142-1).
type Level string

// PAdES baseline levels. LevelNone means not even B-B (a signature that failed).
const (
	LevelNone Level = ""
	LevelBB   Level = "B-B"
	LevelBT   Level = "B-T"
	LevelBLT  Level = "B-LT"
	LevelBLTA Level = "B-LTA"
)

// Kind says whether an entry of the report is a signature or a document time-stamp.
type Kind string

// Kinds of entries.
const (
	KindSignature    Kind = "signature"     // /Type /Sig, a CAdES or PKCS#7 detached signature
	KindDocTimestamp Kind = "doc-timestamp" // /Type /DocTimeStamp, /SubFilter /ETSI.RFC3161
)

// Modification classifies what later revisions changed after a signature, from the
// least to the most serious. The order of the constants is the order of seriousness.
type Modification string

// Modification classes, as in pyHanko's ModificationLevel.
const (
	ModNone        Modification = "none"         // the signature covers the whole document
	ModLTAUpdates  Modification = "lta-updates"  // only DSS, document time-stamps, new signatures, metadata
	ModFormFilling Modification = "form-filling" // form field values and their appearances
	ModAnnotations Modification = "annotations"  // annotations added, changed or removed
	ModOther       Modification = "other"        // anything else: page content, resources, catalog, redirected objects…
)

// rank orders modification classes.
func (m Modification) rank() int {
	switch m {
	case ModNone, "":
		return 0
	case ModLTAUpdates:
		return 1
	case ModFormFilling:
		return 2
	case ModAnnotations:
		return 3
	default:
		return 4
	}
}

// Worse reports whether m is more serious than o.
func (m Modification) Worse(o Modification) bool { return m.rank() > o.rank() }

// maxMod returns the more serious of two classes.
func maxMod(a, b Modification) Modification {
	if b.Worse(a) {
		return b
	}
	return a
}

// CheckResult is the outcome of one check.
type CheckResult string

// Check outcomes.
const (
	CheckPassed        CheckResult = "passed"
	CheckFailed        CheckResult = "failed"
	CheckWarning       CheckResult = "warning"       // passed with a reservation the user must see
	CheckIndeterminate CheckResult = "indeterminate" // could not be decided
	CheckInfo          CheckResult = "info"          // information to display (TT 15/2025, followed as practice), not a test
	CheckSkipped       CheckResult = "skipped"       // not run because an earlier check failed
)

// CheckName identifies a check. The names are stable: tests and downstream code may rely
// on them.
type CheckName string

// The checks of a signature, roughly in the order they run.
const (
	CheckByteRange        CheckName = "byte-range"          // well-formed, starts at 0, one hole, inside the file
	CheckContents         CheckName = "contents"            // the hole is exactly the /Contents string
	CheckCoverage         CheckName = "coverage"            // which revision is covered; whole document or not
	CheckCMSFormat        CheckName = "cms-format"          // the CMS SignedData parses, one signer
	CheckSubFilter        CheckName = "subfilter"           // /SubFilter consistent with the CMS
	CheckSignedAttributes CheckName = "signed-attributes"   // content-type, message-digest present, no forbidden ones
	CheckMessageDigest    CheckName = "message-digest"      // digest of the byte ranges equals message-digest
	CheckSignatureValue   CheckName = "signature-value"     // signature value verifies with the signer's key
	CheckSigningCert      CheckName = "signing-certificate" // ESS signing-certificate(-v2) binds the signer
	CheckAlgorithms       CheckName = "algorithms"          // SHA-2/3, RSA ≥ 2048, ECDSA ≥ 256 (kyso policy after TT 15/2025, as practice)
	CheckModifications    CheckName = "modifications"       // what later revisions changed
	CheckDocMDP           CheckName = "docmdp"              // changes allowed by certification level and field locks
	CheckSigningTime      CheckName = "signing-time"        // claimed time /M or time-stamp
	CheckTimestamp        CheckName = "timestamp"           // signature time-stamp token
	CheckChain            CheckName = "chain"               // path to a trusted root
	CheckValidityPeriod   CheckName = "certificate-validity-period"
	CheckValidAtSigning   CheckName = "validity-at-signing-time"
	CheckKeyUsage         CheckName = "key-usage"
	CheckRevocation       CheckName = "revocation"
	CheckIssuer           CheckName = "issuer"        // information: issuing CA
	CheckSigner           CheckName = "signer"        // information: signer
	CheckManagingUnit     CheckName = "managing-unit" // information: managing unit (đơn vị quản lý)
	CheckIntegrity        CheckName = "integrity"     // summary: the signed content is intact
)

// Check is the result of one check with its messages in Vietnamese and English.
type Check struct {
	Name      CheckName   `json:"name"`
	Result    CheckResult `json:"result"`
	MessageVI string      `json:"message_vi"`
	MessageEN string      `json:"message_en"`
}

// Message returns the check's message in lang ("vi" or "en"; anything else is "vi").
func (c Check) Message(lang string) string {
	if lang == "en" {
		return c.MessageEN
	}
	return c.MessageVI
}

// Signer is the identity in a certificate, read the way Vietnamese users read it. The
// field names follow certstatus.Identity, plus the certificate's issuer, serial number
// and validity period.
type Signer struct {
	CommonName          string       `json:"commonName"`             // CN: full name, or the organisation's name
	Organization        string       `json:"organization,omitempty"` // O: the top body
	OrganizationalUnits []string     `json:"organizationalUnits,omitempty"`
	Province            string       `json:"province,omitempty"` // L (or ST): tỉnh, thành phố
	Country             string       `json:"country,omitempty"`
	Email               string       `json:"email,omitempty"`
	Title               string       `json:"title,omitempty"` // T: chức vụ
	Identifiers         []Identifier `json:"identifiers,omitempty"`
	// Kind is individual, organisation, device, ca or unknown, inferred with the
	// rules of certstatus.ParseIdentity (the same code): the names of
	// certstatus.Kind, policy.CertificateKind and forms.CertificateKind.
	Kind             string    `json:"kind"`
	Subject          string    `json:"subject"`
	Issuer           string    `json:"issuer"`
	IssuerCommonName string    `json:"issuerCommonName,omitempty"`
	SerialNumber     string    `json:"serialNumber"` // hex
	NotBefore        time.Time `json:"notBefore"`
	NotAfter         time.Time `json:"notAfter"`
}

// Identifier is a subject UID written "SCHEME:value" (CCCD:…, CMND:…, MST:…, MNS:…).
type Identifier struct {
	Scheme string `json:"scheme"`
	Value  string `json:"value"`
}

// ManagingUnit is the unit that manages the signer (đơn vị quản lý): the organisational
// units and organisation of the certificate's subject, innermost first.
func (s *Signer) ManagingUnit() string {
	if s == nil {
		return ""
	}
	parts := append([]string(nil), s.OrganizationalUnits...)
	if s.Organization != "" {
		parts = append(parts, s.Organization)
	}
	return strings.Join(parts, ", ")
}

// signerFromCert extracts the identity fields of cert, read and classified by the
// module's one identity reader (internal/identity, which certstatus.ParseIdentity
// also is).
func signerFromCert(cert *x509.Certificate) *Signer {
	if cert == nil {
		return nil
	}
	id := identity.Parse(cert)
	s := &Signer{
		CommonName:          id.CommonName,
		Organization:        id.Organization,
		OrganizationalUnits: id.OrganizationalUnits,
		Province:            id.Province,
		Country:             id.Country,
		Email:               id.Email,
		Title:               id.Title,
		Kind:                id.Kind.String(),
		Subject:             cert.Subject.String(),
		Issuer:              cert.Issuer.String(),
		IssuerCommonName:    cert.Issuer.CommonName,
		SerialNumber:        hex.EncodeToString(cert.SerialNumber.Bytes()),
		NotBefore:           cert.NotBefore.UTC(),
		NotAfter:            cert.NotAfter.UTC(),
	}
	for _, x := range id.Identifiers {
		s.Identifiers = append(s.Identifiers, Identifier{Scheme: x.Scheme, Value: x.Value})
	}
	return s
}

// Change is one object-level difference found by the modification analysis.
type Change struct {
	Revision int          `json:"revision"` // the revision (0-based) that made the change
	Object   string       `json:"object"`   // "12 0 R", or "trailer"
	Role     string       `json:"role"`     // what the object is: page, field, annotation, dss, …
	Class    Modification `json:"class"`
	Detail   string       `json:"detail"` // what changed, in English
}

// SignatureReport is the verdict on one signature or document time-stamp.
type SignatureReport struct {
	Field               string        `json:"field"`
	Kind                Kind          `json:"kind"`
	Indication          Indication    `json:"indication"`
	SubIndication       SubIndication `json:"subIndication"`
	Level               Level         `json:"level"`
	Signer              *Signer       `json:"signer"`                // nil (JSON null) when no signer certificate was found
	SigningTime         *time.Time    `json:"signingTime"`           // the best signing time known (time-stamp, else claimed)
	ClaimedTime         *time.Time    `json:"claimedTime,omitempty"` // /M, unproven
	TimestampTime       *time.Time    `json:"timestampTime"`         // time of the signature (or document) time-stamp
	TimeProven          bool          `json:"timeProven"`            // SigningTime comes from a valid time-stamp
	CoversWholeDocument bool          `json:"coversWholeDocument"`
	Revision            int           `json:"revision"` // 0-based index of the revision the signature covers; -1 unknown
	Modification        Modification  `json:"modification"`
	Changes             []Change      `json:"changes,omitempty"`
	SubFilter           string        `json:"subFilter,omitempty"`
	DigestAlgorithm     string        `json:"digestAlgorithm,omitempty"`
	SignatureAlgorithm  string        `json:"signatureAlgorithm,omitempty"`
	ByteRange           []int64       `json:"byteRange,omitempty"`
	CertificationLevel  int           `json:"certificationLevel,omitempty"` // DocMDP P of a certification signature
	Widget              *WidgetBox    `json:"widget,omitempty"`             // where the signature is shown; nil when invisible
	Reason              string        `json:"reason,omitempty"`
	Location            string        `json:"location,omitempty"`
	Checks              []Check       `json:"checks"`

	// Certificate is the signer's certificate when one was found; Chain the path to the
	// trust anchor when one was built. Neither is encoded in JSON.
	Certificate *x509.Certificate   `json:"-"`
	Chain       []*x509.Certificate `json:"-"`
}

// Passed reports whether the signature's indication is TOTAL_PASSED.
func (s *SignatureReport) Passed() bool { return s.Indication == TotalPassed }

// Check returns the check called name, and whether there is one.
func (s *SignatureReport) Check(name CheckName) (Check, bool) {
	for _, c := range s.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// add appends a check with its messages.
func (s *SignatureReport) add(name CheckName, res CheckResult, m msg) {
	s.Checks = append(s.Checks, Check{Name: name, Result: res, MessageVI: m.VI, MessageEN: m.EN})
}

// fail sets the verdict unless a verdict at least as serious is already set: a
// TOTAL_FAILED is never downgraded, and the first reason of a given indication is kept.
func (s *SignatureReport) fail(ind Indication, sub SubIndication) {
	switch {
	case s.Indication == TotalFailed:
		return
	case s.Indication == Indeterminate && ind == Indeterminate:
		return
	}
	s.Indication, s.SubIndication = ind, sub
}

// Report is the result of verifying a document.
type Report struct {
	Size       int64             `json:"size"`
	Revisions  int               `json:"revisions"`
	Signatures []SignatureReport `json:"signatures"`
	// Warnings about the document as a whole (recovered cross-reference, trailing
	// bytes), in English and Vietnamese.
	Warnings []Check `json:"warnings,omitempty"`
}

// AllPassed reports whether the document has at least one signature and every
// signature and document time-stamp is TOTAL_PASSED.
func (r *Report) AllPassed() bool {
	if r == nil || len(r.Signatures) == 0 {
		return false
	}
	for i := range r.Signatures {
		if !r.Signatures[i].Passed() {
			return false
		}
	}
	return true
}

// AnyFailed reports whether some signature is TOTAL_FAILED.
func (r *Report) AnyFailed() bool {
	if r == nil {
		return false
	}
	for i := range r.Signatures {
		if r.Signatures[i].Indication == TotalFailed {
			return true
		}
	}
	return false
}

// MarshalJSON encodes the report; signatures is never null.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	p := plain(r)
	if p.Signatures == nil {
		p.Signatures = []SignatureReport{}
	}
	return json.Marshal(p)
}

// MarshalJSON encodes the signature report; checks is never null.
func (s SignatureReport) MarshalJSON() ([]byte, error) {
	type plain SignatureReport
	p := plain(s)
	if p.Checks == nil {
		p.Checks = []Check{}
	}
	return json.Marshal(p)
}
