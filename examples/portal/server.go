package main

import (
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// Config is what a portal instance needs. Replicas that share StateKey can complete
// each other's preparations.
type Config struct {
	// StateKey protects the deferred-signing state with HMAC-SHA256; at least 32 bytes.
	StateKey []byte
	// StateTTL is how long a prepared state may be completed; 0 means 15 minutes.
	StateTTL time.Duration
	// Trust holds the roots signers' chains must reach; nil means the VGCA root.
	Trust *certstatus.TrustStore
	// TSAURL, when set, is the RFC 3161 time-stamping authority used to extend
	// completed signatures (Level B-LTA).
	TSAURL string
	// Level says which steps of signature.Extend /api/complete runs on the completed
	// signature: signature.LevelBB (default) none; signature.LevelBLT the validation
	// data (certificates, OCSP responses, CRLs) in a DSS, so the document verifies
	// offline; signature.LevelBLTA the DSS and a document time-stamp, which proves when
	// the signature existed (needs TSAURL). A deferred signature carries no signature
	// time-stamp (Prepare and Complete make B-B), so with the DSS alone verifiers still
	// report B-B (ETSI EN 319 142-1 puts B-LT above B-T); with the document time-stamp
	// they report B-LTA.
	Level signature.Level
	// MaxBody bounds a request body in bytes; 0 means 32 MiB.
	MaxBody int64
	// MaxInFlight bounds the signing and verification requests served at once (each
	// holds its document in memory); 0 means 4 × GOMAXPROCS. More get 503.
	MaxInFlight int
	// StrictRevocation makes an undeterminable revocation status INDETERMINATE/TRY_LATER
	// (ETSI EN 319 102-1) instead of the warning Thông tư 15/2025 asks for.
	StrictRevocation bool
	// Offline verifies with the revocation data inside documents only.
	Offline bool
	// Policy, when set, is asked before every preparation whether this signer may
	// sign this document now (Nghị định 30/2020/NĐ-CP and the province's rules); the
	// prepare request must then say the signer's role. Nil checks no policy.
	Policy *policy.Engine
	// HTTPClient reaches OCSP, CRL, AIA and TSA servers; nil means one with the
	// checker's timeouts.
	HTTPClient *http.Client
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// minStateKey is the shortest state key accepted (HMAC-SHA256 wants 32 bytes).
const minStateKey = 32

// Server is one portal instance: an http.Handler with no state between requests
// except the revocation caches of its checker.
type Server struct {
	cfg     Config
	log     *slog.Logger
	checker *certstatus.Checker
	// services time-stamp and gather validation data for Config.Level.
	services *kyso.Services
	page     *template.Template
	slots    chan struct{}
	envKey   []byte
	mux      *http.ServeMux
}

// NewServer checks cfg and builds a Server.
func NewServer(cfg Config) (*Server, error) {
	if len(cfg.StateKey) < minStateKey {
		return nil, fmt.Errorf("portal: the state key must be at least %d bytes (it has %d)", minStateKey, len(cfg.StateKey))
	}
	switch cfg.Level {
	case signature.LevelNone, signature.LevelBB:
		cfg.Level = signature.LevelBB
	case signature.LevelBLT:
	case signature.LevelBLTA:
		if cfg.TSAURL == "" {
			return nil, errors.New("portal: level B-LTA needs a time-stamping authority (-tsa)")
		}
	default:
		return nil, fmt.Errorf("portal: level %q: use B-B, B-LT or B-LTA (a deferred signature cannot carry a signature time-stamp, so B-T is not offered)", cfg.Level)
	}
	if cfg.Trust == nil {
		cfg.Trust = certstatus.DefaultTrustStore()
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 32 << 20
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 4 * runtime.GOMAXPROCS(0)
	}
	if cfg.StateTTL <= 0 {
		cfg.StateTTL = 15 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	page, err := parsePage()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:    cfg,
		log:    log,
		page:   page,
		slots:  make(chan struct{}, cfg.MaxInFlight),
		envKey: envelopeKey(cfg.StateKey),
		checker: certstatus.NewChecker(certstatus.Options{
			Trust: cfg.Trust, Offline: cfg.Offline, HTTPClient: cfg.HTTPClient, Now: cfg.Now,
		}),
	}
	s.services = &kyso.Services{TSAURL: cfg.TSAURL, Checker: s.checker, HTTPClient: cfg.HTTPClient}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/prepare", s.limited(s.handlePrepare))
	mux.HandleFunc("POST /api/complete", s.limited(s.handleComplete))
	mux.HandleFunc("POST /api/verify", s.limited(s.handleVerifyAPI))
	mux.HandleFunc("GET /{$}", s.handlePage)
	mux.HandleFunc("POST /verify", s.limited(s.handleVerifyPage))
	// A result page reloaded or bookmarked (GET /verify) goes back to the form: the
	// result was never stored, so there is nothing else to show.
	mux.HandleFunc("GET /verify", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	// Every known path with the wrong method, and every unknown path, gets an answer in
	// the portal's own form: JSON under /api/, a page elsewhere.
	for path, allow := range map[string]string{
		"/api/prepare": "POST", "/api/complete": "POST", "/api/verify": "POST",
		"/verify": "GET, HEAD, POST", "/healthz": "GET, HEAD",
	} {
		mux.HandleFunc(path, s.methodNotAllowed(allow))
	}
	mux.HandleFunc("/", s.notFound)
	s.mux = mux
	return s, nil
}

// ServeHTTP serves the portal: it bounds the body, recovers from panics and logs
// every request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.cfg.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	r.Body = http.MaxBytesReader(rec, r.Body, s.cfg.MaxBody)
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			buf := make([]byte, 4096)
			buf = buf[:runtime.Stack(buf, false)]
			s.log.Error("panic while serving", "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(buf))
			if !rec.wrote {
				writeError(rec, r, s.log, newAPIError(http.StatusInternalServerError, codeInternal,
					"Lỗi nội bộ của máy chủ", "Internal server error", nil))
			}
		}
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"bytes", rec.bytes, "duration", s.cfg.Now().Sub(start), "remote", r.RemoteAddr)
	}()
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(rec, r)
}

// limited answers 503 when MaxInFlight requests are already being served.
func (s *Server) limited(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.slots <- struct{}{}:
			defer func() { <-s.slots }()
			h(w, r)
		default:
			w.Header().Set("Retry-After", "5")
			writeError(w, r, s.log, newAPIError(http.StatusServiceUnavailable, codeBusy,
				"Máy chủ đang bận, hãy thử lại sau ít giây", "The server is busy; retry in a few seconds", nil))
		}
	}
}

// statusRecorder remembers the status and size of an answer for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
