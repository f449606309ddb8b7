package certstatustest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// Start starts the servers on the PKI's address (from Generate or Load).
func (p *PKI) Start() error {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		return fmt.Errorf("certstatustest: listen on %s: %w", p.addr, err)
	}
	p.Serve(ln)
	return nil
}

// Serve starts the servers on a listener the caller opened (for example on another
// address than the certificates name, behind a forwarder); it returns at once. Close
// stops them.
func (p *PKI) Serve(ln net.Listener) {
	p.listener = ln
	p.server = &http.Server{Handler: p.Handler(), ReadHeaderTimeout: 10 * time.Second}
	p.serveErr = make(chan error, 1)
	go func() { p.serveErr <- p.server.Serve(ln) }()
}

// Close stops the servers and waits for them; it is safe to call more than once.
func (p *PKI) Close() error {
	p.closeOnce.Do(func() {
		if p.server == nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := p.server.Shutdown(ctx)
		if err != nil {
			p.server.Close()
		}
		if serr := <-p.serveErr; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			err = serr
		}
		p.closeResult = err
	})
	return p.closeResult
}

// Endpoints lists the URLs the servers answer, for printing.
func (p *PKI) Endpoints() []string {
	return []string{
		"OCSP " + p.OCSPURL,
		"TSA  " + p.TSAURL,
		"CRL  " + p.CRLURL,
		"CRL  " + p.RootCRLURL,
		"CRL  " + p.DeltaCRLURL + " (delta, after FreezeBaseCRL)",
		"AIA  " + p.URL + "/aia/ca.cer",
		"AIA  " + p.URL + "/aia/root.cer",
	}
}

// Handler returns the HTTP handler of every endpoint: /ocsp (POST, and GET with the
// request in the path), /tsa (POST application/timestamp-query), /crl/ca.crl,
// /crl/root.crl, /crl/ca-delta.crl, /aia/ca.cer and /aia/root.cer.
func (p *PKI) Handler() http.Handler {
	// Dispatch by prefix rather than with http.ServeMux, which would redirect a GET
	// request whose base64 path holds "//".
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		switch {
		case path == "/ocsp" || strings.HasPrefix(path, "/ocsp/"):
			p.serveOCSP(w, r)
		case path == "/tsa":
			p.serveTSA(w, r)
		case strings.HasPrefix(path, "/crl/"):
			p.serveCRL(w, r)
		case strings.HasPrefix(path, "/aia/"):
			p.serveAIA(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}

func (p *PKI) serveAIA(w http.ResponseWriter, r *http.Request) {
	p.hit("aia")
	var der []byte
	switch strings.TrimPrefix(r.URL.Path, "/aia/") {
	case "root.cer":
		der = p.Root.Cert.Raw
	case "ca.cer":
		der = p.CA.Cert.Raw
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/pkix-cert")
	w.Write(der)
}
