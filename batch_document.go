package kyso

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"io"
	"os"

	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// BatchDocumentFunc gives the signing options of one document of a batch, decided
// from the document itself: r holds its content (size bytes), read-only and valid
// only during the call. A document-management system uses it to place each visible
// signature where that document's signer block is (layout.Place on r) and to check
// each document with the signing policy (SignOptions.Policy, asked as Sign asks it,
// its decision in BatchResult.Decision).
//
// The options replace BatchOptions.Sign for that document, their Level included; their
// StateKey is ignored (the state stays in the process). An error, or a policy refusal,
// fails that document only: it gets no output and the others go on. Every document of
// a batch is signed in one call to the signer, so every document must sign with the
// same digest and scheme (hash, RSASSA-PSS or PKCS#1 v1.5) as the first one prepared:
// one that differs fails.
type BatchDocumentFunc func(ctx context.Context, doc BatchDocument, r io.ReaderAt, size int64) (*SignOptions, error)

// batchPrepareDocument prepares one document with the options fn gives for it,
// returning the level and password to complete it with and the policy's decision.
func batchPrepareDocument(ctx context.Context, d BatchDocument, chain []*x509.Certificate, fn BatchDocumentFunc) (_ *signature.PreparedSignature, _ *signature.LevelOptions, password []byte, _ *policy.Decision, err error) {
	f, err := os.Open(d.Input)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	opts, err := fn(ctx, d, f, st.Size())
	if err != nil {
		return nil, nil, nil, nil, err
	}
	var decision *policy.Decision
	so, err := opts.signatureOptions(f, st.Size(), &decision)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	level := so.Level
	so.Level = nil
	so.StateKey = nil
	p, err := signature.Prepare(ctx, f, st.Size(), chain, so)
	if err != nil {
		return nil, nil, nil, decision, err
	}
	return p, level, so.Password, decision, nil
}

// sameSignerOpts fails when a document's digest or signature scheme differs from the
// batch's first (one call to the signer signs them all with one set of options).
func sameSignerOpts(batch, doc crypto.SignerOpts) error {
	_, batchPSS := batch.(*rsa.PSSOptions)
	_, docPSS := doc.(*rsa.PSSOptions)
	if batch.HashFunc() != doc.HashFunc() || batchPSS != docPSS {
		return &signature.SignError{Err: signature.ErrInvalidOptions, Detail: fmt.Sprintf(
			"the document signs with %v (PSS %t), the batch with %v (PSS %t): one batch has one digest and scheme",
			doc.HashFunc(), docPSS, batch.HashFunc(), batchPSS)}
	}
	return nil
}
