package signature

import (
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kyso-go/kyso/internal/cms"
)

// TestTokenCandidatesOnce checks that the certificates a time-stamp token's TSA is
// looked up among are collected once for the document, each certificate once (the
// first of identical copies), after the token's own.
func TestTokenCandidatesOnce(t *testing.T) {
	a1 := &x509.Certificate{Raw: []byte("A")}
	a2 := &x509.Certificate{Raw: []byte("A")} // the same certificate, another copy
	b := &x509.Certificate{Raw: []byte("B")}
	c := &x509.Certificate{Raw: []byte("C")}
	v := &verifier{opts: &VerifyOptions{Certificates: []*x509.Certificate{c}}}
	for range 80 {
		v.sigs = append(v.sigs, &sigState{sd: &cms.SignedData{Certificates: []*x509.Certificate{a1, b}}})
	}
	v.sigs = append(v.sigs, &sigState{tok: &timestampToken{Certs: []*x509.Certificate{a2, c}}})
	got := v.tokenCandidates([]*x509.Certificate{b})
	assert.Equal(t, []*x509.Certificate{b, c, a1, b}, got)
	assert.Same(t, a1, got[2])
	// Built once: later signatures do not change it.
	v.sigs = append(v.sigs, &sigState{sd: &cms.SignedData{Certificates: []*x509.Certificate{{Raw: []byte("D")}}}})
	assert.Len(t, v.tokenCandidates(nil), 3)
}
