package kyso_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

var (
	pkiOnce sync.Once
	pkiErr  error
	testPKI *certstatustest.PKI
)

// sharedPKI is one test PKI for the package's tests (RSA key generation is slow);
// tests that revoke or change it make their own.
func sharedPKI(t *testing.T) *certstatustest.PKI {
	t.Helper()
	pkiOnce.Do(func() { testPKI, pkiErr = certstatustest.NewServer(certstatustest.Options{}) })
	require.NoError(t, pkiErr)
	return testPKI
}

func TestMain(m *testing.M) {
	m.Run()
	if testPKI != nil {
		testPKI.Close()
	}
}

func quangNinh(t *testing.T) *policy.Engine {
	t.Helper()
	profile, err := policy.BuiltinProfiles().Lookup("quang-ninh")
	require.NoError(t, err)
	e, err := policy.New(policy.Options{Profile: profile})
	require.NoError(t, err)
	return e
}

func signer(h *certstatustest.Holder) kyso.Signer { return kyso.NewSigner(h.Key, h.Chain...) }

func sign(t *testing.T, in []byte, s kyso.Signer, opts *kyso.SignOptions) ([]byte, error) {
	t.Helper()
	var out bytes.Buffer
	_, err := kyso.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), s, opts)
	if err != nil {
		assert.Zero(t, out.Len(), "nothing written on an error")
		return nil, err
	}
	return out.Bytes(), nil
}

func verify(t *testing.T, doc []byte, opts *kyso.VerifyOptions) *signature.Report {
	t.Helper()
	rep, err := kyso.Verify(context.Background(), bytes.NewReader(doc), int64(len(doc)), opts)
	require.NoError(t, err)
	return rep
}

// TestCertificateKind: the one rule gives the test PKI's organisation certificate
// (CN in upper case, with an e-mail address) the organisation kind, its people the
// individual kind, its SSL certificate and CAs the device kind — and the verification
// report names the same kind for every signer.
func TestCertificateKind(t *testing.T) {
	pki := sharedPKI(t)
	for _, tc := range []struct {
		h    *certstatustest.Holder
		want policy.CertificateKind
	}{
		{pki.Leader, policy.CertIndividual},
		{pki.Deputy, policy.CertIndividual},
		{pki.Clerk, policy.CertIndividual},
		{pki.Org, policy.CertOrganisation},
		{pki.Device, policy.CertDevice},
		{pki.TSA, policy.CertDevice},
		{pki.CA, policy.CertDevice},
	} {
		assert.Equal(t, tc.want, kyso.CertificateKind(tc.h.Cert), tc.h.Name)
	}
	assert.Equal(t, policy.CertIndividual, kyso.CertificateKind(nil))

	doc := signaturetest.SamplePDF()
	for _, h := range []*certstatustest.Holder{pki.Leader, pki.Clerk, pki.Org} {
		var err error
		doc, err = sign(t, doc, signer(h), nil)
		require.NoError(t, err)
	}
	rep := verify(t, doc, &kyso.VerifyOptions{Trust: certstatus.NewTrustStore(pki.Root.Cert)})
	require.Len(t, rep.Signatures, 3)
	for _, s := range rep.Signatures {
		require.NotNil(t, s.Signer)
		assert.Equal(t, string(kyso.CertificateKind(s.Certificate)), s.Signer.Kind, "report and policy agree on %s", s.Signer.CommonName)
		assert.Equal(t, signature.TotalPassed, s.Indication, s.SubIndication)
	}
}

func TestCertificateStatus(t *testing.T) {
	for s, want := range map[certstatus.Status]policy.CertificateStatus{
		certstatus.StatusGood:         policy.StatusGood,
		certstatus.StatusRevokedLater: policy.StatusGood,
		certstatus.StatusRevoked:      policy.StatusRevoked,
		certstatus.StatusSuspended:    policy.StatusSuspended,
		certstatus.StatusUnknown:      policy.StatusUnknown,
	} {
		assert.Equal(t, want, kyso.CertificateStatus(s), s.String())
	}
}

