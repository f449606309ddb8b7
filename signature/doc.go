// Package signature makes and checks PAdES signatures (ETSI EN 319 142-1) on PDF
// documents for Vietnam's government-dedicated CA (chữ ký số chuyên dùng công vụ).
//
// # Signing
//
// Sign writes a signed copy of a PDF: the original bytes unchanged, followed by an
// incremental update holding a PAdES B-B signature (/SubFilter /ETSI.CAdES.detached).
// The CMS carries the content-type, message-digest and ESS signing-certificate-v2 signed
// attributes and no signing-time attribute; the signing time goes into /M and the
// certificate chain into the CMS. Digests are SHA-256 (default), SHA-384 or SHA-512;
// signatures RSA PKCS#1 v1.5, RSASSA-PSS (SignOptions.PSS; Thông tư 39/2017/TT-BTTTT
// makes it mandatory for signing, so the root package kyso, the VGCA profile, signs
// with PSS by default) or ECDSA P-256/P-384. This package stays neutral: its zero
// options sign RSA keys with PKCS#1 v1.5. SHA-1 and MD5 are refused.
//
// The input is an io.ReaderAt read in one streaming pass that hashes while it copies to
// the io.Writer, so a 100 MB document is never held in memory. /Contents is reserved
// with a fixed size computed from an upper bound of the CMS plus room for a later
// signature time-stamp token (SignOptions.ReserveUnsigned), and /ByteRange is written
// with fixed-width numbers, so files beyond 4 GB work and no size estimate can truncate.
//
// A signature goes into a new invisible field, into an existing empty signature field
// (SignOptions.Field; a field's /Lock becomes a FieldMDP transform of the
// signature; with SignOptions.CreateField, "this field, or create it"), or into a
// visible widget (SignOptions.Widget) whose appearance
// the caller supplies through the Appearance interface as a one-page PDF. Signing an
// already signed document keeps the earlier signatures valid. The first signature may
// certify the document (SignOptions.Certify, DocMDP P=1/2/3); a signature that the
// document's certification forbids is refused with ErrCertifiedNoChanges. Encrypted
// documents (standard security handler) are signed with their password.
//
// # Levels B-T, B-LT, B-LTA
//
// SignOptions.Level asks Sign for more than B-B: a signature time-stamp from a
// Timestamper (B-T, stored as an unsigned attribute in the reserved /Contents), then
// validation data in a /DSS (B-LT) and a document time-stamp (B-LTA). Extend adds
// validation data and a new document time-stamp to an already signed document, to
// renew its long-term proof before the last time-stamp expires.
//
// # Deferred signing
//
// When the key lives elsewhere (a remote HSM, a signing service, a browser token),
// Prepare returns the digest to sign and a self-contained, serialisable state;
// Complete, possibly in another process or on another replica, takes the state, the
// same input and the signature value and writes the signed document. The state is
// bound to the input and, with SignOptions.StateKey, protected by an HMAC; tampered or
// mismatched states are refused with ErrStateInvalid or ErrStateMismatch.
//
// # Signing policy
//
// SignOptions.Policy takes a PolicyHook, an interface this package declares, asked by
// Sign and Prepare before anything is signed or written whether this signer may sign
// this document now. It is told the signer's chain, the signing time, the field and the
// signatures and document time-stamps already in the document, oldest first, with
// their signer certificates and times read from their CMS and time-stamp tokens (not
// verified). A refusal returns ErrPolicyRefused wrapping the hook's own error. The
// policy package holds the rules (who may sign what under Nghị định 30/2020/NĐ-CP and
// the provincial regulations); the root package kyso is the adapter between the two
// (kyso.Policy).
//
// # Verifying
//
// Verify checks every signature of a document and returns a Report with ETSI EN
// 319 102-1 indications (TOTAL_PASSED, TOTAL_FAILED, INDETERMINATE), the checks made and
// the changes between revisions, with messages in Vietnamese and English.
//
// The changes made after a signature are classified object by object — lta-updates
// (DSS, VRI, document time-stamps, new signatures), form-filling, annotations, other —
// and judged against its certification level (DocMDP P=1/2/3) and field locks
// (FieldMDP). Values are compared as PDF means them (612 equals 612.0; an object moved
// to an identical copy is unchanged); a page reachable from an outline, /OpenAction,
// a named destination or the structure tree is judged as a page; a structure tree
// extended for a new widget (PDF/UA) is maintenance; an unsigned visible signature
// field added after a P=2/P=3 certification (the "sneaky signature") is refused. The
// analysis walks each object once, plus once per change of it. The integrity summary
// says "changed or forged" only when a digest or signature value fails; any other
// failure names what failed. COMPATIBILITY.md compares the verdicts with pyHanko's.
//
// Report.WriteText shows, for each signature, what Thông tư 15/2025/TT-BKHCN lists for
// a verifier to display. That circular implements Nghị định 23/2025/NĐ-CP Điều 17
// (public signatures, a trust path to the national NEAC root) and does not bind
// signatures under the government-dedicated ("công vụ") CA, which Nghị định
// 68/2024/NĐ-CP governs: kyso follows it as good practice, and the text report says so.
//
// Signatures other tools made are verified as they are: the legacy SubFilters
// adbe.pkcs7.sha1 and adbe.x509.rsa_sha1 (ISO 32000-1 §12.8.3), SHA-1 signatures
// (verified first, then INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE), and time-stamp
// tokens requested without their TSA's certificate, which is looked up in the DSS, the
// document's other CMS and VerifyOptions.Certificates; when it is nowhere, the token
// is INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND and the signature is judged without
// its proof of time.
//
// # Errors
//
// Every refusal wraps an exported sentinel (ErrFieldSigned, ErrAlgorithm,
// ErrPolicyRefused, …) usable with errors.Is, usually through a *SignError usable with
// errors.As. Errors from the PDF layer (malformed file, wrong password, unsupported
// encryption) come wrapped in ErrDocument, and an input that cannot be opened as a PDF
// matches ErrNotPDF from Sign, Prepare, Extend and Verify alike; ErrWrongPassword and
// ErrUnsupportedEncryption tell the two encryption cases apart. A damaged input that
// the reader repaired (a broken cross-reference rebuilt by scanning, as viewers do) is
// signed, and SignResult.Warnings says what was repaired.
package signature
