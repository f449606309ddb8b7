package signature

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
	"golang.org/x/crypto/ocsp"
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
}

// revocationSkew tolerates clock differences between responders and signers.
const revocationSkew = 5 * time.Minute

// fresh reports whether an answer valid from thisUpdate to nextUpdate speaks for the
// status at time at: either it was produced after at, or its validity window holds at.
func fresh(thisUpdate, nextUpdate, at time.Time) bool {
	if !thisUpdate.Before(at.Add(-revocationSkew)) {
		return true
	}
	return !nextUpdate.IsZero() && !nextUpdate.Before(at)
}

// reasonText names an RFC 5280 CRLReason.
func reasonText(r int) string {
	names := map[int]string{
		ocsp.Unspecified: "unspecified", ocsp.KeyCompromise: "keyCompromise", ocsp.CACompromise: "cACompromise",
		ocsp.AffiliationChanged: "affiliationChanged", ocsp.Superseded: "superseded",
		ocsp.CessationOfOperation: "cessationOfOperation", ocsp.CertificateHold: "certificateHold",
		ocsp.RemoveFromCRL: "removeFromCRL", ocsp.PrivilegeWithdrawn: "privilegeWithdrawn", ocsp.AACompromise: "aACompromise",
	}
	if n, ok := names[r]; ok {
		return n
	}
	return fmt.Sprintf("reason %d", r)
}

// evalRevocation reads every OCSP response and CRL in data that speaks for cert (issued
// by issuer) and returns the status at time at. A revocation found anywhere wins; else
// the first fresh "good" answer; else unknown with the reasons.
func evalRevocation(cert, issuer *x509.Certificate, at time.Time, data revocationData, origin string) revResult {
	var good *revResult
	var whys []string
	if issuer == nil {
		return revResult{why: "the issuer certificate is not available"}
	}
	for _, der := range data.ocsps {
		resp, err := ocsp.ParseResponseForCert(der, cert, issuer)
		if err != nil {
			if _, ok := err.(ocsp.ResponseError); ok {
				whys = append(whys, "OCSP: "+err.Error())
			}
			continue
		}
		if resp.Certificate != nil && !bytes.Equal(resp.Certificate.Raw, issuer.Raw) {
			authorized := false
			for _, u := range resp.Certificate.ExtKeyUsage {
				authorized = authorized || u == x509.ExtKeyUsageOCSPSigning
			}
			if !authorized {
				whys = append(whys, "OCSP: responder not authorised (no OCSPSigning)")
				continue
			}
		}
		src := "OCSP (" + origin + ")"
		switch resp.Status {
		case ocsp.Revoked:
			return revResult{state: revRevoked, revokedAt: resp.RevokedAt, reason: resp.RevocationReason, source: src, produced: resp.ThisUpdate}
		case ocsp.Good:
			if fresh(resp.ThisUpdate, resp.NextUpdate, at) {
				if good == nil {
					good = &revResult{state: revGood, source: src, produced: resp.ThisUpdate}
				}
			} else {
				whys = append(whys, "OCSP response older than the signing time")
			}
		default:
			whys = append(whys, "OCSP: status unknown")
		}
	}
	for _, der := range data.crls {
		rl, err := x509.ParseRevocationList(der)
		if err != nil || !bytes.Equal(rl.RawIssuer, issuer.RawSubject) {
			continue
		}
		if err := rl.CheckSignatureFrom(issuer); err != nil {
			whys = append(whys, "CRL signature: "+err.Error())
			continue
		}
		src := "CRL (" + origin + ")"
		for _, e := range rl.RevokedCertificateEntries {
			if e.SerialNumber != nil && e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
				return revResult{state: revRevoked, revokedAt: e.RevocationTime, reason: e.ReasonCode, source: src, produced: rl.ThisUpdate}
			}
		}
		if fresh(rl.ThisUpdate, rl.NextUpdate, at) {
			if good == nil {
				good = &revResult{state: revGood, source: src, produced: rl.ThisUpdate}
			}
		} else {
			whys = append(whys, "CRL older than the signing time")
		}
	}
	if good != nil {
		return *good
	}
	if len(whys) == 0 {
		whys = append(whys, "no OCSP response or CRL for the certificate ("+origin+")")
	}
	return revResult{why: joinWhys(whys)}
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
