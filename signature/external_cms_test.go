package signature_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"sort"
	"testing"
	"time"

	"github.com/digitorus/pkcs7"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// extCMS describes a CMS SignedData built by hand, as a remote signing service that
// returns CMS would, independently of internal/cms.
type extCMS struct {
	key          crypto.Signer
	cert         *x509.Certificate
	chain        []*x509.Certificate // embedded certificates
	md           []byte              // message-digest attribute
	noESS        bool
	essCert      *x509.Certificate // the certificate the ESS attribute names (default cert)
	signingTime  bool
	contentType  asn1.ObjectIdentifier
	encapContent []byte
	breakSig     bool
	noLeaf       bool // leave the signer's certificate out (chain is still embedded)
}

var (
	oidData         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMsgDigest    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidSigningCert2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidSHA256       = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA256RSA    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidECDSA256     = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
)

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := asn1.Marshal(v)
	require.NoError(t, err)
	return b
}

// build encodes the ContentInfo (RFC 5652 §5) with DER signed attributes.
func (e extCMS) build(t testing.TB) []byte {
	t.Helper()
	type attribute struct {
		Type   asn1.ObjectIdentifier
		Values []asn1.RawValue `asn1:"set"`
	}
	raw := func(b []byte) asn1.RawValue { return asn1.RawValue{FullBytes: b} }
	ct := e.contentType
	if ct == nil {
		ct = oidData
	}
	attrs := [][]byte{
		mustMarshal(t, attribute{oidContentType, []asn1.RawValue{raw(mustMarshal(t, ct))}}),
		mustMarshal(t, attribute{oidMsgDigest, []asn1.RawValue{raw(mustMarshal(t, e.md))}}),
	}
	if !e.noESS {
		named := e.essCert
		if named == nil {
			named = e.cert
		}
		h := sha256.Sum256(named.Raw)
		ess := mustMarshal(t, struct{ Certs []struct{ Hash []byte } }{[]struct{ Hash []byte }{{h[:]}}})
		attrs = append(attrs, mustMarshal(t, attribute{oidSigningCert2, []asn1.RawValue{raw(ess)}}))
	}
	if e.signingTime {
		attrs = append(attrs, mustMarshal(t, attribute{oidSigningTime, []asn1.RawValue{raw(mustMarshal(t, time.Now().UTC()))}}))
	}
	sort.Slice(attrs, func(i, j int) bool { return bytes.Compare(attrs[i], attrs[j]) < 0 })
	set := mustMarshal(t, asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: bytes.Join(attrs, nil)})
	digest := sha256.Sum256(set)
	sig, err := e.key.Sign(rand.Reader, digest[:], crypto.SHA256)
	require.NoError(t, err)
	if e.breakSig {
		sig[len(sig)/2] ^= 0xff
	}
	sigAlg := pkix.AlgorithmIdentifier{Algorithm: oidSHA256RSA, Parameters: asn1.NullRawValue}
	if _, ok := e.key.Public().(*ecdsa.PublicKey); ok {
		sigAlg = pkix.AlgorithmIdentifier{Algorithm: oidECDSA256}
	}
	type issuerAndSerial struct {
		Issuer asn1.RawValue
		Serial *big.Int
	}
	type signerInfo struct {
		Version     int
		SID         issuerAndSerial
		DigestAlg   pkix.AlgorithmIdentifier
		SignedAttrs asn1.RawValue
		SigAlg      pkix.AlgorithmIdentifier
		Signature   []byte
	}
	si := signerInfo{
		Version: 1, SID: issuerAndSerial{raw(e.cert.RawIssuer), e.cert.SerialNumber},
		DigestAlg:   pkix.AlgorithmIdentifier{Algorithm: oidSHA256},
		SignedAttrs: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: bytes.Join(attrs, nil)},
		SigAlg:      sigAlg, Signature: sig,
	}
	var certs []byte
	embed := append([]*x509.Certificate{e.cert}, e.chain...)
	if e.noLeaf {
		embed = e.chain
	}
	for _, c := range embed {
		certs = append(certs, c.Raw...)
	}
	encap := mustMarshal(t, struct{ Type asn1.ObjectIdentifier }{oidData})
	if e.encapContent != nil {
		encap = mustMarshal(t, struct {
			Type    asn1.ObjectIdentifier
			Content []byte `asn1:"explicit,tag:0"`
		}{oidData, e.encapContent})
	}
	sd := mustMarshal(t, struct {
		Version      int
		DigestAlgs   []pkix.AlgorithmIdentifier `asn1:"set"`
		Encap        asn1.RawValue
		Certificates asn1.RawValue
		SignerInfos  []signerInfo `asn1:"set"`
	}{1, []pkix.AlgorithmIdentifier{{Algorithm: oidSHA256}}, raw(encap),
		asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: certs}, []signerInfo{si}})
	return mustMarshal(t, struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue
	}{oidSignedData, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sd}})
}

