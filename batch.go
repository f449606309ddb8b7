package kyso

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/token"
)

// BatchSigner signs many digests under one authorisation. token.BatchSigner has this
// shape: a CSC remote credential (*token.CSCSigner, one credentials/authorize for the
// whole batch when its multisign allows) or any token key through token.Batch (one
// PKCS#11 login for the whole batch).
type BatchSigner interface {
	Public() crypto.PublicKey
	Certificate() *x509.Certificate
	Chain() []*x509.Certificate
	SignDigests(ctx context.Context, digests [][]byte, opts crypto.SignerOpts, progress func(done, total int)) ([][]byte, []error)
}

var _ BatchSigner = token.BatchSigner(nil)

// BatchDocument is one document of a batch: the PDF read from Input is signed into
// Output (written by WriteFile: a temporary file beside it renamed into place, so a
// failure leaves no partial file; Input is never modified).
type BatchDocument struct {
	Input, Output string
}

// BatchStage says where a batch is.
type BatchStage string

// The stages a batch reports progress for.
const (
	BatchPrepared  BatchStage = "prepared"  // a document's digest was computed
	BatchSigned    BatchStage = "signed"    // signatures came back from the signer
	BatchCompleted BatchStage = "completed" // a document was written
	BatchFailed    BatchStage = "failed"    // a document failed (Err says why)
)

// BatchProgress is one progress report.
type BatchProgress struct {
	Stage BatchStage
	// Done of Total documents (or, for BatchSigned, digests) have reached Stage.
	Done, Total int
	// Document is the document concerned (empty for BatchSigned); Err its error for
	// BatchFailed.
	Document string
	Err      error
}

// BatchOptions controls SignBatch.
type BatchOptions struct {
	// Sign is applied to every document as Prepare applies it (RSA scheme, hash,
	// field, reason, appearance; the signing policy is asked for each document, with
	// that document's existing signatures). Sign.Signature.Level is reached after the
	// signature, as signature.Complete does with CompleteOptions.Level: B-T (a
	// time-stamp in the reserved /Contents), B-LT, B-LTA. With Workers > 1,
	// Sign.Policy.Decided may be called from several goroutines at once.
	Sign SignOptions
	// Progress, when not nil, receives progress reports; calls never overlap.
	Progress func(BatchProgress)
	// Document, when not nil, adjusts a copy of Sign for one document before it is
	// prepared, reading the document if it needs to (for example to place a visible
	// signature where that document's signature block is); an error fails that
	// document. With Workers > 1 it is called from several goroutines at once.
	Document func(ctx context.Context, d BatchDocument, r io.ReaderAt, size int64, opts *SignOptions) error
	// Workers is how many documents are prepared, and then completed, at once (the
	// completion of B-T…B-LTA waits on the TSA and the OCSP/CRL servers); 0 or 1 means
	// one at a time. The signer is called once either way.
	Workers int
	// Output, when not nil, is how each Output is written by WriteFile (for example a
	// Temp hook that lets a command line remove the temporary files on a signal).
	Output *WriteFileOptions
}

// BatchResult is the outcome of one document.
type BatchResult struct {
	BatchDocument
	Result *signature.SignResult // nil on failure
	// Decision is the signing policy's decision for this document (nil without
	// Sign.Policy, or when the document failed before the policy was asked).
	Decision *policy.Decision
	// ChainWarning is set when the signer's certificate chain could not be completed
	// up to a trust anchor (see SignResult.ChainWarning); the same for every document.
	ChainWarning *ChainWarning
	Err          error // nil on success
}

