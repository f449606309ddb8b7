package signature

import (
	"crypto/x509"
	"errors"
	"strings"
	"time"
)

// tsaStatus is the revocation status of a TSA certificate (chain[0], issued by
// chain[1]) for a token made at time at whose own proof of existence is poe: a TSA
// revoked before it made the token cannot vouch for that time, and one revoked later is
// good only if the token is proven to exist before the revocation (a revoked key may
// have made it, with any time in it); otherwise the result is revoked and late.
func (v *verifier) tsaStatus(chain []*x509.Certificate, at, poe time.Time) revResult {
	if len(chain) < 2 {
		return revResult{why: "the TSA certificate has no issuer"}
	}
	// A "good" answer must speak for the token's proof of existence, not only for its
	// time: a revocation in between would leave the token unproven.
	evalAt := at
	if poe.After(at) {
		evalAt = poe
	}
	res := v.evalRevocation(chain[0], chain[1], evalAt, v.dss.revocationData, "DSS")
	if res.state == revUnknown && !v.opts.Offline && v.opts.Revocation != nil {
		data, _ := v.fetchOnce(chain[0], chain[1])
		res = v.evalRevocation(chain[0], chain[1], evalAt, data, "online")
	}
	if res.state == revRevoked && res.revokedAt.After(at) {
		if poe.Before(res.revokedAt) {
			return revResult{state: revGood, source: res.source, produced: res.produced, unchecked: res.unchecked}
		}
		res.late = true
	}
	return res
}

// fetchOnce fetches revocation data online, once per certificate and verification.
func (v *verifier) fetchOnce(cert, issuer *x509.Certificate) (revocationData, string) {
	key := string(cert.Raw)
	if v.fetched == nil {
		v.fetched = map[string]fetched{}
	}
	if f, ok := v.fetched[key]; ok {
		return f.data, f.why
	}
	data, why := fetchRevocation(v.ctx, v.opts.Revocation, cert, issuer)
	v.fetched[key] = fetched{data, why}
	return data, why
}

type fetched struct {
	data revocationData
	why  string
}

func chainMsg(err error) msg {
	if errors.Is(err, errNoRoots) {
		return msgChainNoTrust()
	}
	return msgChainFail(err)
}

// validateChain validates cert's path at time at with the configured validator.
func (v *verifier) validateChain(cert *x509.Certificate, extra []*x509.Certificate, at time.Time) ([]*x509.Certificate, error) {
	inter := append(append([]*x509.Certificate(nil), extra...), v.dss.certs...)
	val := v.opts.Validator
	if val == nil {
		val = builtinValidator{roots: v.opts.Roots, intermediates: v.opts.Intermediates}
	}
	chain, err := val.ValidateChain(v.ctx, cert, inter, at)
	if err == nil && len(chain) == 0 {
		err = errors.New("the validator returned an empty chain")
	}
	return chain, err
}

