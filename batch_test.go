package kyso_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/token"
	"github.com/kyso-go/kyso/token/csctest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// btKit is the test PKI (OCSP, CRL, TSA on 127.0.0.1) and a CSC test server holding the
// leader's key (PIN 246810) and the organisation seal's key (SCAL 2).
type btKit struct {
	pki     *certstatustest.PKI
	srv     *csctest.Server
	client  *token.CSCClient
	checker *certstatus.Checker
	tsa     *certstatus.TSAClient
}

const btToken = "batch-test-access-token"

func newBTKit(t testing.TB, edit func(*csctest.Credential)) *btKit {
	t.Helper()
	p := certstatustest.NewPKI(t)
	creds := []csctest.Credential{
		{ID: "leader", Key: p.Leader.Key, Chain: p.Leader.Chain, PIN: "246810", Multisign: 500},
		{ID: "org", Key: p.Org.Key, Chain: p.Org.Chain, PIN: "246810", SCAL: 2, Multisign: 500},
	}
	for i := range creds {
		if edit != nil {
			edit(&creds[i])
		}
	}
	srv := csctest.New(t, btToken, creds...)
	c, err := token.NewCSCClient(token.CSCOptions{BaseURL: srv.URL, AccessToken: btToken, RetryDelay: time.Millisecond})
	require.NoError(t, err)
	checker := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(p.Root.Cert), Timeout: 5 * time.Second})
	return &btKit{pki: p, srv: srv, client: c, checker: checker,
		tsa: &certstatus.TSAClient{URL: p.TSAURL, Checker: checker, Timeout: 5 * time.Second}}
}

func (k *btKit) signer(t testing.TB, id, pin string) *token.CSCSigner {
	t.Helper()
	s, err := k.client.Signer(context.Background(), id, func(context.Context, *token.CSCCredentialInfo, int) (string, string, error) {
		return pin, "", nil
	})
	require.NoError(t, err)
	return s
}

func (k *btKit) level(l signature.Level) *signature.LevelOptions {
	if l == signature.LevelBB {
		return nil
	}
	return &signature.LevelOptions{Target: l, Timestamper: k.tsa, Revocation: k.checker, Certificates: []*x509.Certificate{k.pki.Root.Cert}}
}

// verify checks doc with kyso's verifier (offline for B-LT/B-LTA, whose DSS carries
// the revocation data) and with pdfsig.
func (k *btKit) verify(t *testing.T, path string, level signature.Level) {
	t.Helper()
	doc, err := os.ReadFile(path)
	require.NoError(t, err)
	offline := level == signature.LevelBLT || level == signature.LevelBLTA
	opts := &signature.VerifyOptions{Roots: k.pki.Roots(), Offline: offline}
	if !offline {
		opts.Revocation = k.checker
	}
	rep, err := signature.Verify(context.Background(), bytes.NewReader(doc), int64(len(doc)), opts)
	require.NoError(t, err)
	require.NotEmpty(t, rep.Signatures)
	assert.True(t, rep.AllPassed(), "%s: %+v", path, rep.Signatures)
	assert.Equal(t, level, rep.Signatures[0].Level, path)

	pdfsig, err := exec.LookPath("pdfsig")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdfsig is required under CI")
		}
		t.Log("pdfsig not installed; skipping its check")
		return
	}
	out, _ := exec.Command(pdfsig, "-nocert", "-no-ocsp", path).CombinedOutput()
	assert.Equal(t, 1, strings.Count(string(out), "Signature is Valid."), "pdfsig %s:\n%s", path, out)
}

// btDocs writes n one-page PDFs into a new directory and returns the batch.
func btDocs(t testing.TB, n int) (docs []kyso.BatchDocument, outDir string) {
	t.Helper()
	in, out := t.TempDir(), t.TempDir()
	for i := range n {
		name := fmt.Sprintf("cong-van-%03d.pdf", i)
		require.NoError(t, os.WriteFile(filepath.Join(in, name), pdftest.OnePage(200+i), 0o600))
		docs = append(docs, kyso.BatchDocument{Input: filepath.Join(in, name), Output: filepath.Join(out, name)})
	}
	return docs, out
}

