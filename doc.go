// Package kyso ("ký số": to sign digitally) is an embeddable library for digital
// signatures under Vietnam's government-dedicated CA (chữ ký số chuyên dùng công vụ,
// formerly "chuyên dùng Chính phủ", run by Ban Cơ yếu Chính phủ).
//
// The module is a set of independent packages that never import one another; they meet
// through standard-library types (crypto.Signer, *x509.Certificate, io.ReaderAt,
// io.Writer, time.Time) and small interfaces declared by the package that consumes them:
//
//   - signature: PAdES signing (B-B … B-LTA), deferred (two-step) signing, certification,
//     and verification with ETSI EN 319 102-1 indications.
//   - token: PKCS#11 tokens and HSMs (USB tokens, SoftHSM2), PIN state, session pools,
//     and a software signer from PKCS#12/PEM for development.
//   - certstatus: trust stores (the VGCA root shipped), chains, OCSP, CRL and RFC 3161
//     time-stamps; certstatus/certstatustest is a VGCA-shaped test PKI.
//   - layout: where each visible signature goes under Nghị định 30/2020, and its
//     appearance.
//   - forms: the certificate-request forms (Thông tư 185/2019, Nghị định 68/2024) as data.
//   - policy: who may sign what, with the legal citation for every answer.
//
// This root package is the one place that imports them all: the wiring a vendor
// imports for the everyday operations, each in a few lines.
//
//   - Sign signs a PDF with a Signer (a token key, a PKCS#12 file, NewSigner's pair)
//     under an optional signing Policy, visible where SignOptions.Placement (a
//     layout.Spec: the leader's image, the clerk's seal, the attachment or copy stamp)
//     puts it; Prepare is its deferred (two-step) form, SignBatch signs many documents
//     under one login or authorisation. All three complete a signer's certificate
//     chain that stops short of the root (a token, a .p12 or a remote signing service
//     holding only the signer's certificate) from the trust store and the AIA
//     caIssuers URLs, and embed the issuing CAs (ChainOptions); when that fails they
//     sign anyway and return a ChainWarning.
//   - Services wires the CA's time-stamping and status services into PAdES B-T,
//     B-LT and B-LTA (signature.LevelOptions, signature.ExtendOptions).
//     RSA keys sign with RSASSA-PSS, mandatory under Thông tư 39/2017/TT-BTTTT
//     (SignOptions.RSA selects PKCS#1 v1.5).
//   - Policy asks a policy.Engine whether this signer may apply this signature to this
//     document now, filling the request from the document and the certificate, and
//     with Policy.Verify from a verification of the signatures already there.
//   - Verify verifies with the VGCA trust store (or another) and revocation status
//     online or from the document only, a certstatus.Checker judging chains and
//     status, so every caller gets the same sub-indications.
//   - SignedDocument and ExistingSignatures give the policy facts of a signed document.
//   - CertificateKind is the one rule for a certificate's kind (individual,
//     organisation, device) that reports, policy decisions and signing steps share.
//
// The kyso command (examples/kyso) and the portal (examples/portal) are built on this
// package and the six, and keep no adapter of their own.
package kyso
