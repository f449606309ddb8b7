package signature_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/openssltest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// osslTSAVariant is one configuration of "openssl ts -reply" as the time-stamping
// authority, and how kyso asks it.
type osslTSAVariant struct {
	name string
	openssltest.TSAConfig
	// ecdsa gives the TSA a P-256 key instead of RSA.
	ecdsa bool
	// noCertReq asks without certReq: openssl then leaves every certificate out
	// (plainClient always asks without, unless certReq).
	noCertReq, certReq bool
	// plainClient asks with plainTimestamper (no certReq, no checks) instead of
	// certstatus.TSAClient: kyso's signing path must complete and check the token
	// itself, with the certificates of LevelOptions.
	plainClient bool
	// allLevels signs at B-T, B-LT and B-LTA; otherwise at B-T and B-LTA (which
	// includes B-LT's DSS), to keep the test short.
	allLevels bool
}

// osslTSA is an RFC 3161 server on 127.0.0.1 whose every answer "openssl ts -reply"
// makes: a time-stamping authority we did not write.
type osslTSA struct {
	URL    string
	holder *certstatustest.Holder
}

// osslTSATemplate is the TSA certificate: the critical timeStamping usage only.
func osslTSATemplate(name string) *x509.Certificate {
	eku, _ := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})
	return &x509.Certificate{
		RawSubject: certstatustest.Name(certstatustest.C("VN"), certstatustest.O("Ban Cơ yếu Chính phủ"),
			certstatustest.CN("TSA OpenSSL "+name)),
		KeyUsage:        x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: eku}},
	}
}

// startOpenSSLTSA issues a TSA certificate from the kit's CA for v and serves "openssl
// ts -reply" with it on 127.0.0.1.
func startOpenSSLTSA(t *testing.T, k *lvKit, v osslTSAVariant) *osslTSA {
	t.Helper()
	var h *certstatustest.Holder
	var err error
	if v.ecdsa {
		key, kerr := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, kerr)
		h, err = k.pki.IssueWithKey("tsa-"+v.name, osslTSATemplate(v.name), key.Public(), key)
	} else {
		h, err = k.pki.Issue("tsa-"+v.name, osslTSATemplate(v.name))
	}
	require.NoError(t, err)
	return &osslTSA{URL: openssltest.StartTSA(t, v.TSAConfig, h.Cert, h.Key, k.pki.CA.Cert), holder: h}
}

// plainTimestamper is a minimal RFC 3161 client that checks nothing: a Timestamper
// that is not certstatus's. It asks for the TSA's certificate only with certReq.
type plainTimestamper struct {
	url     string
	certReq bool
}

func (p plainTimestamper) Timestamp(ctx context.Context, digest []byte, h crypto.Hash) ([]byte, error) {
	oid := map[crypto.Hash]asn1.ObjectIdentifier{
		crypto.SHA256: {2, 16, 840, 1, 101, 3, 4, 2, 1}, crypto.SHA384: {2, 16, 840, 1, 101, 3, 4, 2, 2},
		crypto.SHA512: {2, 16, 840, 1, 101, 3, 4, 2, 3}}[h]
	type imprint struct {
		Alg    pkix.AlgorithmIdentifier
		Digest []byte
	}
	req, err := asn1.Marshal(struct {
		Version        int
		MessageImprint imprint
		CertReq        bool `asn1:"optional"`
	}{Version: 1, MessageImprint: imprint{pkix.AlgorithmIdentifier{Algorithm: oid, Parameters: asn1.NullRawValue}, digest}, CertReq: p.certReq})
	if err != nil {
		return nil, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(req))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/timestamp-query")
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("TSA: HTTP %d: %s", resp.StatusCode, body)
	}
	return certstatus.ParseTimestampResponse(body)
}