// extCMSFixture prepares a document for the kit's leader and finds the message digest
// the prepared signature covers.
type extCMSFixture struct {
	in      []byte
	prep    *signature.PreparedSignature
	md      []byte
	content []byte
}

func newExtCMSFixture(t *testing.T, k *lvKit, opts *signature.SignOptions) *extCMSFixture {
	t.Helper()
	in := pdftest.Classic()
	prep, err := signature.Prepare(context.Background(), bytes.NewReader(in), int64(len(in)), k.pki.Leader.Chain, opts)
	require.NoError(t, err)
	sig, err := k.pki.Leader.Key.Sign(rand.Reader, prep.Digest, prep.SignerOpts)
	require.NoError(t, err)
	scratch, _, err := completeBytes(in, prep.State, sig, nil)
	require.NoError(t, err)
	content := lvSignatures(t, scratch)[0].content(scratch)
	md := sha256.Sum256(content)
	return &extCMSFixture{in: in, prep: prep, md: md[:], content: content}
}

// TestCompleteExternalCMS completes a prepared signature with a CMS made elsewhere,
// at every level, and checks that pdfsig, openssl and kyso's verifier accept it.
func TestCompleteExternalCMS(t *testing.T) {
	k := newLVKit(t)
	leader := k.pki.Leader
	for _, level := range []signature.Level{signature.LevelBB, signature.LevelBT, signature.LevelBLT, signature.LevelBLTA} {
		t.Run(string(level), func(t *testing.T) {
			f := newExtCMSFixture(t, k, nil)
			der := extCMS{key: leader.Key, cert: leader.Cert, chain: leader.Chain[1:], md: f.md}.build(t)
			var lo *signature.LevelOptions
			if level != signature.LevelBB {
				lo = k.levelOptions(level)
			}
			var out bytes.Buffer
			res, err := signature.Complete(context.Background(), &out, bytes.NewReader(f.in), int64(len(f.in)), f.prep.State, der,
				&signature.CompleteOptions{Level: lo})
			require.NoError(t, err)
			doc := out.Bytes()
			assert.Equal(t, int64(len(doc)), res.Size)
			assert.True(t, bytes.HasPrefix(doc, f.in))
			docTS := 0
			if level == signature.LevelBLTA {
				docTS = 1
				require.NotNil(t, res.Level)
				assert.Equal(t, signature.LevelBLTA, res.Level.Level)
			}
			k.lvExternalChecks(t, doc, 1, docTS, level != signature.LevelBLT)
			rep := k.verify(t, doc, level == signature.LevelBLT || level == signature.LevelBLTA, time.Time{})
			assert.True(t, rep.AllPassed(), "%+v", rep.Signatures)
			assert.Equal(t, level, rep.Signatures[0].Level)
		})
	}
}

