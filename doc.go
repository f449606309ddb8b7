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
// The kyso command in examples/kyso wires them together.
package kyso
