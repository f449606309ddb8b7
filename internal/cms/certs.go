package cms

import (
	"bytes"
	"crypto/x509"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// maxAddedChain bounds the issuers AddSignerChain follows.
const maxAddedChain = 10

// AddCertificates returns the ContentInfo der with certs added to its SignedData's
// certificates. The version, digest algorithms, encapsulated content, CRLs and signer
// infos are kept byte for byte: the certificates field is not covered by any
// signature, so every signature stays valid. A certificate already present is not
// added again; with nothing to add, der's DER form (SignedData.Raw) is returned. The
// certificate set is written as a DER SET OF (sorted by encoding).
func AddCertificates(der []byte, certs []*x509.Certificate) ([]byte, error) {
	sd, err := Parse(der)
	if err != nil {
		return nil, err
	}
	return sd.withCertificates(certs)
}

func (sd *SignedData) withCertificates(certs []*x509.Certificate) ([]byte, error) {
	choices := append([][]byte(nil), sd.certChoices...)
	added := false
	for _, c := range certs {
		if c == nil || len(c.Raw) == 0 {
			continue
		}
		dup := false
		for _, e := range choices {
			dup = dup || bytes.Equal(e, c.Raw)
		}
		if !dup {
			choices = append(choices, c.Raw)
			added = true
		}
	}
	if !added {
		return bytes.Clone(sd.Raw), nil
	}
	return sd.encodeWithCertificates(choices)
}

// encodeWithCertificates re-encodes the ContentInfo with choices as its certificate
// set (none: no certificates field), everything else as parsed.
func (sd *SignedData) encodeWithCertificates(choices [][]byte) ([]byte, error) {
	if len(choices) > 1000 {
		return nil, &SyntaxError{Where: "SignedData.certificates", Msg: "more than 1000 certificates", Err: ErrLimit}
	}
	certSet := setOf(choices)
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(OIDSignedData)
		b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddBytes(sd.pre)
				if len(choices) > 0 {
					b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
						b.AddBytes(certSet[headerLen(certSet):])
					})
				}
				if len(sd.CRLs) > 0 {
					b.AddASN1(cbasn1.Tag(1).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
						for _, c := range sd.CRLs {
							b.AddBytes(c)
						}
					})
				}
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					for _, s := range sd.Signers {
						b.AddBytes(s.raw)
					}
				})
			})
		})
	})
	out, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("cms: re-encoding SignedData: %w", err)
	}
	return out, nil
}

// AddSignerChain makes the SignedData der carry its first signer's certificate and
// the intermediate certificates of its chain. The certificate is taken from der or,
// when der leaves it out, looked up among candidates (by the signer identifier, as
// SignerCertificate does); its issuers are looked up among der's certificates and
// candidates, up to but not including a self-signed root (a verifier takes the root
// from its trust store). What der lacks is added (see AddCertificates for what is
// kept) and added is true; otherwise der is returned unchanged. It is how a time-stamp
// token whose TSA left its certificate or chain out (certReq false, RFC 3161 §2.4.1)
// is made verifiable on its own. It verifies nothing: the caller checks the token
// afterwards. Errors: ErrSignerNotFound when neither der nor candidates hold the
// signer's certificate, or a parse error.
func AddSignerChain(der []byte, candidates []*x509.Certificate) (out []byte, added bool, err error) {
	sd, err := Parse(der)
	if err != nil {
		return nil, false, err
	}
	if len(sd.Signers) == 0 {
		return nil, false, fmt.Errorf("%w: the SignedData has no signer", ErrSignerNotFound)
	}
	si := sd.Signers[0]
	cert, err := sd.SignerCertificate(si)
	if err != nil {
		pool := &SignedData{Certificates: candidates}
		if cert, err = pool.SignerCertificate(si); err != nil {
			return nil, false, fmt.Errorf("%w: the signer's certificate is neither in the SignedData nor among the %d candidates", ErrSignerNotFound, len(candidates))
		}
	}
	pool := append(append([]*x509.Certificate(nil), sd.Certificates...), candidates...)
	chain := IssuerChain(cert, pool, maxAddedChain+1)
	if n := len(chain); n > 1 && bytes.Equal(chain[n-1].RawIssuer, chain[n-1].RawSubject) {
		chain = chain[:n-1] // the root: a verifier takes it from its trust store
	}
	chain = chain[:min(len(chain), maxAddedChain)]
	missing := false
	for _, c := range chain {
		found := false
		for _, e := range sd.certChoices {
			found = found || bytes.Equal(e, c.Raw)
		}
		missing = missing || !found
	}
	if !missing {
		return der, false, nil
	}
	out, err = sd.withCertificates(chain)
	if err != nil {
		return nil, false, err
	}
	return out, true, nil
}

// IssuerChain returns cert followed by its issuers found in pool — each the
// certificate whose subject is the previous one's issuer and whose key verifies its
// signature — up to and including a self-signed root, at most max certificates, none
// twice. It verifies no validity, usage or trust: it is how a certificate's chain is
// gathered to be carried along (a time-stamp token's, a DSS's), not a path validation.
func IssuerChain(cert *x509.Certificate, pool []*x509.Certificate, max int) []*x509.Certificate {
	chain := []*x509.Certificate{cert}
	for len(chain) < max {
		cur := chain[len(chain)-1]
		if bytes.Equal(cur.RawIssuer, cur.RawSubject) && cur.CheckSignatureFrom(cur) == nil {
			break
		}
		var next *x509.Certificate
		for _, c := range pool {
			if c != nil && bytes.Equal(c.RawSubject, cur.RawIssuer) && cur.CheckSignatureFrom(c) == nil {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		for _, c := range chain {
			if bytes.Equal(c.Raw, next.Raw) {
				return chain
			}
		}
		chain = append(chain, next)
	}
	return chain
}