// trust checks the signer certificate at the best signing time: validity, path, key
// usage and revocation, and adds the information Thông tư 15/2025 lists for display
// (binding for public signatures; kyso follows it as practice for công vụ ones).
func (v *verifier) trust(s *sigState, cert *x509.Certificate, cmsCerts []*x509.Certificate) {
	rep := s.rep
	poe, hasPOE := s.poe, s.hasPOE
	if !hasPOE {
		// A later document time-stamp proves only that the signature existed by then:
		// it stands for the signing time while the certificate was still valid, but a
		// certificate that had expired by then proves nothing about when the signature
		// was made (an archive time-stamp added after expiry is the ordinary B-LTA
		// renewal case): that is judged as without proof, OUT_OF_BOUNDS_NO_POE, never
		// EXPIRED (ETSI EN 319 102-1 past signature validation).
		if t, ok := v.archivePOE(s.rev); ok && !t.After(cert.NotAfter) {
			poe, hasPOE = t, true
		}
	}
	v.identityInfo(s, cert)

	// Validity at the signing time. The verdicts of this and the key usage are
	// recorded after the path's: ETSI EN 319 102-1 builds the path first (5.2.6), so a
	// certificate with no path to a trusted root is NO_CERTIFICATE_CHAIN_FOUND
	// whatever else is wrong with it, and that is the one reason the report gives.
	var later []func()
	at := v.now
	switch {
	case hasPOE && poe.After(cert.NotAfter):
		rep.add(CheckValidAtSigning, CheckFailed, msgExpiredAt(poe, cert.NotAfter))
		later = append(later, func() { rep.fail(TotalFailed, Expired) })
		at = cert.NotAfter
	case hasPOE && poe.Before(cert.NotBefore):
		rep.add(CheckValidAtSigning, CheckFailed, msgNotYetValidAt(poe, cert.NotBefore))
		later = append(later, func() { rep.fail(TotalFailed, NotYetValid) })
		at = cert.NotBefore
	case hasPOE:
		rep.add(CheckValidAtSigning, CheckPassed, msgValidAt(poe, true))
		at = poe
	case v.now.After(cert.NotAfter) || v.now.Before(cert.NotBefore):
		rep.add(CheckValidAtSigning, CheckIndeterminate, msgOutOfBoundsNoPOE(v.now))
		later = append(later, func() { rep.fail(Indeterminate, OutOfBoundsNoPOE) })
		at = cert.NotAfter
		if rep.ClaimedTime != nil && !rep.ClaimedTime.After(cert.NotAfter) && !rep.ClaimedTime.Before(cert.NotBefore) {
			at = *rep.ClaimedTime
		}
	default:
		switch c := rep.ClaimedTime; {
		case c == nil:
			rep.add(CheckValidAtSigning, CheckPassed, msgValidAt(v.now, false))
		case c.Before(cert.NotBefore) || c.After(cert.NotAfter):
			rep.add(CheckValidAtSigning, CheckWarning, msgValidAtClaimed(*c, v.now, false))
		default:
			rep.add(CheckValidAtSigning, CheckPassed, msgValidAtClaimed(*c, v.now, true))
		}
	}

	// Key usage.
	if why := checkKeyUsage(cert); why != "" {
		rep.add(CheckKeyUsage, CheckFailed, msgKeyUsageBad(why))
		later = append(later, func() { rep.fail(Indeterminate, ChainConstraintsFailure) })
	} else {
		rep.add(CheckKeyUsage, CheckPassed, msgKeyUsageOK())
	}

	// Certification path.
	chain, err := v.validateChain(cert, cmsCerts, at)
	if err != nil {
		rep.add(CheckChain, CheckFailed, chainMsg(err))
		if sub := chainSubIndication(err); sub == NoCertificateChainFound {
			rep.fail(Indeterminate, sub)
		} else {
			later = append(later, func() { rep.fail(Indeterminate, sub) })
		}
	} else {
		rep.Chain = chain
		rep.add(CheckChain, CheckPassed, msgChainOK(chain[len(chain)-1].Subject.CommonName))
		for _, c := range chain[1:] {
			if why := keyStrength(c.PublicKey); why != "" {
				rep.add(CheckAlgorithms, CheckFailed, msgAlgorithmWeak(c.Subject.CommonName+": "+why))
				later = append(later, func() { rep.fail(Indeterminate, CryptoConstraintsFailure) })
			}
		}
	}
	for _, f := range later {
		f()
	}

	// Revocation, from the document first.
	var issuer *x509.Certificate
	if len(chain) > 1 {
		issuer = chain[1]
	} else {
		issuer = findIssuer(cert, append(append([]*x509.Certificate(nil), cmsCerts...), v.dss.certs...))
	}
	// The status must hold at the proven signing time; without proof of time, at the
	// validation time. The claimed time is the signer's word: evaluating revocation
	// data at it would let a stolen key backdate a signature past its revocation with
	// an old "good" answer.
	best := v.now
	if hasPOE {
		best = poe
	}
	res := v.evalRevocation(cert, issuer, best, v.dss.revocationData, "DSS")
	if res.state != revUnknown {
		s.dssUsed = true
	} else {
		embedded := revocationData{crls: s.sd.CRLs}
		if a, ok := s.si.Attribute(oidAdbeRevocationInfoArchival); ok && len(a.Values) > 0 {
			arch := parseRevocationInfoArchival(a.Values[0])
			embedded.ocsps = append(embedded.ocsps, arch.ocsps...)
			embedded.crls = append(embedded.crls, arch.crls...)
		}
		if r2 := v.evalRevocation(cert, issuer, best, embedded, "CMS"); r2.state != revUnknown {
			res = r2
		} else if !v.opts.Offline && v.opts.Revocation != nil {
			data, why := v.fetchOnce(cert, issuer)
			r3 := v.evalRevocation(cert, issuer, best, data, "online")
			if r3.state == revUnknown && why != "" && why != r3.why {
				r3.why = why + "; " + r3.why
			}
			if r3.state == revUnknown && !strings.HasPrefix(res.why, "no OCSP response or CRL") {
				// The document's own data was there but unusable: say why, not only
				// that the servers could not be reached.
				r3.why = res.why + "; " + r3.why
			}
			res = r3
		} else if v.opts.Offline {
			res.why += "; offline"
		}
	}
	switch res.state {
	case revGood:
		rep.add(CheckRevocation, CheckPassed, msgRevocationGood(res.source, res.produced))
		res.warnUnchecked(rep, "")
	case revRevoked:
		reason := reasonText(res.reason)
		switch {
		case hasPOE && poe.Before(res.revokedAt):
			rep.add(CheckRevocation, CheckPassed, msgRevokedAfter(res.revokedAt, reason))
		case hasPOE || (rep.ClaimedTime != nil && !rep.ClaimedTime.Before(res.revokedAt)):
			when := best
			if !hasPOE {
				when = *rep.ClaimedTime // revoked before the signer's own claimed time
			}
			rep.add(CheckRevocation, CheckFailed, msgRevokedBefore(res.revokedAt, when, reason))
			rep.fail(TotalFailed, Revoked)
		default:
			rep.add(CheckRevocation, CheckFailed, msgRevokedNoPOE(res.revokedAt, reason))
			rep.fail(Indeterminate, RevokedNoPOE)
		}
	default:
		if v.opts.AllowMissingRevocation {
			rep.add(CheckRevocation, CheckWarning, msgRevocationUnknown(res.why))
		} else {
			rep.add(CheckRevocation, CheckIndeterminate, msgRevocationUnknown(res.why))
			rep.fail(Indeterminate, TryLater)
		}
	}
	v.caRevocation(s, chain, best, hasPOE, poe)
}

