package signature_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

func TestSignLevelsRoundTrip(t *testing.T) {
	k := newLVKit(t)
	in := pdftest.Classic()
	cases := []struct {
		target        signature.Level
		docTimestamps int
	}{
		{signature.LevelBT, 0},
		{signature.LevelBLT, 0},
		{signature.LevelBLTA, 1},
	}
	for _, tc := range cases {
		t.Run(string(tc.target), func(t *testing.T) {
			out, res := k.sign(t, in, k.levelOptions(tc.target))
			require.True(t, bytes.HasPrefix(out, in), "the input must be an unchanged prefix")
			require.NotNil(t, res.Level)
			assert.Equal(t, tc.target, res.Level.Level)
			assert.Empty(t, res.Level.Warnings)
			assert.WithinDuration(t, time.Now(), res.Level.TimestampTime, time.Minute)
			assert.NotEmpty(t, res.Level.TSA)
			if tc.target != signature.LevelBT {
				v := res.Level.Validation
				require.NotNil(t, v)
				assert.Len(t, v.VRI, 1)
				assert.Regexp(t, `^[0-9A-F]{40}$`, v.VRI[0])
				// leader, CA, root, TSA, OCSP responder
				assert.GreaterOrEqual(t, v.Certs, 4)
				assert.Positive(t, v.OCSPs+v.CRLs)
				if tc.target == signature.LevelBLTA {
					require.NotNil(t, v.DocTimestamp)
					assert.Equal(t, int64(len(out)), v.DocTimestamp.ByteRange[2]+v.DocTimestamp.ByteRange[3])
				} else {
					assert.Nil(t, v.DocTimestamp)
				}
			}

			rep := k.verify(t, out, tc.target != signature.LevelBT, time.Time{})
			require.Len(t, rep.Signatures, 1+tc.docTimestamps)
			s := rep.Signatures[0]
			assert.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
			assert.Equal(t, tc.target, s.Level)
			assert.True(t, s.TimeProven)
			if tc.docTimestamps > 0 {
				ts := rep.Signatures[1]
				assert.Equal(t, signature.KindDocTimestamp, ts.Kind)
				assert.Equal(t, signature.TotalPassed, ts.Indication, "%+v", ts.Checks)
				assert.True(t, ts.CoversWholeDocument)
			}
			k.lvExternalChecks(t, out, 1, tc.docTimestamps, tc.target != signature.LevelBLT)
		})
	}
}

func TestSignLevelsOptions(t *testing.T) {
	k := newLVKit(t)
	in := pdftest.Classic()
	cases := []struct {
		name string
		opts signature.SignOptions
	}{
		// PAdES maintenance (DSS, document time-stamps) is allowed even under DocMDP P=1.
		{"certified P=1", signature.SignOptions{Certify: signature.DocMDPNoChanges}},
		// The signature time-stamp and the document time-stamp follow the signing digest.
		{"SHA-384", signature.SignOptions{Hash: crypto.SHA384, PSS: true}},
		{"SHA-512 in an existing field", signature.SignOptions{Hash: crypto.SHA512, Field: "Chữ ký 1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := in
			if tc.opts.Field != "" {
				src = pdftest.WithSignatureField()
			}
			opts := tc.opts
			opts.Level = k.levelOptions(signature.LevelBLTA)
			var out bytes.Buffer
			res, err := signature.Sign(context.Background(), &out, bytes.NewReader(src), int64(len(src)),
				k.pki.Leader.Key, k.pki.Leader.Chain, &opts)
			require.NoError(t, err)
			assert.Equal(t, signature.LevelBLTA, res.Level.Level)
			rep := k.verify(t, out.Bytes(), true, time.Time{})
			require.Len(t, rep.Signatures, 2)
			for i, s := range rep.Signatures {
				assert.Equal(t, signature.TotalPassed, s.Indication, "%d: %+v", i, s.Checks)
			}
			assert.Equal(t, signature.LevelBLTA, rep.Signatures[0].Level)
			if opts.Hash != 0 {
				assert.Equal(t, opts.Hash.String(), rep.Signatures[1].DigestAlgorithm, "document time-stamp digest")
			}
			k.lvExternalChecks(t, out.Bytes(), 1, 1, true)
		})
	}
}

