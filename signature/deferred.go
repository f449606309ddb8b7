package signature

import (
	"bytes"
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/kyso-go/kyso/internal/cms"
)

// PreparedSignature is the first half of a deferred (two-step) signature: what the key
// must sign and a self-contained state that Complete turns into the signed document.
type PreparedSignature struct {
	// Digest is the hash of SignedAttributes: the value to pass to crypto.Signer.Sign
	// (or to a remote signing service) with SignerOpts.
	Digest []byte
	// SignedAttributes is the DER SET OF attributes the signature covers, for signers
	// that hash their input themselves.
	SignedAttributes []byte
	// Hash is the digest algorithm; SignerOpts is Hash, or an *rsa.PSSOptions for
	// RSA-PSS.
	Hash       crypto.Hash
	SignerOpts crypto.SignerOpts
	// Field is the name of the signature field the signature will fill.
	Field string
	// Warnings lists what the PDF reader repaired in the input (see
	// SignResult.Warnings).
	Warnings []string
	// State is the serialised, integrity-protected state to hand to Complete. It holds
	// no secret (the certificates, the update to append, the digests), is bound to the
	// input by the digest of its signed byte ranges, and carries an HMAC-SHA256 when
	// SignOptions.StateKey is set (otherwise a plain SHA-256 that only catches
	// corruption). Any process with the same input can complete it.
	State []byte
}

// CompleteOptions controls Complete.
type CompleteOptions struct {
	// StateKey is the key SignOptions.StateKey held when Prepare made the state. A
	// state made with a key is refused without it, and vice versa.
	StateKey []byte
	// Level, when not nil, brings the completed signature to PAdES B-T, B-LT or B-LTA
	// as Sign does with SignOptions.Level: a signature time-stamp inside the /Contents
	// that Prepare reserved (SignOptions.ReserveUnsigned), then the DSS and the
	// document time-stamp. An external CMS that already carries a signature
	// time-stamp keeps it; when that token lacks its TSA's certificate, the
	// certificate is looked up in the CMS and in Level.Certificates and added.
	Level *LevelOptions
	// Password opens an encrypted input for the B-LT/B-LTA step (nil: the empty user
	// password).
	Password []byte
}

// Prepare is the first step of deferred signing: it reads the PDF from r (one pass,
// hashing), builds the incremental update exactly as Sign would, and returns the
// digest to sign with the state Complete needs. chain[0] is the signer's certificate.
// Prepare writes nothing and needs no key. It consults SignOptions.Policy as Sign does;
// Complete does not consult it again.
//
// Prepare makes B-B signatures only: a SignOptions.Level above B-B is refused with
// ErrInvalidOptions (bring the completed document to B-LT/B-LTA with Extend).
func Prepare(ctx context.Context, r io.ReaderAt, size int64, chain []*x509.Certificate, opts *SignOptions) (*PreparedSignature, error) {
	if lo := levelOf(opts); lo != nil {
		return nil, signErr(ErrInvalidOptions, nil, "level %s: Prepare and Complete make B-B signatures; sign with Sign for %s, or run Extend on the completed document for B-LT/B-LTA", lo.Target, lo.Target)
	}
	job, err := planSignature(ctx, r, size, chain, opts)
	if err != nil {
		return nil, err
	}
	h := job.hash.New()
	if err := copyHashing(ctx, nil, r, size, h); err != nil {
		return nil, err
	}
	md := job.digestSection(h)
	prep, err := cms.Prepare(md, chain[0], chain[1:], job.cmsOptions())
	if err != nil {
		return nil, algorithmErr(err)
	}
	st := deferredState{
		Version: 1, InputSize: size, Hash: int(job.hash), PSS: job.pss, MessageDigest: md,
		Section: job.section, HoleStart: job.holeStart, HoleLen: job.holeLen,
		ByteRange: job.byteRange, Field: job.field, Time: job.time, Certify: int(job.certify),
	}
	for _, c := range chain {
		if c != nil {
			st.Certs = append(st.Certs, c.Raw)
		}
	}
	var key []byte
	if opts != nil {
		key = opts.StateKey
	}
	state, err := st.seal(key)
	if err != nil {
		return nil, err
	}
	return &PreparedSignature{
		Digest: prep.Digest(), SignedAttributes: prep.SignedAttributes(), Hash: job.hash,
		SignerOpts: prep.SignerOpts(), Field: job.field, State: state, Warnings: job.warnings,
	}, nil
}

