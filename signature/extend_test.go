package signature_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ocsp"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// lvDSS reads the newest DSS of doc: the decoded streams of each array and the VRI
// keys with the number of entries each VRI entry lists per kind.
type lvDSSContent struct {
	certs, ocsps, crls [][]byte
	vri                map[string][3]int
}

func lvReadDSS(t testing.TB, doc []byte) lvDSSContent {
	t.Helper()
	d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	cat, err := d.Catalog()
	require.NoError(t, err)
	dv, err := d.Resolve(cat.Get("DSS"))
	require.NoError(t, err)
	dss, ok := dv.(pdf.Dict)
	require.True(t, ok, "no /DSS dictionary in the catalog")
	read := func(o pdf.Object) [][]byte {
		a, err := d.Resolve(o)
		require.NoError(t, err)
		arr, _ := a.(pdf.Array)
		var out [][]byte
		for _, e := range arr {
			_, isRef := e.(pdf.Ref)
			require.True(t, isRef, "DSS entries must be indirect streams")
			so, err := d.Resolve(e)
			require.NoError(t, err)
			st, ok := so.(*pdf.Stream)
			require.True(t, ok)
			data, err := d.StreamData(st)
			require.NoError(t, err)
			out = append(out, data)
		}
		return out
	}
	c := lvDSSContent{certs: read(dss.Get("Certs")), ocsps: read(dss.Get("OCSPs")), crls: read(dss.Get("CRLs")), vri: map[string][3]int{}}
	vo, err := d.Resolve(dss.Get("VRI"))
	require.NoError(t, err)
	vri, _ := vo.(pdf.Dict)
	for k, v := range vri {
		ev, err := d.Resolve(v)
		require.NoError(t, err)
		e, ok := ev.(pdf.Dict)
		require.True(t, ok)
		var n [3]int
		for i, key := range []pdf.Name{"Cert", "OCSP", "CRL"} {
			a, _ := d.Resolve(e.Get(key))
			arr, _ := a.(pdf.Array)
			n[i] = len(arr)
		}
		c.vri[string(k)] = n
	}
	return c
}

func assertNoDuplicates(t *testing.T, what string, items [][]byte) {
	t.Helper()
	seen := map[[32]byte]bool{}
	for _, it := range items {
		h := sha256.Sum256(it)
		assert.False(t, seen[h], "duplicate %s in the DSS", what)
		seen[h] = true
	}
}