func TestCompleteExternalCMSRefusals(t *testing.T) {
	k := newLVKit(t)
	leader, other := k.pki.Leader, k.pki.Deputy
	f := newExtCMSFixture(t, k, nil)
	small := newExtCMSFixture(t, k, &signature.SignOptions{ReserveUnsigned: -1})
	wrongMD := sha256.Sum256([]byte("another document"))
	signingTime, err := pkcs7.NewSignedData(f.content)
	require.NoError(t, err)
	signingTime.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	require.NoError(t, signingTime.AddSigner(leader.Cert, leader.Key.(*rsa.PrivateKey), pkcs7.SignerInfoConfig{}))
	signingTime.Detach()
	withTime, err := signingTime.Finish()
	require.NoError(t, err)
	var many []*x509.Certificate
	for range 40 {
		many = append(many, leader.Chain[1:]...)
	}
	for _, tc := range []struct {
		name   string
		fx     *extCMSFixture
		der    []byte
		want   error
		reason signature.ExternalCMSReason
	}{
		{"another document", f, extCMS{key: leader.Key, cert: leader.Cert, md: wrongMD[:]}.build(t), signature.ErrExternalCMSDigest, signature.CMSDigestMismatch},
		{"another certificate", f, extCMS{key: other.Key, cert: other.Cert, md: f.md}.build(t), signature.ErrExternalCMSCertificate, signature.CMSCertificateMismatch},
		{"signing-time (pkcs7)", f, withTime, signature.ErrExternalCMSAttributes, signature.CMSSigningTime},
		{"signing-time (hand-made)", f, extCMS{key: leader.Key, cert: leader.Cert, md: f.md, signingTime: true}.build(t), signature.ErrExternalCMSAttributes, signature.CMSSigningTime},
		{"no ESS signing-certificate-v2", f, extCMS{key: leader.Key, cert: leader.Cert, md: f.md, noESS: true}.build(t), signature.ErrExternalCMSAttributes, signature.CMSSigningCertificate},
		{"ESS names another certificate", f, extCMS{key: leader.Key, cert: leader.Cert, md: f.md, essCert: other.Cert}.build(t), signature.ErrExternalCMSAttributes, signature.CMSSigningCertificate},
		{"content-type not id-data", f, extCMS{key: leader.Key, cert: leader.Cert, md: f.md, contentType: oidSignedData}.build(t), signature.ErrExternalCMSAttributes, signature.CMSContentType},
		{"signature does not verify", f, extCMS{key: leader.Key, cert: leader.Cert, md: f.md, breakSig: true}.build(t), signature.ErrBadSignatureValue, signature.CMSBadSignature},
		{"encapsulated content", f, extCMS{key: leader.Key, cert: leader.Cert, md: f.md, encapContent: []byte("x")}.build(t), signature.ErrExternalCMS, signature.CMSMalformed},
		{"too large for /Contents", small, extCMS{key: leader.Key, cert: leader.Cert, md: small.md, chain: many}.build(t), signature.ErrContentsTooSmall, signature.CMSTooLarge},
		{"truncated", f, extCMS{key: leader.Key, cert: leader.Cert, md: f.md}.build(t)[:200], signature.ErrExternalCMS, signature.CMSMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := completeBytes(tc.fx.in, tc.fx.prep.State, tc.der, nil)
			require.Error(t, err)
			assert.Empty(t, out, "nothing is written")
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorIs(t, err, signature.ErrExternalCMS)
			var ee *signature.ExternalCMSError
			require.True(t, errors.As(err, &ee))
			assert.Equal(t, tc.reason, ee.Reason)
			assert.Contains(t, err.Error(), " / ", "Vietnamese and English")
		})
	}
	// The same CMS, hand-made but correct, is accepted.
	out, _, err := completeBytes(f.in, f.prep.State, extCMS{key: leader.Key, cert: leader.Cert, chain: leader.Chain[1:], md: f.md}.build(t), nil)
	require.NoError(t, err)
	assert.True(t, k.verify(t, out, false, time.Time{}).AllPassed())
}

// TestCompleteExternalCMSTimestampAndCertificates: an external CMS must carry the
// signer's certificate, and a signature time-stamp it brings must time-stamp its own
// signature value; otherwise kyso's verifier would reject what Complete wrote. A CMS
// with its own correct time-stamp is kept as it is and verifies at B-T.
func TestCompleteExternalCMSTimestampAndCertificates(t *testing.T) {
	k := newLVKit(t)
	leader := k.pki.Leader
	f := newExtCMSFixture(t, k, nil)
	good := extCMS{key: leader.Key, cert: leader.Cert, chain: leader.Chain[1:], md: f.md}.build(t)

	other, _ := k.sign(t, pdftest.Classic(), k.levelOptions(signature.LevelBT))
	osd, err := cms.Parse(lvSignatures(t, other)[0].der)
	require.NoError(t, err)
	foreignTST, ok := osd.Signers[0].SignatureTimeStampToken()
	require.True(t, ok)
	foreign, err := cms.AddUnsignedAttribute(good, 0, cms.OIDAttributeTimeStampToken, foreignTST)
	require.NoError(t, err)

	sd, err := cms.Parse(good)
	require.NoError(t, err)
	digest := sha256.Sum256(sd.Signers[0].Signature)
	ownTST, err := k.tsa.Timestamp(context.Background(), digest[:], crypto.SHA256)
	require.NoError(t, err)
	broken := bytes.Clone(ownTST)
	broken[len(broken)-10] ^= 0xff // the TSA's signature value
	brokenTS, err := cms.AddUnsignedAttribute(good, 0, cms.OIDAttributeTimeStampToken, broken)
	require.NoError(t, err)

	for _, tc := range []struct {
		name   string
		der    []byte
		want   error
		reason signature.ExternalCMSReason
	}{
		{"no certificate embedded", extCMS{key: leader.Key, cert: leader.Cert, md: f.md, noLeaf: true}.build(t), signature.ErrExternalCMSCertificate, signature.CMSCertificateMissing},
		{"only the issuers embedded", extCMS{key: leader.Key, cert: leader.Cert, md: f.md, noLeaf: true, chain: leader.Chain[1:]}.build(t), signature.ErrExternalCMSCertificate, signature.CMSCertificateMissing},
		{"time-stamp of another signature", foreign, signature.ErrExternalCMSAttributes, signature.CMSTimestamp},
		{"time-stamp whose signature is broken", brokenTS, signature.ErrExternalCMSAttributes, signature.CMSTimestamp},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := completeBytes(f.in, f.prep.State, tc.der, nil)
			require.Error(t, err)
			assert.Empty(t, out, "nothing is written")
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorIs(t, err, signature.ErrExternalCMS)
			var ee *signature.ExternalCMSError
			require.True(t, errors.As(err, &ee))
			assert.Equal(t, tc.reason, ee.Reason)
			assert.Contains(t, err.Error(), " / ")
		})
	}

	own, err := cms.AddUnsignedAttribute(good, 0, cms.OIDAttributeTimeStampToken, ownTST)
	require.NoError(t, err)
	out, _, err := completeBytes(f.in, f.prep.State, own, nil)
	require.NoError(t, err)
	rep := k.verify(t, out, false, time.Time{})
	assert.True(t, rep.AllPassed(), "%+v", rep.Signatures)
	assert.Equal(t, signature.LevelBT, rep.Signatures[0].Level, "the CMS's own time-stamp was kept")
}

