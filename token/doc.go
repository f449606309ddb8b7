// Package token gives kyso its signing keys: keys on PKCS#11 devices (the USB tokens
// on which Ban Cơ yếu Chính phủ issues government certificates, and HSMs) and, for
// development and tests, keys held in memory from PKCS#12 or PEM files.
//
// Every key is a [Signer]: a [crypto.Signer] that also knows its certificate and the
// chain of issuers stored beside it, so the signature package can embed them.
//
// # Software keys
//
// [OpenPKCS12] and [OpenPEM] return a [SoftSigner]. They accept RSA and ECDSA keys
// (PKCS#8, PKCS#1 and SEC 1 encodings; PEM encrypted with PBES2 or the legacy OpenSSL
// scheme) and check that the certificate matches the key.
//
// # PKCS#11 tokens
//
// [OpenModule] loads a PKCS#11 module (C_Initialize is called once per module and
// process, however many times the module is opened); [Module.Tokens] lists slots and
// their tokens with the PIN counters the device reports; [Module.OpenToken] logs in with
// a PIN obtained from a [PINFunc] callback (or through the device's PIN pad when it has
// a protected authentication path) and keeps a bounded pool of sessions, so many
// goroutines can sign with the same key at once without ever sharing a session. Broken
// sessions are discarded and replaced, logging in again when the callback allows; key
// handles the token renumbers are looked up again. [Token.Signer] picks a key by CKA_ID
// or label (or the only signing key with a certificate) and pairs it with its
// certificate by CKA_ID, else by public key; [Token.Keys] and [Token.Certificates] list
// what the token holds ([TokenOptions].NoLogin lists certificates without a PIN).
//
// Login state belongs to the process, per token (PKCS#11 keeps it so): two parts of one
// program opening the same token share it, and closing sessions never logs the other
// part out. Closing a Token waits for its signatures in progress; closing the last Module
// of a path finalises the module.
//
// PIN problems come back as a [*PINError], usable with errors.Is against [ErrPINIncorrect],
// [ErrPINLocked], [ErrPINExpired] and with messages in Vietnamese and English. A locked
// device (khóa thiết bị sau nhiều lần nhập sai PIN) is recovered by the CA (Cục Chứng thực
// số và Bảo mật thông tin) on the managing organisation's request (khôi phục thiết bị:
// Nghị định 68/2024/NĐ-CP Mẫu số 06; before 15/8/2024 Thông tư 185/2019/TT-BQP Mẫu
// 11/12); the error says so.
//
// PKCS#11 needs cgo. Built with CGO_ENABLED=0 the package still compiles, the software
// signer works, and every PKCS#11 function returns [ErrNoPKCS11].
//
// # Remote signing (ký số từ xa) over the CSC API v2
//
// [NewCSCClient] talks to a remote signing service that follows the Cloud Signature
// Consortium API v2 (info, credentials/list, credentials/info, credentials/authorize,
// signatures/signHash). The caller supplies the OAuth2 access token; the client runs no
// OAuth flow. [CSCClient.Signer] turns a credential into a [*CSCSigner], a [Signer]
// usable wherever a token key is; the PIN and OTP come from a [CSCAuthFunc] at each
// authorisation and are kept no longer than one SignDigests call (a SAD that expires in
// the middle of it is renewed once with the same PIN, and a fresh OTP from
// [CSCSigner.FreshOTP] when it needed one). [CSCSigner.SignDigests] signs many digests with one
// credentials/authorize (numSignatures = N, the hashes sent along when the credential's
// SCAL is 2) and as few signHash calls as the service allows; [Batch] gives the same
// [BatchSigner] shape to any other key (a PKCS#11 token signs a batch under its one
// login). Every signature the service returns is verified with the certificate. An
// authorisation the service holds pending (HTTP 202, the signer approves on a phone) is
// polled with credentials/authorizeCheck; a credential whose authMode is oauth2code
// signs with the caller's credential-scope access token and no SAD. The client reads
// the answers of services that differ from the specification where others were found
// to (info by GET, credentialInfos, authentication objects as names, v1 shapes, URL-safe
// base64, raw ECDSA signatures, non-CSC error bodies; see token/CSC_INTEROP.md);
// [CSCClient.ListCredentialInfos] gets every credential's details with as few requests
// as the service allows.
//
// Failures are [*CSCError] values with Vietnamese and English messages, matching ErrCSC
// and one sentinel per reason (ErrPINIncorrect, ErrCSCCredentialLocked / ErrPINLocked,
// ErrCSCSADExpired, ErrCSCRateLimited with the Retry-After asked for,
// ErrCSCUnavailable, ErrCSCBadSignature, …). HTTP 429, 5xx and connection failures are
// retried with exponential back-off; nothing else is. The access token, PIN, OTP and SAD
// never appear in an error or a log record. token/csctest is a CSC test server with
// fault injection.
//
// # Hash functions
//
// Signers refuse SHA-1 and MD5 with [ErrWeakHash]. This is kyso's policy, following
// practice: Thông tư 39/2017/TT-BTTTT makes RSASSA-PSS mandatory and only recommends the
// SHA-2 family, and Thông tư 15/2025/TT-BKHCN, which lists SHA-2/SHA-3 for verification
// software, implements Nghị định 23/2025/NĐ-CP (public signatures): for signatures under
// the government-dedicated CA it is followed as good practice, not as a binding rule.
package token
