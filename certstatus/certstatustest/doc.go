// Package certstatustest is a test public-key infrastructure shaped like Vietnam's
// government-dedicated CA (Ban Cơ yếu Chính phủ), with live OCSP, CRL, AIA and RFC
// 3161 time-stamping servers on 127.0.0.1, in the manner of net/http/httptest.
//
//	pki := certstatustest.NewPKI(t)          // servers stop when the test ends
//	signer := pki.Leader.Key                  // a crypto.Signer
//	chain := pki.Leader.Chain                 // leaf, issuing CA, root
//	pki.Revoke(pki.Leader.Cert, ocsp.KeyCompromise, time.Time{})
//	pki.SetOCSP(certstatustest.OCSPTryLater)
//	pki.SetTSA(certstatustest.TSAWrongImprint)
//
// The hierarchy has a root "RootCA chuyên dùng Chính phủ Test G2", an issuing CA "CA
// phục vụ các cơ quan Nhà nước G2 Test" and end-entity certificates with Vietnamese
// names: a leader (Chủ tịch), a deputy (Phó Chủ tịch), a clerk (văn thư), the
// organisation seal of a provincial People's Committee, a device (SSL) certificate,
// a TSA (critical timeStamping usage) and a delegated OCSP responder (OCSPSigning,
// id-pkix-ocsp-nocheck). Every certificate names the servers in its AIA (OCSP,
// caIssuers) and CRL distribution point extensions.
//
// Failure injection covers revocation (with reason and time), suspension, expired
// certificates, OCSP tryLater, slow, malformed, stale, future, wrong-key,
// unauthorised, wrong-ResponderID, corrupted-signature, oversized and bad-nonce
// answers, another delegated responder (SetOCSPSigner: one without
// id-pkix-ocsp-nocheck, an expired one), CRL staleness, wrong keys and oversized
// CRLs, delta CRLs, and TSA answers with a wrong imprint or nonce, rejections,
// missing certificates and corrupted signatures. A shared clock (Options.Now) lets a
// test move time for certificates, responses and tokens. Keys are RSA, made in
// software; IssueWithKey certifies a key made elsewhere (for example in SoftHSM2), and
// Holder.PKCS12 / Holder.KeyPEM export keys for import into a token.
//
// NewServer and Generate/Load/Start serve the same hierarchy outside tests (the
// "kyso pki" command). Only loopback addresses are accepted. None of this is fit for
// production: the keys are test keys.
package certstatustest
