package signature_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// recordingHook remembers every SigningInfo it is given and answers with err.
type recordingHook struct {
	mu    sync.Mutex
	infos []signature.SigningInfo
	err   error
}

func (h *recordingHook) CheckSigning(_ context.Context, info signature.SigningInfo) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.infos = append(h.infos, info)
	return h.err
}

func (h *recordingHook) calls() []signature.SigningInfo {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]signature.SigningInfo(nil), h.infos...)
}

// policyRefusal stands for a policy engine's own error type (policy.RefusalError).
type policyRefusal struct{ rule string }

func (e *policyRefusal) Error() string { return "refused by rule " + e.rule }

// existingSummary is an ExistingSignature in a form cmp-friendly tests compare.
type existingSummary struct {
	Field       string
	Kind        signature.Kind
	Signer      string
	Time        time.Time
	TimeStamped bool
	Claimed     time.Time
	Err         bool
}

func summarise(es []signature.ExistingSignature) []existingSummary {
	out := make([]existingSummary, len(es))
	for i, e := range es {
		s := existingSummary{Field: e.Field, Kind: e.Kind, Time: e.Time.UTC(), TimeStamped: e.TimeStamped,
			Claimed: e.ClaimedTime.UTC(), Err: e.Err != nil}
		if e.Signer != nil {
			s.Signer = e.Signer.Subject.CommonName
		}
		if e.Time.IsZero() {
			s.Time = time.Time{}
		}
		if e.ClaimedTime.IsZero() {
			s.Claimed = time.Time{}
		}
		out[i] = s
	}
	return out
}

// TestPolicyHookInfo signs a document three times over (a plain B-B signature, a B-LTA
// signature with its signature and document time-stamps) and checks what the hook of
// the next signature is told: the signer's chain, the signing time, the field, and the
// existing signatures in order with their signers and times.
func TestPolicyHookInfo(t *testing.T) {
	kit := newLVKit(t)
	ict := time.FixedZone("ICT", 7*3600)
	t1 := time.Now().Add(-10 * time.Minute).Truncate(time.Second).In(ict)

	var buf bytes.Buffer
	deputy := kit.pki.Deputy
	first := &recordingHook{}
	_, err := signature.Sign(context.Background(), &buf, bytes.NewReader(pdftest.Classic()), int64(len(pdftest.Classic())),
		deputy.Key, deputy.Chain, &signature.SignOptions{NewField: "Lãnh đạo", Time: t1, Certify: signature.DocMDPFormFilling, Policy: first})
	require.NoError(t, err)
	doc1 := bytes.Clone(buf.Bytes())
	require.Len(t, first.calls(), 1)
	got := first.calls()[0]
	assert.Empty(t, got.Existing, "an unsigned document has no existing signatures")
	assert.Equal(t, "Lãnh đạo", got.Field)
	assert.True(t, got.NewField)
	assert.Equal(t, signature.DocMDPFormFilling, got.Certify)
	assert.True(t, got.Time.Equal(t1))
	require.Len(t, got.Chain, len(deputy.Chain))
	assert.Same(t, deputy.Chain[0], got.Chain[0])

	doc2, res2 := kit.sign(t, doc1, kit.levelOptions(signature.LevelBLTA))
	require.NotNil(t, res2.Level)
	require.NotNil(t, res2.Level.Validation)
	require.NotNil(t, res2.Level.Validation.DocTimestamp)
	dts := res2.Level.Validation.DocTimestamp

	t3 := time.Now().Truncate(time.Second)
	hook := &recordingHook{}
	buf.Reset()
	_, err = signature.Sign(context.Background(), &buf, bytes.NewReader(doc2), int64(len(doc2)), kit.pki.Org.Key, kit.pki.Org.Chain,
		&signature.SignOptions{NewField: "Văn thư", Time: t3, PSS: true, Policy: hook})
	require.NoError(t, err)
	require.Len(t, hook.calls(), 1)
	info := hook.calls()[0]
	assert.Equal(t, "Văn thư", info.Field)
	assert.True(t, info.NewField)
	assert.Zero(t, info.Certify)
	assert.True(t, info.Time.Equal(t3))
	assert.Same(t, kit.pki.Org.Cert, info.Chain[0])

	want := []existingSummary{
		{Field: "Lãnh đạo", Kind: signature.KindSignature, Signer: deputy.Cert.Subject.CommonName,
			Time: t1.UTC(), Claimed: t1.UTC()},
		{Field: res2.Field, Kind: signature.KindSignature, Signer: kit.pki.Leader.Cert.Subject.CommonName,
			Time: res2.Level.TimestampTime.UTC(), TimeStamped: true, Claimed: res2.Time.Truncate(time.Second).UTC()},
		{Field: dts.Field, Kind: signature.KindDocTimestamp, Signer: kit.pki.TSA.Cert.Subject.CommonName,
			Time: dts.Time.UTC(), TimeStamped: true},
	}
	assert.Equal(t, want, summarise(info.Existing))
	require.Len(t, info.Existing, 3)
	assert.True(t, info.Existing[1].Signer.Equal(kit.pki.Leader.Cert))
	assert.NotEmpty(t, info.Existing[1].Certificates)

	// The signed output is still a good document: the policy hook changes nothing.
	assert.Equal(t, 3, policyPdfsigValid(t, buf.Bytes()))
}

