package signaturetest_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// recorder is a TB that records failures instead of failing.
type recorder struct{ errs, fatals []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatals = append(r.fatals, fmt.Sprintf(format, args...))
}

// testSigner makes a root and a leaf "Trần Thị Bình" and returns the leaf key, chain
// and a pool holding the root.
func testSigner() (crypto.Signer, []*x509.Certificate, *x509.CertPool) {
	rk, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	lk, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	now := time.Now()
	rt := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test Root"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	rder, err := x509.CreateCertificate(rand.Reader, rt, rt, rk.Public(), rk)
	must(err)
	root, _ := x509.ParseCertificate(rder)
	lt := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Trần Thị Bình"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	lder, err := x509.CreateCertificate(rand.Reader, lt, root, lk.Public(), rk)
	must(err)
	leaf, _ := x509.ParseCertificate(lder)
	pool := x509.NewCertPool()
	pool.AddCert(root)
	return lk, []*x509.Certificate{leaf, root}, pool
}

func signDoc(key crypto.Signer, chain []*x509.Certificate, in []byte) []byte {
	var out bytes.Buffer
	_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), key, chain, nil)
	must(err)
	return out.Bytes()
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func TestAssertions(t *testing.T) {
	key, chain, roots := testSigner()
	doc := signDoc(key, chain, pdftest.Classic())
	opts := &signature.VerifyOptions{Roots: roots, AllowMissingRevocation: true}

	// Passing expectations, used on kyso's own output.
	whole := true
	signaturetest.AssertSignatures(t, doc, opts, signaturetest.Expect{
		Indication: signature.TotalPassed, Level: signature.LevelBB, Signer: "Trần Thị Bình",
		Modification: signature.ModNone, Kind: signature.KindSignature, CoversWholeDocument: &whole})
	signaturetest.AssertAllPassed(t, doc, opts)

	// A mismatch names the signature, the expectation and the reason.
	r := &recorder{}
	signaturetest.AssertSignatures(r, doc, &signature.VerifyOptions{}, signaturetest.Expect{Level: signature.LevelBLTA, Signer: "Someone"})
	require.Len(t, r.errs, 1)
	for _, want := range []string{"Signature1", "INDETERMINATE", "want TOTAL_PASSED", `level is "B-B", want "B-LTA"`, `"Someone"`, "chain:"} {
		assert.Contains(t, r.errs[0], want)
	}

	// Wrong count and missing field.
	r = &recorder{}
	signaturetest.AssertSignatures(r, doc, opts, signaturetest.Expect{}, signaturetest.Expect{Field: "Nope"})
	require.Len(t, r.errs, 2)
	assert.Contains(t, r.errs[0], "holds 1 signatures, want 2")
	assert.Contains(t, r.errs[1], `no signature in field "Nope"`)

	// A tampered document: the failed check is quoted.
	bad := bytes.Replace(doc, []byte("Hello kyso"), []byte("Hellx kyso"), 1)
	r = &recorder{}
	signaturetest.AssertAllPassed(r, bad, opts)
	require.Len(t, r.errs, 1)
	assert.True(t, strings.Contains(r.errs[0], "HASH_FAILURE") && strings.Contains(r.errs[0], "message-digest:"), r.errs[0])

	// Not a PDF is fatal.
	r = &recorder{}
	signaturetest.Verify(r, []byte("nope"), opts)
	require.Len(t, r.fatals, 1)
}