// SignBatch signs every document with one authorisation of signer: it prepares each
// document (signature.Prepare: one streaming pass, nothing written), sends all the
// digests to signer.SignDigests at once — one credentials/authorize and as few
// signatures/signHash calls as the service allows for a CSC credential, one login for a
// PKCS#11 token — then completes each document (signature.Complete, which checks the
// signature, and the level asked for) into its Output. The signer's certificate chain
// is completed once, before the first document, as Sign completes it (Sign.Chain).
//
// A document that fails (unreadable, refused by the policy, its signature missing or
// not verifying, its time-stamp unavailable) gets its error in its BatchResult, leaves
// no output file and does not stop the others. The error returned is for the batch as
// a whole (no signer, an Output used twice).
func SignBatch(ctx context.Context, signer BatchSigner, docs []BatchDocument, opts *BatchOptions) ([]BatchResult, error) {
	if signer == nil || signer.Certificate() == nil {
		return nil, errors.New("kyso: SignBatch needs a signer with a certificate")
	}
	var o BatchOptions
	if opts != nil {
		o = *opts
	}
	seen := map[string]bool{}
	for _, d := range docs {
		out := filepath.Clean(d.Output)
		if d.Input == "" || d.Output == "" {
			return nil, errors.New("kyso: every batch document needs an Input and an Output")
		}
		if seen[out] || out == filepath.Clean(d.Input) {
			return nil, fmt.Errorf("kyso: output %s named twice or equal to its input", d.Output)
		}
		seen[out] = true
	}
	var mu sync.Mutex // guards the counters below and serialises Progress
	report := func(p BatchProgress) {
		if o.Progress != nil {
			o.Progress(p)
		}
	}
	// The chain is completed once for the whole batch.
	chain, chainWarn := o.Sign.Chain.completeChain(ctx, signer.Certificate(), signer.Chain(), o.Sign.Signature.Level)
	prepOpts := o.Sign
	prepOpts.Chain = &ChainOptions{AsGiven: true}
	level := prepOpts.Signature.Level
	prepOpts.Signature.Level = nil
	prepOpts.Signature.StateKey = nil // the state stays in this process

	results := make([]BatchResult, len(docs))
	preps := make([]*PreparedSignature, len(docs))
	failed, prepared, completed := 0, 0, 0
	fail := func(i int, err error) { // with mu held
		results[i].Err = err
		failed++
		report(BatchProgress{Stage: BatchFailed, Done: failed, Total: len(docs), Document: docs[i].Input, Err: err})
	}
	for i, d := range docs {
		results[i].BatchDocument = d
		results[i].ChainWarning = chainWarn
	}
	batchEach(len(docs), o.Workers, func(i int) {
		var prep *PreparedSignature
		err := ctx.Err()
		if err == nil {
			prep, err = batchPrepare(ctx, docs[i], chain, prepOpts, o.Document)
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			var ref *policy.RefusalError
			if errors.As(err, &ref) {
				results[i].Decision = &ref.Decision
			}
			fail(i, err)
			return
		}
		preps[i] = prep
		results[i].Decision = prep.Decision
		prepared++
		report(BatchProgress{Stage: BatchPrepared, Done: prepared, Total: len(docs), Document: docs[i].Input})
	})
	// The digests go to the signer together under one authorisation, so with one
	// signature scheme: the first prepared document's. A document that
	// BatchOptions.Document gave another hash or RSA scheme fails alone — a second
	// authorisation would ask the signer again (a second OTP, a second approval).
	var idx []int
	var digests [][]byte
	var signerOpts crypto.SignerOpts
	for i, p := range preps {
		if p == nil {
			continue
		}
		if signerOpts == nil {
			signerOpts = p.SignerOpts
		}
		if !sameSignerOpts(signerOpts, p.SignerOpts) {
			mu.Lock()
			fail(i, fmt.Errorf("%w: this document is to be signed with %s, the batch with %s: a batch has one signature scheme (one authorisation); sign it in another batch",
				signature.ErrInvalidOptions, describeSignerOpts(p.SignerOpts), describeSignerOpts(signerOpts)))
			mu.Unlock()
			continue
		}
		idx = append(idx, i)
		digests = append(digests, p.Digest)
	}
	if len(idx) == 0 {
		return results, nil
	}
	sigs, errs := signer.SignDigests(ctx, digests, signerOpts, func(done, total int) {
		report(BatchProgress{Stage: BatchSigned, Done: done, Total: total})
	})
	batchEach(len(idx), o.Workers, func(j int) {
		i := idx[j]
		var err error
		var res *signature.SignResult
		switch {
		case errs != nil && errs[j] != nil:
			err = errs[j]
		case len(sigs) <= j || sigs[j] == nil:
			err = errors.New("kyso: the signer returned no signature")
		default:
			res, err = batchComplete(ctx, docs[i], preps[i].State, sigs[j], &signature.CompleteOptions{Level: level, Password: o.Sign.Signature.Password}, o.Output)
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			fail(i, err)
			return
		}
		results[i].Result = res
		completed++
		report(BatchProgress{Stage: BatchCompleted, Done: completed, Total: len(docs), Document: docs[i].Input})
	})
	return results, nil
}

// sameSignerOpts reports whether a and b ask for the same signature: the same hash
// and, for RSASSA-PSS, the same salt length.
func sameSignerOpts(a, b crypto.SignerOpts) bool {
	if a.HashFunc() != b.HashFunc() {
		return false
	}
	pa, aPSS := a.(*rsa.PSSOptions)
	pb, bPSS := b.(*rsa.PSSOptions)
	return aPSS == bPSS && (!aPSS || pa.SaltLength == pb.SaltLength)
}

func describeSignerOpts(o crypto.SignerOpts) string {
	if _, ok := o.(*rsa.PSSOptions); ok {
		return o.HashFunc().String() + " (RSASSA-PSS)"
	}
	return o.HashFunc().String()
}

// batchEach calls f(0) … f(n-1), on up to workers goroutines at once.
func batchEach(n, workers int, f func(int)) {
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

func batchPrepare(ctx context.Context, d BatchDocument, chain []*x509.Certificate, opts SignOptions, adjust func(context.Context, BatchDocument, io.ReaderAt, int64, *SignOptions) error) (*PreparedSignature, error) {
	f, err := os.Open(d.Input)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if adjust != nil {
		if err := adjust(ctx, d, f, st.Size(), &opts); err != nil {
			return nil, err
		}
		opts.Signature.Level, opts.Signature.StateKey = nil, nil // reached after the signature
		opts.Chain = &ChainOptions{AsGiven: true}                // completed once for the batch
	}
	return Prepare(ctx, f, st.Size(), chain, &opts)
}

func batchComplete(ctx context.Context, d BatchDocument, state, sig []byte, opts *signature.CompleteOptions, output *WriteFileOptions) (*signature.SignResult, error) {
	in, err := os.Open(d.Input)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return nil, err
	}
	var res *signature.SignResult
	err = WriteFile(d.Output, func(w io.Writer) error {
		var err error
		res, err = signature.Complete(ctx, w, in, st.Size(), state, sig, opts)
		return err
	}, output)
	return res, err
}
