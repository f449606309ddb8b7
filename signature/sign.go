package signature

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"

	"github.com/kyso-go/kyso/internal/cms"
)

// Sign signs the PDF read from r (size bytes) with signer and writes the signed
// document to w: the original bytes unchanged, followed by an incremental update that
// holds a PAdES B-B signature (/SubFilter /ETSI.CAdES.detached; CMS with content-type,
// message-digest and signing-certificate-v2 signed attributes, no signing-time, the
// chain in the certificates field; the signing time in /M).
//
// chain[0] is the signer's certificate; the rest (intermediates, optionally the root)
// are embedded. signer's public key must be chain[0]'s.
//
// The input is read in one streaming pass that hashes while it copies to w; the signed
// content is never held in memory. Everything that can be refused (options, algorithms,
// fields, certification, encryption) is checked before the first byte is written. If
// Sign still fails after writing began (the signer or w failed, ctx was cancelled), w
// holds a partial document that the caller must discard; write to a temporary file and
// rename it on success.
//
// A signer with a method SignContext(ctx, digest, opts) — a remote key such as a CSC
// credential, whose signing is a network request — is called through it, so that ctx
// also bounds the signing.
//
// Sign does not check the certificate's validity, usage or revocation, nor whether the
// signer may sign this document; a caller's SignOptions.Policy hook (for example an
// adapter over the policy package) can refuse the signature before anything is
// written.
func Sign(ctx context.Context, w io.Writer, r io.ReaderAt, size int64, signer crypto.Signer, chain []*x509.Certificate, opts *SignOptions) (*SignResult, error) {
	if signer == nil {
		return nil, signErr(ErrInvalidOptions, nil, "no signer")
	}
	if len(chain) == 0 || chain[0] == nil {
		return nil, signErr(ErrNoCertificate, nil, "chain[0] must be the signer's certificate")
	}
	if err := cms.MatchKey(signer, chain[0]); err != nil {
		return nil, signErr(ErrKeyMismatch, nil, "certificate %q", chain[0].Subject.CommonName)
	}
	job, err := planSignature(ctx, r, size, chain, opts)
	if err != nil {
		return nil, err
	}
	h := job.hash.New()
	if err := copyHashing(ctx, w, r, size, h); err != nil {
		return nil, err
	}
	md := job.digestSection(h)
	prep, err := cms.Prepare(md, chain[0], chain[1:], job.cmsOptions())
	if err != nil {
		return nil, algorithmErr(err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var sig []byte
	if cs, ok := signer.(contextSigner); ok { // a remote key: ctx reaches its requests
		sig, err = cs.SignContext(ctx, prep.Digest(), prep.SignerOpts())
	} else {
		sig, err = signer.Sign(rand.Reader, prep.Digest(), prep.SignerOpts())
	}
	if err != nil {
		return nil, fmt.Errorf("signature: the signer failed: %w", err)
	}
	der, err := prep.Finish(sig)
	if err != nil {
		return nil, signErr(ErrBadSignatureValue, err, "the signer returned a value that does not verify")
	}
	if der, err = levelTimestamp(ctx, der, opts); err != nil {
		return nil, err
	}
	if err := job.fill(der); err != nil {
		return nil, err
	}
	if _, err := w.Write(job.section); err != nil {
		return nil, fmt.Errorf("signature: writing output: %w", err)
	}
	return levelAugment(ctx, w, r, size, job, der, opts)
}

// copyChunk is the buffer size of the streaming pass.
const copyChunk = 1 << 20

// copyHashing reads r[0:size) once, feeding every byte to h and, when w is not nil,
// to w.
func copyHashing(ctx context.Context, w io.Writer, r io.ReaderAt, size int64, h hash.Hash) error {
	buf := make([]byte, min(int64(copyChunk), max(size, 1)))
	for off := int64(0); off < size; {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := int(min(int64(len(buf)), size-off))
		m, err := r.ReadAt(buf[:n], off)
		if m < n {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return fmt.Errorf("signature: reading input at offset %d: %w", off+int64(m), err)
		}
		h.Write(buf[:n])
		if w != nil {
			if _, err := w.Write(buf[:n]); err != nil {
				return fmt.Errorf("signature: writing output: %w", err)
			}
		}
		off += int64(n)
	}
	return nil
}

// digestSection completes h (which has hashed the whole input) with the appended
// section minus the /Contents hole and returns the message digest.
func (j *signJob) digestSection(h hash.Hash) []byte {
	h.Write(j.section[:j.holeStart])
	h.Write(j.section[j.holeStart+j.holeLen:])
	return h.Sum(nil)
}

// fill writes der, hex-encoded, into the /Contents hole.
func (j *signJob) fill(der []byte) error {
	if 2*len(der) > j.holeLen-2 {
		return signErr(ErrContentsTooSmall, nil, "CMS of %d bytes, room for %d", len(der), (j.holeLen-2)/2)
	}
	hex.Encode(j.section[j.holeStart+1:], der)
	return nil
}

func (j *signJob) result(cmsSize int) *SignResult {
	return &SignResult{
		Field:            j.field,
		ByteRange:        j.byteRange,
		Size:             j.size + int64(len(j.section)),
		ContentsCapacity: (j.holeLen - 2) / 2,
		CMSSize:          cmsSize,
		Time:             j.time,
		Certified:        j.certify,
		Warnings:         j.warnings,
	}
}

// algorithmErr maps internal/cms refusals to this package's sentinels.
func algorithmErr(err error) error {
	switch {
	case errors.Is(err, cms.ErrWeakAlgorithm), errors.Is(err, cms.ErrUnsupportedAlgorithm):
		return signErr(ErrAlgorithm, err, "")
	case errors.Is(err, cms.ErrKeyMismatch):
		return signErr(ErrKeyMismatch, err, "")
	}
	return signErr(ErrInvalidOptions, err, "")
}

// contextSigner is a crypto.Signer whose signing ctx can cancel (token.CSCSigner,
// token.KeySigner).
type contextSigner interface {
	SignContext(ctx context.Context, digest []byte, opts crypto.SignerOpts) ([]byte, error)
}