// TestLeaderThenClerk: the same policy options for both steps (only the role
// differs), verification of the existing signatures included: the leader's step on an
// unsigned document needs no verification (no "the document has no signature"), the
// clerk's seal is refused before the leader's signature and allowed after it, and
// refused over a leader's signature that no longer verifies.
func TestLeaderThenClerk(t *testing.T) {
	pki := sharedPKI(t)
	engine := quangNinh(t)
	check := &kyso.VerifyOptions{Trust: certstatus.NewTrustStore(pki.Root.Cert), Offline: true, AllowMissingRevocation: true}
	var decisions []policy.Decision
	opts := func(role policy.Role) *kyso.SignOptions {
		return &kyso.SignOptions{Policy: &kyso.Policy{Engine: engine, Facts: policy.Request{Role: role}, Verify: check,
			Decided: func(d policy.Decision) { decisions = append(decisions, d) }}}
	}
	unsigned := signaturetest.SamplePDF()

	_, err := sign(t, unsigned, signer(pki.Org), opts(policy.RoleClerk))
	require.Error(t, err)
	assert.ErrorIs(t, err, signature.ErrPolicyRefused)
	assert.ErrorIs(t, err, policy.ErrRefused)
	var ref *policy.RefusalError
	require.ErrorAs(t, err, &ref)
	assert.Equal(t, []string{policy.RuleOrgSealAfterAuthority}, ref.Decision.RuleIDs(policy.OutcomeViolated))

	leader, err := sign(t, unsigned, signer(pki.Leader), opts(policy.RoleAuthority))
	require.NoError(t, err, "no signature to verify is not an error")
	sealed, err := sign(t, leader, signer(pki.Org), opts(policy.RoleClerk))
	require.NoError(t, err)
	require.Len(t, decisions, 3)
	assert.Equal(t, policy.PlacementSigner, decisions[1].Placement)
	assert.Equal(t, policy.PlacementSeal, decisions[2].Placement)
	assert.NotContains(t, decisions[2].RuleIDs(policy.OutcomeWarning), policy.RuleOrgSealAfterAuthority,
		"the leader's signature was verified: %s", decisions[2].English())
	assert.Contains(t, decisions[2].RuleIDs(policy.OutcomeWarning), policy.RuleCertificateValid, "offline: the seal's own status is unchecked")

	// Online, the signer's own certificate status is checked too: no warning at all.
	online := &kyso.VerifyOptions{Trust: check.Trust}
	onlineOpts := &kyso.SignOptions{Policy: &kyso.Policy{Engine: engine, Facts: policy.Request{Role: policy.RoleClerk}, Verify: online,
		Decided: func(d policy.Decision) { decisions = append(decisions, d) }}}
	_, err = sign(t, leader, signer(pki.Org), onlineOpts)
	require.NoError(t, err)
	assert.Empty(t, decisions[3].RuleIDs(policy.OutcomeWarning), decisions[3].English())

	rep := verify(t, sealed, check)
	require.Len(t, rep.Signatures, 2)
	for _, s := range rep.Signatures {
		assert.Equal(t, signature.TotalPassed, s.Indication, "%s: %s", s.Field, s.SubIndication)
	}

	// A leader's signature whose signed bytes changed is no basis for the seal.
	i := bytes.Index(leader, []byte("kyso sample document"))
	require.Positive(t, i)
	tampered := bytes.Clone(leader)
	tampered[i] = 'K'
	_, err = sign(t, tampered, signer(pki.Org), opts(policy.RoleClerk))
	require.ErrorAs(t, err, &ref)
	assert.Contains(t, ref.Decision.RuleIDs(policy.OutcomeViolated), policy.RuleOrgSealAfterAuthority)
}

