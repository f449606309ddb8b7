// Package certstatus answers "was this certificate good at that moment?" and "what
// time was it?" for signatures under Vietnam's government-dedicated CA (Ban Cơ yếu
// Chính phủ, VGCA).
//
// # Trust and chains
//
// A TrustStore holds trust anchors; DefaultTrustStore ships the VGCA root
// "RootCA chuyên dùng Chính phủ G2" (embedded, SHA-256 fingerprint
// VGCARootG2Fingerprint) and callers add or replace roots from PEM files, directories
// or x509.CertPools. Checker.VerifyCertificate builds a chain from the certificates
// of the signature, the caller's pool and AIA caIssuers downloads (cached), and
// validates it at a given time — the signing time or a time-stamp, not only now —
// with key usage, basic constraints and kyso's algorithm policy (RSA ≥ 2048, ECDSA ≥
// 256, no MD5, no SHA-1 after its sunset): Thông tư 39/2017/TT-BTTTT makes RSASSA-PSS
// mandatory and recommends SHA-2; TT 15/2025/TT-BKHCN, which binds public signatures
// (Nghị định 23/2025/NĐ-CP), is followed as practice.
//
// ParseIdentity reads a certificate's subject the way Vietnamese users read it: name,
// units, province, e-mail, title (T) and UID identifiers (CMND, CCCD, MST, MNS), with
// the kind of certificate (individual, organisation, device) inferred by a documented
// rule.
//
// # Revocation
//
// A Checker asks OCSP responders (with a nonce, responder authorisation, freshness
// checks, caching until nextUpdate and one request in flight per certificate) and CRL
// distribution points (signature and issuer checks, delta CRLs, a size-bounded cache)
// in the order of its Strategy: OCSPFirst (default) tries OCSP and falls back to CRLs
// when OCSP gives no usable answer; CRLFirst is the reverse. Results say which source
// answered, when the answer was produced, and why a status is unknown. A revocation
// after the time of interest for a reason other than a compromise is reported as
// StatusRevokedLater, distinct from StatusRevoked.
//
// A delegated OCSP responder whose certificate lacks id-pkix-ocsp-nocheck is used once
// its own status is checked by other means (RFC 6960 §4.2.2.2.1): the CRL at its
// certificate's distribution points, or the issuer's CRL at the checked certificate's
// — never OCSP, so never the responder about itself. Revoked when it answered, it is
// refused (ErrResponderRevoked); when nothing says, its answer is used and
// Result.ResponderUnchecked and Result.Warnings say so, unless
// Options.RequireResponderStatus refuses it. Result.ResponderEvidence holds the CRL
// that vouched for it, to embed next to the answer.
//
// CheckOffline decides from the OCSP responses and CRLs handed to it, for example
// from a PDF's DSS, without any network access. Checker.OCSPResponse and Checker.CRLs
// return verified DER to embed in a DSS.
//
// # Time-stamps
//
// TSAClient requests RFC 3161 tokens (SHA-256 by default, with a nonce and certReq,
// optional basic auth) and checks the answer itself: status, imprint, nonce, the
// token's signature, the TSA certificate's critical timeStamping usage and its chain.
// Checker.VerifyTimestamp verifies an existing token against given data.
//
// Production endpoints default to the VGCA's (DefaultOCSPURL, DefaultTSAURL); all are
// configurable. Package certstatustest provides a VGCA-shaped test PKI with live
// OCSP, CRL, AIA and TSA servers on 127.0.0.1.
//
// Errors wrap exported sentinels (ErrRevoked, ErrNoChain, ErrBadNonce, …) for
// errors.Is and come as detail types (CertificateInvalidError, ResponseError,
// FetchError, TimestampError) for errors.As.
package certstatus
