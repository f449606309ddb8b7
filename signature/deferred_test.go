package signature_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"testing"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func prepareBytes(t *testing.T, in []byte, s signTestSigner, opts *signature.SignOptions) *signature.PreparedSignature {
	t.Helper()
	p, err := signature.Prepare(context.Background(), bytes.NewReader(in), int64(len(in)), s.chain, opts)
	require.NoError(t, err)
	return p
}

func completeBytes(in, state, sig, key []byte) ([]byte, *signature.SignResult, error) {
	var out bytes.Buffer
	res, err := signature.Complete(context.Background(), &out, bytes.NewReader(in), int64(len(in)), state, sig,
		&signature.CompleteOptions{StateKey: key})
	return out.Bytes(), res, err
}

// TestDeferredSigning prepares in one "process", signs the digest elsewhere (as a
// remote HSM or a browser token would) and completes from the serialised state only.
func TestDeferredSigning(t *testing.T) {
	keys := signTestPKI(t)
	rootPEM := writeRootPEM(t, keys.root)
	for _, tc := range []struct {
		name string
		key  string
		opts signature.SignOptions
	}{
		{"rsa-pss with key", "rsa", signature.SignOptions{PSS: true, StateKey: []byte("portal secret"), Reason: "Phê duyệt"}},
		{"ecdsa without key", "p256", signature.SignOptions{}},
		{"visible certified", "rsa", signature.SignOptions{Certify: 2, Widget: &signature.Widget{Rect: [4]float64{50, 50, 250, 110},
			Appearance: signature.AppearanceFunc(signTestAppearance)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := pdftest.ObjectStreams()
			s := keys.byName[tc.key]
			p := prepareBytes(t, in, s, &tc.opts)
			state := bytes.Clone(p.State)

			sig, err := s.key.Sign(rand.Reader, p.Digest, p.SignerOpts)
			require.NoError(t, err)
			out, res, err := completeBytes(in, state, sig, tc.opts.StateKey)
			require.NoError(t, err)
			assert.Equal(t, p.Field, res.Field)
			signTestCheck{in: in, out: out, signatures: 1, rootPEM: rootPEM}.run(t)
		})
	}
}

func TestDeferredRefusals(t *testing.T) {
	keys := signTestPKI(t)
	s := keys.byName["rsa"]
	in := pdftest.Classic()
	key := []byte("k")
	p := prepareBytes(t, in, s, &signature.SignOptions{StateKey: key})
	sig, err := s.key.Sign(rand.Reader, p.Digest, p.SignerOpts)
	require.NoError(t, err)

	flipped := bytes.Clone(p.State)
	flipped[len(flipped)/2] ^= 1
	otherIn := pdftest.Hybrid()
	sameSize := bytes.Clone(in)
	sameSize[len(sameSize)/3] ^= 1
	badSig := bytes.Clone(sig)
	badSig[0] ^= 1
	unkeyed := prepareBytes(t, in, s, &signature.SignOptions{Reason: "another"})

	tests := []struct {
		name  string
		in    []byte
		state []byte
		sig   []byte
		key   []byte
		want  error
	}{
		{"tampered state", in, flipped, sig, key, signature.ErrStateInvalid},
		{"wrong key", in, p.State, sig, []byte("other"), signature.ErrStateInvalid},
		{"keyed state without key", in, p.State, sig, nil, signature.ErrStateInvalid},
		{"unkeyed state with key", in, unkeyed.State, sig, key, signature.ErrStateInvalid},
		{"garbage", in, []byte("hello"), sig, key, signature.ErrStateInvalid},
		{"truncated", in, p.State[:len(p.State)-1], sig, key, signature.ErrStateInvalid},
		{"other input", otherIn, p.State, sig, key, signature.ErrStateMismatch},
		{"modified input", sameSize, p.State, sig, key, signature.ErrStateMismatch},
		{"bad signature value", in, p.State, badSig, key, signature.ErrBadSignatureValue},
		{"signature of another state", in, unkeyed.State, sig, nil, signature.ErrBadSignatureValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := completeBytes(tt.in, tt.state, tt.sig, tt.key)
			assert.ErrorIs(t, err, tt.want)
			assert.Zero(t, len(out), "nothing is written when Complete refuses")
		})
	}
}

// FuzzComplete feeds arbitrary states to Complete: it must refuse them cleanly, never
// panic, and never write.
func FuzzComplete(f *testing.F) {
	in := pdftest.Classic()
	f.Add([]byte("KYSO-DEFERRED-1\n\x00\x00\x00\x00\x02{}"), []byte{1, 2, 3})
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, state, sig []byte) {
		out, _, err := completeBytes(in, state, sig, nil)
		if err == nil {
			t.Fatal("an arbitrary state was accepted")
		}
		if len(out) != 0 {
			t.Fatal("Complete wrote output for a refused state")
		}
	})
}