// Complete is the second step of deferred signing: it checks state (integrity, key),
// checks that r is the input Prepare saw (its size and the digest of the signed byte
// ranges), checks signatureValue against the signer certificate, and only then writes
// the signed document to w. Because the input is checked before writing, it is read
// twice.
//
// signatureValue is either the raw signature of PreparedSignature.Digest, or a whole
// CMS SignedData (ContentInfo) made elsewhere — by a signing service that returns CMS
// rather than a raw signature. An external CMS is embedded as it is after checks that
// it signs the prepared message digest with the prepared certificate, that its signed
// attributes are PAdES-valid (content-type id-data, no signing-time, an ESS
// signing-certificate-v2 naming the certificate), that its signature value verifies,
// that it carries the signer's certificate, that a signature time-stamp it brings
// time-stamps its signature value, and that it fits the reserved /Contents; each
// mismatch is an *ExternalCMSError
// (ErrExternalCMS and the sentinel of its reason).
//
// With CompleteOptions.Level the signature is then brought to B-T, B-LT or B-LTA as
// Sign would; as with Sign, a failure after writing began leaves a partial w.
func Complete(ctx context.Context, w io.Writer, r io.ReaderAt, size int64, state, signatureValue []byte, opts *CompleteOptions) (*SignResult, error) {
	var key []byte
	var so *SignOptions
	if opts != nil {
		key = opts.StateKey
		if err := opts.Level.check(); err != nil {
			return nil, err
		}
		so = &SignOptions{Level: opts.Level, Password: opts.Password}
	}
	st, err := openState(state, key)
	if err != nil {
		return nil, err
	}
	if size != st.InputSize {
		return nil, signErr(ErrStateMismatch, nil, "input of %d bytes, the state was prepared for %d", size, st.InputSize)
	}
	certs := make([]*x509.Certificate, len(st.Certs))
	for i, der := range st.Certs {
		if certs[i], err = x509.ParseCertificate(der); err != nil {
			return nil, signErr(ErrStateInvalid, err, "certificate %d", i)
		}
	}
	job := &signJob{
		size: size, hash: crypto.Hash(st.Hash), pss: st.PSS, time: st.Time, certify: DocMDPPermission(st.Certify),
		field: st.Field, section: st.Section, holeStart: st.HoleStart, holeLen: st.HoleLen, byteRange: st.ByteRange,
	}
	h := job.hash.New()
	if err := copyHashing(ctx, nil, r, size, h); err != nil {
		return nil, err
	}
	if md := job.digestSection(h); !bytes.Equal(md, st.MessageDigest) {
		return nil, signErr(ErrStateMismatch, nil, "the input's content differs from the prepared one")
	}
	prep, err := cms.Prepare(st.MessageDigest, certs[0], certs[1:], job.cmsOptions())
	if err != nil {
		return nil, algorithmErr(err)
	}
	var der []byte
	external := looksLikeCMS(signatureValue)
	if external {
		var candidates []*x509.Certificate
		if opts != nil && opts.Level != nil {
			candidates = opts.Level.Certificates
		}
		if der, err = checkExternalCMS(signatureValue, st, certs[0], job.hash, candidates); err != nil {
			return nil, err
		}
	} else if der, err = prep.Finish(signatureValue); err != nil {
		return nil, signErr(ErrBadSignatureValue, err, "")
	}
	if !external || !hasSignatureTimestamp(der) {
		if der, err = levelTimestamp(ctx, der, so); err != nil {
			return nil, err
		}
	}
	if err := job.fill(der); err != nil {
		if external {
			return nil, &ExternalCMSError{Reason: CMSTooLarge, Detail: fmt.Sprintf("%d bytes, room for %d", len(der), (job.holeLen-2)/2), Err: err}
		}
		return nil, err
	}
	if err := copyHashing(ctx, w, r, size, nopHash{}); err != nil {
		return nil, err
	}
	if _, err := w.Write(job.section); err != nil {
		return nil, err
	}
	return levelAugment(ctx, w, r, size, job, der, so)
}

// deferredState is what travels between Prepare and Complete.
type deferredState struct {
	Version       int       `json:"v"`
	InputSize     int64     `json:"size"`
	Hash          int       `json:"hash"`
	PSS           bool      `json:"pss,omitempty"`
	Certs         [][]byte  `json:"certs"`
	MessageDigest []byte    `json:"md"`
	Section       []byte    `json:"section"`
	HoleStart     int       `json:"hole"`
	HoleLen       int       `json:"holeLen"`
	ByteRange     [4]int64  `json:"byteRange"`
	Field         string    `json:"field"`
	Time          time.Time `json:"time"`
	Certify       int       `json:"certify,omitempty"`
}

