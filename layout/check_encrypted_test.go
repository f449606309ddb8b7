package layout_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/layout/layouttest"
)

// An encrypted input (AES-256, as qpdf writes it): with an empty user password it is
// read by Place and Check like any other; with a user password, Check opens it with
// CheckOptions.Password and refuses it without (ErrUnreadable), and Place opens it
// with Spec.Password and refuses it without, with a typed error (ErrDocument).
func TestEncryptedInput(t *testing.T) {
	needTool(t, "qpdf")
	letter := formsLetter(t, "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Thắng")
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	require.NoError(t, os.WriteFile(in, letter, 0o600))
	encrypt := func(user string) []byte {
		out := filepath.Join(dir, "enc-"+user+".pdf")
		run(t, "qpdf", "--encrypt", user, "owner", "256", "--", in, out)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		return b
	}
	ctx := context.Background()
	spec := layout.Spec{Kind: layout.Signer, Image: layouttest.SignaturePNG(300), SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Văn Thắng"}

	open := encrypt("")
	p, err := layout.Place(ctx, bytes.NewReader(open), int64(len(open)), spec)
	require.NoError(t, err)
	assert.Equal(t, 1, p.Page)
	rep := ckCheck(t, open, nil)
	assert.NotEmpty(t, rep.Measurement.CandidateBlocks, "the text is read through the encryption")

	locked := encrypt("mat-khau")
	_, err = layout.Place(ctx, bytes.NewReader(locked), int64(len(locked)), spec)
	assert.ErrorIs(t, err, layout.ErrDocument)
	spec.Password = []byte("mat-khau")
	p, err = layout.Place(ctx, bytes.NewReader(locked), int64(len(locked)), spec)
	require.NoError(t, err)
	assert.Equal(t, 1, p.Page)
	_, err = layout.Check(ctx, bytes.NewReader(locked), int64(len(locked)), nil)
	assert.ErrorIs(t, err, layout.ErrUnreadable)
	rep = ckCheck(t, locked, &layout.CheckOptions{Password: []byte("mat-khau")})
	assert.NotEmpty(t, rep.Measurement.CandidateBlocks)
}
