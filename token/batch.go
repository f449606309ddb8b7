package token

import (
	"context"
	"crypto"
	"crypto/rand"
)

// BatchSigner signs many digests at once with one authorisation: one
// credentials/authorize of a CSC service ([*CSCSigner]) or one login of a PKCS#11 token
// (any [Signer] through [Batch]).
type BatchSigner interface {
	Signer
	// SignDigests signs every digest (made with opts.HashFunc()). sigs[i] is the
	// signature of digests[i]. errs is nil when all were signed; otherwise it has one
	// entry per digest, nil for those signed, so one failure does not lose the others.
	// progress, when not nil, is called with the number of digests done so far.
	SignDigests(ctx context.Context, digests [][]byte, opts crypto.SignerOpts, progress func(done, total int)) (sigs [][]byte, errs []error)
}

// Batch returns s as a BatchSigner: s itself when it is one (a CSC credential), else an
// adapter that signs the digests one after the other with s, under the login s already
// holds (a PKCS#11 [KeySigner] logs in once, when its token is opened) — so a batch
// never asks for the PIN again.
func Batch(s Signer) BatchSigner {
	if b, ok := s.(BatchSigner); ok {
		return b
	}
	return sequentialBatch{s}
}

type sequentialBatch struct{ Signer }

type contextSigner interface {
	SignContext(ctx context.Context, digest []byte, opts crypto.SignerOpts) ([]byte, error)
}

func (b sequentialBatch) SignDigests(ctx context.Context, digests [][]byte, opts crypto.SignerOpts, progress func(done, total int)) ([][]byte, []error) {
	sigs := make([][]byte, len(digests))
	errs := make([]error, len(digests))
	failed := false
	for i, d := range digests {
		var err error
		if err = ctx.Err(); err == nil {
			if cs, ok := b.Signer.(contextSigner); ok {
				sigs[i], err = cs.SignContext(ctx, d, opts)
			} else {
				sigs[i], err = b.Signer.Sign(rand.Reader, d, opts)
			}
		}
		if err != nil {
			errs[i], failed = err, true
		}
		if progress != nil {
			progress(i+1, len(digests))
		}
	}
	if !failed {
		return sigs, nil
	}
	return sigs, errs
}
