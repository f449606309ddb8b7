// Command portal is an example two-step signing and verification service for
// provincial portals (cổng thông tin, hệ thống một cửa) under Vietnam's
// government-dedicated CA (chữ ký số chuyên dùng công vụ). It is meant to be copied:
// every part is kyso's public API wired the way a production service would wire it.
//
// Two-step (deferred) signing: the server never sees a private key. POST /api/prepare
// takes the PDF and the signer's certificate chain and answers the digest to sign and
// an opaque state; the user's USB token or SIM PKI signs the digest elsewhere (a
// browser plug-in, a phone); POST /api/complete takes the state, the signature value
// and the same PDF and answers the signed PDF. Nothing is stored on the server: the
// state is HMAC-protected with a key every replica shares (-state-key-env), so any
// replica behind a load balancer can complete what another prepared, and a retry of
// /api/complete with the same inputs gives the same document.
//
// Verification: POST /api/verify answers signature.Verify's report as JSON; GET / and
// POST /verify serve a page in Vietnamese that shows, for every signature, what Thông
// tư 15/2025/TT-BKHCN requires a verifier to display (the issuing CA, the signer, the
// managing unit, the signing time or time-stamp, integrity, validity at signing time,
// the certificate's validity period, and a warning when the revocation status could
// not be checked).
//
// Usage:
//
//	KYSO_STATE_KEY=$(openssl rand -hex 32) \
//	go run ./examples/portal -addr 127.0.0.1:8080 -state-key-env KYSO_STATE_KEY \
//	    [-trust root.pem ...] [-tsa http://tsa.ca.gov.vn] [-level B-B|B-LT|B-LTA] [-policy quang-ninh]
//
// With -tsa the completed document also gets a DSS and a document time-stamp
// (signature.Extend; verifiers report B-LTA). A deferred signature carries no
// signature time-stamp, so -level B-LT (a DSS alone) makes it verifiable offline but
// verifiers still call it B-B. With -policy the policy package decides, before
// preparing, whether this signer may sign this document now (the request then says the
// signer's role and the document's kind and classification).
//
// Errors are JSON {"error": {"code", "message_vi", "message_en", "detail"}} with a
// status that fits: 400 bad input or a tampered state, 409 a state made for another
// document or older than -state-ttl (15 minutes: the certificate was checked when it
// was made), 413 a body over -max-body, 422 a signature value that does not verify or a
// certificate that cannot sign or a refusal of the signing policy (with its legal
// citations), 502 the time-stamping authority or revocation services failed (retry:
// completion is deterministic), 503 too many requests in flight, 504 a cancelled or
// timed-out request.
package main
