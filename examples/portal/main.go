package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

const usage = `usage: portal -state-key-env VAR [-addr 127.0.0.1:8080] [-trust PEM ...] [-tsa URL] [-level B-B|B-LT|B-LTA] [-policy PROFILE]

A two-step signing and verification service for provincial portals:
  POST /api/prepare   the PDF and the signer's chain → {digest, hash, algorithm, state}
  POST /api/complete  {state, signature, pdf} → the signed PDF
  POST /api/verify    the PDF → the verification report (JSON)
  GET  /              a verification page in Vietnamese (POST /verify)

The state key (at least 32 bytes) is read from the environment variable named by
-state-key-env; every replica behind a load balancer must share it.

Flags:
`

const exitStatuses = `
exit status: 0 stopped by SIGINT/SIGTERM after a clean shutdown, 1 serving failed (the
address is taken, ...), 2 usage error (bad or missing flags, a short state key, an
unreadable -trust file, an unknown -policy profile)
`

// Timeouts of the HTTP server: long enough for a 32 MiB upload on a slow line and an
// OCSP/TSA round trip, short enough that idle or stalled clients do not hold sockets.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 2 * time.Minute
	writeTimeout      = 3 * time.Minute
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 30 * time.Second
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stderr, nil)
	stop()
	os.Exit(code)
}

// run parses args, starts the server and serves until ctx is done. ready, when not
// nil, is told the address listened on. It returns the exit status: 0 after a clean
// shutdown, 1 when serving failed, 2 for a usage error.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready func(addr string)) int {
	// A usage error is one line saying what is wrong, then a pointer at -help (as the
	// kyso command does); only -help prints the whole usage, with the exit statuses.
	fs := flag.NewFlagSet("portal", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	usageError := func(msg string) int {
		fmt.Fprintf(stderr, "portal: %s (portal -help lists the flags)\n", msg)
		return 2
	}
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	keyEnv := fs.String("state-key-env", "", "name of the environment variable holding the state key (≥ 32 bytes)")
	tsa := fs.String("tsa", "", "RFC 3161 time-stamping authority for B-LTA (e.g. "+certstatus.DefaultTSAURL+")")
	level := fs.String("level", "", "what to add after completion: B-B nothing, B-LT a DSS with validation data, B-LTA a DSS and a document time-stamp (default B-LTA with -tsa, else B-B)")
	maxMiB := fs.Int64("max-body", 32, "largest request body, in MiB")
	inflight := fs.Int("max-inflight", 0, "requests served at once (0: 4 × CPUs)")
	ttl := fs.Duration("state-ttl", 15*time.Minute, "how long a prepared state may be completed")
	strict := fs.Bool("strict-revocation", false, "an unknown revocation status is INDETERMINATE/TRY_LATER, not a warning")
	policyID := fs.String("policy", "", "check who may sign what under this province profile before preparing: "+strings.Join(policy.BuiltinProfiles().IDs(), ", "))
	offline := fs.Bool("offline", false, "never contact OCSP, CRL or AIA servers")
	var trust []string
	fs.Func("trust", "a PEM file of trusted root certificates, besides the VGCA root (repeatable)", func(s string) error {
		trust = append(trust, s)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprint(stderr, usage)
			fs.PrintDefaults()
			fmt.Fprint(stderr, exitStatuses)
			return 0
		}
		return usageError(err.Error())
	}
	switch {
	case fs.NArg() != 0:
		return usageError(fmt.Sprintf("unexpected arguments %q: the portal takes flags only", fs.Args()))
	case *keyEnv == "":
		return usageError("-state-key-env VAR is required (the variable holding the state key, e.g. export KYSO_STATE_KEY=$(openssl rand -hex 32))")
	case *maxMiB <= 0 || *maxMiB > 4096:
		return usageError(fmt.Sprintf("-max-body %d: want 1 to 4096 MiB", *maxMiB))
	case *inflight < 0:
		return usageError(fmt.Sprintf("-max-inflight %d: want 0 (4 × CPUs) or more", *inflight))
	case *ttl <= 0:
		return usageError(fmt.Sprintf("-state-ttl %v: want a positive duration", *ttl))
	}
	key := getenv(*keyEnv)
	if len(key) < minStateKey {
		fmt.Fprintf(stderr, "portal: the environment variable %s must hold a state key of at least %d bytes (e.g. openssl rand -hex 32)\n", *keyEnv, minStateKey)
		return 2
	}
	store := certstatus.DefaultTrustStore()
	for _, p := range trust {
		if _, err := store.AddPEMFile(p); err != nil {
			fmt.Fprintf(stderr, "portal: -trust %s: %v\n", p, err)
			return 2
		}
	}
	lv := signature.Level(*level)
	if lv == "" && *tsa != "" {
		lv = signature.LevelBLTA
	}
	var engine *policy.Engine
	if *policyID != "" {
		p, err := policy.BuiltinProfiles().Lookup(*policyID)
		if err == nil {
			engine, err = policy.New(policy.Options{Profile: p})
		}
		if err != nil {
			fmt.Fprintf(stderr, "portal: -policy %s: %v\n", *policyID, err)
			return 2
		}
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	srv, err := NewServer(Config{
		StateKey: []byte(key), StateTTL: *ttl, Trust: store, TSAURL: *tsa, Level: lv,
		MaxBody: *maxMiB << 20, MaxInFlight: *inflight, StrictRevocation: *strict, Offline: *offline,
		Policy: engine, Logger: log,
	})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "portal: %v\n", err)
		return 1
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("portal listening", "addr", ln.Addr().String(), "extendTo", string(srv.cfg.Level), "tsa", *tsa, "policy", *policyID)
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		log.Error("serving failed", "err", err)
		return 1
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		log.Error("shutdown", "err", err)
		return 1
	}
	log.Info("portal stopped")
	return 0
}