// TestPolicyRequest: the request built for a signature lists the document's
// signatures with the verification's verdicts (by field) and the caller's facts (by
// order, which win).
func TestPolicyRequest(t *testing.T) {
	pki := sharedPKI(t)
	now := time.Now()
	p := &kyso.Policy{Engine: quangNinh(t), Facts: policy.Request{Role: policy.RoleClerk}}
	info := signature.SigningInfo{Chain: pki.Org.Chain, Time: now, Existing: []signature.ExistingSignature{
		{Field: "Lãnh đạo", Kind: signature.KindSignature, Signer: pki.Leader.Cert, Time: now.Add(-2 * time.Minute)},
		{Field: "Lỗi", Kind: signature.KindSignature, Err: errors.New("bad CMS")},
		{Field: "DocTimeStamp1", Kind: signature.KindDocTimestamp, Time: now.Add(-time.Minute)},
	}}
	req, err := p.Request(info, nil)
	require.NoError(t, err)
	assert.Equal(t, policy.CertOrganisation, req.Certificate.Kind)
	assert.Equal(t, policy.DocAdministrative, req.Document.Kind, "the default document kind")
	assert.True(t, req.Time.Equal(now))
	leaderFacts := policy.Certificate{Kind: policy.CertIndividual, Title: "Chủ tịch", NotBefore: pki.Leader.Cert.NotBefore, NotAfter: pki.Leader.Cert.NotAfter}
	want := []policy.ExistingSignature{
		{Order: 1, Time: now.Add(-2 * time.Minute), Certificate: leaderFacts},
		{Order: 2, Indication: policy.IndicationTotalFailed, Certificate: policy.Certificate{Kind: policy.CertIndividual}},
		{Order: 3, Kind: policy.KindDocTimestamp, Time: now.Add(-time.Minute)},
	}
	if d := cmp.Diff(want, req.Existing); d != "" {
		t.Errorf("unverified (-want +got):\n%s", d)
	}

	verified := &signature.Report{Signatures: []signature.SignatureReport{
		{Field: "Lãnh đạo", Indication: signature.Indeterminate, SubIndication: signature.Revoked},
		{Field: "Lỗi", Indication: signature.TotalPassed},
	}}
	req, err = p.Request(info, verified)
	require.NoError(t, err)
	assert.Equal(t, policy.IndicationIndeterminate, req.Existing[0].Indication)
	assert.Equal(t, policy.StatusRevoked, req.Existing[0].Certificate.Status)
	assert.Equal(t, policy.IndicationTotalFailed, req.Existing[1].Indication, "an unreadable signer stays failed")

	p.Facts.Existing = []policy.ExistingSignature{{Order: 1, Certificate: policy.Certificate{Status: policy.StatusGood, Title: "Phó Chủ tịch"},
		Indication: policy.IndicationTotalPassed, Markers: []policy.AuthorityMarker{policy.MarkerOnBehalfOf}}}
	req, err = p.Request(info, verified)
	require.NoError(t, err)
	assert.Equal(t, policy.IndicationTotalPassed, req.Existing[0].Indication, "the caller's fact wins")
	assert.Equal(t, policy.StatusGood, req.Existing[0].Certificate.Status)
	assert.Equal(t, "Phó Chủ tịch", req.Existing[0].Certificate.Title)
	assert.Equal(t, []policy.AuthorityMarker{policy.MarkerOnBehalfOf}, req.Existing[0].Markers)

	p.Facts.Existing = []policy.ExistingSignature{{Order: 4}}
	_, err = p.Request(info, nil)
	assert.ErrorIs(t, err, kyso.ErrPolicyFacts)
	_, err = p.Request(signature.SigningInfo{}, nil)
	assert.ErrorIs(t, err, kyso.ErrPolicyFacts)
}

// TestSignedDocument: the policy facts of a signed document, for the sequence check.
func TestSignedDocument(t *testing.T) {
	pki := sharedPKI(t)
	doc, err := sign(t, signaturetest.SamplePDF(), signer(pki.Leader), nil)
	require.NoError(t, err)
	doc, err = sign(t, doc, signer(pki.Org), nil)
	require.NoError(t, err)
	sd, rep, err := kyso.SignedDocument(context.Background(), bytes.NewReader(doc), int64(len(doc)),
		policy.Document{Kind: policy.DocAdministrative}, &kyso.VerifyOptions{Trust: certstatus.NewTrustStore(pki.Root.Cert)})
	require.NoError(t, err)
	require.Len(t, rep.Signatures, 2)
	require.Len(t, sd.Signatures, 2)
	assert.Equal(t, policy.CertIndividual, sd.Signatures[0].Certificate.Kind)
	assert.Equal(t, policy.CertOrganisation, sd.Signatures[1].Certificate.Kind)
	for i, s := range sd.Signatures {
		assert.Equal(t, i+1, s.Order)
		assert.Equal(t, policy.IndicationTotalPassed, s.Indication)
		assert.Equal(t, policy.StatusGood, s.Certificate.Status)
	}
	assert.Equal(t, sd.Signatures, kyso.ExistingSignatures(rep))
	seq, err := quangNinh(t).CheckSequence(context.Background(), sd.Document, sd.Signatures)
	require.NoError(t, err)
	assert.True(t, seq.Compliant, "%+v", seq.Findings)
}

// schemeRecorder remembers the signer options its key was asked to sign with.
type schemeRecorder struct {
	kyso.Signer
	opts crypto.SignerOpts
}