// TestSignWithOpenSSLTSA signs at B-T, B-LT and B-LTA with time-stamps that "openssl
// ts -reply" makes, in the shapes other TSAs answer: ESS signing-certificate v1 and
// v2, with and without the certificates (certReq), with and without accuracy,
// ordering and a TSA name, fractional genTime, ECDSA. kyso's verifier must find every
// result TOTAL_PASSED (offline from the DSS at B-LT and B-LTA), and pdfsig, qpdf and
// openssl must accept it.
func TestSignWithOpenSSLTSA(t *testing.T) {
	lvTool(t, "openssl")
	k := newLVKit(t)
	in := pdftest.Classic()
	variants := []osslTSAVariant{
		{name: "ess-v2", allLevels: true, TSAConfig: openssltest.TSAConfig{Accuracy: true, Ordering: true, TSAName: true}},
		{name: "ess-v1", TSAConfig: openssltest.TSAConfig{ESSv1: true, Accuracy: true}},
		{name: "no-certreq", noCertReq: true, allLevels: true},
		{name: "no-certreq-ess-v1", noCertReq: true, TSAConfig: openssltest.TSAConfig{ESSv1: true}},
		{name: "bare"},
		{name: "fractions-chain", TSAConfig: openssltest.TSAConfig{Fractions: true, ESSChain: true, Accuracy: true, TSAName: true}},
		{name: "ecdsa", ecdsa: true, TSAConfig: openssltest.TSAConfig{Ordering: true}},
		{name: "sha512", TSAConfig: openssltest.TSAConfig{Digest: "sha512", Accuracy: true}},
		{name: "plain-client", plainClient: true, noCertReq: true, allLevels: true, TSAConfig: openssltest.TSAConfig{Accuracy: true}},
		{name: "plain-client-ess-v1-ecdsa", plainClient: true, noCertReq: true, ecdsa: true, TSAConfig: openssltest.TSAConfig{ESSv1: true}},
		// With certReq but no chain configured, openssl sends the TSA certificate alone.
		{name: "no-chain", allLevels: true, TSAConfig: openssltest.TSAConfig{NoChain: true}},
		{name: "plain-client-no-chain", plainClient: true, certReq: true, TSAConfig: openssltest.TSAConfig{NoChain: true}},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			tsa := startOpenSSLTSA(t, k, v)
			var client signature.Timestamper
			// The trust anchor and, for a token without certificates, where the TSA's
			// certificate and its issuer are to be found.
			certs := []*x509.Certificate{k.pki.Root.Cert}
			if v.plainClient {
				client = plainTimestamper{url: tsa.URL, certReq: v.certReq}
				certs = append(certs, tsa.holder.Cert, k.pki.CA.Cert)
			} else {
				c := &certstatus.TSAClient{URL: tsa.URL, Checker: k.checker, Timeout: serviceTimeout, NoCertReq: v.noCertReq}
				if v.noCertReq {
					c.Certificates = []*x509.Certificate{tsa.holder.Cert, k.pki.CA.Cert}
				}
				client = c
			}
			targets := []signature.Level{signature.LevelBT, signature.LevelBLTA}
			if v.allLevels {
				targets = []signature.Level{signature.LevelBT, signature.LevelBLT, signature.LevelBLTA}
			}
			for _, target := range targets {
				t.Run(string(target), func(t *testing.T) {
					lo := &signature.LevelOptions{Target: target, Timestamper: client, Revocation: k.checker, Certificates: certs}
					out, res := k.sign(t, in, lo)
					require.NotNil(t, res.Level)
					assert.Equal(t, target, res.Level.Level)
					assert.Empty(t, res.Level.Warnings)
					assert.Equal(t, tsa.holder.Cert.Subject.CommonName, res.Level.TSA)

					docTS := 0
					if target == signature.LevelBLTA {
						docTS = 1
					}
					rep := k.verify(t, out, target != signature.LevelBT, time.Time{})
					require.Len(t, rep.Signatures, 1+docTS)
					for i, s := range rep.Signatures {
						assert.Equal(t, signature.TotalPassed, s.Indication, "%d: %s %+v", i, s.SubIndication, s.Checks)
					}
					assert.Equal(t, target, rep.Signatures[0].Level)
					assert.True(t, rep.Signatures[0].TimeProven)
					k.lvExternalChecks(t, out, 1, docTS, target != signature.LevelBLT)
					osslCheckTokens(t, out, v, k.pki.CA.Cert)
				})
			}
		})
	}
}

