package evidence

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

var (
	oidExtAuthorityKeyID = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidExtCRLNumber      = asn1.ObjectIdentifier{2, 5, 29, 20}
	oidExtDeltaCRL       = asn1.ObjectIdentifier{2, 5, 29, 27}
	oidExtIssuingDP      = asn1.ObjectIdentifier{2, 5, 29, 28}
	oidExtFreshestCRL    = asn1.ObjectIdentifier{2, 5, 29, 46}
	oidExtReasonCode     = asn1.ObjectIdentifier{2, 5, 29, 21}
	oidExtInvalidityDate = asn1.ObjectIdentifier{2, 5, 29, 24}
	oidExtCertIssuer     = asn1.ObjectIdentifier{2, 5, 29, 29}
)

// CRLEntry is one revoked serial.
type CRLEntry struct {
	At     time.Time
	Reason Reason
}

// CRL is a CRL whose signature and issuer have been verified.
type CRL struct {
	Raw        []byte
	ThisUpdate time.Time
	NextUpdate time.Time
	Number     *big.Int
	DeltaBase  *big.Int // set for a delta CRL: the base CRL number it applies to
	Freshest   []string // delta CRL locations announced by a full CRL
	onlyUser   bool
	onlyCA     bool
	revoked    map[string]CRLEntry // serial (hex) → entry
}

// ParseCRL parses a DER CRL (see ParseRevocationList) and verifies that issuer signed
// it (see CheckCRL).
func ParseCRL(der []byte, issuer *x509.Certificate) (*CRL, error) {
	rl, err := ParseRevocationList(der)
	if err != nil {
		return nil, fmt.Errorf("%w: CRL: %v", ErrMalformed, err)
	}
	return CheckCRL(rl, der, issuer)
}

// ParseRevocationList is x509.ParseRevocationList that also reads version 1 CRLs:
// those without the version field, and so without any extension (RFC 5280 §5.1.2.1
// allows them; "openssl ca -gencrl" writes one when no CRL extension is configured,
// and some CAs still do). crypto/x509 refuses them ("unsupported crl version"). A v1
// CRL is parsed as if it said v2, and its Raw and RawTBSRevocationList are then the
// bytes as given, so CheckSignatureFrom checks the issuer's signature over them. A
// v1 CRL that carries extensions (only v2 may) is refused.
func ParseRevocationList(der []byte) (*x509.RevocationList, error) {
	rl, err := x509.ParseRevocationList(der)
	if err == nil {
		return rl, nil
	}
	in := cryptobyte.String(der)
	var crl, tbsFull cryptobyte.String
	if !in.ReadASN1(&crl, cbasn1.SEQUENCE) || !in.Empty() || !crl.ReadASN1Element(&tbsFull, cbasn1.SEQUENCE) {
		return nil, err
	}
	tbs := tbsFull
	var body cryptobyte.String
	if !tbs.ReadASN1(&body, cbasn1.SEQUENCE) || !body.PeekASN1Tag(cbasn1.SEQUENCE) {
		return nil, err // not a v1 CRL (its TBS starts with the signature algorithm)
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1Int64(1) // v2
			b.AddBytes(body)
		})
		b.AddBytes(crl) // signatureAlgorithm, signatureValue
	})
	v2, berr := b.Bytes()
	if berr != nil {
		return nil, err
	}
	rl, err2 := x509.ParseRevocationList(v2)
	if err2 != nil {
		return nil, err
	}
	if len(rl.Extensions) > 0 {
		return nil, errors.New("x509: version 1 CRL with extensions")
	}
	for _, e := range rl.RevokedCertificateEntries {
		if len(e.Extensions) > 0 {
			return nil, errors.New("x509: version 1 CRL with entry extensions")
		}
	}
	rl.Raw = der
	rl.RawTBSRevocationList = []byte(tbsFull)
	return rl, nil
}

