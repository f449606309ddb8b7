package signature

import (
	"context"
	"crypto"
	"crypto/x509"
	"fmt"
	"io"
	"time"

	"github.com/kyso-go/kyso/internal/cms"
)

// MissingRevocationPolicy says what B-LT signing and Extend do when the revocation
// data of some certificate cannot be obtained (responder down, no URL, unknown issuer).
// When Sign adds a signature to a document that already holds others, only the new
// signature's own data (its chain, its time-stamp's TSA chain) is subject to the
// policy: data that only the other signatures need is added when it can be had, and
// what could not be had is listed in LevelResult.Validation.Missing with a warning.
type MissingRevocationPolicy int

const (
	// FailOnMissingRevocation returns a *RevocationError (ErrRevocationUnavailable).
	// It is the default.
	FailOnMissingRevocation MissingRevocationPolicy = iota
	// ContinueWithoutRevocation keeps going: Sign stops at B-T (no DSS, no document
	// time-stamp) and says so in LevelResult; Extend embeds what it obtained, adds the
	// document time-stamp, and lists what is missing in ExtendResult.Missing.
	ContinueWithoutRevocation
)

// LevelOptions asks Sign for a PAdES baseline level above B-B (ETSI EN 319 142-1):
//
//   - B-T: a signature time-stamp — an RFC 3161 token over the signature value,
//     added to the CMS as the id-aa-signatureTimeStampToken unsigned attribute, inside
//     the /Contents reserved for it (SignOptions.ReserveUnsigned).
//   - B-LT: then an incremental update with a /DSS holding the certificates, OCSP
//     responses and CRLs that validate the signature and its time-stamp, and a /VRI
//     entry for the signature.
//   - B-LTA: then a document time-stamp (/Type /DocTimeStamp, /SubFilter
//     /ETSI.RFC3161) over the whole file, in a further incremental update.
//
// Only Sign honours it. Prepare and Complete make B-B signatures, so Prepare refuses a
// level above B-B with ErrInvalidOptions; Extend can bring the completed document to
// B-LT/B-LTA afterwards.
type LevelOptions struct {
	// Target is LevelBT, LevelBLT or LevelBLTA; LevelBB (or empty) adds nothing.
	Target Level
	// Timestamper makes the signature time-stamp and the document time-stamp. Required
	// for B-T and above.
	Timestamper Timestamper
	// Revocation fetches OCSP responses and CRLs for B-LT and B-LTA. Required there.
	Revocation RevocationSource
	// Certificates are extra certificates for building chains (the root, missing
	// intermediates) so that each certificate's issuer is known, and where the TSA's
	// certificate is found when a token does not carry it (see Timestamper).
	Certificates []*x509.Certificate
	// OnMissingRevocation: fail (default) or stay at B-T with warnings.
	OnMissingRevocation MissingRevocationPolicy
	// DocTimestampReserve is the /Contents room for the document time-stamp token of
	// B-LTA; 0 means 16384.
	DocTimestampReserve int
}

// LevelResult says which level Sign reached and what it added to reach it.
type LevelResult struct {
	// Level is the level reached: the target, or LevelBT when revocation data was
	// missing and ContinueWithoutRevocation was chosen.
	Level Level
	// TimestampTime is the signature time-stamp's genTime, the proven signing time;
	// TSA the time-stamping authority's common name.
	TimestampTime time.Time
	TSA           string
	// Validation describes the DSS and document time-stamp added for B-LT/B-LTA; nil at
	// B-T.
	Validation *ExtendResult
	// Missing lists certificates of the new signature whose revocation data could not
	// be obtained, when the level was lowered to B-T because of them. (Missing data of
	// other signatures in the document is in Validation.Missing.)
	Missing []MissingRevocation
	// Warnings, in English, for the operator.
	Warnings []string
}

// levelRank orders the levels; -1 for an unknown one.
func levelRank(l Level) int {
	switch l {
	case LevelNone, LevelBB:
		return 0
	case LevelBT:
		return 1
	case LevelBLT:
		return 2
	case LevelBLTA:
		return 3
	}
	return -1
}

// check validates the level options of SignOptions before anything is written. A nil
// *LevelOptions is valid (B-B).
func (o *LevelOptions) check() error {
	if o == nil {
		return nil
	}
	rank := levelRank(o.Target)
	switch {
	case rank < 0:
		return signErr(ErrInvalidOptions, nil, "level %q: use B-B, B-T, B-LT or B-LTA", o.Target)
	case rank >= 1 && o.Timestamper == nil:
		return signErr(ErrInvalidOptions, nil, "level %s needs a Timestamper (a TSA client)", o.Target)
	case rank >= 2 && o.Revocation == nil:
		return signErr(ErrInvalidOptions, nil, "level %s needs a RevocationSource (an OCSP/CRL client)", o.Target)
	case o.OnMissingRevocation != FailOnMissingRevocation && o.OnMissingRevocation != ContinueWithoutRevocation:
		return signErr(ErrInvalidOptions, nil, "OnMissingRevocation %d is not a known policy", o.OnMissingRevocation)
	case o.DocTimestampReserve < 0 || o.DocTimestampReserve > maxDocTimestampReserve:
		return signErr(ErrInvalidOptions, nil, "DocTimestampReserve %d out of range [0, %d]", o.DocTimestampReserve, maxDocTimestampReserve)
	}
	return nil
}