func TestExtendArchiveRenewal(t *testing.T) {
	k := newLVKit(t)
	in := pdftest.XRefStream()
	// Two signers, B-B: Extend must give each its VRI entry.
	one, _ := k.sign(t, in, nil)
	var buf bytes.Buffer
	_, err := signature.Sign(context.Background(), &buf, bytes.NewReader(one), int64(len(one)), k.pki.Deputy.Key,
		k.pki.Deputy.Chain, &signature.SignOptions{PSS: true, Level: k.levelOptions(signature.LevelBT)})
	require.NoError(t, err)
	two := buf.Bytes()

	lta, res := k.extend(t, two, nil)
	require.NotNil(t, res.DocTimestamp)
	assert.Equal(t, "DocTimeStamp1", res.DocTimestamp.Field)
	assert.Len(t, res.VRI, 2)
	assert.Empty(t, res.Missing)
	dss := lvReadDSS(t, lta)
	assert.Len(t, dss.vri, 2)
	for key, n := range dss.vri {
		assert.Regexp(t, `^[0-9A-F]{40}$`, key)
		assert.GreaterOrEqual(t, n[0], 3, "VRI %s: signer, CA, root", key)
		assert.Positive(t, n[1]+n[2], "VRI %s: revocation data", key)
	}
	k.lvExternalChecks(t, lta, 2, 1, true)

	rep := k.verify(t, lta, true, time.Time{})
	require.Len(t, rep.Signatures, 3)
	// The first signature is B-B: without a signature time-stamp, the document
	// time-stamp gives it a proof of existence (B-T level at least, as EU DSS counts).
	for i, s := range rep.Signatures {
		assert.Equal(t, signature.TotalPassed, s.Indication, "signature %d: %+v", i, s.Checks)
	}
	assert.Equal(t, signature.LevelBLTA, rep.Signatures[1].Level, "%+v", rep.Signatures[1].Checks)
	// A B-B signature (a deferred one, say) reaches B-LTA through Extend alone: the
	// document time-stamp is its proof of existence.
	assert.Equal(t, signature.LevelBLTA, rep.Signatures[0].Level, "%+v", rep.Signatures[0].Checks)

	// Renewal: a second Extend adds validation data for the first document time-stamp
	// and a second document time-stamp; the DSS is reused, nothing duplicated.
	renewed, res2 := k.extend(t, lta, nil)
	assert.Equal(t, "DocTimeStamp2", res2.DocTimestamp.Field)
	assert.Len(t, res2.VRI, 3)
	dss2 := lvReadDSS(t, renewed)
	assert.Len(t, dss2.vri, 3)
	for key, n := range dss.vri {
		assert.GreaterOrEqual(t, dss2.vri[key][0], n[0], "the VRI entry %s must be kept", key)
	}
	assertNoDuplicates(t, "certificate", dss2.certs)
	assertNoDuplicates(t, "OCSP response", dss2.ocsps)
	assertNoDuplicates(t, "CRL", dss2.crls)
	assert.GreaterOrEqual(t, len(dss2.certs), len(dss.certs))
	k.lvExternalChecks(t, renewed, 2, 2, true)

	rep = k.verify(t, renewed, true, time.Time{})
	require.Len(t, rep.Signatures, 4)
	for i, s := range rep.Signatures {
		assert.Equal(t, signature.TotalPassed, s.Indication, "signature %d: %+v", i, s.Checks)
	}
	assert.Equal(t, signature.ModLTAUpdates, rep.Signatures[0].Modification)
	assert.Equal(t, signature.LevelBLTA, rep.Signatures[1].Level)

	// Years later, once the TSA's certificate expired too, the last document
	// time-stamp proves nothing any more (its key is no longer protected), and neither
	// does the archive: it had to be renewed before then (ETSI EN 319 102-1).
	require.NoError(t, k.pki.Close())
	later := time.Now().AddDate(4, 0, 0)
	require.True(t, later.After(k.pki.TSA.Cert.NotAfter))
	rep = k.verify(t, renewed, true, later)
	last := rep.Signatures[len(rep.Signatures)-1]
	assert.Equal(t, signature.Indeterminate, last.Indication, "%+v", last.Checks)
	assert.Equal(t, signature.OutOfBoundsNoPOE, last.SubIndication)
	c, ok := last.Check(signature.CheckTimestamp)
	require.True(t, ok)
	assert.Equal(t, signature.CheckFailed, c.Result)
	assert.Contains(t, c.MessageEN, "Renew the archive")
	assert.Contains(t, c.MessageVI, "gia hạn")
	assert.NotEqual(t, signature.TotalPassed, rep.Signatures[1].Indication, "%+v", rep.Signatures[1].Checks)
}

// TestExtendOutlivesSigner: an archive verifies offline, with the responders gone,
// after the signer's certificate expired, as long as the time-stamping certificate of
// its last document time-stamp has not.
func TestExtendOutlivesSigner(t *testing.T) {
	k := newLVKit(t)
	short, err := k.pki.Issue("short", &x509.Certificate{
		Subject:  pkix.Name{Country: []string{"VN"}, Organization: []string{"UBND tỉnh Quảng Ninh"}, CommonName: "Lê Thị Hạnh"},
		NotAfter: time.Now().AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	})
	require.NoError(t, err)
	in := pdftest.Classic()
	var buf bytes.Buffer
	_, err = signature.Sign(context.Background(), &buf, bytes.NewReader(in), int64(len(in)), short.Key, short.Chain,
		&signature.SignOptions{PSS: true, Level: k.levelOptions(signature.LevelBT)})
	require.NoError(t, err)
	lta, _ := k.extend(t, buf.Bytes(), nil)
	require.NoError(t, k.pki.Close())

	at := short.Cert.NotAfter.AddDate(0, 6, 0)
	require.True(t, at.Before(k.pki.TSA.Cert.NotAfter))
	rep := k.verify(t, lta, true, at)
	require.Len(t, rep.Signatures, 2)
	for i, s := range rep.Signatures {
		assert.Equal(t, signature.TotalPassed, s.Indication, "%d: %s %+v", i, s.SubIndication, s.Checks)
	}
	assert.Equal(t, signature.LevelBLTA, rep.Signatures[0].Level)

	// The same signature without the archive data cannot be proven then: its signature
	// time-stamp alone is fine (the TSA still valid), but there is no revocation data.
	rep = k.verify(t, buf.Bytes(), true, at)
	require.Len(t, rep.Signatures, 1)
	assert.NotEqual(t, signature.TotalPassed, rep.Signatures[0].Indication)

	// Once the TSA's certificate expired too, the signature time-stamp of the B-T
	// document proves no time: the signature is judged on its claimed time.
	after := k.pki.TSA.Cert.NotAfter.AddDate(0, 1, 0)
	rep = k.verify(t, buf.Bytes(), true, after)
	require.Len(t, rep.Signatures, 1)
	s := rep.Signatures[0]
	assert.False(t, s.TimeProven)
	assert.Equal(t, signature.LevelBB, s.Level)
	assert.Equal(t, signature.OutOfBoundsNoPOE, s.SubIndication, "%+v", s.Checks)
	c, ok := s.Check(signature.CheckTimestamp)
	require.True(t, ok)
	assert.Equal(t, signature.CheckWarning, c.Result)
	assert.Contains(t, c.MessageEN, "no longer proves the time")
}

