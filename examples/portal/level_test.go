package main

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// testLevels: with a TSA the completed document carries validation data and a
// document time-stamp, and verifies offline; a failing TSA is a 502 the client can
// retry with the same request.
func testLevels(t *testing.T, pki *certstatustest.PKI) {
	in := pdftest.Classic()
	offline := (&kyso.VerifyOptions{Trust: certstatus.NewTrustStore(pki.Root.Cert), Offline: true}).SignatureOptions()

	t.Run("B-LT", func(t *testing.T) {
		ts := startPortal(t, pki, func(c *Config) { c.Level = signature.LevelBLT })
		signed := signThroughPortal(t, ts.URL, pki.Leader, in, nil)
		require.True(t, bytes.HasPrefix(signed, in))
		signaturetest.AssertSignatures(t, signed, offline,
			signaturetest.Expect{Indication: signature.TotalPassed, Modification: signature.ModLTAUpdates,
				// ETSI EN 319 142-1 names a level B-LT only above B-T: a deferred
				// signature has no signature time-stamp, so with a DSS alone it stays
				// B-B, but it now verifies offline.
				Level: signature.LevelBB})
	})
	t.Run("B-LTA", func(t *testing.T) {
		ts := startPortal(t, pki, func(c *Config) { c.TSAURL = pki.TSAURL; c.Level = signature.LevelBLTA })
		prep := prepareDoc(t, ts.URL, pki.Leader, in, nil)
		sig := clientSign(t, pki.Leader, prep)

		pki.SetTSA(certstatustest.TSARejection)
		a := completeDoc(t, ts.URL, prep.State, sig, in)
		pki.SetTSA(certstatustest.TSANormal)
		require.Equal(t, http.StatusBadGateway, a.Status, "%s", a.Body)
		assert.Equal(t, codeUpstream, a.Error.Code)
		assert.Contains(t, a.Error.MessageVI, "Không lấy được dấu thời gian")

		a = completeDoc(t, ts.URL, prep.State, sig, in)
		require.Equal(t, http.StatusOK, a.Status, "%s", a.Body)
		rep := signaturetest.AssertSignatures(t, a.Body, offline,
			signaturetest.Expect{Kind: signature.KindSignature, Indication: signature.TotalPassed, Level: signature.LevelBLTA},
			signaturetest.Expect{Kind: signature.KindDocTimestamp, Indication: signature.TotalPassed})
		require.Len(t, rep.Signatures, 2)
		assert.Equal(t, signature.LevelBLTA, rep.Signatures[0].Level)
		assert.Contains(t, pdfsig(t, a.Body), "Signature is Valid")
	})
}