func btOutputs(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestCSCSignsAtEveryLevel: a remote credential signs with signature.Sign (one
// authorisation per signature) and in a batch (one authorisation for every document),
// at B-B, B-T, B-LT and B-LTA, with RSA PKCS#1 v1.5, RSASSA-PSS and SCAL 2; pdfsig and
// kyso's verifier accept every output.
func TestCSCSignsAtEveryLevel(t *testing.T) {
	k := newBTKit(t, nil)
	ctx := context.Background()
	for _, level := range []signature.Level{signature.LevelBB, signature.LevelBT, signature.LevelBLT, signature.LevelBLTA} {
		for _, cred := range []string{"leader", "org"} {
			t.Run(string(level)+"/"+cred, func(t *testing.T) {
				s := k.signer(t, cred, "246810")
				opts := kyso.SignOptions{RSA: kyso.RSAPSS, Signature: signature.SignOptions{Reason: "Ký số từ xa", Location: "Quảng Ninh", Level: k.level(level)}}
				if cred == "org" {
					opts.RSA = kyso.RSAPKCS1v15
				}

				// One document through signature.Sign.
				dir := t.TempDir()
				in := pdftest.OnePage(300)
				single := filepath.Join(dir, "single.pdf")
				var out bytes.Buffer
				_, err := kyso.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), s, &opts)
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(single, out.Bytes(), 0o600))
				k.verify(t, single, level)

				// A batch of four with one authorisation.
				k.srv.ResetCalls()
				docs, outDir := btDocs(t, 4)
				var stages []kyso.BatchStage
				results, err := kyso.SignBatch(ctx, s, docs, &kyso.BatchOptions{Sign: opts, Progress: func(p kyso.BatchProgress) {
					stages = append(stages, p.Stage)
				}})
				require.NoError(t, err)
				for _, r := range results {
					require.NoError(t, r.Err, r.Input)
					k.verify(t, r.Output, level)
				}
				assert.Equal(t, 1, k.srv.Calls("credentials/authorize"), "one authorisation for the batch")
				assert.Equal(t, 1, k.srv.Calls("signatures/signHash"))
				assert.Len(t, btOutputs(t, outDir), 4)
				assert.Contains(t, stages, kyso.BatchPrepared)
				assert.Contains(t, stages, kyso.BatchSigned)
				assert.Equal(t, kyso.BatchCompleted, stages[len(stages)-1])
			})
		}
	}
}

// TestCSCSignsECDSA: an ECDSA P-256 remote credential (the test PKI with ECDSA keys)
// signs one document and a batch at B-B and B-LTA; pdfsig and kyso's verifier accept
// every output.
func TestCSCSignsECDSA(t *testing.T) {
	p := certstatustest.NewPKIWith(t, certstatustest.Options{ECDSA: true})
	srv := csctest.New(t, btToken, csctest.Credential{ID: "leader", Key: p.Leader.Key, Chain: p.Leader.Chain, PIN: "246810", Multisign: 10})
	c, err := token.NewCSCClient(token.CSCOptions{BaseURL: srv.URL, AccessToken: btToken})
	require.NoError(t, err)
	checker := certstatus.NewChecker(certstatus.Options{Trust: certstatus.NewTrustStore(p.Root.Cert), Timeout: 5 * time.Second})
	k := &btKit{pki: p, srv: srv, client: c, checker: checker, tsa: &certstatus.TSAClient{URL: p.TSAURL, Checker: checker, Timeout: 5 * time.Second}}
	s := k.signer(t, "leader", "246810")
	_, isEC := s.Public().(*ecdsa.PublicKey)
	require.True(t, isEC)
	for _, level := range []signature.Level{signature.LevelBB, signature.LevelBLTA} {
		t.Run(string(level), func(t *testing.T) {
			opts := kyso.SignOptions{Signature: signature.SignOptions{Level: k.level(level)}}
			in := pdftest.OnePage(7)
			var out bytes.Buffer
			_, err := kyso.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), s, &opts)
			require.NoError(t, err)
			single := filepath.Join(t.TempDir(), "single.pdf")
			require.NoError(t, os.WriteFile(single, out.Bytes(), 0o600))
			k.verify(t, single, level)
			srv.ResetCalls()
			docs, _ := btDocs(t, 3)
			results, err := kyso.SignBatch(context.Background(), s, docs, &kyso.BatchOptions{Sign: opts})
			require.NoError(t, err)
			for _, r := range results {
				require.NoError(t, r.Err)
				k.verify(t, r.Output, level)
			}
			assert.Equal(t, 1, srv.Calls("credentials/authorize"))
		})
	}
}

