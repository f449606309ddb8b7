package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/token/csctest"
)

// The remote signing service "kyso pki serve" runs beside OCSP/CRL/TSA: test values,
// printed at start-up, of no legal or security value.
const (
	pkiCSCToken = "kyso-test-csc-token"
	pkiCSCPIN   = "123456"
)

// pkiServer serves the test PKI's responders and a CSC API v2 test service holding the
// keys of the leader, the deputy, the clerk and the organisation seal.
type pkiServer struct {
	http *http.Server
	done chan error
}

// servePKIWithCSC starts serving pki's endpoints and, under /csc/v2/, the CSC service.
func servePKIWithCSC(pki *certstatustest.PKI, ln net.Listener) (*pkiServer, error) {
	var creds []csctest.Credential
	for _, h := range []*certstatustest.Holder{pki.Leader, pki.Deputy, pki.Clerk, pki.Org} {
		if h == nil || h.Key == nil {
			continue
		}
		creds = append(creds, csctest.Credential{ID: strings.ToLower(h.Name), Key: h.Key, Chain: h.Chain, PIN: pkiCSCPIN,
			Description: h.Cert.Subject.CommonName})
	}
	csc, err := csctest.NewHandlerServer(pkiCSCToken, creds...)
	if err != nil {
		return nil, err
	}
	pkiHandler, cscHandler := pki.Handler(), csc.Handler()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/csc/") {
			cscHandler.ServeHTTP(w, r)
			return
		}
		pkiHandler.ServeHTTP(w, r)
	})
	s := &pkiServer{http: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}, done: make(chan error, 1)}
	go func() { s.done <- s.http.Serve(ln) }()
	return s, nil
}

// Close stops the server.
func (s *pkiServer) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if err != nil {
		s.http.Close()
	}
	if serr := <-s.done; serr != nil && serr != http.ErrServerClosed {
		err = serr
	}
	return err
}

// printCSCEndpoint tells how to sign with the CSC test service.
func printCSCEndpoint(w io.Writer, base string) {
	fmt.Fprintf(w, "  CSC  %s/csc/v2/ (ký số từ xa: credentials leader, deputy, clerk, org; access token %q, PIN %q)\n", base, pkiCSCToken, pkiCSCPIN)
	fmt.Fprintf(w, "       e.g. KYSO_CSC_TOKEN=%s KYSO_CSC_PIN=%s kyso sign -in IN.pdf -out OUT.pdf -csc %s -csc-credential leader -csc-auth-env KYSO_CSC_TOKEN -csc-pin-env KYSO_CSC_PIN\n", pkiCSCToken, pkiCSCPIN, base)
}
