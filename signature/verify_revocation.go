package signature

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"strings"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/kyso-go/kyso/internal/evidence"
)

// revocationData is revocation material gathered for a validation: raw DER OCSP
// responses and CRLs, and the certificates that came with them.
type revocationData struct {
	ocsps [][]byte
	crls  [][]byte
}

// revState is the outcome of a revocation check.
type revState int

const (
	revUnknown revState = iota
	revGood
	revRevoked
)

// revResult says what the revocation data told about one certificate.
type revResult struct {
	state     revState
	revokedAt time.Time
	reason    int
	source    string    // "OCSP (DSS)", "CRL (online)", …
	produced  time.Time // thisUpdate of the deciding answer
	why       string    // why the status is unknown
	// late: a TSA certificate revoked after the token's time, with no proof that the
	// token existed before the revocation.
	late bool
	// unchecked is the delegated OCSP responder without id-pkix-ocsp-nocheck the
	// answer relied on, whose own status no data established (RFC 6960 §4.2.2.2.1):
	// the answer stands, with a warning in the report.
	unchecked *x509.Certificate
}

// revocationSkew tolerates clock differences between responders and signers.
const revocationSkew = 5 * time.Minute

// reasonText names an RFC 5280 CRLReason.
func reasonText(r int) string { return evidence.Reason(r).String() }

// revocationOrder is the order in which the sources of a document are consulted:
// OCSP first, as certstatus.Checker does by default.
var revocationOrder = []evidence.Source{evidence.SourceOCSP, evidence.SourceCRL}

// evaluator judges revocation data with the module's evidence core — the code behind
// certstatus.Checker.Check and CheckOffline — at the verification's "now".
func (v *verifier) evaluator() *evidence.Evaluator {
	return &evidence.Evaluator{ClockSkew: revocationSkew, Now: func() time.Time { return v.now }, MaxOCSPBytes: maxOCSPSize,
		RequireResponderStatus: v.opts.RequireResponderStatus}
}

// evalRevocation judges every OCSP response and CRL in data that speaks for cert
// (issued by issuer) at time at, with internal/evidence: responder authorisation,
// ResponderID, CertID issuer, critical extensions, delta CRLs and freshness are
// checked exactly as certstatus checks them online; the newest usable answer decides.
func (v *verifier) evalRevocation(cert, issuer *x509.Certificate, at time.Time, data revocationData, origin string) revResult {
	if issuer == nil {
		return revResult{why: "the issuer certificate is not available"}
	}
	r := v.evaluator().Offline(cert, issuer, at, revocationOrder, data.ocsps, data.crls)
	src := r.Source.String() + " (" + origin + ")"
	var unchecked *x509.Certificate
	if r.ResponderUnchecked {
		unchecked = r.Responder
	}
	switch r.Status {
	case evidence.StatusGood:
		return revResult{state: revGood, source: src, produced: r.ThisUpdate, unchecked: unchecked}
	case evidence.StatusRevoked, evidence.StatusRevokedLater, evidence.StatusSuspended:
		return revResult{state: revRevoked, revokedAt: r.RevokedAt, reason: int(r.Reason), source: src, produced: r.ThisUpdate, unchecked: unchecked}
	}
	if errors.Is(r.Err, evidence.ErrNoRevocationData) && len(r.Failures) == 0 {
		return revResult{why: "no OCSP response or CRL for the certificate (" + origin + ")"}
	}
	var whys []string
	for _, f := range r.Failures {
		whys = append(whys, strings.TrimPrefix(f.Error(), "certstatus: "))
	}
	return revResult{why: joinWhys(whys) + " (" + origin + ")"}
}

func joinWhys(w []string) string {
	var b bytes.Buffer
	seen := map[string]bool{}
	for _, s := range w {
		if seen[s] {
			continue
		}
		seen[s] = true
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(s)
	}
	return b.String()
}

// fetchRevocation asks an online source for cert's status data. Errors become reasons.
func fetchRevocation(ctx context.Context, src RevocationSource, cert, issuer *x509.Certificate) (revocationData, string) {
	var d revocationData
	var whys []string
	if issuer == nil {
		return d, "the issuer certificate is not available"
	}
	// A source may return its answer together with an error: certstatus.Checker does
	// when the certificate is revoked. The answer is what matters (it is evaluated
	// here), so it is kept whatever the error says.
	if der, err := src.OCSPResponse(ctx, cert, issuer); len(der) > 0 {
		d.ocsps = append(d.ocsps, der)
		// A delegated responder without id-pkix-ocsp-nocheck: its own status comes
		// from its CRL (RFC 6960 §4.2.2.2.1), never from OCSP (never from itself).
		if rc := evidence.DelegatedResponderWithoutNoCheck(der, issuer, maxOCSPSize); rc != nil {
			if crls, _ := src.CRLs(ctx, rc, issuer); len(crls) > 0 {
				d.crls = append(d.crls, crls...)
			}
		}
	} else if err != nil {
		whys = append(whys, "OCSP: "+err.Error())
	}
	if crls, err := src.CRLs(ctx, cert, issuer); len(crls) > 0 {
		d.crls = append(d.crls, crls...)
	} else if err != nil {
		whys = append(whys, "CRL: "+err.Error())
	}
	return d, joinWhys(whys)
}

// oidAdbeRevocationInfoArchival is Adobe's signed attribute carrying CRLs and OCSP
// responses inside the CMS (adbe-revocationInfoArchival).
var oidAdbeRevocationInfoArchival = asn1.ObjectIdentifier{1, 2, 840, 113583, 1, 1, 8}

// parseRevocationInfoArchival reads RevocationInfoArchival ::= SEQUENCE { crl [0]
// EXPLICIT SEQUENCE OF CRL OPTIONAL, ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse
// OPTIONAL, otherRevInfo [2] … OPTIONAL }. Malformed parts are ignored.
func parseRevocationInfoArchival(v []byte) revocationData {
	var d revocationData
	in := cryptobyte.String(v)
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return d
	}
	for !seq.Empty() {
		var elem cryptobyte.String
		var tag cbasn1.Tag
		if !seq.ReadAnyASN1(&elem, &tag) {
			return d
		}
		var list cryptobyte.String
		if !elem.ReadASN1(&list, cbasn1.SEQUENCE) {
			continue
		}
		for !list.Empty() {
			var item cryptobyte.String
			if !list.ReadASN1Element(&item, cbasn1.SEQUENCE) {
				break
			}
			switch tag {
			case cbasn1.Tag(0).ContextSpecific().Constructed():
				d.crls = append(d.crls, bytes.Clone(item))
			case cbasn1.Tag(1).ContextSpecific().Constructed():
				d.ocsps = append(d.ocsps, bytes.Clone(item))
			}
		}
	}
	return d
}