// policyPdfsigValid writes doc to a file and returns how many signatures pdfsig finds
// valid (it lists document time-stamps without validating them).
func policyPdfsigValid(t *testing.T, doc []byte) int {
	t.Helper()
	path := filepath.Join(t.TempDir(), "signed.pdf")
	require.NoError(t, os.WriteFile(path, doc, 0o600))
	out, _ := exec.Command(lvTool(t, "pdfsig"), "-nocert", "-no-ocsp", path).CombinedOutput()
	return strings.Count(string(out), "Signature is Valid.")
}

// TestPolicyHookFillsField: signing an existing empty field tells the hook its name
// and that the field is not new.
func TestPolicyHookFillsField(t *testing.T) {
	keys := signTestPKI(t)
	in := pdftest.WithSignatureField()
	hook := &recordingHook{}
	s := keys.byName["p256"]
	var out bytes.Buffer
	_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), s.key, s.chain,
		&signature.SignOptions{Field: pdftest.SignatureFieldName, Policy: hook})
	require.NoError(t, err)
	require.Len(t, hook.calls(), 1)
	assert.Equal(t, pdftest.SignatureFieldName, hook.calls()[0].Field)
	assert.False(t, hook.calls()[0].NewField)
	assert.Empty(t, hook.calls()[0].Existing, "an empty field is not a signature")
	assert.False(t, hook.calls()[0].Time.IsZero(), "the default signing time is given")

	// The next signature sees the filled field as an existing signature.
	signed := out.Bytes()
	hook2 := &recordingHook{}
	pre, err := signature.Prepare(context.Background(), bytes.NewReader(signed), int64(len(signed)), s.chain,
		&signature.SignOptions{Policy: hook2})
	require.NoError(t, err)
	require.Len(t, hook2.calls(), 1)
	info := hook2.calls()[0]
	assert.Equal(t, pre.Field, info.Field)
	require.Len(t, info.Existing, 1)
	assert.Equal(t, pdftest.SignatureFieldName, info.Existing[0].Field)
	assert.NoError(t, info.Existing[0].Err)
	assert.True(t, info.Existing[0].Signer.Equal(s.chain[0]))
}