// TestCSCSignHonoursContext: kyso.Sign with a remote credential whose service stalls
// returns when ctx ends, not after the HTTP time-outs and retries.
func TestCSCSignHonoursContext(t *testing.T) {
	k := newBTKit(t, nil)
	s := k.signer(t, "leader", "246810")
	k.srv.SetLatency(time.Hour)
	in := pdftest.OnePage(9)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var out bytes.Buffer
	_, err := kyso.Sign(ctx, &out, bytes.NewReader(in), int64(len(in)), s, nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 1, k.srv.Calls("credentials/authorize"), "the stalled request was abandoned, not retried")
}

// TestSignBatchOneAuthorization: N documents, one credentials/authorize with
// numSignatures = N, one signHash; with a service limit on hashes per call, as few
// signHash calls as it allows.
func TestSignBatchOneAuthorization(t *testing.T) {
	k := newBTKit(t, nil)
	const n = 30
	s := k.signer(t, "org", "246810") // SCAL 2: the 30 hashes go with the authorisation
	docs, outDir := btDocs(t, n)
	results, err := kyso.SignBatch(context.Background(), s, docs, nil)
	require.NoError(t, err)
	for _, r := range results {
		require.NoError(t, r.Err)
	}
	assert.Equal(t, 1, k.srv.Calls("credentials/authorize"))
	assert.Equal(t, 1, k.srv.Calls("signatures/signHash"))
	assert.Len(t, btOutputs(t, outDir), n)

	// Four workers prepare and complete at once; the signer is still called once.
	k.srv.ResetCalls()
	docs, outDir = btDocs(t, n)
	var seen []string
	results, err = kyso.SignBatch(context.Background(), s, docs, &kyso.BatchOptions{Workers: 4,
		Sign:     kyso.SignOptions{Signature: signature.SignOptions{Level: k.level(signature.LevelBT)}},
		Progress: func(p kyso.BatchProgress) { seen = append(seen, string(p.Stage)) }})
	require.NoError(t, err)
	for _, r := range results {
		require.NoError(t, r.Err)
	}
	assert.Equal(t, 1, k.srv.Calls("credentials/authorize"))
	assert.Equal(t, 1, k.srv.Calls("signatures/signHash"))
	assert.Len(t, btOutputs(t, outDir), n)
	k.verify(t, results[n-1].Output, signature.LevelBT)
	assert.Len(t, seen, 2*n+1, "every document prepared and completed, one report of the signatures")

	k.srv.ResetCalls()
	s.MaxHashesPerCall = 8
	docs, _ = btDocs(t, n)
	results, err = kyso.SignBatch(context.Background(), s, docs, nil)
	require.NoError(t, err)
	for _, r := range results {
		require.NoError(t, r.Err)
	}
	assert.Equal(t, 1, k.srv.Calls("credentials/authorize"))
	assert.Equal(t, 4, k.srv.Calls("signatures/signHash"), "ceil(30/8) calls")
}

