package certstatustest

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"net/http"
	"sort"
	"strings"
	"time"
)

// CRLBehavior is how the CRL server misbehaves, for failure tests.
type CRLBehavior int

// The CRL behaviours.
const (
	CRLNormal    CRLBehavior = iota // fresh CRLs: thisUpdate now, nextUpdate in a day
	CRLStale                        // nextUpdate a day ago
	CRLWrongKey                     // signed by a key the root never certified
	CRLMalformed                    // a 200 answer whose body is not a CRL
	CRLOversized                    // a 40 MiB body
	CRLNotFound                     // HTTP 404
)

// SetCRL sets how the CRL server behaves from now on.
func (p *PKI) SetCRL(b CRLBehavior) {
	p.mu.Lock()
	p.crlMode = b
	p.mu.Unlock()
}

var (
	oidDeltaCRLIndicator = asn1.ObjectIdentifier{2, 5, 29, 27}
	oidFreshestCRL       = asn1.ObjectIdentifier{2, 5, 29, 46}
)

// frozenCRL is the content of the issuing CA's full CRL after FreezeBaseCRL.
type frozenCRL struct {
	number  int64
	revoked map[string]revocation
}

// FreezeBaseCRL freezes the issuing CA's full CRL as it is now: later revocations
// appear only in the delta CRL at DeltaCRLURL, which the full CRL announces with a
// freshestCRL extension (RFC 5280 §5.2.6).
func (p *PKI) FreezeBaseCRL() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.crlNumber++
	snap := map[string]revocation{}
	for k, v := range p.revoked {
		if !v.byRoot {
			snap[k] = v
		}
	}
	p.frozenBase = &frozenCRL{number: p.crlNumber, revoked: snap}
}

func (p *PKI) serveCRL(w http.ResponseWriter, r *http.Request) {
	p.hit("crl")
	name := strings.TrimPrefix(r.URL.Path, "/crl/")
	if name != "ca.crl" && name != "root.crl" && name != "ca-delta.crl" {
		http.NotFound(w, r)
		return
	}
	p.mu.Lock()
	mode := p.crlMode
	p.mu.Unlock()
	switch mode {
	case CRLMalformed:
		w.Write([]byte("this is not a CRL"))
		return
	case CRLOversized:
		w.Header().Set("Content-Type", "application/pkix-crl")
		chunk := make([]byte, 1<<20)
		for i := 0; i < 40; i++ {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		return
	case CRLNotFound:
		http.NotFound(w, r)
		return
	}
	der, err := p.CRL(name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/pkix-crl")
	w.Write(der)
}

// CRL returns a freshly signed CRL by name: "ca.crl" (the issuing CA's full CRL),
// "root.crl" (the root's, covering the issuing CA) or "ca-delta.crl" (the issuing
// CA's delta CRL, only after FreezeBaseCRL).
func (p *PKI) CRL(name string) ([]byte, error) {
	now := p.now().UTC().Truncate(time.Second)
	p.mu.Lock()
	mode := p.crlMode
	p.crlNumber++
	number := p.crlNumber
	frozen := p.frozenBase
	var entries []x509.RevocationListEntry
	add := func(serial string, rv revocation) {
		n, _ := new(big.Int).SetString(serial, 16)
		entries = append(entries, x509.RevocationListEntry{SerialNumber: n, RevocationTime: rv.at, ReasonCode: rv.reason})
	}
	issuer := p.CA
	var exts []pkix.Extension
	switch name {
	case "root.crl":
		issuer = p.Root
		for s, rv := range p.revoked {
			if rv.byRoot {
				add(s, rv)
			}
		}
	case "ca.crl":
		if frozen != nil {
			number = frozen.number
			for s, rv := range frozen.revoked {
				add(s, rv)
			}
			exts = append(exts, pkix.Extension{Id: oidFreshestCRL, Value: distributionPoints(p.DeltaCRLURL)})
		} else {
			for s, rv := range p.revoked {
				if !rv.byRoot {
					add(s, rv)
				}
			}
		}
	case "ca-delta.crl":
		if frozen == nil {
			p.mu.Unlock()
			return nil, errNoDelta
		}
		base, _ := asn1.Marshal(big.NewInt(frozen.number))
		exts = append(exts, pkix.Extension{Id: oidDeltaCRLIndicator, Critical: true, Value: base})
		for s, rv := range p.revoked {
			if old, ok := frozen.revoked[s]; !rv.byRoot && (!ok || old != rv) {
				add(s, rv)
			}
		}
		for s, old := range frozen.revoked {
			if _, still := p.revoked[s]; !still {
				add(s, revocation{at: old.at, reason: 8}) // removeFromCRL
			}
		}
	}
	p.mu.Unlock()
	sort.Slice(entries, func(i, j int) bool { return entries[i].SerialNumber.Cmp(entries[j].SerialNumber) < 0 })
	tmpl := &x509.RevocationList{
		Number:                    big.NewInt(number),
		ThisUpdate:                now,
		NextUpdate:                now.Add(24 * time.Hour),
		RevokedCertificateEntries: entries,
		ExtraExtensions:           exts,
	}
	if mode == CRLStale {
		tmpl.ThisUpdate, tmpl.NextUpdate = now.Add(-48*time.Hour), now.Add(-24*time.Hour)
	}
	signer := issuer
	if mode == CRLWrongKey {
		// An impostor: same name and key identifier as the issuer, another key.
		key, err := p.newKey()
		if err != nil {
			return nil, err
		}
		t := &x509.Certificate{SerialNumber: big.NewInt(1), RawSubject: issuer.Cert.RawSubject,
			SubjectKeyId: issuer.Cert.SubjectKeyId, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCRLSign | x509.KeyUsageCertSign}
		der, err := x509.CreateCertificate(rand.Reader, t, t, key.Public(), key)
		if err != nil {
			return nil, err
		}
		impostor, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, err
		}
		signer = &Holder{Cert: impostor, Key: key}
	}
	return x509.CreateRevocationList(rand.Reader, tmpl, signer.Cert, signer.Key)
}

type crlError string

func (e crlError) Error() string { return string(e) }

const errNoDelta = crlError("certstatustest: no delta CRL before FreezeBaseCRL")

// distributionPoints encodes CRLDistributionPoints syntax with one URI.
func distributionPoints(uri string) []byte {
	gn := asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 6, Bytes: []byte(uri)}
	gnDER, _ := asn1.Marshal(gn)
	fullName := asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: gnDER}
	fnDER, _ := asn1.Marshal(fullName)
	dpName := asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: fnDER}
	dpDER, _ := asn1.Marshal(dpName)
	dp := asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: dpDER}
	dpSeq, _ := asn1.Marshal(dp)
	out, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: dpSeq})
	return out
}