func TestExtendDSSOnly(t *testing.T) {
	k := newLVKit(t)
	bt, _ := k.sign(t, pdftest.Hybrid(), k.levelOptions(signature.LevelBT))
	lt, res := k.extend(t, bt, func(o *signature.ExtendOptions) { o.NoDocTimestamp = true; o.Timestamper = nil })
	assert.Nil(t, res.DocTimestamp)
	assert.Len(t, res.VRI, 1)
	rep := k.verify(t, lt, true, time.Time{})
	require.Len(t, rep.Signatures, 1)
	assert.Equal(t, signature.TotalPassed, rep.Signatures[0].Indication, "%+v", rep.Signatures[0].Checks)
	assert.Equal(t, signature.LevelBLT, rep.Signatures[0].Level)
	k.lvExternalChecks(t, lt, 1, 0, false)

	// Nothing new to add: the same data again writes no DSS update at all... but a
	// fresh OCSP response may differ; what is certain is that no item is repeated.
	again, _ := k.extend(t, lt, func(o *signature.ExtendOptions) { o.NoDocTimestamp = true; o.Timestamper = nil })
	d := lvReadDSS(t, again)
	assertNoDuplicates(t, "certificate", d.certs)
	assertNoDuplicates(t, "CRL", d.crls)
}

// noRevocation is a RevocationSource whose responders are all down.
type noRevocation struct{}

func (noRevocation) OCSPResponse(context.Context, *x509.Certificate, *x509.Certificate) ([]byte, error) {
	return nil, errors.New("responder unreachable")
}

func (noRevocation) CRLs(context.Context, *x509.Certificate, *x509.Certificate) ([][]byte, error) {
	return nil, errors.New("distribution point unreachable")
}

func TestLevelsMissingRevocation(t *testing.T) {
	k := newLVKit(t)
	in := pdftest.Classic()
	ctx := context.Background()

	// The live responders fail: OCSP answers internalError, the CRLs are gone.
	k.pki.SetOCSP(certstatustest.OCSPInternalError)
	k.pki.SetCRL(certstatustest.CRLNotFound)
	fresh := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(k.pki.Root.Cert),
		OCSPCacheEntries: -1, CRLCacheBytes: -1, Timeout: serviceTimeout})

	for _, src := range []signature.RevocationSource{fresh, noRevocation{}} {
		lo := k.levelOptions(signature.LevelBLTA)
		lo.Revocation = src
		var out bytes.Buffer
		_, err := signature.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), k.pki.Leader.Key, k.pki.Leader.Chain,
			&signature.SignOptions{Level: lo})
		require.ErrorIs(t, err, signature.ErrRevocationUnavailable)
		var re *signature.RevocationError
		require.ErrorAs(t, err, &re)
		require.NotEmpty(t, re.Missing)
		assert.Equal(t, k.pki.Leader.Cert.Subject.CommonName, re.Missing[0].Certificate.Subject.CommonName)
		assert.Contains(t, err.Error(), "ContinueWithoutRevocation", "the error says how to go on")

		// The caller may choose to keep the lower level.
		lo.OnMissingRevocation = signature.ContinueWithoutRevocation
		out.Reset()
		res, err := signature.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), k.pki.Leader.Key, k.pki.Leader.Chain,
			&signature.SignOptions{Level: lo})
		require.NoError(t, err)
		assert.Equal(t, signature.LevelBT, res.Level.Level)
		assert.NotEmpty(t, res.Level.Missing)
		assert.NotEmpty(t, res.Level.Warnings)
		assert.Nil(t, res.Level.Validation)
		assert.Equal(t, int64(out.Len()), res.Size)
		rep := k.verify(t, out.Bytes(), true, time.Time{})
		assert.Equal(t, signature.LevelBT, rep.Signatures[0].Level)

		// Extend: fail by default, nothing written; or embed what there is.
		var ext bytes.Buffer
		_, err = signature.Extend(ctx, &ext, bytes.NewReader(out.Bytes()), int64(out.Len()),
			&signature.ExtendOptions{Timestamper: k.tsa, Revocation: src, Certificates: lo.Certificates})
		require.ErrorIs(t, err, signature.ErrRevocationUnavailable)
		assert.Zero(t, ext.Len(), "nothing may be written on failure")
		ext.Reset()
		eres, err := signature.Extend(ctx, &ext, bytes.NewReader(out.Bytes()), int64(out.Len()),
			&signature.ExtendOptions{Timestamper: k.tsa, Revocation: src, Certificates: lo.Certificates,
				OnMissingRevocation: signature.ContinueWithoutRevocation})
		require.NoError(t, err)
		assert.NotEmpty(t, eres.Missing)
		require.NotNil(t, eres.DocTimestamp)
		rep = k.verify(t, ext.Bytes(), true, time.Time{})
		require.Len(t, rep.Signatures, 2)
		assert.Equal(t, signature.TotalPassed, rep.Signatures[1].Indication, "%+v", rep.Signatures[1].Checks)
	}
}