// TestSignBatchFaults: each fault gives its typed error, leaves no output for the
// documents it hits, and does not stop the others.
func TestSignBatchFaults(t *testing.T) {
	ctx := context.Background()
	t.Run("signature over the wrong hash", func(t *testing.T) {
		k := newBTKit(t, nil)
		docs, outDir := btDocs(t, 5)
		k.srv.SignWrongHash(1)
		results, err := kyso.SignBatch(ctx, k.signer(t, "leader", "246810"), docs, nil)
		require.NoError(t, err)
		assert.ErrorIs(t, results[0].Err, token.ErrCSCBadSignature)
		for _, r := range results[1:] {
			assert.NoError(t, r.Err)
		}
		assert.NoFileExists(t, docs[0].Output)
		assert.Len(t, btOutputs(t, outDir), 4, "no temporary file is left either")
	})
	t.Run("wrong PIN then locked", func(t *testing.T) {
		k := newBTKit(t, nil)
		docs, outDir := btDocs(t, 3)
		s := k.signer(t, "leader", "111111")
		for i := range 3 {
			results, err := kyso.SignBatch(ctx, s, docs, nil)
			require.NoError(t, err)
			for _, r := range results {
				if i < 2 {
					assert.ErrorIs(t, r.Err, token.ErrPINIncorrect)
				} else {
					assert.ErrorIs(t, r.Err, token.ErrCSCCredentialLocked)
				}
			}
		}
		assert.Equal(t, 3, k.srv.Calls("credentials/authorize"), "one authorisation per batch, never one per document")
		assert.Empty(t, btOutputs(t, outDir))
	})
	t.Run("SAD expires mid-batch: renewed once with the PIN", func(t *testing.T) {
		k := newBTKit(t, nil)
		docs, outDir := btDocs(t, 6)
		pins := 0
		s, err := k.client.Signer(ctx, "leader", func(context.Context, *token.CSCCredentialInfo, int) (string, string, error) {
			pins++
			return "246810", "", nil
		})
		require.NoError(t, err)
		s.MaxHashesPerCall = 2
		k.srv.ExpireNextSADAfter(2)
		results, err := kyso.SignBatch(ctx, s, docs, nil)
		require.NoError(t, err)
		for _, r := range results {
			assert.NoError(t, r.Err)
		}
		assert.Equal(t, 2, k.srv.Calls("credentials/authorize"), "one authorisation, and one renewal for the 4 documents left")
		assert.Equal(t, 1, pins, "the PIN given for the batch is sent again without asking")
		assert.Equal(t, 4, k.srv.Calls("signatures/signHash"), "one call signed 2, one was refused (SAD expired), two more with the new SAD")
		assert.Len(t, btOutputs(t, outDir), 6)
		for _, d := range docs[4:] {
			k.verify(t, d.Output, signature.LevelBB)
		}
	})
	t.Run("SAD expires mid-batch: renewed once only", func(t *testing.T) {
		k := newBTKit(t, nil)
		docs, outDir := btDocs(t, 6)
		s := k.signer(t, "leader", "246810")
		s.MaxHashesPerCall = 2
		k.srv.ExpireNextSADAfter(2)
		k.srv.ExpireNextSADAfter(2)
		results, err := kyso.SignBatch(ctx, s, docs, nil)
		require.NoError(t, err)
		for i, r := range results {
			if i < 4 {
				assert.NoError(t, r.Err)
			} else {
				assert.ErrorIs(t, r.Err, token.ErrCSCSADExpired)
			}
		}
		assert.Equal(t, 2, k.srv.Calls("credentials/authorize"))
		assert.Len(t, btOutputs(t, outDir), 4)
	})
	for _, fresh := range []bool{false, true} {
		t.Run(fmt.Sprintf("SAD expires mid-batch: OTP, fresh OTP source %v", fresh), func(t *testing.T) {
			k := newBTKit(t, func(c *csctest.Credential) { c.OTP = "135790" })
			docs, outDir := btDocs(t, 4)
			s, err := k.client.Signer(ctx, "leader", func(context.Context, *token.CSCCredentialInfo, int) (string, string, error) {
				return "246810", "135790", nil
			})
			require.NoError(t, err)
			otps := 0
			if fresh {
				s.FreshOTP = func(_ context.Context, info *token.CSCCredentialInfo, n int) (string, error) {
					otps++
					assert.Equal(t, 2, n, "the signatures left")
					return "135790", nil
				}
			}
			s.MaxHashesPerCall = 2
			k.srv.ExpireNextSADAfter(2)
			results, err := kyso.SignBatch(ctx, s, docs, nil)
			require.NoError(t, err)
			assert.NoError(t, results[0].Err)
			assert.NoError(t, results[1].Err)
			if fresh {
				assert.NoError(t, results[2].Err)
				assert.NoError(t, results[3].Err)
				assert.Equal(t, 1, otps)
				assert.Equal(t, 2, k.srv.Calls("credentials/authorize"))
				assert.Len(t, btOutputs(t, outDir), 4)
			} else {
				assert.ErrorIs(t, results[2].Err, token.ErrCSCSADExpired)
				assert.ErrorIs(t, results[3].Err, token.ErrCSCSADExpired)
				assert.Equal(t, 1, k.srv.Calls("credentials/authorize"), "an OTP is good once: no renewal without a source of fresh ones")
				assert.Len(t, btOutputs(t, outDir), 2)
			}
		})
	}
	t.Run("429 and 5xx are retried", func(t *testing.T) {
		k := newBTKit(t, nil)
		docs, outDir := btDocs(t, 3)
		s := k.signer(t, "leader", "246810")
		k.srv.RateLimitNext("credentials/authorize", time.Second, 1)
		k.srv.FailNext("signatures/signHash", 503, 2)
		results, err := kyso.SignBatch(ctx, s, docs, nil)
		require.NoError(t, err)
		for _, r := range results {
			assert.NoError(t, r.Err)
		}
		assert.Equal(t, 2, k.srv.Calls("credentials/authorize"))
		assert.Equal(t, 3, k.srv.Calls("signatures/signHash"))
		assert.Len(t, btOutputs(t, outDir), 3)
	})
	t.Run("service down", func(t *testing.T) {
		k := newBTKit(t, nil)
		docs, outDir := btDocs(t, 3)
		s := k.signer(t, "leader", "246810")
		k.srv.FailNext("credentials/authorize", 500, 10)
		results, err := kyso.SignBatch(ctx, s, docs, nil)
		require.NoError(t, err)
		for _, r := range results {
			assert.ErrorIs(t, r.Err, token.ErrCSCUnavailable)
		}
		assert.Empty(t, btOutputs(t, outDir))
	})
	t.Run("one unreadable document", func(t *testing.T) {
		k := newBTKit(t, nil)
		docs, outDir := btDocs(t, 3)
		require.NoError(t, os.WriteFile(docs[1].Input, []byte("not a PDF"), 0o600))
		results, err := kyso.SignBatch(ctx, k.signer(t, "leader", "246810"), docs, nil)
		require.NoError(t, err)
		assert.ErrorIs(t, results[1].Err, signature.ErrDocument)
		assert.NoError(t, results[0].Err)
		assert.NoError(t, results[2].Err)
		assert.Len(t, btOutputs(t, outDir), 2)
		assert.Equal(t, 1, k.srv.Calls("credentials/authorize"))
	})
	t.Run("time-stamp unavailable for B-T", func(t *testing.T) {
		k := newBTKit(t, nil)
		docs, outDir := btDocs(t, 2)
		lo := k.level(signature.LevelBT)
		lo.Timestamper = &certstatus.TSAClient{URL: k.pki.URL + "/no-such-tsa", Timeout: time.Second}
		results, err := kyso.SignBatch(ctx, k.signer(t, "leader", "246810"), docs, &kyso.BatchOptions{Sign: kyso.SignOptions{Signature: signature.SignOptions{Level: lo}}})
		require.NoError(t, err)
		for _, r := range results {
			assert.ErrorIs(t, r.Err, signature.ErrTimestamp)
		}
		assert.Empty(t, btOutputs(t, outDir))
	})
	t.Run("bad batch", func(t *testing.T) {
		k := newBTKit(t, nil)
		docs, _ := btDocs(t, 2)
		docs[1].Output = docs[0].Output
		_, err := kyso.SignBatch(ctx, k.signer(t, "leader", "246810"), docs, nil)
		assert.Error(t, err)
		_, err = kyso.SignBatch(ctx, nil, docs, nil)
		assert.Error(t, err)
	})
}