func (r *schemeRecorder) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	r.opts = opts
	return r.Signer.Sign(rand, digest, opts)
}

// TestRSASchemeDefault: RSA keys sign with RSASSA-PSS unless PKCS#1 v1.5 is asked
// for (Thông tư 39/2017/TT-BTTTT); both verify.
func TestRSASchemeDefault(t *testing.T) {
	pki := sharedPKI(t)
	trust := &kyso.VerifyOptions{Trust: certstatus.NewTrustStore(pki.Root.Cert), Offline: true, AllowMissingRevocation: true}
	for _, tc := range []struct {
		opts *kyso.SignOptions
		pss  bool
	}{
		{nil, true},
		{&kyso.SignOptions{}, true},
		{&kyso.SignOptions{Signature: signature.SignOptions{PSS: false}}, true},
		{&kyso.SignOptions{RSA: kyso.RSAPKCS1v15}, false},
		{&kyso.SignOptions{RSA: kyso.RSAPKCS1v15, Signature: signature.SignOptions{PSS: true}}, false},
	} {
		rec := &schemeRecorder{Signer: signer(pki.Leader)}
		doc, err := sign(t, signaturetest.SamplePDF(), rec, tc.opts)
		require.NoError(t, err)
		_, isPSS := rec.opts.(*rsa.PSSOptions)
		assert.Equal(t, tc.pss, isPSS, "%+v", tc.opts)
		assert.Equal(t, signature.TotalPassed, verify(t, doc, trust).Signatures[0].Indication)
	}
	_, err := sign(t, signaturetest.SamplePDF(), signer(pki.Leader), &kyso.SignOptions{RSA: 7})
	assert.ErrorIs(t, err, signature.ErrInvalidOptions)
	assert.Equal(t, "RSASSA-PSS", kyso.RSAPSS.String())
	assert.Equal(t, "RSASSA-PKCS1-v1_5", kyso.RSAPKCS1v15.String())
}

// TestNotPDF: the same bad input gives the same sentinel from Sign, Prepare and Verify.
func TestNotPDF(t *testing.T) {
	pki := sharedPKI(t)
	in := []byte("%PDF-1.7 but nothing else")
	ctx := context.Background()
	_, err := sign(t, in, signer(pki.Leader), nil)
	assert.ErrorIs(t, err, signature.ErrNotPDF)
	_, err = kyso.Prepare(ctx, bytes.NewReader(in), int64(len(in)), pki.Leader.Chain, nil)
	assert.ErrorIs(t, err, signature.ErrNotPDF)
	_, err = kyso.Verify(ctx, bytes.NewReader(in), int64(len(in)), nil)
	assert.ErrorIs(t, err, signature.ErrNotPDF)
}

// TestPrepareWithPolicy: deferred signing checks the policy like Sign and makes the
// field when asked for "this field, or create it".
func TestPrepareWithPolicy(t *testing.T) {
	pki := sharedPKI(t)
	in := signaturetest.SamplePDF()
	ctx := context.Background()
	opts := &kyso.SignOptions{Signature: signature.SignOptions{Field: "Văn thư", CreateField: true},
		Policy: &kyso.Policy{Engine: quangNinh(t), Facts: policy.Request{Role: policy.RoleClerk}}}
	_, err := kyso.Prepare(ctx, bytes.NewReader(in), int64(len(in)), pki.Org.Chain, opts)
	assert.ErrorIs(t, err, policy.ErrRefused)
	opts.Policy.Facts.Role = policy.RoleAuthority
	prep, err := kyso.Prepare(ctx, bytes.NewReader(in), int64(len(in)), pki.Leader.Chain, opts)
	require.NoError(t, err)
	assert.Equal(t, "Văn thư", prep.Field)
	require.NotNil(t, prep.Decision, "the decision comes with the result")
	assert.Equal(t, policy.PlacementSigner, prep.Decision.Placement)

	var out bytes.Buffer
	res, err := kyso.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), signer(pki.Leader), opts)
	require.NoError(t, err)
	assert.Equal(t, "Văn thư", res.Field)
	require.NotNil(t, res.Decision)
	assert.True(t, res.Decision.Allowed)
	res, err = kyso.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), signer(pki.Leader), nil)
	require.NoError(t, err)
	assert.Nil(t, res.Decision, "no policy, no decision")
	_, isPSS := prep.SignerOpts.(*rsa.PSSOptions)
	assert.True(t, isPSS, "RSASSA-PSS by default")
}
