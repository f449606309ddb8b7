package kyso

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

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
// Output (written to a temporary file beside it and renamed, so a failure leaves no
// partial file; Input is never modified).
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
	// Sign is applied to every document as Sign would (hash, PSS, field, reason,
	// appearance, policy, ...). Its Level is reached after the signature, as
	// signature.Complete does with CompleteOptions.Level: B-T (time-stamp in the
	// reserved /Contents), B-LT, B-LTA.
	Sign signature.SignOptions
	// Progress, when not nil, receives progress reports (from the calling goroutine).
	Progress func(BatchProgress)
}

// BatchResult is the outcome of one document.
type BatchResult struct {
	BatchDocument
	Result *signature.SignResult // nil on failure
	Err    error                 // nil on success
}

// SignBatch signs every document with one authorisation of signer: it prepares each
// document (signature.Prepare: one streaming pass, nothing written), sends all the
// digests to signer.SignDigests at once — one credentials/authorize and as few
// signatures/signHash calls as the service allows for a CSC credential, one login for a
// PKCS#11 token — then completes each document (signature.Complete, which checks the
// signature, and the level asked for) into its Output.
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
	report := func(p BatchProgress) {
		if o.Progress != nil {
			o.Progress(p)
		}
	}
	chain := append([]*x509.Certificate{signer.Certificate()}, signer.Chain()...)
	prepOpts := o.Sign
	level := prepOpts.Level
	prepOpts.Level = nil
	prepOpts.StateKey = nil // the state stays in this process

	results := make([]BatchResult, len(docs))
	preps := make([]*signature.PreparedSignature, len(docs))
	failed := 0
	fail := func(i int, err error) {
		results[i].Err = err
		failed++
		report(BatchProgress{Stage: BatchFailed, Done: failed, Total: len(docs), Document: docs[i].Input, Err: err})
	}
	var idx []int
	var digests [][]byte
	var signerOpts crypto.SignerOpts
	for i, d := range docs {
		results[i].BatchDocument = d
		if err := ctx.Err(); err != nil {
			fail(i, err)
			continue
		}
		p, err := batchPrepare(ctx, d.Input, chain, &prepOpts)
		if err != nil {
			fail(i, err)
			continue
		}
		if signerOpts == nil {
			signerOpts = p.SignerOpts
		}
		preps[i] = p
		idx = append(idx, i)
		digests = append(digests, p.Digest)
		report(BatchProgress{Stage: BatchPrepared, Done: len(idx), Total: len(docs), Document: d.Input})
	}
	if len(idx) == 0 {
		return results, nil
	}
	sigs, errs := signer.SignDigests(ctx, digests, signerOpts, func(done, total int) {
		report(BatchProgress{Stage: BatchSigned, Done: done, Total: total})
	})
	completed := 0
	for j, i := range idx {
		if errs != nil && errs[j] != nil {
			fail(i, errs[j])
			continue
		}
		if len(sigs) <= j || sigs[j] == nil {
			fail(i, errors.New("kyso: the signer returned no signature"))
			continue
		}
		res, err := batchComplete(ctx, docs[i], preps[i].State, sigs[j], &signature.CompleteOptions{Level: level, Password: o.Sign.Password})
		if err != nil {
			fail(i, err)
			continue
		}
		results[i].Result = res
		completed++
		report(BatchProgress{Stage: BatchCompleted, Done: completed, Total: len(docs), Document: docs[i].Input})
	}
	return results, nil
}

func batchPrepare(ctx context.Context, path string, chain []*x509.Certificate, opts *signature.SignOptions) (*signature.PreparedSignature, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return signature.Prepare(ctx, f, st.Size(), chain, opts)
}

func batchComplete(ctx context.Context, d BatchDocument, state, sig []byte, opts *signature.CompleteOptions) (*signature.SignResult, error) {
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
	err = batchWriteAtomic(d.Output, func(w io.Writer) error {
		var err error
		res, err = signature.Complete(ctx, w, in, st.Size(), state, sig, opts)
		return err
	})
	return res, err
}

// batchWriteAtomic writes path through write into a temporary file beside it, renamed
// into place only on success.
func batchWriteAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