// TestSignBatchMixedSchemes: BatchOptions.Document gives one document another hash and
// RSA scheme: it fails alone, before the signer is called, with a clear
// signature.ErrInvalidOptions (its digest was signed under the batch's SHA-256 options
// and failed as a wrong digest size), and the others are signed under one
// authorisation.
func TestSignBatchMixedSchemes(t *testing.T) {
	k := newBTKit(t, nil)
	docs, outDir := btDocs(t, 4)
	results, err := kyso.SignBatch(context.Background(), k.signer(t, "leader", "246810"), docs, &kyso.BatchOptions{
		Document: func(_ context.Context, d kyso.BatchDocument, _ io.ReaderAt, _ int64, o *kyso.SignOptions) error {
			if d.Input == docs[2].Input {
				o.Signature.Hash, o.RSA = crypto.SHA384, kyso.RSAPKCS1v15
			}
			return nil
		},
	})
	require.NoError(t, err)
	assert.ErrorIs(t, results[2].Err, signature.ErrInvalidOptions)
	assert.Contains(t, fmt.Sprint(results[2].Err), "SHA-384")
	assert.Contains(t, fmt.Sprint(results[2].Err), "one signature scheme")
	for _, i := range []int{0, 1, 3} {
		require.NoError(t, results[i].Err, results[i].Input)
		k.verify(t, results[i].Output, signature.LevelBB)
	}
	assert.Equal(t, 1, k.srv.Calls("credentials/authorize"), "one authorisation for the batch")
	assert.Len(t, btOutputs(t, outDir), 3)
}