// TestSignRefusesOpenSSLSHA1Token: a TSA that signs its tokens with SHA-1 gives no
// usable time-stamp (the algorithm policy); signing fails with ErrTimestamp, whether
// the client is certstatus's or another.
func TestSignRefusesOpenSSLSHA1Token(t *testing.T) {
	lvTool(t, "openssl")
	k := newLVKit(t)
	tsa := startOpenSSLTSA(t, k, osslTSAVariant{name: "sha1", TSAConfig: openssltest.TSAConfig{Digest: "sha1"}})
	in := pdftest.Classic()
	for name, client := range map[string]signature.Timestamper{
		"certstatus": &certstatus.TSAClient{URL: tsa.URL, Checker: k.checker, Timeout: serviceTimeout},
		"plain":      plainTimestamper{url: tsa.URL},
	} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), k.pki.Leader.Key, k.pki.Leader.Chain,
				&signature.SignOptions{Level: &signature.LevelOptions{Target: signature.LevelBT, Timestamper: client,
					Certificates: []*x509.Certificate{k.pki.Root.Cert, tsa.holder.Cert, k.pki.CA.Cert}}})
			require.ErrorIs(t, err, signature.ErrTimestamp)
			assert.Contains(t, err.Error(), "SHA-1")
		})
	}
}

// osslCheckTokens checks that the tokens in doc are openssl's, in the variant's shape,
// and carry the TSA certificate (kyso adds it where the TSA left it out).
func osslCheckTokens(t *testing.T, doc []byte, v osslTSAVariant, ca *x509.Certificate) {
	t.Helper()
	for _, s := range lvSignatures(t, doc) {
		tokDER := s.der
		if sd, err := cms.Parse(s.der); err == nil && !sd.ContentType.Equal(cms.OIDTSTInfo) {
			tok, ok := sd.Signers[0].SignatureTimeStampToken()
			require.True(t, ok, "no signature time-stamp")
			tokDER = tok
		}
		tok, err := cms.ParseTimeStampToken(tokDER)
		require.NoError(t, err)
		assert.True(t, tok.Info.Policy.Equal(asn1.ObjectIdentifier{1, 2, 3, 4, 1}), "policy %v", tok.Info.Policy)
		assert.Equal(t, v.Ordering, tok.Info.Ordering)
		if v.Accuracy {
			assert.Equal(t, openssltest.AccuracyValue, tok.Info.Accuracy)
		} else {
			assert.Zero(t, tok.Info.Accuracy)
		}
		_, err = tok.SignedData.SignerCertificate(tok.SignedData.Signers[0])
		assert.NoError(t, err, "the TSA certificate must be in the token")
		assert.True(t, slices.ContainsFunc(tok.SignedData.Certificates, ca.Equal), "and its issuing CA")
		_, err = tok.Check(nil, nil)
		assert.NoError(t, err)
	}
}