// fixedTimestamper answers every request with the same token.
type fixedTimestamper struct{ token []byte }

func (f fixedTimestamper) Timestamp(context.Context, []byte, crypto.Hash) ([]byte, error) {
	return f.token, nil
}

func TestLevelsTimestampFailures(t *testing.T) {
	k := newLVKit(t)
	in := pdftest.Classic()
	ctx := context.Background()
	other := sha256.Sum256([]byte("other data"))
	overOther, err := k.pki.Timestamp(other[:], crypto.SHA256, nil)
	require.NoError(t, err)

	cases := []struct {
		name  string
		setup func()
		ts    signature.Timestamper
	}{
		{"TSA rejects", func() { k.pki.SetTSA(certstatustest.TSARejection) }, k.tsa},
		{"TSA malformed", func() { k.pki.SetTSA(certstatustest.TSAMalformed) }, k.tsa},
		{"token over other data", func() { k.pki.SetTSA(certstatustest.TSANormal) }, fixedTimestamper{overOther}},
		{"garbage token", func() { k.pki.SetTSA(certstatustest.TSANormal) }, fixedTimestamper{[]byte{0x30, 0x03, 0x02, 0x01, 0x01}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.setup()
			defer k.pki.SetTSA(certstatustest.TSANormal)
			for _, target := range []signature.Level{signature.LevelBT, signature.LevelBLTA} {
				lo := k.levelOptions(target)
				lo.Timestamper = tc.ts
				var out bytes.Buffer
				_, err := signature.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), k.pki.Leader.Key, k.pki.Leader.Chain,
					&signature.SignOptions{Level: lo})
				require.ErrorIs(t, err, signature.ErrTimestamp)
				var te *signature.TimestampError
				require.ErrorAs(t, err, &te)
				assert.Equal(t, "signature time-stamp", te.Purpose)
			}
			signed, _ := k.sign(t, in, nil)
			var out bytes.Buffer
			_, err := signature.Extend(ctx, &out, bytes.NewReader(signed), int64(len(signed)),
				&signature.ExtendOptions{Timestamper: tc.ts, Revocation: k.checker, Certificates: []*x509.Certificate{k.pki.Root.Cert}})
			require.ErrorIs(t, err, signature.ErrTimestamp)
			var te *signature.TimestampError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, "document time-stamp", te.Purpose)
			assert.Zero(t, out.Len(), "nothing may be written on failure")
		})
	}
}

