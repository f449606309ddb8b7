package signature

import (
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// finishDocTimestamp checks a document time-stamp: the imprint against the byte
// ranges, the TSA's path at the time-stamp's time, and the modifications after it.
func (v *verifier) finishDocTimestamp(s *sigState) {
	rep := s.rep
	tok, err := parseTimestampToken(s.contents, v.tokenCandidates(nil)...)
	var weak *weakTimestampError
	var notFound *tsaNotFoundError
	switch {
	case errors.As(err, &weak) && tok != nil:
		// Below the policy but verified: INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE;
		// the imprint and the chain are still checked and reported.
		rep.add(CheckAlgorithms, CheckFailed, msgTimestampWeak(weak.what))
		rep.fail(Indeterminate, CryptoConstraintsFailure)
	case errors.As(err, &weak):
		rep.add(CheckAlgorithms, CheckFailed, msgTimestampWeak(weak.what))
		rep.fail(Indeterminate, CryptoConstraintsFailure)
		v.unverifiedDocTimestamp(s)
		return
	case errors.As(err, &notFound):
		// The token's signature cannot be checked: the time-stamp proves nothing,
		// but nothing failed either (ETSI EN 319 102-1). Its imprint still says
		// whether it is over this document.
		rep.DigestAlgorithm = tok.Hash.String()
		if tok.tst.CheckImprint(tok.Hash, s.digest) != nil {
			rep.add(CheckMessageDigest, CheckFailed, msgDigestMismatch(rep.DigestAlgorithm))
			rep.fail(TotalFailed, HashFailure)
		} else {
			rep.add(CheckMessageDigest, CheckPassed, msgImprintOK(rep.DigestAlgorithm))
		}
		rep.add(CheckSignatureValue, CheckIndeterminate, msgTSACertNotFound(notFound.tsa, tok.GenTime))
		rep.fail(Indeterminate, NoSigningCertificateFound)
		v.unverifiedDocTimestamp(s)
		return
	case err != nil:
		ind, sub := tokenVerdict(err)
		name, res := CheckSignatureValue, CheckFailed
		switch sub {
		case FormatFailure:
			name = CheckCMSFormat
		case NoSigningCertificateFound:
			name, res = CheckSigningCert, CheckIndeterminate
		case ChainConstraintsFailure:
			name, res = CheckKeyUsage, CheckIndeterminate
		case CryptoConstraintsFailure:
			// An algorithm outside the policy: the value was not checked, so this
			// is no forgery (integrityVerdict words a failed value as one).
			name = CheckAlgorithms
		}
		rep.add(name, res, msgDocTimestampFail(err))
		rep.fail(ind, sub)
		v.unverifiedDocTimestamp(s)
		return
	}
	s.tok = tok
	rep.Certificate = tok.TSA
	rep.Signer = signerFromCert(tok.TSA)
	rep.DigestAlgorithm = tok.Hash.String()
	rep.SignatureAlgorithm = keyDescription(tok.TSA.PublicKey)
	gt := tok.GenTime.UTC()
	rep.TimestampTime = &gt
	rep.SigningTime = &gt
	rep.TimeProven = true
	ok := true
	if tok.tst.CheckImprint(tok.Hash, s.digest) != nil {
		rep.add(CheckMessageDigest, CheckFailed, msgDigestMismatch(rep.DigestAlgorithm))
		rep.fail(TotalFailed, HashFailure)
		ok = false
	} else {
		rep.add(CheckMessageDigest, CheckPassed, msgDigestOK(rep.DigestAlgorithm))
		rep.add(CheckSignatureValue, CheckPassed, msgSigValueOK(rep.SignatureAlgorithm))
	}
	v.modifications(s)
	if chain, err := v.validateChain(tok.TSA, v.tokenCandidates(tok.Certs), tok.GenTime); err != nil {
		rep.add(CheckChain, CheckFailed, chainMsg(err))
		rep.fail(Indeterminate, chainSubIndication(err))
	} else {
		rep.Chain = chain
		rep.add(CheckChain, CheckPassed, msgChainOK(chain[len(chain)-1].Subject.CommonName))
		if c, poe, proven := v.tokenOutlived(chain, s.rev); c != nil {
			rep.add(CheckTimestamp, CheckFailed, msgTimestampOutlived(c.Subject.CommonName, c.NotAfter, poe, proven))
			rep.fail(Indeterminate, OutOfBoundsNoPOE)
			ok = false
		}
		poe, _ := v.tokenPOE(s.rev)
		switch res := v.tsaStatus(chain, tok.GenTime, poe); {
		case res.state == revRevoked && res.late:
			rep.add(CheckRevocation, CheckFailed, msgTSARevokedNoPOE(res.revokedAt, reasonText(res.reason)))
			rep.fail(Indeterminate, RevokedNoPOE)
			ok = false
		case res.state == revRevoked:
			rep.add(CheckRevocation, CheckFailed, msgRevokedBefore(res.revokedAt, tok.GenTime, reasonText(res.reason)))
			rep.fail(TotalFailed, Revoked)
			ok = false
		case res.state == revGood:
			rep.add(CheckRevocation, CheckPassed, msgRevocationGood(res.source, res.produced))
			res.warnUnchecked(rep, "TSA "+chain[0].Subject.CommonName+": ")
		default:
			rep.add(CheckRevocation, CheckWarning, msgRevocationUnknown(res.why))
		}
		if ok {
			rep.add(CheckTimestamp, CheckPassed, msgDocTimestampOK(tok.GenTime, tok.tsaName()))
		}
	}
	v.identityInfo(s, tok.TSA)
	v.integritySummary(s, ok)
	s.complete = true
	if ok && rep.Indication == "" {
		s.poe, s.hasPOE = tok.GenTime, true
	}
}

// unverifiedDocTimestamp ends the checks of a document time-stamp whose token could
// not be verified: only the modification analysis and the integrity summary, which
// says what failed or could not be checked. It proves no time.
func (v *verifier) unverifiedDocTimestamp(s *sigState) {
	v.modifications(s)
	v.integritySummary(s, false)
	s.complete = true
}

// signatureTimestamp checks the signature time-stamp token (PAdES B-T), if any.
func (v *verifier) signatureTimestamp(s *sigState) {
	rep := s.rep
	if rep.ClaimedTime != nil {
		t := *rep.ClaimedTime
		rep.SigningTime = &t
	}
	// unproven reports the claimed time (or its absence) as not proven; why says why
	// a token the signature carries proves nothing (nil: it carries none).
	unproven := func(why *msg) {
		switch {
		case why != nil && rep.ClaimedTime != nil:
			rep.add(CheckSigningTime, CheckWarning, msgClaimedTimeTokenUnusable(*rep.ClaimedTime, *why))
		case why != nil:
			rep.add(CheckSigningTime, CheckWarning, msgNoTimeTokenUnusable(*why))
		case rep.ClaimedTime != nil:
			rep.add(CheckSigningTime, CheckWarning, msgClaimedTime(*rep.ClaimedTime))
		default:
			rep.add(CheckSigningTime, CheckWarning, msgNoTime())
		}
	}
	der, ok := s.si.SignatureTimeStampToken()
	if !ok {
		unproven(nil)
		return
	}
	tok, err := parseTimestampToken(der, v.tokenCandidates(s.sd.Certificates)...)
	var weak *weakTimestampError
	var notFound *tsaNotFoundError
	switch {
	case errors.As(err, &weak):
		// The token's algorithm is below the policy: it proves no time, and the
		// signature is judged without it (not a failure of the signature's value).
		rep.add(CheckTimestamp, CheckIndeterminate, msgTimestampWeak(weak.what))
		unproven(&msgWhyTokenWeak)
		return
	case errors.As(err, &notFound):
		if cerr := tok.covers(s.si.Signature); cerr != nil {
			rep.add(CheckTimestamp, CheckFailed, msgTimestampFail(cerr))
			rep.fail(TotalFailed, HashFailure)
			unproven(&msgWhyTokenFailed)
			return
		}
		// Its signature cannot be checked: INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND
		// for the token (ETSI EN 319 102-1), and the signature is judged without its
		// proof of existence — not a failure of the signature.
		rep.add(CheckTimestamp, CheckIndeterminate, msgTSACertNotFound(notFound.tsa, tok.GenTime))
		unproven(&msgWhyTokenNoTSACert)
		return
	case err != nil:
		ind, sub := tokenVerdict(err)
		if ind == Indeterminate {
			// A token that cannot be validated proves no time; the signature is
			// judged without it.
			rep.add(CheckTimestamp, CheckIndeterminate, msgTimestampFail(err))
			unproven(&msgWhyTokenUnchecked)
			return
		}
		rep.add(CheckTimestamp, CheckFailed, msgTimestampFail(err))
		rep.fail(ind, sub)
		unproven(&msgWhyTokenFailed)
		return
	}
	if err := tok.covers(s.si.Signature); err != nil {
		rep.add(CheckTimestamp, CheckFailed, msgTimestampFail(err))
		rep.fail(TotalFailed, HashFailure)
		unproven(&msgWhyTokenFailed)
		return
	}
	tsaChain, err := v.validateChain(tok.TSA, v.tokenCandidates(tok.Certs), tok.GenTime)
	if err != nil {
		// The token cannot be validated (ETSI EN 319 102-1: INDETERMINATE for the
		// token): the signature is judged without its proof of existence, by its
		// own certificate and the validation time.
		rep.add(CheckTimestamp, CheckIndeterminate, msgTimestampUnvalidated(chainMsg(err)))
		unproven(&msgWhyTokenUnchecked)
		return
	}
	tokPOE, _ := v.tokenPOE(s.rev)
	res := v.tsaStatus(tsaChain, tok.GenTime, tokPOE)
	if res.state == revRevoked && res.late {
		// Not a failure of the signature: it is judged without proof of time.
		rep.add(CheckTimestamp, CheckWarning, msgTSARevokedNoPOE(res.revokedAt, reasonText(res.reason)))
		unproven(&msgWhyTokenRevoked)
		return
	}
	if res.state == revRevoked {
		rep.add(CheckTimestamp, CheckFailed, msgTimestampFail(fmt.Errorf("the TSA certificate was revoked at %s (%s)", fmtTime(res.revokedAt), reasonText(res.reason))))
		rep.fail(Indeterminate, CertificateChainFailure)
		unproven(&msgWhyTokenRevoked)
		return
	}
	res.warnUnchecked(rep, "TSA "+tok.TSA.Subject.CommonName+": ")
	if c, poe, proven := v.tokenOutlived(tsaChain, s.rev); c != nil {
		// Not a failure of the signature: it is judged without proof of time.
		rep.add(CheckTimestamp, CheckWarning, msgTimestampOutlived(c.Subject.CommonName, c.NotAfter, poe, proven))
		unproven(&msgWhyTokenOutlived)
		return
	}
	gt := tok.GenTime.UTC()
	rep.TimestampTime = &gt
	rep.SigningTime = &gt
	rep.TimeProven = true
	s.poe, s.hasPOE = tok.GenTime, true
	rep.add(CheckTimestamp, CheckPassed, msgTimestampOK(tok.GenTime, tok.tsaName()))
	if rep.ClaimedTime != nil && rep.ClaimedTime.After(tok.GenTime.Add(revocationSkew)) {
		rep.add(CheckSigningTime, CheckWarning, msgTimestampAfterClaim(tok.GenTime, *rep.ClaimedTime))
	} else {
		rep.add(CheckSigningTime, CheckPassed, msgSigningTimeProven(tok.GenTime))
	}
}

// tokenOutlived checks that a time-stamp token in revision rev, whose TSA chain is
// chain, is still proof of time: every certificate of the chain but the trust anchor
// must outlive the token's own proof of existence — the earliest valid document
// time-stamp over a later revision, else the validation time. A TSA key is no longer
// protected once its certificate expired, so a token that cannot be shown to exist
// before then proves nothing (ETSI EN 319 102-1 past validation; this is why an
// archive is renewed before the last time-stamp's certificate expires). It returns
// the first certificate that expired too early, the proof-of-existence time, and
// whether that time comes from a document time-stamp.
func (v *verifier) tokenOutlived(chain []*x509.Certificate, rev int) (*x509.Certificate, time.Time, bool) {
	poe, proven := v.tokenPOE(rev)
	n := len(chain)
	if n > 1 {
		n-- // the trust anchor's own period is the trust store's business
	}
	for _, c := range chain[:n] {
		if c.NotAfter.Before(poe) {
			return c, poe, proven
		}
	}
	return nil, poe, proven
}

// tokenPOE is the proof of existence of a time-stamp token in revision rev: the
// earliest valid document time-stamp over a later revision (true), else the validation
// time (false).
func (v *verifier) tokenPOE(rev int) (time.Time, bool) {
	poe, proven := time.Time{}, false
	for _, o := range v.sigs {
		if o.rep.Kind == KindDocTimestamp && o.hasPOE && o.rev > rev && (!proven || o.poe.Before(poe)) {
			poe, proven = o.poe, true
		}
	}
	if !proven {
		poe = v.now
	}
	return poe, proven
}

// archivePOE returns the earliest time of a valid document time-stamp that covers
// revision rev.
func (v *verifier) archivePOE(rev int) (time.Time, bool) {
	var best time.Time
	found := false
	for _, o := range v.sigs {
		if o.rep.Kind == KindDocTimestamp && o.hasPOE && o.rev >= rev && (!found || o.poe.Before(best)) {
			best, found = o.poe, true
		}
	}
	return best, found
}

// timestampOrder checks that no document time-stamp covering the signature claims a
// time before the signature's own time-stamp (ETSI EN 319 102-1 TIMESTAMP_ORDER_FAILURE).
func (v *verifier) timestampOrder(s *sigState) {
	if !s.hasPOE {
		return
	}
	for _, o := range v.sigs {
		if o.rep.Kind == KindDocTimestamp && o.hasPOE && o.rev >= s.rev && o.poe.Before(s.poe.Add(-revocationSkew)) {
			s.rep.add(CheckTimestamp, CheckFailed, msgTimestampOrder(o.rep.Field, o.poe, s.poe))
			s.rep.fail(Indeterminate, TimestampOrderFailure)
			return
		}
	}
}