// caRevocation checks the intermediate CA certificates of chain (not the root) with the
// document's data and, when allowed, online. A CA revoked before the signing time fails
// the signature (REVOKED_CA_NO_POE without proof of time); a CA whose status cannot be
// determined only gives a warning.
func (v *verifier) caRevocation(s *sigState, chain []*x509.Certificate, best time.Time, hasPOE bool, poe time.Time) {
	if len(chain) < 3 {
		return
	}
	rep := s.rep
	for i := 1; i < len(chain)-1; i++ {
		ca, issuer := chain[i], chain[i+1]
		res := v.evalRevocation(ca, issuer, best, v.dss.revocationData, "DSS")
		if res.state == revUnknown && !v.opts.Offline && v.opts.Revocation != nil {
			data, _ := v.fetchOnce(ca, issuer)
			res = v.evalRevocation(ca, issuer, best, data, "online")
		}
		switch {
		case res.state == revRevoked && hasPOE && poe.Before(res.revokedAt):
		case res.state == revRevoked:
			m := msgRevokedBefore(res.revokedAt, best, reasonText(res.reason))
			m.VI, m.EN = "CA "+ca.Subject.CommonName+": "+m.VI, "CA "+ca.Subject.CommonName+": "+m.EN
			rep.add(CheckRevocation, CheckFailed, m)
			if hasPOE {
				rep.fail(TotalFailed, Revoked)
			} else {
				rep.fail(Indeterminate, RevokedCANoPOE)
			}
		case res.state == revUnknown:
			m := msgRevocationUnknown(res.why)
			m.VI, m.EN = "CA "+ca.Subject.CommonName+": "+m.VI, "CA "+ca.Subject.CommonName+": "+m.EN
			rep.add(CheckRevocation, CheckWarning, m)
		default:
			res.warnUnchecked(rep, "CA "+ca.Subject.CommonName+": ")
		}
	}
}

// identityInfo adds what Thông tư 15/2025 lists for a verifier to display about the
// certificate: issuing CA, signer, managing unit and validity period.
func (v *verifier) identityInfo(s *sigState, cert *x509.Certificate) {
	sg := signerFromCert(cert)
	issuer := sg.IssuerCommonName
	if issuer == "" {
		issuer = sg.Issuer
	}
	s.rep.add(CheckIssuer, CheckInfo, msgIssuer(issuer))
	s.rep.add(CheckSigner, CheckInfo, msgSigner(sg))
	s.rep.add(CheckManagingUnit, CheckInfo, msgManagingUnit(sg.ManagingUnit()))
	s.rep.add(CheckValidityPeriod, CheckInfo, msgValidityPeriod(cert.NotBefore, cert.NotAfter))
}

// warnUnchecked adds, when the answer relied on a delegated OCSP responder whose own
// status could not be checked (RFC 6960 §4.2.2.2.1), a warning line to rep (prefix
// names the certificate when it is not the signer's). The verdict is unchanged.
func (r revResult) warnUnchecked(rep *SignatureReport, prefix string) {
	if r.unchecked == nil {
		return
	}
	m := msgResponderUnchecked(r.unchecked)
	rep.add(CheckRevocation, CheckWarning, msg{VI: prefix + m.VI, EN: prefix + m.EN})
}
