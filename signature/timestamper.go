package signature

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/kyso-go/kyso/internal/cms"
)

// Timestamper obtains RFC 3161 time-stamp tokens from a time-stamping authority
// (TSA). Timestamp returns the DER TimeStampToken (a CMS ContentInfo holding a
// SignedData over a TSTInfo) for digest, computed with h. certstatus.TSAClient has
// exactly this method; this package never imports certstatus, so any implementation
// (another TSA client, a test double) can be used.
//
// Signing checks every token before embedding it: it must be well formed, signed by a
// certificate with the timeStamping usage, and its message imprint must be digest. A
// token without the TSA certificate or its intermediates (a request without certReq,
// or a TSA that leaves them out) is completed with those found among the
// Certificates of LevelOptions or ExtendOptions: the certificates of a SignedData are
// not signed, so the token stays valid, and it then verifies on its own, offline and
// in other validators. Without the TSA certificate there, signing fails.
type Timestamper interface {
	Timestamp(ctx context.Context, digest []byte, h crypto.Hash) ([]byte, error)
}

// maxTokenSize bounds a time-stamp token accepted from a Timestamper.
const maxTokenSize = 1 << 20

// requestTimestamp asks ts for a token over data's digest with h and checks it.
func requestTimestamp(ctx context.Context, ts Timestamper, purpose string, data []byte, h crypto.Hash, certs []*x509.Certificate) ([]byte, *timestampToken, error) {
	d := h.New()
	d.Write(data)
	return requestTimestampDigest(ctx, ts, purpose, d.Sum(nil), h, certs)
}

// requestTimestampDigest asks ts for a token over digest (computed with h) and checks
// the answer: a parseable, correctly signed token whose imprint is digest. When the
// TSA left its certificate or intermediates out of the token, they are taken from
// certs and added to the token (cms.AddSignerChain).
func requestTimestampDigest(ctx context.Context, ts Timestamper, purpose string, digest []byte, h crypto.Hash, certs []*x509.Certificate) ([]byte, *timestampToken, error) {
	fail := func(err error) ([]byte, *timestampToken, error) {
		return nil, nil, &TimestampError{Purpose: purpose, Err: err}
	}
	if ts == nil {
		return fail(errors.New("no Timestamper given"))
	}
	der, err := ts.Timestamp(ctx, digest, h)
	if err != nil {
		return fail(err)
	}
	if len(der) == 0 || len(der) > maxTokenSize {
		return fail(fmt.Errorf("the TSA returned a token of %d bytes", len(der)))
	}
	if full, _, err := cms.AddSignerChain(der, certs); err == nil {
		der = full
	} else if errors.Is(err, cms.ErrSignerNotFound) {
		return fail(errors.New("the TSA certificate is neither in the token nor among the Certificates given (LevelOptions, ExtendOptions): the time-stamp could not be verified, offline or by others"))
	}
	tok, err := parseTimestampToken(der)
	if err != nil {
		return fail(err)
	}
	if tok.tst.CheckImprint(h, digest) != nil {
		return fail(errors.New("the token's message imprint is not the digest that was sent"))
	}
	// Keep only the token itself (no trailing bytes a careless TSA client left).
	return tok.SignedCMS.Raw, tok, nil
}