// TestSignBatchSoftwareKey: the same batch API over a key that is not remote (a PKCS#12
// key here; a PKCS#11 token key works the same, under its one login — see the kyso
// command's -in-dir test).
func TestSignBatchSoftwareKey(t *testing.T) {
	k := newBTKit(t, nil)
	p12, err := k.pki.Leader.PKCS12("pw")
	require.NoError(t, err)
	soft, err := token.OpenPKCS12(p12, []byte("pw"))
	require.NoError(t, err)
	docs, outDir := btDocs(t, 3)
	results, err := kyso.SignBatch(context.Background(), token.Batch(soft), docs, &kyso.BatchOptions{Sign: kyso.SignOptions{Signature: signature.SignOptions{Level: k.level(signature.LevelBT)}}})
	require.NoError(t, err)
	for _, r := range results {
		require.NoError(t, r.Err)
		k.verify(t, r.Output, signature.LevelBT)
	}
	assert.Len(t, btOutputs(t, outDir), 3)
}

// BenchmarkCSC100Documents compares a batch of 100 one-page documents (one
// authorisation) with 100 single signings (one authorisation each, as "kyso sign"
// does) through the CSC test server, without and with 20 ms of added latency per
// request (a remote service across a network); round-trips/op counts the HTTP requests
// the server received. Both write every output through a temporary file, fsync'ed and
// renamed.
func BenchmarkCSC100Documents(b *testing.B) {
	const n = 100
	k := newBTKit(b, nil)
	s := k.signer(b, "leader", "246810")
	docs, _ := btDocs(b, n)
	for _, latency := range []time.Duration{0, 20 * time.Millisecond} {
		k.srv.SetLatency(latency)
		b.Run(fmt.Sprintf("latency=%v/batch", latency), func(b *testing.B) {
			k.srv.ResetCalls()
			for b.Loop() {
				results, err := kyso.SignBatch(context.Background(), s, docs, nil)
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range results {
					if r.Err != nil {
						b.Fatal(r.Err)
					}
				}
			}
			b.ReportMetric(float64(k.srv.TotalCalls())/float64(b.N), "round-trips/op")
		})
		b.Run(fmt.Sprintf("latency=%v/single", latency), func(b *testing.B) {
			k.srv.ResetCalls()
			for b.Loop() {
				for _, d := range docs {
					if err := btSignOne(d, s); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(k.srv.TotalCalls())/float64(b.N), "round-trips/op")
		})
	}
}

// btSignOne signs one document with kyso.Sign into a temporary file, fsync'ed and
// renamed, as "kyso sign" does.
func btSignOne(d kyso.BatchDocument, s *token.CSCSigner) error {
	in, err := os.Open(d.Input)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(d.Output), ".single-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err = kyso.Sign(context.Background(), tmp, in, st.Size(), s, nil); err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), d.Output)
}
