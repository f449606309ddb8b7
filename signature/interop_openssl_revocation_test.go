package signature_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/internal/openssltest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// osslHolder is a certificate of the openssl-served hierarchy with its key.
type osslHolder struct {
	cert *x509.Certificate
	key  crypto.Signer
}

// osslPKI is a hierarchy whose certificates name revocation servers we did not write:
// "openssl ocsp -index … -port …" for the end entities and CRLs made by "openssl ca
// -gencrl", served by a plain http.FileServer.
type osslPKI struct {
	root, ca, leader, tsa, ocsp osslHolder
	decoy                       osslHolder // revoked, listed in the CA's CRL
	caDB, rootDB                *openssltest.CA
}

// osslRevocationVariant is one way the revocation servers answer.
type osslRevocationVariant struct {
	name string
	// ocsp lists the "openssl ocsp" options besides -index, -CA and -port, with
	// {ocsp}, {ocspkey}, {ca}, {cakey} standing for the delegated responder's and the
	// CA's certificate and key files; nil means the end-entity certificates name no
	// OCSP responder (CRLs only).
	ocsp []string
	// crlNumber, crlAKI and crlIDP: the CRL extensions "openssl ca -gencrl" writes
	// (crlIDP: a critical issuing distribution point naming the CRL's URL).
	crlNumber, crlAKI, crlIDP bool
	// revokedSigner lists the signer as revoked (key compromise, an hour before):
	// signing still reaches the level, embedding the answer as evidence, and Verify
	// fails the signature with REVOKED.
	revokedSigner bool
	// crlPEM serves the CRLs in PEM, as "openssl ca -gencrl" writes them (RFC 5280
	// wants DER; kyso embeds the DER).
	crlPEM bool
	// responderChecked gives the delegated OCSP responder a certificate without
	// id-pkix-ocsp-nocheck, as "openssl ocsp" setups commonly have (its own status
	// must come from other means, RFC 6960 §4.2.2.2.1): kyso uses its answers and
	// puts the CA's CRL, which covers the responder, into the DSS. responderNoDP
	// leaves the CRL distribution point out of that certificate: the CA's CRL found
	// at the signer's distribution point vouches for the responder.
	responderChecked, responderNoDP bool
	// target is the level to sign at; empty means B-LT.
	target signature.Level
	// get asks the responder with GET; with POST the nonce is required.
	get bool
	// want are texts "openssl ocsp -resp_text" (for OCSP) or "openssl crl -text" (for
	// CRLs) must print for each item in the DSS, and wantNot texts it must not: the
	// variant's shape.
	wantOCSP, wantNotOCSP, wantCRL, wantNotCRL []string
}

var oidOCSPNoCheck = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 5}

// newOSSLPKI issues the hierarchy; ocspURL (empty: none) and crlURL are what the
// certificates name.
func newOSSLPKI(t *testing.T, ocspURL, crlURL string, responderChecked, responderNoDP bool) *osslPKI {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	serial := int64(0x1000)
	issue := func(tmpl *x509.Certificate, parent *osslHolder, key crypto.Signer) osslHolder {
		serial++
		tmpl.SerialNumber = big.NewInt(serial<<32 | int64(now.Unix()&0xffff))
		tmpl.NotBefore, tmpl.NotAfter = now.Add(-24*time.Hour), now.AddDate(2, 0, 0)
		parentCert, parentKey := tmpl, key
		if parent != nil {
			parentCert, parentKey = parent.cert, parent.key
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, key.Public(), parentKey)
		require.NoError(t, err)
		c, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		return osslHolder{cert: c, key: key}
	}
	p256 := func() crypto.Signer {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		return k
	}
	name := func(cn string) pkix.Name {
		return pkix.Name{Country: []string{"VN"}, Organization: []string{"Ban Cơ yếu Chính phủ (OpenSSL test)"}, CommonName: cn}
	}
	p := &osslPKI{}
	p.root = issue(&x509.Certificate{Subject: name("Root OpenSSL Test"), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}, nil, p256())
	p.ca = issue(&x509.Certificate{Subject: name("CA OpenSSL Test"), IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		CRLDistributionPoints: []string{crlURL + "/root.crl"}}, &p.root, p256())
	var ocspServers []string
	if ocspURL != "" {
		ocspServers = []string{ocspURL}
	}
	leaderKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	p.leader = issue(&x509.Certificate{
		Subject:        pkix.Name{Country: []string{"VN"}, Province: []string{"Quảng Ninh"}, Organization: []string{"Ủy ban nhân dân tỉnh Quảng Ninh"}, CommonName: "Phạm Thị Lan"},
		KeyUsage:       x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		EmailAddresses: []string{"ptlan@quangninh.gov.vn"},
		OCSPServer:     ocspServers, CRLDistributionPoints: []string{crlURL + "/ca.crl"}}, &p.ca, leaderKey)
	eku, _ := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})
	p.tsa = issue(&x509.Certificate{Subject: name("TSA OpenSSL Test"),
		KeyUsage:        x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: eku}},
		OCSPServer:      ocspServers, CRLDistributionPoints: []string{crlURL + "/ca.crl"}}, &p.ca, p256())
	ocspTmpl := &x509.Certificate{Subject: name("OCSP OpenSSL Test"), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage:     []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning},
		ExtraExtensions: []pkix.Extension{{Id: oidOCSPNoCheck, Value: []byte{0x05, 0x00}}}}
	if responderChecked {
		ocspTmpl.ExtraExtensions = nil
		if !responderNoDP {
			ocspTmpl.CRLDistributionPoints = []string{crlURL + "/ca.crl"}
		}
	}
	p.ocsp = issue(ocspTmpl, &p.ca, p256())
	// Someone else's certificate, revoked: the CRLs are not empty.
	p.decoy = issue(&x509.Certificate{Subject: name("Revoked OpenSSL Test"), KeyUsage: x509.KeyUsageDigitalSignature}, &p.ca, p256())

	p.caDB = openssltest.NewCA(t, p.ca.cert, p.ca.key)
	for _, h := range []osslHolder{p.leader, p.tsa, p.ocsp} {
		p.caDB.Add(h.cert, time.Time{}, "")
	}
	p.rootDB = openssltest.NewCA(t, p.root.cert, p.root.key)
	p.rootDB.Add(p.ca.cert, time.Time{}, "")
	return p
}