// State layout: magic, a mode byte (0 plain SHA-256, 1 HMAC-SHA256), the payload
// length (4 bytes, big-endian), the JSON payload, the 32-byte tag.
const (
	stateMagic   = "KYSO-DEFERRED-1\n"
	maxStateSize = 64 << 20
)

func (st *deferredState) seal(key []byte) ([]byte, error) {
	payload, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(stateMagic)+5+len(payload)+32)
	out = append(out, stateMagic...)
	mode := byte(0)
	if len(key) > 0 {
		mode = 1
	}
	out = append(out, mode)
	out = binary.BigEndian.AppendUint32(out, uint32(len(payload)))
	out = append(out, payload...)
	return append(out, stateTag(key, out)...), nil
}

func stateTag(key, msg []byte) []byte {
	if len(key) > 0 {
		m := hmac.New(sha256.New, key)
		m.Write(msg)
		return m.Sum(nil)
	}
	s := sha256.Sum256(msg)
	return s[:]
}

func openState(b, key []byte) (*deferredState, error) {
	hdr := len(stateMagic) + 5
	if len(b) > maxStateSize || len(b) < hdr+32 || string(b[:len(stateMagic)]) != stateMagic {
		return nil, signErr(ErrStateInvalid, nil, "not a kyso deferred-signing state")
	}
	mode := b[len(stateMagic)]
	n := int(binary.BigEndian.Uint32(b[len(stateMagic)+1 : hdr]))
	if n != len(b)-hdr-32 {
		return nil, signErr(ErrStateInvalid, nil, "truncated or extended state")
	}
	switch {
	case mode == 1 && len(key) == 0:
		return nil, signErr(ErrStateInvalid, nil, "the state is protected with a key; give CompleteOptions.StateKey")
	case mode == 0 && len(key) > 0:
		return nil, signErr(ErrStateInvalid, nil, "the state was made without a key but a key was given")
	case mode > 1:
		return nil, signErr(ErrStateInvalid, nil, "unknown protection mode %d", mode)
	}
	body := b[:len(b)-32]
	if !hmac.Equal(stateTag(key, body), b[len(b)-32:]) {
		return nil, signErr(ErrStateInvalid, nil, "integrity check failed (tampered state or wrong key)")
	}
	var st deferredState
	if err := json.Unmarshal(b[hdr:len(b)-32], &st); err != nil {
		return nil, signErr(ErrStateInvalid, err, "")
	}
	switch {
	case st.Version != 1:
		return nil, signErr(ErrStateInvalid, nil, "unknown version %d", st.Version)
	case len(st.Certs) == 0:
		return nil, signErr(ErrStateInvalid, nil, "no certificate")
	case crypto.Hash(st.Hash) != crypto.SHA256 && crypto.Hash(st.Hash) != crypto.SHA384 && crypto.Hash(st.Hash) != crypto.SHA512:
		return nil, signErr(ErrStateInvalid, nil, "bad digest algorithm")
	case st.HoleStart < 0 || st.HoleLen < 2 || st.HoleStart+st.HoleLen > len(st.Section) || st.InputSize < 0:
		return nil, signErr(ErrStateInvalid, nil, "bad /Contents position")
	case st.ByteRange != [4]int64{0, st.InputSize + int64(st.HoleStart), st.InputSize + int64(st.HoleStart+st.HoleLen), int64(len(st.Section) - st.HoleStart - st.HoleLen)}:
		return nil, signErr(ErrStateInvalid, nil, "inconsistent /ByteRange")
	}
	for _, c := range st.Section[st.HoleStart+1 : st.HoleStart+st.HoleLen-1] {
		if c != '0' {
			return nil, signErr(ErrStateInvalid, nil, "the /Contents hole is not empty")
		}
	}
	return &st, nil
}

// nopHash is a hash.Hash that does nothing, for a pass that only copies.
type nopHash struct{}

func (nopHash) Write(p []byte) (int, error) { return len(p), nil }
func (nopHash) Sum(b []byte) []byte         { return b }
func (nopHash) Reset()                      {}
func (nopHash) Size() int                   { return 0 }
func (nopHash) BlockSize() int              { return 1 }