// TestPolicyHookRefuses: a refusing hook stops Sign and Prepare with ErrPolicyRefused,
// its own error reachable with errors.As, and nothing written.
func TestPolicyHookRefuses(t *testing.T) {
	keys := signTestPKI(t)
	s := keys.byName["rsa"]
	in := pdftest.Classic()
	refusal := &policyRefusal{rule: "VN-ORG-SEAL-AFTER-AUTHORITY"}

	check := func(t *testing.T, err error) {
		t.Helper()
		require.Error(t, err)
		assert.ErrorIs(t, err, signature.ErrPolicyRefused)
		var got *policyRefusal
		require.ErrorAs(t, err, &got)
		assert.Same(t, refusal, got)
		var se *signature.SignError
		require.ErrorAs(t, err, &se)
		assert.Contains(t, err.Error(), "VN-ORG-SEAL-AFTER-AUTHORITY")
		assert.Contains(t, err.Error(), "Signature1")
	}

	t.Run("Sign", func(t *testing.T) {
		hook := &recordingHook{err: refusal}
		var out bytes.Buffer
		res, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), s.key, s.chain,
			&signature.SignOptions{Policy: hook})
		check(t, err)
		assert.Nil(t, res)
		assert.Zero(t, out.Len(), "nothing may be written after a refusal")
		assert.Len(t, hook.calls(), 1)
	})
	t.Run("Sign at B-LTA", func(t *testing.T) {
		kit := newLVKit(t)
		var out bytes.Buffer
		_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), kit.pki.Leader.Key, kit.pki.Leader.Chain,
			&signature.SignOptions{Level: kit.levelOptions(signature.LevelBLTA), Policy: signature.PolicyHookFunc(
				func(context.Context, signature.SigningInfo) error { return refusal })})
		check(t, err)
		assert.Zero(t, out.Len())
		assert.Zero(t, kit.pki.Hits("tsa"), "no time-stamp is asked for a refused signature")
	})
	t.Run("Prepare", func(t *testing.T) {
		hook := &recordingHook{err: refusal}
		pre, err := signature.Prepare(context.Background(), bytes.NewReader(in), int64(len(in)), s.chain,
			&signature.SignOptions{Policy: hook, StateKey: []byte("khóa trạng thái")})
		check(t, err)
		assert.Nil(t, pre, "no digest to sign and no state after a refusal")
	})
	t.Run("allowing hook", func(t *testing.T) {
		var out bytes.Buffer
		_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), s.key, s.chain,
			&signature.SignOptions{Policy: &recordingHook{}})
		require.NoError(t, err)
		assert.True(t, bytes.HasPrefix(out.Bytes(), in))
	})
}

// TestPolicyHookOrder: the hook is not asked about a signature the options or the
// document already refuse, and a cancelled context is reported as such, not as a
// policy refusal.
func TestPolicyHookOrder(t *testing.T) {
	keys := signTestPKI(t)
	s := keys.byName["p256"]
	in := pdftest.Classic()
	for _, tc := range []struct {
		name string
		opts signature.SignOptions
		want error
	}{
		{"missing field", signature.SignOptions{Field: "Không có"}, signature.ErrFieldNotFound},
		{"sha1", signature.SignOptions{Hash: 3}, signature.ErrAlgorithm},
		{"certify 9", signature.SignOptions{Certify: 9}, signature.ErrInvalidOptions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hook := &recordingHook{err: errors.New("must not be asked")}
			opts := tc.opts
			opts.Policy = hook
			var out bytes.Buffer
			_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), s.key, s.chain, &opts)
			assert.ErrorIs(t, err, tc.want)
			assert.NotErrorIs(t, err, signature.ErrPolicyRefused)
			assert.Empty(t, hook.calls())
			assert.Zero(t, out.Len())
		})
	}
	t.Run("context cancelled in the hook", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var out bytes.Buffer
		_, err := signature.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), s.key, s.chain,
			&signature.SignOptions{Policy: signature.PolicyHookFunc(func(ctx context.Context, _ signature.SigningInfo) error {
				cancel()
				return ctx.Err()
			})})
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, signature.ErrPolicyRefused)
		assert.Zero(t, out.Len())
	})
}