// TestPrepareRefusesLevel: deferred signing makes B-B only, so Prepare must refuse a
// level rather than silently sign lower than asked.
func TestPrepareRefusesLevel(t *testing.T) {
	k := newLVKit(t)
	in := pdftest.Classic()
	for _, target := range []signature.Level{signature.LevelBT, signature.LevelBLT, signature.LevelBLTA, "B-X"} {
		t.Run(string(target), func(t *testing.T) {
			opts := &signature.SignOptions{Level: k.levelOptions(target)}
			opts.Level.Target = target
			prep, err := signature.Prepare(context.Background(), bytes.NewReader(in), int64(len(in)), k.pki.Leader.Chain, opts)
			require.ErrorIs(t, err, signature.ErrInvalidOptions)
			assert.Nil(t, prep)
			var se *signature.SignError
			require.ErrorAs(t, err, &se)
			assert.Contains(t, err.Error(), string(target))
		})
	}
	// B-B asks for nothing more and is accepted.
	prep, err := signature.Prepare(context.Background(), bytes.NewReader(in), int64(len(in)), k.pki.Leader.Chain,
		&signature.SignOptions{Level: &signature.LevelOptions{Target: signature.LevelBB}})
	require.NoError(t, err)
	assert.NotEmpty(t, prep.Digest)
}

// TestVerifyRevokedOnline: revocation found online through certstatus.Checker counts,
// for the signer and for the issuing CA (the root's CRL). certstatus returns the OCSP
// response or CRLs of a revoked certificate together with an error; Verify used to drop
// them and report a mere "status unknown" warning. Without proof of time the signature
// is REVOKED_NO_POE / REVOKED_CA_NO_POE; time-stamped before the revocation it passes.
func TestVerifyRevokedOnline(t *testing.T) {
	for _, who := range []string{"signer", "CA"} {
		t.Run(who, func(t *testing.T) {
			k := newLVKit(t)
			in := pdftest.Classic()
			bb, _ := k.sign(t, in, nil)
			bt, _ := k.sign(t, in, k.levelOptions(signature.LevelBT))
			// Revocation is recorded to the second: let it fall clearly after signing.
			time.Sleep(1100 * time.Millisecond)
			revoked, want := k.pki.Leader.Cert, signature.RevokedNoPOE
			if who == "CA" {
				revoked, want = k.pki.CA.Cert, signature.RevokedCANoPOE
			}
			k.pki.Revoke(revoked, 1 /* keyCompromise */, time.Time{})
			at := time.Now().Add(time.Minute)

			rep := k.verify(t, bb, false, at)
			require.Len(t, rep.Signatures, 1)
			s := rep.Signatures[0]
			assert.Equal(t, signature.Indeterminate, s.Indication, "%+v", s.Checks)
			assert.Equal(t, want, s.SubIndication, "%+v", s.Checks)
			var failed []string
			for _, c := range s.Checks {
				if c.Name == signature.CheckRevocation && c.Result == signature.CheckFailed {
					failed = append(failed, c.MessageEN)
				}
			}
			require.Len(t, failed, 1, "%+v", s.Checks)
			if who == "CA" {
				assert.Contains(t, failed[0], k.pki.CA.Cert.Subject.CommonName, "the message names the revoked CA")
			}

			rep = k.verify(t, bt, false, at)
			require.Len(t, rep.Signatures, 1)
			s = rep.Signatures[0]
			assert.Equal(t, signature.TotalPassed, s.Indication, "%s %+v", s.SubIndication, s.Checks)
			assert.Equal(t, signature.LevelBT, s.Level)
		})
	}
}

