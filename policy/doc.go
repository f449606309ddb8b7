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
// citations (instrument, article, clause, point) to Nghị định 30/2020/NĐ-CP, the
// decrees on the CA service and the provincial regulations; Rules lists them.
//
// # The law in time
//
// Since 15/8/2024 the government-dedicated ("công vụ") CA runs under Nghị định
// 68/2024/NĐ-CP (Governing); Nghị định 23/2025/NĐ-CP governs public signatures only. The
// seeds cite Nghị định 130/2018/NĐ-CP Điều 9 for when a signature is safe: kyso keeps it
// as that basis, marked superseded (Citation.Status, Until 14/8/2024), and a decision
// lists first the citations in force at its signing time. The NĐ 68/2024 articles
// cited (Điều 31 k1, validity at the time of signing; Điều 29 k3, signing with the
// signer's own private key) were checked against the decree's text as published on
// the web: such a citation is marked verified and its Source lists the pages
// (Citation.URLs). A locator kyso could not check is marked unverified.
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
// A province is one file. What differs between provinces is data: who manages
// subscribers (and who coordinates), the periodic reports with their deadlines and
// reporters, which rules the province restates (its own article then leads the
// citations) and which provincial rules it makes binding, who may apply the
// organisation signature (only the clerk in Quảng Ninh and Hòa Bình; the clerk or a
// person assigned in writing in Hà Tĩnh and Cao Bằng), SIM PKI eligibility, and the
// period the profile applies to with the province that succeeded it (Hòa Bình → Phú
// Thọ, Bạc Liêu → Cà Mau on 1/7/2025 by Nghị quyết 202/2025/QH15 Điều 1, checked on the
// web; the end of the period stays unverified, as the transition rules for provincial
// regulations were not read). The catalogue in Go holds only
// the national articles; every provincial citation — including those the national
// baseline leans on where no national article was found — is in the files.
//
// BuiltinProfiles loads every embedded file (national and the five seed provinces
// today); an agency adds or corrects one with a JSON file through Registry.Load, or
// with "kyso policy -profile-file", without code. A file has the fields of Profile in
// snake_case: "id", "name", "extends", "instrument", "provenance", "period" {"from",
// "until", "unverified", "note", "citation"}, "successor" {"id", "name", "from",
// "unverified", "note", "citation"}, "instruments" (instruments its citations name that kyso does
// not list), "abolished_levels", "subscriber_manager" (with "coordinator"),
// "org_signature_roles", "reports" [{"period", "name", "due", "months", "due_date"
// {"month_offset", "day", "before"}, "shift", "shift_assumed", "shift_note",
// "data_window", "data_from", "data_to", "recipient", "reporters", "citation",
// "see_also"}], "sim_pki" and "restates" [{"rule", "binding", "citation"}]. Every
// citation needs an article or a note saying why there is none. A file that breaks a
// rule is refused with a *ProfileError naming the field ("reports[0].due_date.day").
// Profile.Deadlines computes when the reports are due with the working-day calendar
// the forms package shares; reporters of the district level drop out from 1/7/2025.
//
// The title rules VN-AUTHORITY-WITHIN-TITLE and VN-AUTHORITY-MARKER-MATCHES-TITLE come
// from Hà Tĩnh (QĐ 19/2020 Điều 7 k3–k4) alone: they refuse where a profile makes them
// binding (Hà Tĩnh) and warn elsewhere. A deputy given quyền cấp trưởng signs "Q." even
// while the certificate reads "Phó …" (NĐ 30 PL I mục II k7 b): a warning that the
// certificate should be changed. A subscriber's own request (DocOwnRequest) is signed
// with their individual certificate; a person the head permitted in writing to keep the
// organisation's device in the clerk's absence (Request.KeeperPermitted, NĐ 30 Điều 32
// k2 b) seals with a warning.
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
// Cao Bằng and Bạc Liêu regulations, an NĐ 68/2024 article restating NĐ 130's "sole
// control" words), the citation says so in its Note.
package policy
