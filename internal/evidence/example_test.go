package evidence_test

import (
	"crypto/x509"
	"fmt"
	"time"

	"github.com/kyso-go/kyso/internal/evidence"
)

// Offline judges the OCSP responses and CRLs a document carries; with nothing about
// the certificate, the status is unknown and the error says so.
func ExampleEvaluator_Offline() {
	var e evidence.Evaluator
	cert, issuer := &x509.Certificate{}, &x509.Certificate{}
	r := e.Offline(cert, issuer, time.Now(), []evidence.Source{evidence.SourceOCSP, evidence.SourceCRL}, nil, nil)
	fmt.Println(r.Status)
	fmt.Println(evidence.SubIndication(r.Err))
	// Output:
	// unknown
	// TRY_LATER
}