func TestLevelOptionsRefused(t *testing.T) {
	k := newLVKit(t)
	in := pdftest.Classic()
	ctx := context.Background()
	cases := []struct {
		name string
		lo   *signature.LevelOptions
	}{
		{"unknown level", &signature.LevelOptions{Target: "B-XL", Timestamper: k.tsa}},
		{"B-T without TSA", &signature.LevelOptions{Target: signature.LevelBT}},
		{"B-LT without revocation", &signature.LevelOptions{Target: signature.LevelBLT, Timestamper: k.tsa}},
		{"bad policy", &signature.LevelOptions{Target: signature.LevelBT, Timestamper: k.tsa, OnMissingRevocation: 7}},
		{"bad reserve", &signature.LevelOptions{Target: signature.LevelBLTA, Timestamper: k.tsa, Revocation: k.checker, DocTimestampReserve: -1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := signature.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), k.pki.Leader.Key, k.pki.Leader.Chain,
				&signature.SignOptions{Level: tc.lo})
			require.ErrorIs(t, err, signature.ErrInvalidOptions)
			assert.Zero(t, out.Len(), "refused before writing")
		})
	}

	signed, _ := k.sign(t, in, nil)
	ext := []struct {
		name string
		in   []byte
		opts *signature.ExtendOptions
		want error
	}{
		{"no options", signed, nil, signature.ErrInvalidOptions},
		{"SHA-1", signed, &signature.ExtendOptions{Timestamper: k.tsa, Hash: crypto.SHA1}, signature.ErrAlgorithm},
		{"unsigned document", in, &signature.ExtendOptions{Timestamper: k.tsa}, signature.ErrNoLevelData},
		{"not a PDF", []byte("%PDF-1.7 nothing else"), &signature.ExtendOptions{Timestamper: k.tsa}, signature.ErrDocument},
		{"field exists", signed, &signature.ExtendOptions{Timestamper: k.tsa, Field: "Signature1",
			Revocation: k.checker, Certificates: []*x509.Certificate{k.pki.Root.Cert}}, signature.ErrFieldExists},
	}
	for _, tc := range ext {
		t.Run("Extend "+tc.name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := signature.Extend(ctx, &out, bytes.NewReader(tc.in), int64(len(tc.in)), tc.opts)
			require.ErrorIs(t, err, tc.want)
			assert.Zero(t, out.Len())
		})
	}
}

func TestSignLevelsStructuralKinds(t *testing.T) {
	k := newLVKit(t)
	inputs := map[string][]byte{
		"object-streams": pdftest.ObjectStreams(),
		"incremental":    pdftest.IncrementalXRefStream(),
		"with-field":     pdftest.WithSignatureField(),
		"encrypted":      pdftest.Encrypted(t, pdftest.Classic(), pdftest.AES256, ""),
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			out, res := k.sign(t, in, k.levelOptions(signature.LevelBLTA))
			require.True(t, bytes.HasPrefix(out, in))
			assert.Equal(t, signature.LevelBLTA, res.Level.Level)
			rep := k.verify(t, out, true, time.Time{})
			require.Len(t, rep.Signatures, 2)
			assert.Equal(t, signature.TotalPassed, rep.Signatures[0].Indication, "%+v", rep.Signatures[0].Checks)
			assert.Equal(t, signature.LevelBLTA, rep.Signatures[0].Level)
			assert.Equal(t, signature.TotalPassed, rep.Signatures[1].Indication, "%+v", rep.Signatures[1].Checks)
			if name != "encrypted" {
				k.lvExternalChecks(t, out, 1, 1, true)
			}
		})
	}
}

// A deferred (two-step) signature is brought to B-LTA by Extend.
func TestExtendDeferredSignature(t *testing.T) {
	k := newLVKit(t)
	in := pdftest.ObjectStreams()
	ctx := context.Background()
	prep, err := signature.Prepare(ctx, bytes.NewReader(in), int64(len(in)), k.pki.Leader.Chain, &signature.SignOptions{PSS: true})
	require.NoError(t, err)
	sig, err := k.pki.Leader.Key.Sign(rand.Reader, prep.Digest, prep.SignerOpts)
	require.NoError(t, err)
	var signed bytes.Buffer
	_, err = signature.Complete(ctx, &signed, bytes.NewReader(in), int64(len(in)), prep.State, sig, nil)
	require.NoError(t, err)

	lta, res := k.extend(t, signed.Bytes(), nil)
	assert.Empty(t, res.Missing)
	rep := k.verify(t, lta, true, time.Time{})
	require.Len(t, rep.Signatures, 2)
	assert.Equal(t, signature.TotalPassed, rep.Signatures[0].Indication, "%+v", rep.Signatures[0].Checks)
	assert.Equal(t, signature.LevelBLTA, rep.Signatures[0].Level)
	k.lvExternalChecks(t, lta, 1, 1, true)
}