// CheckCRL verifies issuer and signature of a parsed CRL and indexes its entries.
func CheckCRL(rl *x509.RevocationList, der []byte, issuer *x509.Certificate) (*CRL, error) {
	if issuer == nil {
		return nil, fmt.Errorf("%w: no issuer to verify the CRL with", ErrWrongResponder)
	}
	if !bytes.Equal(rl.RawIssuer, issuer.RawSubject) {
		return nil, ErrNotForThisCert
	}
	if err := rl.CheckSignatureFrom(issuer); err != nil {
		return nil, fmt.Errorf("%w: CRL signature by %q: %v", ErrWrongResponder, issuer.Subject.CommonName, err)
	}
	p := &CRL{Raw: der, ThisUpdate: rl.ThisUpdate, NextUpdate: rl.NextUpdate, Number: rl.Number,
		revoked: make(map[string]CRLEntry, len(rl.RevokedCertificateEntries))}
	for _, e := range rl.Extensions {
		switch {
		case e.Id.Equal(oidExtDeltaCRL):
			var n *big.Int
			if _, err := asn1.Unmarshal(e.Value, &n); err != nil {
				return nil, fmt.Errorf("%w: deltaCRLIndicator: %v", ErrMalformed, err)
			}
			p.DeltaBase = n
		case e.Id.Equal(oidExtFreshestCRL):
			urls, err := ParseDistributionPointURLs(e.Value)
			if err != nil {
				return nil, fmt.Errorf("%w: freshestCRL: %v", ErrMalformed, err)
			}
			p.Freshest = urls
		case e.Id.Equal(oidExtIssuingDP):
			var idp struct {
				DistributionPoint asn1.RawValue  `asn1:"optional,tag:0"`
				OnlyUser          bool           `asn1:"optional,tag:1"`
				OnlyCA            bool           `asn1:"optional,tag:2"`
				OnlySomeReasons   asn1.BitString `asn1:"optional,tag:3"`
				Indirect          bool           `asn1:"optional,tag:4"`
				OnlyAttr          bool           `asn1:"optional,tag:5"`
			}
			if _, err := asn1.Unmarshal(e.Value, &idp); err != nil {
				return nil, fmt.Errorf("%w: issuingDistributionPoint: %v", ErrMalformed, err)
			}
			if idp.Indirect || idp.OnlyAttr || idp.OnlySomeReasons.BitLength > 0 {
				return nil, fmt.Errorf("%w: indirect, attribute or reason-partitioned CRL", ErrUnsupported)
			}
			p.onlyUser, p.onlyCA = idp.OnlyUser, idp.OnlyCA
		case e.Id.Equal(oidExtAuthorityKeyID), e.Id.Equal(oidExtCRLNumber):
		default:
			if e.Critical {
				return nil, fmt.Errorf("%w: critical CRL extension %v", ErrUnsupported, e.Id)
			}
		}
	}
	for _, e := range rl.RevokedCertificateEntries {
		for _, x := range e.Extensions {
			if x.Critical && !x.Id.Equal(oidExtReasonCode) && !x.Id.Equal(oidExtInvalidityDate) {
				return nil, fmt.Errorf("%w: critical CRL entry extension %v (indirect CRL?)", ErrUnsupported, x.Id)
			}
			if x.Id.Equal(oidExtCertIssuer) {
				return nil, fmt.Errorf("%w: indirect CRL (certificateIssuer entry extension)", ErrUnsupported)
			}
		}
		if e.SerialNumber == nil {
			continue
		}
		p.revoked[e.SerialNumber.Text(16)] = CRLEntry{At: e.RevocationTime, Reason: Reason(e.ReasonCode)}
	}
	return p, nil
}

// ParseDistributionPointURLs reads the HTTP URIs of a CRLDistributionPoints-shaped
// extension value (also used by freshestCRL).
func ParseDistributionPointURLs(der []byte) ([]string, error) {
	var dps []struct {
		DistributionPoint asn1.RawValue  `asn1:"optional,tag:0"`
		Reasons           asn1.BitString `asn1:"optional,tag:1"`
		CRLIssuer         asn1.RawValue  `asn1:"optional,tag:2"`
	}
	if rest, err := asn1.Unmarshal(der, &dps); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("bad distribution points")
	}
	var urls []string
	for _, dp := range dps {
		// distributionPoint [0] { fullName [0] GeneralNames }
		if len(dp.DistributionPoint.Bytes) == 0 {
			continue
		}
		var full asn1.RawValue
		if _, err := asn1.Unmarshal(dp.DistributionPoint.Bytes, &full); err != nil {
			return nil, err
		}
		if full.Class != asn1.ClassContextSpecific || full.Tag != 0 {
			continue
		}
		rest := full.Bytes
		for len(rest) > 0 {
			var gn asn1.RawValue
			var err error
			if rest, err = asn1.Unmarshal(rest, &gn); err != nil {
				return nil, err
			}
			if gn.Class == asn1.ClassContextSpecific && gn.Tag == 6 {
				u := string(gn.Bytes)
				if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
					urls = append(urls, u)
				}
			}
		}
	}
	return urls, nil
}