// TestVerifyTSARevokedLater: a TSA certificate revoked after a token's time leaves the
// token without force unless something proves it existed before the revocation (a
// revoked key can make tokens with any time in them). The document time-stamp is then
// REVOKED_NO_POE; a signature time-stamp no longer proves the signing time.
func TestVerifyTSARevokedLater(t *testing.T) {
	k := newLVKit(t)
	in := pdftest.Classic()
	bt, _ := k.sign(t, in, k.levelOptions(signature.LevelBT))
	lta, _ := k.sign(t, in, k.levelOptions(signature.LevelBLTA))
	time.Sleep(1100 * time.Millisecond) // revocation times are recorded to the second
	k.pki.Revoke(k.pki.TSA.Cert, 1 /* keyCompromise */, time.Time{})
	at := time.Now().Add(time.Minute)

	rep := k.verify(t, bt, false, at)
	require.Len(t, rep.Signatures, 1)
	s := rep.Signatures[0]
	assert.False(t, s.TimeProven, "%+v", s.Checks)
	assert.Equal(t, signature.LevelBB, s.Level)
	c, ok := s.Check(signature.CheckTimestamp)
	require.True(t, ok)
	assert.Equal(t, signature.CheckWarning, c.Result)
	assert.Contains(t, c.MessageEN, "nothing proves the time-stamp existed before the revocation")
	assert.Equal(t, signature.TotalPassed, s.Indication, "the signer is still valid now: %+v", s.Checks)

	// The DSS holds a "good" answer for the TSA from signing time, which speaks for
	// the time-stamp as long as it is current. Once it is not, the revocation (found
	// online) is after the token's time with nothing proving the token came first.
	rep = k.verify(t, lta, false, time.Now().AddDate(0, 0, 8))
	require.Len(t, rep.Signatures, 2)
	ts := rep.Signatures[1]
	assert.Equal(t, signature.KindDocTimestamp, ts.Kind)
	assert.Equal(t, signature.Indeterminate, ts.Indication, "%+v", ts.Checks)
	assert.Equal(t, signature.RevokedNoPOE, ts.SubIndication)
	assert.NotEqual(t, signature.LevelBLTA, rep.Signatures[0].Level)
}