// TestCompleteExternalCMSTimestampWithoutTSACertificate: a signing service whose TSA
// was asked without certReq returns a CMS whose signature time-stamp carries no
// certificate. Complete completes the token with the TSA certificate found in the CMS
// or in CompleteOptions.Level.Certificates, so that it verifies at B-T; with the
// certificate nowhere, the CMS is refused (its time-stamp could not be checked).
func TestCompleteExternalCMSTimestampWithoutTSACertificate(t *testing.T) {
	k := newLVKit(t)
	leader := k.pki.Leader
	f := newExtCMSFixture(t, k, nil)
	good := extCMS{key: leader.Key, cert: leader.Cert, chain: leader.Chain[1:], md: f.md}.build(t)
	sd, err := cms.Parse(good)
	require.NoError(t, err)
	digest := sha256.Sum256(sd.Signers[0].Signature)
	k.pki.SetTSA(certstatustest.TSANoCertificates)
	bare, err := k.pki.Timestamp(digest[:], crypto.SHA256, nil)
	k.pki.SetTSA(certstatustest.TSANormal)
	require.NoError(t, err)
	tst, err := cms.ParseTimeStampToken(bare)
	require.NoError(t, err)
	require.Empty(t, tst.SignedData.Certificates)
	withBare, err := cms.AddUnsignedAttribute(good, 0, cms.OIDAttributeTimeStampToken, bare)
	require.NoError(t, err)
	// The same, with the TSA certificate in the CMS's own certificates.
	tsaInCMS, err := cms.AddCertificates(withBare, []*x509.Certificate{k.pki.TSA.Cert})
	require.NoError(t, err)

	complete := func(der []byte, certs []*x509.Certificate) ([]byte, error) {
		var out bytes.Buffer
		opts := &signature.CompleteOptions{}
		if certs != nil {
			opts.Level = &signature.LevelOptions{Target: signature.LevelBT, Timestamper: k.tsa, Certificates: certs}
		}
		_, err := signature.Complete(context.Background(), &out, bytes.NewReader(f.in), int64(len(f.in)), f.prep.State, der, opts)
		return out.Bytes(), err
	}
	t.Run("nowhere", func(t *testing.T) {
		out, err := complete(withBare, nil)
		require.ErrorIs(t, err, signature.ErrExternalCMSAttributes)
		var ee *signature.ExternalCMSError
		require.True(t, errors.As(err, &ee))
		assert.Equal(t, signature.CMSTimestamp, ee.Reason)
		assert.Empty(t, out)
	})
	for name, c := range map[string]struct {
		der   []byte
		certs []*x509.Certificate
	}{
		"in the CMS":                            {tsaInCMS, nil},
		"in CompleteOptions.Level.Certificates": {withBare, []*x509.Certificate{k.pki.Root.Cert, k.pki.TSA.Cert, k.pki.CA.Cert}},
	} {
		t.Run(name, func(t *testing.T) {
			out, err := complete(c.der, c.certs)
			require.NoError(t, err)
			rep := k.verify(t, out, false, time.Time{})
			require.Len(t, rep.Signatures, 1)
			assert.Equal(t, signature.TotalPassed, rep.Signatures[0].Indication, "%+v", rep.Signatures[0].Checks)
			assert.Equal(t, signature.LevelBT, rep.Signatures[0].Level, "the CMS's own time-stamp was kept")
			osd, err := cms.Parse(lvSignatures(t, out)[0].der)
			require.NoError(t, err)
			tok, ok := osd.Signers[0].SignatureTimeStampToken()
			require.True(t, ok)
			full, err := cms.ParseTimeStampToken(tok)
			require.NoError(t, err)
			_, err = full.Check(nil, nil)
			assert.NoError(t, err, "the token carries its TSA certificate")
			assert.Equal(t, tst.SignedData.Signers[0].Signature, full.SignedData.Signers[0].Signature, "the TSA's token, not a new one")
		})
	}
}
