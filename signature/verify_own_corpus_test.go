package signature_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/signature"
)

// TestVerifyOwnCorpusOutput (opt-in: KYSO_CORPUS) holds kyso to the standing rule on
// every pyHanko corpus input it agrees to sign: its own signatures verify TOTAL_PASSED
// at B-B, B-T, B-LT and B-LTA, after a second signature (B-LTA on B-LTA), and after a
// certification followed by an approval signature; the signatures the input already
// had keep their verdict (none is made TOTAL_FAILED by kyso's update). It prints a
// tally of refusals by reason.
func TestVerifyOwnCorpusOutput(t *testing.T) {
	root := signCorpusRoot()
	if root == "" {
		t.Skip("KYSO_CORPUS not set")
	}
	files, err := filepath.Glob(filepath.Join(root, "pyhanko", "*.pdf"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	k := newLoopbackLVKit(t)
	ctx := context.Background()
	refused := map[string][]string{}
	checked := 0
	for _, path := range files {
		name := strings.TrimPrefix(filepath.Base(path), "internal__common-test-utils__src__pyhanko_testing_commons__test_data__data__pdf__")
		in, err := os.ReadFile(path)
		require.NoError(t, err)
		pw, ok := corpusPassword(in)
		if !ok {
			refused["unreadable"] = append(refused["unreadable"], name)
			continue
		}
		sign := func(doc []byte, lvl signature.Level, certify signature.DocMDPPermission) ([]byte, error) {
			opts := &signature.SignOptions{PSS: true, Password: []byte(pw), Reason: "kyso corpus", Certify: certify}
			if lvl != signature.LevelBB {
				opts.Level = k.levelOptions(lvl)
			}
			var out bytes.Buffer
			_, err := signature.Sign(ctx, &out, bytes.NewReader(doc), int64(len(doc)), k.pki.Leader.Key, k.pki.Leader.Chain, opts)
			return out.Bytes(), err
		}
		verify := func(doc []byte) *signature.Report {
			rep, err := signature.Verify(ctx, bytes.NewReader(doc), int64(len(doc)), &signature.VerifyOptions{
				Roots: k.pki.Roots(), Revocation: k.checker, Password: []byte(pw)})
			require.NoError(t, err)
			return rep
		}
		before := map[string]signature.Indication{}
		if rep, err := signature.Verify(ctx, bytes.NewReader(in), int64(len(in)), &signature.VerifyOptions{
			Roots: k.pki.Roots(), Offline: true, Password: []byte(pw)}); err == nil {
			for _, s := range rep.Signatures {
				before[s.Field] = s.Indication
			}
		}
		// ours: every signature and time-stamp kyso added (a field the input did not
		// sign) passes; the input's own signatures are not made TOTAL_FAILED.
		ours := func(t *testing.T, doc []byte, what string) {
			rep := verify(doc)
			n := 0
			for _, s := range rep.Signatures {
				if _, theirs := before[s.Field]; !theirs {
					n++
					assert.Equal(t, signature.TotalPassed, s.Indication, "%s %s: kyso's %q: %s/%s %+v\nchanges: %+v",
						name, what, s.Field, s.Indication, s.SubIndication, failedChecks(s), s.Changes)
					continue
				}
				if before[s.Field] != signature.TotalFailed {
					assert.NotEqual(t, signature.TotalFailed, s.Indication, "%s %s: the input's %q became TOTAL_FAILED: %+v\nchanges: %+v",
						name, what, s.Field, failedChecks(s), s.Changes)
				}
			}
			assert.Positive(t, n, "%s %s: kyso's signature not found", name, what)
		}
		t.Run(name, func(t *testing.T) {
			bb, err := sign(in, signature.LevelBB, 0)
			if err != nil {
				reason := signCorpusReason(err)
				refused[reason] = append(refused[reason], name)
				return
			}
			checked++
			ours(t, bb, "B-B")
			var lta []byte
			for _, lvl := range []signature.Level{signature.LevelBT, signature.LevelBLT, signature.LevelBLTA} {
				out, err := sign(in, lvl, 0)
				if err != nil {
					t.Logf("%s: %s refused: %v", name, lvl, err)
					reason := string(lvl) + ": " + signCorpusReason(err)
					if len(reason) > 90 {
						reason = reason[:90] + "…"
					}
					refused[reason] = append(refused[reason], name)
					continue
				}
				ours(t, out, string(lvl))
				lta = out
			}
			if lta != nil {
				if twice, err := sign(lta, signature.LevelBLTA, 0); err == nil {
					ours(t, twice, "second signature")
				} else {
					t.Logf("%s: second signature refused: %v", name, err)
				}
			}
			cert, err := sign(in, signature.LevelBLT, signature.DocMDPFormFilling)
			switch {
			case errors.Is(err, signature.ErrCertifyNotFirst):
				// Certification is for the first signature only (ISO 32000-1 12.8.2.2).
			case err != nil:
				t.Logf("%s: certification refused: %v", name, err)
			default:
				approved, err := sign(cert, signature.LevelBLTA, 0)
				if assert.NoError(t, err, "%s: approval after kyso's certification", name) {
					ours(t, approved, "certification + approval")
				}
			}
		})
	}
	var reasons []string
	for r, names := range refused {
		reasons = append(reasons, fmt.Sprintf("%s ×%d", r, len(names)))
	}
	sort.Strings(reasons)
	t.Logf("own output: %d inputs signed and verified at every level; refused: %s", checked, strings.Join(reasons, "; "))
}

// corpusPassword finds the password that opens a corpus file (pyHanko's test files use
// signCorpusPasswords).
func corpusPassword(doc []byte) (string, bool) {
	for _, pw := range signCorpusPasswords {
		_, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), &pdf.Options{Password: []byte(pw)})
		if err == nil {
			return pw, true
		}
		if !errors.Is(err, pdf.ErrWrongPassword) {
			return "", false
		}
	}
	return "", false
}

func failedChecks(s signature.SignatureReport) []string {
	var out []string
	for _, c := range s.Checks {
		if c.Result == signature.CheckFailed || c.Result == signature.CheckIndeterminate {
			out = append(out, string(c.Name)+": "+c.MessageEN)
		}
	}
	return out
}

// newLoopbackLVKit is newLVKit whose revocation client dials 127.0.0.1 only: the corpus
// certificates name hosts such as pyhanko.tests, which tests must never look up.
func newLoopbackLVKit(t testing.TB) *lvKit {
	t.Helper()
	k := newLVKit(t)
	dialer := &net.Dialer{Timeout: serviceTimeout}
	client := &http.Client{Timeout: serviceTimeout, Transport: &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
				return nil, fmt.Errorf("test network is 127.0.0.1 only, not %s", host)
			}
			return dialer.DialContext(ctx, network, addr)
		},
	}}
	k.checker = certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(k.pki.Root.Cert), Timeout: serviceTimeout, HTTPClient: client})
	k.tsa = &certstatus.TSAClient{URL: k.pki.TSAURL, Checker: k.checker, Timeout: serviceTimeout, HTTPClient: client}
	return k
}
