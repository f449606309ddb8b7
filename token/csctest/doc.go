// Package csctest is a test kit for remote signing: a Cloud Signature Consortium API v2
// service (ký số từ xa) on 127.0.0.1 that signs with keys the test gives it (from the
// test PKI of certstatus/certstatustest, for example), in the manner of
// net/http/httptest — a real server with a URL and a Close method:
//
//	srv := csctest.New(t, "test-token", csctest.Credential{
//		ID: "leader", Key: pki.Leader.Key, Chain: append([]*x509.Certificate{pki.Leader.Cert}, pki.Leader.Chain...),
//		PIN: "123456",
//	})
//	client, _ := token.NewCSCClient(token.CSCOptions{BaseURL: srv.URL, AccessToken: "test-token"})
//
// It implements info, credentials/list, credentials/info, credentials/authorize and
// signatures/signHash (RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA; SCAL 1 and 2; multisign;
// explicit authorisation in the flat CSC v1 shape or the v2.0.0.2 "auth"/"authData"
// shape, oauth2code credentials, and
// approvals held pending behind credentials/authorizeCheck),
// counts the calls per method, and injects faults: a wrong PIN counts towards locking
// the credential ([Server.Unlock] resets it), [Server.ExpireSADs], [Server.FailNext]
// (HTTP 5xx), [Server.RateLimitNext] (429 with Retry-After), [Server.SignWrongHash] (a
// signature over another hash) and [Server.EchoSecrets] (error descriptions that
// repeat the PIN or SAD, to test that clients keep them out of their errors).
//
// Test use only: it keeps no audit log and its PIN handling is a toy.
package csctest