func TestLevelsRevokedSigner(t *testing.T) {
	k := newLVKit(t)
	in := pdftest.Classic()

	// Revoked after the archive was time-stamped: renewal embeds the "revoked" answer,
	// and the signature stays valid because its time-stamp proves it came first.
	lta, _ := k.sign(t, in, k.levelOptions(signature.LevelBLTA))
	time.Sleep(1100 * time.Millisecond) // time-stamps have one-second precision
	k.pki.Revoke(k.pki.Leader.Cert, ocsp.KeyCompromise, time.Time{})
	// A checker without caches, so that the answers given before the revocation are
	// not served again.
	k.checker = certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(k.pki.Root.Cert),
		OCSPCacheEntries: -1, CRLCacheBytes: -1, Timeout: serviceTimeout})
	renewed, res := k.extend(t, lta, nil)
	require.Len(t, res.Warnings, 1, "the responder's 'revoked' must be reported")
	assert.Contains(t, res.Warnings[0], k.pki.Leader.Cert.Subject.CommonName)
	assert.Positive(t, res.OCSPs, "the new answers are embedded")
	rep := k.verify(t, renewed, true, time.Time{})
	require.Len(t, rep.Signatures, 3)
	s := rep.Signatures[0]
	assert.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
	assert.Equal(t, signature.LevelBLTA, s.Level)

	// Signing after the revocation: the DSS holds the evidence and the verdict is
	// TOTAL_FAILED / REVOKED.
	var out bytes.Buffer
	sres, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), k.pki.Leader.Key,
		k.pki.Leader.Chain, &signature.SignOptions{Level: k.levelOptions(signature.LevelBLTA)})
	require.NoError(t, err)
	assert.NotEmpty(t, sres.Level.Warnings)
	rep = k.verify(t, out.Bytes(), true, time.Time{})
	assert.Equal(t, signature.TotalFailed, rep.Signatures[0].Indication, "%+v", rep.Signatures[0].Checks)
	assert.Equal(t, signature.Revoked, rep.Signatures[0].SubIndication)
}

func TestLevelsTokenRoom(t *testing.T) {
	k := newLVKit(t)
	in := pdftest.Classic()
	// A document time-stamp token larger than the room asked for: the update is
	// rebuilt once with enough room and a new token over the new bytes.
	signed, _ := k.sign(t, in, nil)
	out, res := k.extend(t, signed, func(o *signature.ExtendOptions) { o.TimestampReserve = 64 })
	require.NotNil(t, res.DocTimestamp)
	rep := k.verify(t, out, true, time.Time{})
	require.Len(t, rep.Signatures, 2)
	assert.Equal(t, signature.TotalPassed, rep.Signatures[1].Indication, "%+v", rep.Signatures[1].Checks)
	k.lvExternalChecks(t, out, 1, 1, true)

	// No room kept for the signature time-stamp: a clear refusal before anything is
	// written or asked of the TSA.
	var buf bytes.Buffer
	_, err := signature.Sign(context.Background(), &buf, bytes.NewReader(in), int64(len(in)), k.pki.Leader.Key,
		k.pki.Leader.Chain, &signature.SignOptions{ReserveUnsigned: -1, Level: k.levelOptions(signature.LevelBT)})
	require.ErrorIs(t, err, signature.ErrInvalidOptions)
	assert.Contains(t, err.Error(), "ReserveUnsigned")
	assert.Zero(t, buf.Len(), "nothing written")
}

func TestExtendCancelled(t *testing.T) {
	k := newLVKit(t)
	signed, _ := k.sign(t, pdftest.Classic(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	_, err := signature.Extend(ctx, &out, bytes.NewReader(signed), int64(len(signed)), &signature.ExtendOptions{
		Timestamper: k.tsa, Revocation: k.checker, Certificates: []*x509.Certificate{k.pki.Root.Cert}})
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, out.Len())
}

// An OCSP responder that does not know the certificate: the CRL is used instead.
func TestLevelsOCSPUnknownFallsBackToCRL(t *testing.T) {
	k := newLVKit(t)
	k.pki.SetOCSP(certstatustest.OCSPUnknown)
	k.checker = certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(k.pki.Root.Cert),
		OCSPCacheEntries: -1, CRLCacheBytes: -1, Timeout: serviceTimeout})
	out, res := k.sign(t, pdftest.Classic(), k.levelOptions(signature.LevelBLT))
	require.Equal(t, signature.LevelBLT, res.Level.Level, "%v", res.Level.Warnings)
	assert.Positive(t, res.Level.Validation.CRLs)
	rep := k.verify(t, out, true, time.Time{})
	assert.Equal(t, signature.TotalPassed, rep.Signatures[0].Indication, "%+v", rep.Signatures[0].Checks)
	assert.Equal(t, signature.LevelBLT, rep.Signatures[0].Level)
}
