package main

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// testConcurrent: users prepare on one replica and complete on another, at once; each
// gets their own valid document (run under -race in CI).
func testConcurrent(t *testing.T, pki *certstatustest.PKI) {
	a := startPortal(t, pki, nil)
	b := startPortal(t, pki, nil)
	docs := [][]byte{pdftest.Classic(), pdftest.XRefStream(), pdftest.ObjectStreams(), pdftest.Incremental()}
	signers := []*certstatustest.Holder{pki.Leader, pki.Deputy}
	// Parallel subtests, so that require may stop each one; the group waits for all.
	t.Run("users", func(t *testing.T) {
		for i := range 6 {
			t.Run(fmt.Sprintf("user %d", i+1), func(t *testing.T) {
				t.Parallel()
				in, h := docs[i%len(docs)], signers[i%len(signers)]
				prep := prepareDoc(t, a.URL, h, in, map[string]string{"reason": fmt.Sprintf("Người dùng thứ %d", i+1)})
				done := completeDoc(t, b.URL, prep.State, clientSign(t, h, prep), in)
				require.Equal(t, http.StatusOK, done.Status, "%s", done.Body)
				signaturetest.AssertSignatures(t, done.Body, &signature.VerifyOptions{Roots: pki.Roots(), AllowMissingRevocation: true},
					signaturetest.Expect{Signer: h.Cert.Subject.CommonName})
			})
		}
	})
}
