// Package policy answers "may this signer apply this signature to this document now?"
// under the rules for Vietnam's government-dedicated CA (chữ ký số chuyên dùng Chính
// phủ, now "chuyên dùng công vụ"), and gives the legal reason for every answer.
//
// The regulations are mostly about responsibility: the clerk (văn thư) applies the
// organisation's signature only to what the person with authority (người có thẩm
// quyền) has signed, and to copies the organisation made; nobody signs classified
// documents digitally; a device certificate never signs a document; the second
// organisation certificate is only for the public administrative service centre; an
// appendix in the same file is not signed again. Each rule has a stable identifier
// (e.g. VN-ORG-SEAL-AFTER-AUTHORITY), a Vietnamese and an English sentence, and
// citations (instrument, article, clause, point) to Nghị định 30/2020/NĐ-CP, Nghị định
// 130/2018/NĐ-CP and the provincial regulations; Rules lists them.
//
// # Deciding
//
// A Request holds facts only: the signer's Role, the Certificate (kind, title,
// validity period, revocation status at the signing time), the Document (kind,
// classification, copy form), the authority markers written in the signature block
// (TM., KT., TL., TUQ., Q.), and the signatures already in the document. policy reads
// no certificate and no file; the caller fills the facts, so the package stays
// standard-library only and can be used by a document-management system that has no
// PDF at hand. Engine.Decide returns a Decision: Allowed, the Placement the signature
// must take (signer, seal, attachment-stamp or copy-stamp, the names the layout
// package uses), and Reasons, each with its rule, messages and citation. A Decision
// renders as a paragraph a clerk can read (Decision.Vietnamese) and as JSON.
//
// Facts left at their zero value count as unknown: an unchecked revocation status, an
// unknown validity period or an unknown title is a warning, not a refusal. A decision
// refuses only on facts that contradict a rule.
//
// # Province profiles
//
// What differs between provinces is data: who manages subscribers, the periodic
// reports and their deadlines, which national rules the province restates (its own
// article then leads the citations), who may apply the organisation signature (only
// the clerk in Quảng Ninh and Hòa Bình; the clerk or a person assigned in writing in Hà
// Tĩnh and Cao Bằng), and SIM PKI eligibility. BuiltinProfiles holds the national
// baseline and the five seed provinces; an agency adds or corrects one with a JSON
// file through Registry.Load, without code. A file has the fields of Profile in
// snake_case ("id", "name", "extends", "subscriber_manager", "org_signature_roles",
// "reports", "sim_pki", "restates", and "instruments" to declare instruments its
// citations name that kyso does not list); every citation needs an article or a note
// saying why there is none.
//
// # Verifying
//
// Engine.CheckSequence evaluates an already-signed document's signatures in order —
// for example an organisation seal with no prior valid person-with-authority
// signature, or any signature on a classified document — and reports each finding
// with its citation. The caller fills ExistingSignature from its verification report,
// or reads a SignedDocument from JSON with DecodeSignedDocument. CertificateFacts reads
// the title and validity period from an *x509.Certificate.
//
// # A signing hook
//
// policy is advisory data, not a lock. The signature package declares the hook it
// consults before signing (signature.PolicyHook, set in SignOptions.Policy), one
// method that receives what signature knows and may refuse:
//
//	// in package signature
//	type PolicyHook interface {
//		CheckSigning(ctx context.Context, info SigningInfo) error
//	}
//
// where SigningInfo carries the signer's certificate chain, the signing time, the
// field and the signatures already in the input, oldest first. The adapter outside
// both packages (kyso.Policy in the module's root package) fills a Request from
// SigningInfo and the caller's own facts (role, document kind, classification,
// markers), calls Engine.Decide and returns Decision.AsError: a *RefusalError
// matching ErrRefused whose Decision explains the refusal. signature wraps it in its own
// ErrPolicyRefused and writes nothing; errors.As still reaches the *RefusalError.
// Neither package imports the other.
//
// # What it does not do
//
// policy does not verify signatures, build chains, check revocation or look at the
// page; it trusts the facts it is given. Where kyso's sources give no authoritative
// text (the national basis of the classified-document rule, article numbers of the
// Cao Bằng and Bạc Liêu regulations), the citation says so in its Note.
package policy