// levelOf returns the level options of o, or nil.
func levelOf(o *SignOptions) *LevelOptions {
	if o == nil || o.Level == nil || levelRank(o.Level.Target) < 1 {
		return nil
	}
	return o.Level
}

// levelTimestamp is Sign's B-T step: with a level of B-T or above it asks the
// Timestamper for a token over the signature value of the CMS der and returns the CMS
// with the token as the id-aa-signatureTimeStampToken unsigned attribute. Otherwise it
// returns der unchanged.
func levelTimestamp(ctx context.Context, der []byte, o *SignOptions) ([]byte, error) {
	lo := levelOf(o)
	if lo == nil {
		return der, nil
	}
	sd, err := cms.Parse(der)
	if err != nil {
		return nil, fmt.Errorf("signature: re-reading the CMS just made: %w", err)
	}
	if len(sd.Signers) != 1 {
		return nil, fmt.Errorf("signature: the CMS just made has %d signers", len(sd.Signers))
	}
	si := sd.Signers[0]
	h := si.Hash
	if h == 0 {
		h = crypto.SHA256
	}
	tok, _, err := requestTimestamp(ctx, lo.Timestamper, "signature time-stamp", si.Signature, h, lo.Certificates)
	if err != nil {
		return nil, err
	}
	out, err := cms.AddUnsignedAttribute(der, 0, cms.OIDAttributeTimeStampToken, tok)
	if err != nil {
		return nil, &TimestampError{Purpose: "signature time-stamp", Err: err}
	}
	return out, nil
}

// levelAugment is Sign's last step: it returns the result of the signature just
// written (the input r of size bytes followed by job.section, whose CMS is der) and,
// for B-LT and B-LTA, first writes to w the DSS update and the document time-stamp.
func levelAugment(ctx context.Context, w io.Writer, r io.ReaderAt, size int64, job *signJob, der []byte, o *SignOptions) (*SignResult, error) {
	res := job.result(len(der))
	lo := levelOf(o)
	if lo == nil {
		return res, nil
	}
	lr := &LevelResult{Level: LevelBT}
	res.Level = lr
	if sd, err := cms.Parse(der); err == nil && len(sd.Signers) == 1 {
		if tokDER, ok := sd.Signers[0].SignatureTimeStampToken(); ok {
			if tok, err := parseTimestampToken(tokDER, sd.Certificates...); err == nil {
				lr.TimestampTime, lr.TSA = tok.GenTime, tok.tsaName()
			}
		}
	}
	if levelRank(lo.Target) < 2 {
		return res, nil
	}
	signed := appendedReaderAt{r: r, size: size, tail: job.section}
	signedSize := size + int64(len(job.section))
	dssBytes, v, own, err := buildDSSUpdateFor(ctx, signed, signedSize, o.Password, lo.Revocation, lo.Certificates, job.field)
	if err != nil {
		return nil, err
	}
	// The new signature's own validation data is mandatory; data that only other
	// signatures already in the document need is added when it can be had, and what
	// could not be had is reported (their signers' responders may be down or gone).
	if len(v.Missing) > len(own) {
		lr.Warnings = append(lr.Warnings, fmt.Sprintf("revocation data for %d certificate(s) of other signatures in the document could not be obtained (listed in Validation.Missing); this signature's own data is complete", len(v.Missing)-len(own)))
	}
	if len(own) > 0 {
		if lo.OnMissingRevocation != ContinueWithoutRevocation {
			return nil, &RevocationError{Missing: own}
		}
		lr.Missing = own
		lr.Warnings = append(lr.Warnings, v.Warnings...)
		lr.Warnings = append(lr.Warnings, fmt.Sprintf("level %s not reached: the signature stays at B-T", lo.Target))
		return res, nil
	}
	lr.Warnings = append(lr.Warnings, v.Warnings...)
	v.Warnings = nil
	total := signedSize + int64(len(dssBytes))
	var tsBytes []byte
	if lo.Target == LevelBLTA {
		tsBytes, v.DocTimestamp, err = makeDocTimestamp(ctx, docTimestampRequest{
			r: appendedReaderAt{r: signed, size: signedSize, tail: dssBytes}, size: total, password: o.Password,
			hash: job.hash, ts: lo.Timestamper, reserve: lo.DocTimestampReserve, certs: lo.Certificates,
		})
		if err != nil {
			return nil, err
		}
	}
	for _, b := range [][]byte{dssBytes, tsBytes} {
		if _, err := w.Write(b); err != nil {
			return nil, fmt.Errorf("signature: writing output: %w", err)
		}
	}
	v.Size = total + int64(len(tsBytes))
	res.Size = v.Size
	lr.Validation = v
	lr.Level = lo.Target
	return res, nil
}
