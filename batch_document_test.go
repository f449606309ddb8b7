package kyso_test

import (
	"context"
	"crypto"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// TestSignBatchPerDocumentOptions: BatchOptions.Document adjusts each document's
// options from the document (here its policy facts and its field); a refused document,
// an unreadable one and one asking for another digest than the batch fail alone, with
// no output, and the others are signed under one authorisation with their own decision.
func TestSignBatchPerDocumentOptions(t *testing.T) {
	k := newBTKit(t, nil)
	s := k.signer(t, "leader", "246810")
	docs, outDir := btDocs(t, 5)
	require.NoError(t, os.WriteFile(docs[1].Input, []byte("not a PDF"), 0o600))
	engine, err := policy.New(policy.Options{})
	require.NoError(t, err)
	var sizes []int64
	results, err := kyso.SignBatch(context.Background(), s, docs, &kyso.BatchOptions{
		Sign: kyso.SignOptions{Signature: signature.SignOptions{Level: k.level(signature.LevelBT)}},
		Document: func(ctx context.Context, d kyso.BatchDocument, r io.ReaderAt, size int64, opts *kyso.SignOptions) error {
			sizes = append(sizes, size)
			facts := policy.Request{Role: policy.RoleAuthority, Document: policy.Document{Kind: policy.DocAdministrative}}
			if strings.HasSuffix(d.Input, "002.pdf") {
				facts.Document.Classification = policy.Confidential // never signed digitally
			}
			opts.Policy = &kyso.Policy{Engine: engine, Facts: facts}
			opts.Signature.NewField = "Ký " + strings.TrimSuffix(filepath.Base(d.Input), ".pdf")
			if strings.HasSuffix(d.Input, "003.pdf") {
				opts.Signature.Hash = crypto.SHA512 // the batch signs the first document's SHA-256 digests
			}
			return nil
		}})
	require.NoError(t, err)
	require.Len(t, results, 5)
	assert.Len(t, sizes, 5, "asked once per document, also for the unreadable one")

	assert.Error(t, results[1].Err, "unreadable")
	assert.ErrorIs(t, results[2].Err, policy.ErrRefused)
	require.NotNil(t, results[2].Decision)
	assert.False(t, results[2].Decision.Allowed)
	assert.Contains(t, results[2].Decision.RuleIDs(policy.OutcomeViolated), policy.RuleClassified)
	assert.ErrorIs(t, results[3].Err, signature.ErrInvalidOptions, "another digest than the batch's")
	for _, i := range []int{0, 4} {
		r := results[i]
		require.NoError(t, r.Err, r.Input)
		require.NotNil(t, r.Decision)
		assert.True(t, r.Decision.Allowed)
		assert.Equal(t, "Ký "+strings.TrimSuffix(filepath.Base(r.Input), ".pdf"), r.Result.Field)
		k.verify(t, r.Output, signature.LevelBT)
	}
	assert.ElementsMatch(t, []string{filepath.Base(docs[0].Output), filepath.Base(docs[4].Output)}, btOutputs(t, outDir), "no output for a failed document")
	assert.Equal(t, 1, k.srv.Calls("credentials/authorize"), "one authorisation for the batch")
}
