package evidence

import (
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// Evaluator judges OCSP responses and CRLs. The zero value is usable: 5 minutes of
// clock skew, time.Now, 256 KiB per OCSP response, nonces not required.
type Evaluator struct {
	// ClockSkew tolerated when comparing thisUpdate/nextUpdate with the clock.
	ClockSkew time.Duration
	// Now is the clock ("now" of the validation); nil means time.Now.
	Now func() time.Time
	// MaxOCSPBytes limits an OCSP response.
	MaxOCSPBytes int64
	// RequireNonce rejects a response to an online request that does not echo the
	// nonce.
	RequireNonce bool
	// ResponderStatus establishes the status, at time at (the response's producedAt),
	// of a delegated OCSP responder whose certificate lacks id-pkix-ocsp-nocheck: RFC
	// 6960 §4.2.2.2.1 asks the client to check it by other means. It must not ask that
	// responder about its own certificate (a CRL is the usual means). nil means the
	// status is unknown; Offline looks in the CRLs it is given.
	ResponderStatus func(responder, issuer *x509.Certificate, at time.Time) Result
	// RequireResponderStatus refuses (ErrWrongResponder) a response from such a
	// responder whose status cannot be established. By default the response is
	// accepted and Result.ResponderUnchecked and Result.Warnings say so.
	RequireResponderStatus bool
}

func (e *Evaluator) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

func (e *Evaluator) skew() time.Duration {
	if e.ClockSkew <= 0 {
		return 5 * time.Minute
	}
	return e.ClockSkew
}

func (e *Evaluator) maxOCSP() int64 {
	if e.MaxOCSPBytes <= 0 {
		return 256 << 10
	}
	return e.MaxOCSPBytes
}

// Fresh checks thisUpdate/nextUpdate. Data must not come from the future; it must
// cover the time of interest (produced after it, or valid until after it); and when
// online it must still be current (nextUpdate not passed).
func (e *Evaluator) Fresh(thisUpdate, nextUpdate, at time.Time, online bool) error {
	now := e.now()
	skew := e.skew()
	if thisUpdate.After(now.Add(skew)) {
		return fmt.Errorf("%w: thisUpdate %s is in the future", ErrStale, thisUpdate.UTC().Format(time.RFC3339))
	}
	if !nextUpdate.IsZero() && nextUpdate.Before(thisUpdate) {
		return fmt.Errorf("%w: nextUpdate before thisUpdate", ErrMalformed)
	}
	if online && !nextUpdate.IsZero() && nextUpdate.Add(skew).Before(now) {
		return fmt.Errorf("%w: nextUpdate %s has passed", ErrStale, nextUpdate.UTC().Format(time.RFC3339))
	}
	coversAt := !thisUpdate.Add(skew).Before(at) || (!nextUpdate.IsZero() && !nextUpdate.Add(skew).Before(at))
	if !coversAt {
		return fmt.Errorf("%w: data from %s (next update %s) does not cover %s", ErrStale,
			thisUpdate.UTC().Format(time.RFC3339), fmtTime(nextUpdate), at.UTC().Format(time.RFC3339))
	}
	return nil
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.UTC().Format(time.RFC3339)
}

// provesRevocation reports whether an answer produced at thisUpdate that lists a
// revocation at revokedAt for reason proves the certificate revoked at the time of
// interest even though the answer does not cover that time: the revocation is
// permanent (not certificateHold) and came before at (or is a compromise), and the
// answer does not come from the future.
func (e *Evaluator) provesRevocation(thisUpdate, revokedAt time.Time, reason Reason, at time.Time) bool {
	if reason == ReasonCertificateHold || reason == ReasonRemoveFromCRL || thisUpdate.After(e.now().Add(e.skew())) {
		return false
	}
	return reason.compromise() || !revokedAt.After(at)
}

// decide picks the answer among the best of each source: a revocation anywhere wins
// (a revocation is never undone, so a later "good" from another source cannot hide
// it), then a revocation after the time of interest (which says more than "good"),
// then the newest answer; ties go to the source consulted first.
func decide(found []Result) (Result, bool) {
	for _, want := range []Status{StatusRevoked, StatusRevokedLater} {
		for _, r := range found {
			if r.Status == want {
				return r, true
			}
		}
	}
	var best *Result
	for i := range found {
		if best == nil || found[i].ThisUpdate.After(best.ThisUpdate) {
			best = &found[i]
		}
	}
	if best == nil {
		return Result{}, false
	}
	return *best, true
}

// Offline decides the status of cert (issued by issuer) at time at using only the
// given DER OCSP responses and CRLs of the sources in order (the order breaks ties).
// The own status of a delegated OCSP responder without id-pkix-ocsp-nocheck comes from
// the given CRLs (whatever the order says) unless e.ResponderStatus is set.
// Responses and CRLs about other certificates or issuers are ignored. Every item is
// verified (signature, responder authorisation, ResponderID, CertID issuer hashes,
// critical extensions, delta CRLs); freshness means the data covers at, except that
// an older answer still proves a permanent revocation it reports. Among several
// usable OCSP responses the newest (latest thisUpdate) stands for OCSP; the newest
// covering full CRL with its newest applicable delta CRL stands for CRLs; between
// the sources a revocation wins, else the newest answer (see decide). Items that fail verification are
// listed in Result.Failures; when nothing decides, Status is StatusUnknown and Err
// says why (wrapping ErrNoRevocationData when no item was about cert).
func (e *Evaluator) Offline(cert, issuer *x509.Certificate, at time.Time, order []Source, ocspResponses, crls [][]byte) Result {
	if at.IsZero() {
		at = e.now()
	}
	res := Result{At: at}
	if cert == nil || issuer == nil {
		res.Err = fmt.Errorf("%w: nil certificate or issuer", ErrNoRevocationData)
		return res
	}
	if e.ResponderStatus == nil {
		// A delegated responder without id-pkix-ocsp-nocheck: its status comes from
		// the CRLs given (never from OCSP, so never from itself).
		ev := *e
		ev.ResponderStatus = func(rc, iss *x509.Certificate, t time.Time) Result {
			return ev.CRLStatus(crls, rc, iss, t)
		}
		e = &ev
	}
	var found []Result
	for _, src := range order {
		switch src {
		case SourceOCSP:
			var best *Result
			for _, der := range ocspResponses {
				r, err := e.OCSP(der, "", cert, issuer, at, nil, false)
				if errors.Is(err, ErrNotForThisCert) {
					continue
				}
				if err != nil {
					res.Failures = append(res.Failures, err)
					continue
				}
				if best == nil || r.ThisUpdate.After(best.ThisUpdate) ||
					(r.ThisUpdate.Equal(best.ThisUpdate) && r.ProducedAt.After(best.ProducedAt)) {
					best = &r
				}
			}
			if best != nil {
				found = append(found, *best)
			}
		case SourceCRL:
			r, err := e.CRLSet(crls, cert, issuer, at)
			if errors.Is(err, ErrNotForThisCert) {
				continue
			}
			if err == nil {
				found = append(found, r)
			} else {
				res.Failures = append(res.Failures, err)
			}
		}
	}
	if r, ok := decide(found); ok {
		r.Failures = res.Failures
		return r
	}
	if len(res.Failures) == 0 {
		res.Err = ErrNoRevocationData
	} else {
		res.Err = errors.Join(res.Failures...)
	}
	return res
}

// CRLStatus is CRLSet as a Result: StatusUnknown with Err (ErrNoRevocationData when
// no CRL is about cert's issuer) when the CRLs do not decide.
func (e *Evaluator) CRLStatus(crls [][]byte, cert, issuer *x509.Certificate, at time.Time) Result {
	r, err := e.CRLSet(crls, cert, issuer, at)
	switch {
	case errors.Is(err, ErrNotForThisCert):
		return Result{At: at, Err: ErrNoRevocationData}
	case err != nil:
		return Result{At: at, Err: err}
	}
	return r
}