// TestExtendForeignTokenWithoutTSACertificate: a document another tool signed at B-T
// with a token whose TSA left its certificate out (a request without certReq) is
// brought to B-LTA by Extend with openssl's TSA asked the same way. Extend must find
// the TSA certificate among ExtendOptions.Certificates, put it and its revocation
// data into the DSS, and complete the new document time-stamp.
func TestExtendForeignTokenWithoutTSACertificate(t *testing.T) {
	openssl := lvTool(t, "openssl")
	k := newLVKit(t)
	tsa := startOpenSSLTSA(t, k, osslTSAVariant{name: "foreign", TSAConfig: openssltest.TSAConfig{Accuracy: true}})
	plain := plainTimestamper{url: tsa.URL}
	in := pdftest.Classic()
	bb, _ := k.sign(t, in, nil)

	// Another tool's B-T: the bare token over the signature value goes into the
	// /Contents as it came.
	sigs := lvSignatures(t, bb)
	require.Len(t, sigs, 1)
	sd, err := cms.Parse(sigs[0].der)
	require.NoError(t, err)
	d := crypto.SHA256.New()
	d.Write(sd.Signers[0].Signature)
	tok, err := plain.Timestamp(context.Background(), d.Sum(nil), crypto.SHA256)
	require.NoError(t, err)
	bare, err := cms.ParseTimeStampToken(tok)
	require.NoError(t, err)
	require.Empty(t, bare.SignedData.Certificates, "openssl leaves the certificates out without certReq")
	withTok, err := cms.AddUnsignedAttribute(sigs[0].der, 0, cms.OIDAttributeTimeStampToken, tok)
	require.NoError(t, err)
	bt := bytes.Clone(bb)
	hole := bt[sigs[0].br[0]+sigs[0].br[1]+1 : sigs[0].br[2]-1]
	enc := []byte(strings.ToUpper(fmt.Sprintf("%x", withTok)))
	require.Less(t, len(enc), len(hole))
	copy(hole, enc)
	for i := len(enc); i < len(hole); i++ {
		hole[i] = '0'
	}

	certs := []*x509.Certificate{k.pki.Root.Cert, tsa.holder.Cert, k.pki.CA.Cert}
	out, res := k.extend(t, bt, func(o *signature.ExtendOptions) {
		o.Timestamper = plain
		o.Certificates = certs
	})
	assert.Empty(t, res.Missing)
	require.NotNil(t, res.DocTimestamp)
	assert.Equal(t, tsa.holder.Cert.Subject.CommonName, res.DocTimestamp.TSA)
	dss := lvReadDSS(t, out)
	inDSS := func(c *x509.Certificate) bool {
		for _, d := range dss.certs {
			if bytes.Equal(d, c.Raw) {
				return true
			}
		}
		return false
	}
	assert.True(t, inDSS(tsa.holder.Cert), "the TSA certificate the token left out goes into the DSS")
	assert.True(t, inDSS(k.pki.Leader.Cert))
	// leader and TSA: one OCSP response each (the CA's status comes from the root's CRL).
	assert.GreaterOrEqual(t, len(dss.ocsps), 2)

	// The signature time-stamp as the other tool left it verifies in openssl with the
	// certificates from the DSS; the new document time-stamp verifies on its own.
	dir := t.TempDir()
	tokPath := filepath.Join(dir, "tst.der")
	valPath := filepath.Join(dir, "sigvalue")
	require.NoError(t, os.WriteFile(tokPath, tok, 0o600))
	require.NoError(t, os.WriteFile(valPath, sd.Signers[0].Signature, 0o600))
	var dssPEM []*x509.Certificate
	for _, d := range dss.certs {
		c, err := x509.ParseCertificate(d)
		require.NoError(t, err)
		dssPEM = append(dssPEM, c)
	}
	o, err := exec.Command(openssl, "ts", "-verify", "-data", valPath, "-in", tokPath, "-token_in",
		"-CAfile", lvWritePEM(t, dir, "root.pem", k.pki.Root.Cert), "-untrusted", lvWritePEM(t, dir, "dss.pem", dssPEM...)).CombinedOutput()
	assert.NoError(t, err, "openssl ts -verify with the DSS certificates:\n%s", o)
	pdfPath := filepath.Join(dir, "out.pdf")
	require.NoError(t, os.WriteFile(pdfPath, out, 0o600))
	o, _ = exec.Command(lvTool(t, "pdfsig"), "-nocert", "-no-ocsp", pdfPath).CombinedOutput()
	assert.Equal(t, 1, strings.Count(string(o), "Signature is Valid."), "pdfsig:\n%s", o)
	assert.Equal(t, 2, strings.Count(string(o), "Signed Ranges:"), "pdfsig:\n%s", o)
	sigs = lvSignatures(t, out)
	require.Len(t, sigs, 2)
	docTok, err := cms.ParseTimeStampToken(sigs[1].der)
	require.NoError(t, err)
	_, err = docTok.Check(nil, nil)
	assert.NoError(t, err, "the new document time-stamp carries its TSA certificate")

	// Renewing the archive later with only the root at hand: the TSA certificate the
	// first token leaves out is found in the DSS, and its status renewed.
	client := &certstatus.TSAClient{URL: tsa.URL, Checker: k.checker, Timeout: serviceTimeout}
	again, res2 := k.extend(t, out, func(o *signature.ExtendOptions) { o.Timestamper = client })
	assert.Empty(t, res2.Missing)
	for _, w := range res2.Warnings {
		assert.NotContains(t, w, "TSA", "the TSA certificate is in the DSS")
	}
	assert.Len(t, res2.VRI, 2, "the signature and the first document time-stamp")
	repAgain := k.verify(t, again, true, time.Time{})
	require.Len(t, repAgain.Signatures, 3)
	for i, s := range repAgain.Signatures {
		assert.Equal(t, signature.TotalPassed, s.Indication, "%d: %s %+v", i, s.SubIndication, s.Checks)
	}

	rep := k.verify(t, out, true, time.Time{})
	require.Len(t, rep.Signatures, 2)
	// The signature's time-stamp is verified with the TSA certificate from the DSS.
	for i, s := range rep.Signatures {
		assert.Equal(t, signature.TotalPassed, s.Indication, "%d: %s %+v", i, s.SubIndication, s.Checks)
	}
	assert.Equal(t, signature.LevelBLTA, rep.Signatures[0].Level)
	assert.True(t, rep.Signatures[0].TimeProven)
}