// TestSignWithOpenSSLRevocation signs at B-LT (and B-LTA) while every piece of
// revocation data comes from servers we did not write: "openssl ocsp" (a delegated
// responder, or the CA itself; with and without nextUpdate; ResponderID by key hash)
// and CRLs from "openssl ca -gencrl" (with a CRL number and an AKI, an AKI only, or
// version 1 without extensions) served as files; the time-stamps come from "openssl ts -reply". kyso must reach the
// level and verify TOTAL_PASSED offline, from the DSS alone; pdfsig must find the
// signature valid, and openssl must accept the OCSP responses and CRLs in the DSS.
func TestSignWithOpenSSLRevocation(t *testing.T) {
	openssl := openssltest.Tool(t, "openssl")
	openssltest.Tool(t, "pdfsig")
	if !openssltest.InPrivateNetwork(t) {
		return
	}
	delegated := []string{"-rsigner", "{ocsp}", "-rkey", "{ocspkey}"}
	variants := []osslRevocationVariant{
		{name: "ocsp-delegated", ocsp: append(delegated, "-nmin", "60"), crlNumber: true, crlAKI: true, target: signature.LevelBLTA,
			wantOCSP: []string{"CN = OCSP OpenSSL Test", "Next Update:", "OCSP Nonce"}},
		{name: "ocsp-by-ca", ocsp: []string{"-rsigner", "{ca}", "-rkey", "{cakey}", "-nmin", "60"}, crlNumber: true, crlAKI: true,
			wantOCSP: []string{"CN = CA OpenSSL Test\n"}},
		{name: "ocsp-no-next-update", ocsp: delegated, crlNumber: true, crlAKI: true, wantNotOCSP: []string{"Next Update:"}},
		{name: "ocsp-resp-key-id", ocsp: append(delegated, "-resp_key_id", "-ndays", "1"), crlAKI: true,
			wantNotOCSP: []string{"Responder Id: C ="}, wantOCSP: []string{"Next Update:"}},
		{name: "ocsp-get", ocsp: append(delegated, "-nmin", "5"), get: true, crlNumber: true, crlAKI: true},
		{name: "crl-number-aki", crlNumber: true, crlAKI: true,
			wantCRL: []string{"X509v3 CRL Number", "X509v3 Authority Key Identifier", "Version 2"}},
		{name: "crl-aki-only", crlAKI: true,
			wantCRL: []string{"X509v3 Authority Key Identifier"}, wantNotCRL: []string{"CRL Number"}},
		{name: "crl-v1", wantCRL: []string{"Version 1"}, wantNotCRL: []string{"CRL Number", "Authority Key Identifier"}},
		{name: "ocsp-revoked-signer", ocsp: append(delegated, "-nmin", "60"), crlNumber: true, crlAKI: true, revokedSigner: true},
		{name: "crl-revoked-signer", crlNumber: true, crlAKI: true, revokedSigner: true},
		{name: "crl-pem", crlPEM: true, crlNumber: true, crlAKI: true},
		{name: "crl-idp", crlNumber: true, crlAKI: true, crlIDP: true, target: signature.LevelBLTA,
			wantCRL: []string{"X509v3 Issuing Distribution Point: critical", "Full Name:"}},
		{name: "ocsp-by-ca-key-id", ocsp: []string{"-rsigner", "{ca}", "-rkey", "{cakey}", "-resp_key_id", "-nmin", "60"}, crlNumber: true, crlAKI: true,
			wantNotOCSP: []string{"Responder Id: C ="}},
		{name: "ocsp-responder-checked", ocsp: append(delegated, "-nmin", "60"), responderChecked: true, crlNumber: true, crlAKI: true},
		{name: "ocsp-responder-checked-blta", ocsp: append(delegated, "-nmin", "60"), responderChecked: true, crlNumber: true, crlAKI: true,
			target: signature.LevelBLTA},
		{name: "ocsp-responder-checked-no-dp", ocsp: append(delegated, "-nmin", "60"), responderChecked: true, responderNoDP: true,
			crlNumber: true, crlAKI: true},
	}
	in := pdftest.Classic()
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			crlDir := t.TempDir()
			crlURL := openssltest.ServeFiles(t, crlDir)
			ocspURL, port := "", 0
			if v.ocsp != nil {
				port = openssltest.FreePort(t)
				ocspURL = fmt.Sprintf("http://127.0.0.1:%d", port)
			}
			p := newOSSLPKI(t, ocspURL, crlURL, v.responderChecked, v.responderNoDP)
			for _, db := range []*openssltest.CA{p.caDB, p.rootDB} {
				db.CRLNumber, db.AKI = v.crlNumber, v.crlAKI
			}
			if v.revokedSigner {
				p.caDB = openssltest.NewCA(t, p.ca.cert, p.ca.key)
				p.caDB.Add(p.leader.cert, time.Now().Add(-time.Hour), "keyCompromise")
				p.caDB.Add(p.tsa.cert, time.Time{}, "")
				p.caDB.Add(p.ocsp.cert, time.Time{}, "")
			}
			reason := "keyCompromise" // an entry extension: makes a version 2 CRL
			if !v.crlNumber && !v.crlAKI && !v.crlIDP {
				reason = ""
			}
			p.caDB.Add(p.decoy.cert, time.Now().Add(-2*time.Hour), reason)
			if v.crlIDP {
				p.caDB.IDP, p.rootDB.IDP = crlURL+"/ca.crl", crlURL+"/root.crl"
			}
			for name, db := range map[string]*openssltest.CA{"ca.crl": p.caDB, "root.crl": p.rootDB} {
				crl := db.GenCRL(t)
				if v.crlPEM {
					crl = pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: crl})
				}
				require.NoError(t, os.WriteFile(filepath.Join(crlDir, name), crl, 0o600))
			}
			if v.ocsp != nil {
				files := map[string]string{
					"{ocsp}": openssltest.WritePEM(t, p.caDB.Dir, "ocsp.pem", p.ocsp.cert), "{ocspkey}": openssltest.WriteKey(t, p.caDB.Dir, "ocsp-key.pem", p.ocsp.key),
					"{ca}": p.caDB.CertPath(), "{cakey}": p.caDB.KeyPath(),
				}
				args := []string{"-index", p.caDB.IndexPath(t), "-CA", p.caDB.CertPath()}
				for _, a := range v.ocsp {
					if f, ok := files[a]; ok {
						a = f
					}
					args = append(args, a)
				}
				openssltest.StartOCSPAt(t, p.caDB.Dir, port, args...)
			}
			tsaURL := openssltest.StartTSA(t, openssltest.TSAConfig{Accuracy: true}, p.tsa.cert, p.tsa.key, p.ca.cert)

			checker := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(p.root.cert), Timeout: serviceTimeout,
				OCSPGet: v.get, RequireNonce: v.ocsp != nil && !v.get})
			target := v.target
			if target == "" {
				target = signature.LevelBLT
			}
			lo := &signature.LevelOptions{Target: target, Revocation: checker, Certificates: []*x509.Certificate{p.root.cert},
				Timestamper: &certstatus.TSAClient{URL: tsaURL, Checker: checker, Timeout: serviceTimeout}}
			var out bytes.Buffer
			res, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), p.leader.key,
				[]*x509.Certificate{p.leader.cert, p.ca.cert}, &signature.SignOptions{PSS: true, Reason: "Phê duyệt", Level: lo})
			require.NoError(t, err)
			require.NotNil(t, res.Level)
			assert.Equal(t, target, res.Level.Level)
			if v.revokedSigner {
				assert.Contains(t, strings.Join(res.Level.Warnings, "\n"), "revoked", "the revocation is reported")
			} else {
				assert.Empty(t, res.Level.Warnings)
			}
			v2 := res.Level.Validation
			require.NotNil(t, v2)
			assert.Empty(t, v2.Missing)
			doc := out.Bytes()

			roots := x509.NewCertPool()
			roots.AddCert(p.root.cert)
			rep, err := signature.Verify(context.Background(), bytes.NewReader(doc), int64(len(doc)), &signature.VerifyOptions{Roots: roots, Offline: true})
			require.NoError(t, err)
			want := 1
			if target == signature.LevelBLTA {
				want = 2
			}
			require.Len(t, rep.Signatures, want)
			if v.revokedSigner {
				// Revoked before the signature time-stamp proves the signature existed.
				s := rep.Signatures[0]
				assert.Equal(t, signature.TotalFailed, s.Indication, "%s %+v", s.SubIndication, s.Checks)
				assert.Equal(t, signature.Revoked, s.SubIndication)
				return
			}
			for i, s := range rep.Signatures {
				assert.Equal(t, signature.TotalPassed, s.Indication, "%d: %s %+v", i, s.SubIndication, s.Checks)
				for _, c := range s.Checks {
					assert.NotContains(t, c.MessageEN, "RFC 6960", "%d: the responder's own status is in the DSS", i)
				}
			}
			assert.Equal(t, target, rep.Signatures[0].Level)

			dir := t.TempDir()
			pdfPath := filepath.Join(dir, "signed.pdf")
			require.NoError(t, os.WriteFile(pdfPath, doc, 0o600))
			o, _ := exec.Command("pdfsig", "-nocert", "-no-ocsp", pdfPath).CombinedOutput()
			assert.Equal(t, 1, strings.Count(string(o), "Signature is Valid."), "pdfsig:\n%s", o)

			// What the DSS holds is what openssl served, and openssl accepts it.
			dss := lvReadDSS(t, doc)
			rootPEM := openssltest.WritePEM(t, dir, "root.pem", p.root.cert)
			chainPEM := openssltest.WritePEM(t, dir, "chain.pem", p.ca.cert, p.root.cert)
			// A delegated responder without id-pkix-ocsp-nocheck is used too, its own
			// status vouched for by the CA's CRL (internal/evidence).
			if v.ocsp != nil {
				assert.Len(t, dss.ocsps, 2, "leader and TSA")
			} else {
				assert.Empty(t, dss.ocsps)
			}
			for i, r := range dss.ocsps {
				f := filepath.Join(dir, fmt.Sprintf("ocsp%d.der", i))
				require.NoError(t, os.WriteFile(f, r, 0o600))
				o, err := exec.Command(openssl, "ocsp", "-respin", f, "-CAfile", rootPEM, "-verify_other", chainPEM, "-resp_text", "-noverify").CombinedOutput()
				require.NoError(t, err, "%s", o)
				assert.Contains(t, string(o), "Cert Status: good")
				for _, w := range v.wantOCSP {
					assert.Contains(t, string(o), w)
				}
				for _, w := range v.wantNotOCSP {
					assert.NotContains(t, string(o), w)
				}
				o, err = exec.Command(openssl, "ocsp", "-respin", f, "-CAfile", rootPEM, "-verify_other",
					openssltest.WritePEM(t, dir, "others.pem", p.ca.cert, p.ocsp.cert)).CombinedOutput()
				assert.NoError(t, err, "%s", o)
				assert.Contains(t, string(o), "Response verify OK")
			}
			wantCRLs := 1 // the root's, for the CA
			if v.ocsp == nil || v.responderChecked {
				wantCRLs = 2 // and the CA's, for the leader and the TSA, or for the responder
			}
			assert.Len(t, dss.crls, wantCRLs)
			for i, c := range dss.crls {
				f := filepath.Join(dir, fmt.Sprintf("crl%d.der", i))
				require.NoError(t, os.WriteFile(f, c, 0o600))
				o, err := exec.Command(openssl, "crl", "-inform", "DER", "-in", f, "-noout", "-text", "-CAfile", chainPEM).CombinedOutput()
				assert.NoError(t, err, "%s", o)
				assert.Contains(t, string(o), "verify OK")
				for _, w := range v.wantCRL {
					assert.Contains(t, string(o), w)
				}
				for _, w := range v.wantNotCRL {
					assert.NotContains(t, string(o), w)
				}
			}
		})
	}
}