// DeltaApplies checks that d is a fresh delta CRL for base.
func (e *Evaluator) DeltaApplies(d, base *CRL, at time.Time, online bool) error {
	if d.DeltaBase == nil {
		return fmt.Errorf("%w: not a delta CRL", ErrMalformed)
	}
	if base.Number == nil || d.Number == nil || d.DeltaBase.Cmp(base.Number) > 0 || d.Number.Cmp(base.Number) <= 0 {
		return fmt.Errorf("%w: delta CRL does not apply to base CRL number %v", ErrStale, base.Number)
	}
	return e.Fresh(d.ThisUpdate, d.NextUpdate, at, online)
}

// EvalCRL decides the status from a verified base CRL and an optional delta CRL.
func (e *Evaluator) EvalCRL(base, delta *CRL, from string, cert, issuer *x509.Certificate, at time.Time) (Result, error) {
	isCA := cert.BasicConstraintsValid && cert.IsCA
	if (base.onlyUser && isCA) || (base.onlyCA && !isCA) {
		return Result{}, &ResponseError{Source: SourceCRL, URL: from, Reason: ErrUnsupported, Detail: "CRL scope (issuingDistributionPoint) excludes this certificate"}
	}
	r := Result{Source: SourceCRL, URL: from, At: at, Status: StatusGood,
		ProducedAt: base.ThisUpdate, ThisUpdate: base.ThisUpdate, NextUpdate: base.NextUpdate,
		Raw: [][]byte{base.Raw}, Responder: issuer}
	serial := cert.SerialNumber.Text(16)
	entry, found := base.revoked[serial]
	if delta != nil {
		r.Raw = append(r.Raw, delta.Raw)
		r.ProducedAt, r.ThisUpdate, r.NextUpdate = delta.ThisUpdate, delta.ThisUpdate, delta.NextUpdate
		if de, ok := delta.revoked[serial]; ok {
			entry, found = de, de.Reason != ReasonRemoveFromCRL
		}
	}
	if found {
		r.RevokedAt, r.Reason = entry.At, entry.Reason
		r.Status = Classify(entry.At, entry.Reason, at)
	}
	return r, nil
}

// CRLSet decides offline from the given CRLs: the newest full CRL of issuer that
// covers at, with the newest applicable delta CRL.
func (e *Evaluator) CRLSet(crls [][]byte, cert, issuer *x509.Certificate, at time.Time) (Result, error) {
	var bases, deltas []*CRL
	var errs []error
	for _, der := range crls {
		p, err := ParseCRL(der, issuer)
		if errors.Is(err, ErrNotForThisCert) {
			continue
		}
		if err != nil {
			errs = append(errs, &ResponseError{Source: SourceCRL, Reason: UnwrapSentinel(err), Detail: err.Error()})
			continue
		}
		if p.DeltaBase != nil {
			deltas = append(deltas, p)
		} else {
			bases = append(bases, p)
		}
	}
	// The newest full CRL first: a later CRL may list a revocation an older one
	// could not.
	sort.SliceStable(bases, func(i, j int) bool { return bases[i].ThisUpdate.After(bases[j].ThisUpdate) })
	for _, b := range bases {
		if err := e.Fresh(b.ThisUpdate, b.NextUpdate, at, false); err != nil {
			// A CRL too old to say the certificate was good at the time of interest
			// still proves a revocation it lists (a revocation is never undone).
			entry, listed := b.revoked[cert.SerialNumber.Text(16)]
			if !listed || !e.provesRevocation(b.ThisUpdate, entry.At, entry.Reason, at) {
				errs = append(errs, &ResponseError{Source: SourceCRL, Reason: UnwrapSentinel(err), Detail: err.Error()})
				continue
			}
			r, err := e.EvalCRL(b, nil, "", cert, issuer, at)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			return r, nil
		}
		var delta *CRL
		for _, d := range deltas {
			if e.DeltaApplies(d, b, at, false) == nil && (delta == nil || d.Number.Cmp(delta.Number) > 0) {
				delta = d
			}
		}
		r, err := e.EvalCRL(b, delta, "", cert, issuer, at)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		return r, nil
	}
	if len(errs) == 0 {
		return Result{}, ErrNotForThisCert
	}
	return Result{}, errors.Join(errs...)
}