// TestPolicyHookBrokenExisting: an existing signature whose CMS cannot be read is still
// listed, without a signer and with Err set, so a hook cannot mistake it for nothing
// or for a good signature.
func TestPolicyHookBrokenExisting(t *testing.T) {
	keys := signTestPKI(t)
	s := keys.byName["p256"]
	signed, _ := signBytes(t, pdftest.Classic(), s, &signature.SignOptions{NewField: "Lãnh đạo"})
	lvs := lvSignatures(t, signed)
	require.Len(t, lvs, 1)
	// Overwrite the start of the CMS with hex digits that are no DER.
	broken := bytes.Clone(signed)
	hole := int(lvs[0].br[1]) + 1
	copy(broken[hole:], "FFFFFFFF")
	hook := &recordingHook{}
	_, err := signature.Prepare(context.Background(), bytes.NewReader(broken), int64(len(broken)), s.chain,
		&signature.SignOptions{Policy: hook})
	require.NoError(t, err)
	require.Len(t, hook.calls(), 1)
	ex := hook.calls()[0].Existing
	require.Len(t, ex, 1)
	assert.Equal(t, "Lãnh đạo", ex[0].Field)
	assert.Nil(t, ex[0].Signer)
	assert.Error(t, ex[0].Err)
	assert.False(t, ex[0].ClaimedTime.IsZero(), "/M is still read")
	assert.Equal(t, ex[0].ClaimedTime, ex[0].Time)
}

// policyFuzzPDF is a one-page PDF whose only signature field "Lanh dao" holds a
// signature dictionary with the given /Contents and /M (a document time-stamp with
// docTS), so that a fuzzer explores what is read from an existing signature rather
// than the PDF syntax around it.
func policyFuzzPDF(contents []byte, m string, docTS bool) []byte {
	var b bytes.Buffer
	var offs []int
	b.WriteString("%PDF-1.7\n")
	obj := func(body string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), body)
	}
	obj("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>")
	obj("<< /Type /Annot /Subtype /Widget /FT /Sig /T (Lanh dao) /Rect [0 0 0 0] /P 3 0 R /F 132 /V 5 0 R >>")
	typ, sf := "Sig", "ETSI.CAdES.detached"
	if docTS {
		typ, sf = "DocTimeStamp", "ETSI.RFC3161"
	}
	obj(fmt.Sprintf("<< /Type /%s /Filter /Adobe.PPKLite /SubFilter /%s /M <%x> /ByteRange [0 10 20 30] /Contents <%x> >>", typ, sf, m, contents))
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

// FuzzPolicyHookExisting feeds arbitrary signature contents and dates to the reading
// of existing signatures for a PolicyHook: it must never panic, must list the one
// signature with its field and kind, and must say why whenever it found no signer.
func FuzzPolicyHookExisting(f *testing.F) {
	// A P-256 key made here: the shared test PKI's RSA key would slow every worker.
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(f, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Văn thư"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(f, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(f, err)
	chain := []*x509.Certificate{cert}
	in := pdftest.Classic()
	var out bytes.Buffer
	_, err = signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), key, chain,
		&signature.SignOptions{Time: time.Date(2026, 11, 22, 14, 5, 9, 0, time.UTC), ReserveUnsigned: -1})
	require.NoError(f, err)
	cmsDER := lvSignatures(f, out.Bytes())[0].der
	f.Add(cmsDER, "D:20261122140509+07'00'", false)
	f.Add(cmsDER, "D:2026", true)
	f.Add([]byte{0x30, 0x80, 0, 0}, "", false)
	f.Add([]byte{}, "D:20261122140509Z", true)

	f.Fuzz(func(t *testing.T, contents []byte, m string, docTS bool) {
		doc := policyFuzzPDF(contents, m, docTS)
		called := false
		_, err := signature.Prepare(context.Background(), bytes.NewReader(doc), int64(len(doc)), chain,
			&signature.SignOptions{Policy: signature.PolicyHookFunc(func(_ context.Context, info signature.SigningInfo) error {
				called = true
				if len(info.Existing) != 1 {
					t.Fatalf("%d existing signatures listed, want 1", len(info.Existing))
				}
				e := info.Existing[0]
				want := signature.KindSignature
				if docTS {
					want = signature.KindDocTimestamp
				}
				if e.Field != "Lanh dao" || e.Kind != want {
					t.Fatalf("listed %q of kind %q, want %q of kind %q", e.Field, e.Kind, "Lanh dao", want)
				}
				if e.Signer == nil && e.Err == nil {
					t.Fatalf("no signer and no reason why")
				}
				return nil
			})})
		if !called {
			t.Fatalf("the hook was not called: %v", err)
		}
	})
}