// TestVerifyTSACertificateOutsideToken: a TSA asked without certReq leaves its
// certificate out of the token (RFC 3161 2.4.1). PAdES lets the DSS hold it (ETSI EN
// 319 142-1 5.4.2): then the time-stamp verifies with it. Found nowhere, the token
// cannot be checked and proves no time (ETSI EN 319 102-1 5.2.3: the TSA's
// certificate is not found): never TOTAL_FAILED, which says a hash or a signature
// value is wrong. pdfcpu's testPAdES_B*.pdf, from another signing tool, are shaped
// so (the TSA certificate only in the DSS, or nowhere).
func TestVerifyTSACertificateOutsideToken(t *testing.T) {
	k := newLVKit(t)
	signed, _ := k.sign(t, pdftest.Classic(), nil)
	// The signature time-stamp, asked without certReq, goes into the unsigned
	// attributes, which /ByteRange leaves out as a signing tool's later step does.
	// A bare token, as the TSA answers without certReq: straight from the kit's TSA
	// (certstatus.TSAClient would put the certificates it left out back in).
	bareToken := func(digest []byte) ([]byte, error) {
		k.pki.SetTSA(certstatustest.TSANoCertificates)
		defer k.pki.SetTSA(certstatustest.TSANormal)
		return k.pki.Timestamp(digest, crypto.SHA256, nil)
	}
	m := byteRangeRE.FindSubmatch(signed)
	require.NotNil(t, m)
	start, _ := strconv.Atoi(string(m[2]))
	end, _ := strconv.Atoi(string(m[3]))
	hexCMS := signed[start+1 : end-1]
	der := make([]byte, len(hexCMS)/2)
	_, err := hex.Decode(der, hexCMS)
	require.NoError(t, err)
	der = der[:derLength(der)]
	sd, err := cms.Parse(der)
	require.NoError(t, err)
	sum := sha256.Sum256(sd.Signers[0].Signature)
	token, err := bareToken(sum[:])
	require.NoError(t, err)
	withTST, err := cms.AddUnsignedAttribute(der, 0, cms.OIDAttributeTimeStampToken, token)
	require.NoError(t, err)
	enc := []byte(strings.ToUpper(hex.EncodeToString(withTST)))
	require.LessOrEqual(t, len(enc), len(hexCMS))
	bt := bytes.Clone(signed)
	copy(bt[start+1:], enc)

	t.Run("the TSA certificate nowhere", func(t *testing.T) {
		rep := k.verify(t, bt, false, time.Time{})
		require.Len(t, rep.Signatures, 1)
		s := rep.Signatures[0]
		assert.NotEqual(t, signature.TotalFailed, s.Indication, "%v", failedChecks(s))
		assert.Equal(t, signature.TotalPassed, s.Indication, "judged without proof of time: %v", failedChecks(s))
		c, ok := s.Check(signature.CheckTimestamp)
		require.True(t, ok)
		assert.Equal(t, signature.CheckIndeterminate, c.Result, c.MessageEN)
		assert.Contains(t, c.MessageEN, "neither in the token nor in the document")
		assert.False(t, s.TimeProven, "an unchecked time-stamp proves no time")
	})
	// A document time-stamp asked without certReq: the last /Contents of doc is
	// replaced by such a token over the same bytes.
	docTimestampWithoutCert := func(t *testing.T, doc []byte) []byte {
		ms := byteRangeRE.FindAllSubmatch(doc, -1)
		require.NotEmpty(t, ms)
		m := ms[len(ms)-1]
		var br [4]int
		for i := range br {
			br[i], _ = strconv.Atoi(string(m[i+1]))
		}
		h := sha256.New()
		h.Write(doc[br[0] : br[0]+br[1]])
		h.Write(doc[br[2] : br[2]+br[3]])
		token, err := bareToken(h.Sum(nil))
		require.NoError(t, err)
		enc := []byte(strings.ToUpper(hex.EncodeToString(token)))
		hole := doc[br[1]+1 : br[2]-1]
		require.LessOrEqual(t, len(enc), len(hole))
		out := bytes.Clone(doc)
		copy(out[br[1]+1:], enc)
		for i := br[1] + 1 + len(enc); i < br[2]-1; i++ {
			out[i] = '0'
		}
		return out
	}
	t.Run("document time-stamp, the TSA certificate nowhere", func(t *testing.T) {
		// B-B, then a DSS for it (no time-stamp in the document: no TSA certificate in
		// it) and a document time-stamp without its certificate.
		ext, _ := k.extend(t, signed, nil)
		doc := docTimestampWithoutCert(t, ext)
		rep := k.verify(t, doc, false, time.Time{})
		require.Len(t, rep.Signatures, 2)
		ts := rep.Signatures[1]
		require.Equal(t, signature.KindDocTimestamp, ts.Kind)
		assert.Equal(t, signature.Indeterminate, ts.Indication, "%v", failedChecks(ts))
		assert.Equal(t, signature.NoSigningCertificateFound, ts.SubIndication)
		integ, _ := ts.Check(signature.CheckIntegrity)
		assert.NotContains(t, integ.MessageEN, "forged")
		assert.Equal(t, signature.TotalPassed, rep.Signatures[0].Indication, "%v", failedChecks(rep.Signatures[0]))
	})
	t.Run("document time-stamp, the TSA certificate in the DSS", func(t *testing.T) {
		// B-LTA: the DSS holds the chain of the signature time-stamp's TSA, the same
		// TSA as the document time-stamp's.
		lta, _ := k.sign(t, pdftest.Classic(), k.levelOptions(signature.LevelBLTA))
		doc := docTimestampWithoutCert(t, lta)
		rep := k.verify(t, doc, true, time.Time{})
		require.Len(t, rep.Signatures, 2)
		for _, s := range rep.Signatures {
			assert.Equal(t, signature.TotalPassed, s.Indication, "%s: %v", s.Field, failedChecks(s))
		}
	})
	t.Run("the TSA certificate in the DSS", func(t *testing.T) {
		d, err := pdf.Open(bytes.NewReader(bt), int64(len(bt)), nil)
		require.NoError(t, err)
		u := d.NewUpdate()
		cat, err := d.Catalog()
		require.NoError(t, err)
		nc := cat.Clone()
		var certs pdf.Array
		for _, c := range []*x509.Certificate{k.pki.TSA.Cert, k.pki.CA.Cert} {
			certs = append(certs, u.Add(&pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(len(c.Raw))}, Data: c.Raw}))
		}
		nc["DSS"] = u.Add(pdf.Dict{"Certs": certs})
		u.Set(d.Trailer().Get("Root").(pdf.Ref), nc)
		b, err := u.Bytes()
		require.NoError(t, err)
		doc := append(bytes.Clone(bt), b...)
		rep := k.verify(t, doc, false, time.Time{})
		require.Len(t, rep.Signatures, 1)
		s := rep.Signatures[0]
		assert.Equal(t, signature.TotalPassed, s.Indication, "%v", failedChecks(s))
		c, ok := s.Check(signature.CheckTimestamp)
		require.True(t, ok)
		assert.Equal(t, signature.CheckPassed, c.Result, c.MessageEN)
		assert.True(t, s.TimeProven)
	})
}
