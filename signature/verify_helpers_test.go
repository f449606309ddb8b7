package signature_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
	"golang.org/x/crypto/ocsp"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/signature"
)

// vtPKI is a small VGCA-shaped hierarchy for verification tests: a root, an issuing CA,
// a leader (individual) certificate and a TSA, all ECDSA P-256 so tests stay fast.
type vtPKI struct {
	root, ca, leader, tsa             *x509.Certificate
	rootKey, caKey, leaderKey, tsaKey crypto.Signer
	roots                             *x509.CertPool
	serial                            atomic.Int64
	// revoked holds revocation times by serial, for the OCSP source.
	revoked map[string]time.Time
	// tsaHash is the hash the TSA signs its tokens with (digest and ECDSA signature);
	// 0 means SHA-256.
	tsaHash crypto.Hash
	// tsaNoCerts makes tokens without certificates, as a TSA asked with certReq
	// false answers.
	tsaNoCerts bool
	// tsaForge corrupts the TSA's signature value in the tokens.
	tsaForge bool
}

func vtKey(t testing.TB) crypto.Signer {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return k
}

func (p *vtPKI) issue(t testing.TB, tmpl *x509.Certificate, pub crypto.PublicKey, parent *x509.Certificate, key crypto.Signer) *x509.Certificate {
	t.Helper()
	tmpl.SerialNumber = big.NewInt(p.serial.Add(1) + 1000)
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return c
}

// newVTPKI builds the hierarchy; the leader certificate is valid from nb to na.
func newVTPKI(t testing.TB, nb, na time.Time) *vtPKI {
	t.Helper()
	p := &vtPKI{rootKey: vtKey(t), caKey: vtKey(t), leaderKey: vtKey(t), tsaKey: vtKey(t), revoked: map[string]time.Time{}}
	long0, long1 := time.Now().Add(-10*365*24*time.Hour), time.Now().Add(20*365*24*time.Hour)
	p.root = p.issue(t, &x509.Certificate{
		Subject:   pkix.Name{Country: []string{"VN"}, Organization: []string{"Ban Cơ yếu Chính phủ"}, CommonName: "RootCA chuyên dùng Chính phủ Test G2"},
		NotBefore: long0, NotAfter: long1, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, p.rootKey.Public(), nil, p.rootKey)
	p.ca = p.issue(t, &x509.Certificate{
		Subject:   pkix.Name{Country: []string{"VN"}, Organization: []string{"Ban Cơ yếu Chính phủ"}, CommonName: "CA phục vụ các cơ quan Nhà nước Test"},
		NotBefore: long0, NotAfter: long1, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, p.caKey.Public(), p.root, p.rootKey)
	p.leader = p.issue(t, &x509.Certificate{
		Subject: pkix.Name{Country: []string{"VN"}, Locality: []string{"Hà Tĩnh"}, Organization: []string{"UBND tỉnh Hà Tĩnh"},
			OrganizationalUnit: []string{"Văn phòng UBND tỉnh"}, CommonName: "Nguyễn Văn Lĩnh"},
		NotBefore: nb, NotAfter: na, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}, p.leaderKey.Public(), p.ca, p.caKey)
	p.tsa = p.issue(t, &x509.Certificate{
		Subject:   pkix.Name{Country: []string{"VN"}, Organization: []string{"Ban Cơ yếu Chính phủ"}, CommonName: "TSA Test"},
		NotBefore: long0, NotAfter: long1, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
	}, p.tsaKey.Public(), p.ca, p.caKey)
	p.roots = x509.NewCertPool()
	p.roots.AddCert(p.root)
	return p
}

func (p *vtPKI) chain() []*x509.Certificate { return []*x509.Certificate{p.leader, p.ca} }

// ocspFor answers for cert (issued by the CA), good unless revoked.
func (p *vtPKI) ocspFor(t testing.TB, cert *x509.Certificate, thisUpdate time.Time) []byte {
	t.Helper()
	tmpl := ocsp.Response{Status: ocsp.Good, SerialNumber: cert.SerialNumber, ThisUpdate: thisUpdate, NextUpdate: thisUpdate.Add(24 * time.Hour)}
	if at, ok := p.revoked[cert.SerialNumber.String()]; ok {
		tmpl.Status, tmpl.RevokedAt, tmpl.RevocationReason = ocsp.Revoked, at, ocsp.KeyCompromise
	}
	der, err := ocsp.CreateResponse(p.ca, p.ca, tmpl, p.caKey)
	require.NoError(t, err)
	return der
}

// source is an online RevocationSource backed by the PKI.
type vtSource struct {
	t   testing.TB
	p   *vtPKI
	now time.Time
}

func (s vtSource) OCSPResponse(ctx context.Context, cert, issuer *x509.Certificate) ([]byte, error) {
	return s.p.ocspFor(s.t, cert, s.now), nil
}

func (s vtSource) CRLs(ctx context.Context, cert, issuer *x509.Certificate) ([][]byte, error) {
	return nil, nil
}

// timestamp makes an RFC 3161 token whose imprint is SHA-256(data), at genTime.
func (p *vtPKI) timestamp(t testing.TB, data []byte, genTime time.Time) []byte {
	t.Helper()
	imprint := sha256.Sum256(data)
	return p.timestampDigest(t, imprint[:], genTime)
}

func (p *vtPKI) timestampDigest(t testing.TB, imprint []byte, genTime time.Time) []byte {
	t.Helper()
	type algID struct {
		Algorithm asn1.ObjectIdentifier
	}
	info := struct {
		Version        int
		Policy         asn1.ObjectIdentifier
		MessageImprint struct {
			HashAlgorithm algID
			HashedMessage []byte
		}
		SerialNumber *big.Int
		GenTime      time.Time `asn1:"generalized"`
	}{Version: 1, Policy: asn1.ObjectIdentifier{1, 2, 3, 4, 1}, SerialNumber: big.NewInt(p.serial.Add(1))}
	info.MessageImprint.HashAlgorithm.Algorithm = cms.OIDSHA256
	info.MessageImprint.HashedMessage = imprint
	info.GenTime = genTime.UTC().Truncate(time.Second)
	tst, err := asn1.Marshal(info)
	require.NoError(t, err)

	hh, hashOID, sigOID := crypto.SHA256, cms.OIDSHA256, cms.OIDECDSAWithSHA256
	if p.tsaHash == crypto.SHA1 {
		hh, hashOID, sigOID = crypto.SHA1, cms.OIDSHA1, cms.OIDECDSAWithSHA1
	}
	sum := func(b []byte) []byte { d := hh.New(); d.Write(b); return d.Sum(nil) }
	md := sum(tst)
	certHash := sha256.Sum256(p.tsa.Raw)
	attr := func(oid asn1.ObjectIdentifier, val func(b *cryptobyte.Builder)) []byte {
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oid)
			b.AddASN1(cbasn1.SET, val)
		})
		return b.BytesOrPanic()
	}
	attrs := [][]byte{
		attr(cms.OIDAttributeContentType, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(cms.OIDTSTInfo) }),
		attr(cms.OIDAttributeMessageDigest, func(b *cryptobyte.Builder) { b.AddASN1OctetString(md) }),
		attr(cms.OIDAttributeSigningCertV2, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1OctetString(certHash[:]) })
				})
			})
		}),
	}
	sort.Slice(attrs, func(i, j int) bool { return bytes.Compare(attrs[i], attrs[j]) < 0 })
	var set cryptobyte.Builder
	set.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
		for _, a := range attrs {
			b.AddBytes(a)
		}
	})
	signedAttrs := set.BytesOrPanic()
	var attrsContent cryptobyte.String
	in := cryptobyte.String(signedAttrs)
	require.True(t, in.ReadASN1(&attrsContent, cbasn1.SET))
	sig, err := p.tsaKey.Sign(rand.Reader, sum(signedAttrs), hh)
	require.NoError(t, err)
	if p.tsaForge {
		forged, err := p.tsaKey.Sign(rand.Reader, sum([]byte("other attributes")), hh)
		require.NoError(t, err)
		sig = forged
	}

	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(cms.OIDSignedData)
		b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Int64(3)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(hashOID) })
				})
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(cms.OIDTSTInfo)
					b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) { b.AddASN1OctetString(tst) })
				})
				if !p.tsaNoCerts {
					b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
						b.AddBytes(p.tsa.Raw)
						b.AddBytes(p.ca.Raw)
					})
				}
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1Int64(1)
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddBytes(p.tsa.RawIssuer)
							b.AddASN1BigInt(p.tsa.SerialNumber)
						})
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(hashOID) })
						b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) { b.AddBytes(attrsContent) })
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(sigOID) })
						b.AddASN1OctetString(sig)
					})
				})
			})
		})
	})
	return b.BytesOrPanic()
}

// vtSign signs in with the PKI's leader.
func vtSign(t testing.TB, p *vtPKI, in []byte, opts *signature.SignOptions) []byte {
	t.Helper()
	var out bytes.Buffer
	_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)), p.leaderKey, p.chain(), opts)
	require.NoError(t, err)
	return out.Bytes()
}

// vtVerify verifies with the PKI's root and the online source at now.
func vtVerify(t testing.TB, p *vtPKI, doc []byte, now time.Time, mutate func(*signature.VerifyOptions)) *signature.Report {
	t.Helper()
	opts := &signature.VerifyOptions{Roots: p.roots, Revocation: vtSource{t: t, p: p, now: now}, Time: now}
	if mutate != nil {
		mutate(opts)
	}
	rep, err := signature.Verify(context.Background(), bytes.NewReader(doc), int64(len(doc)), opts)
	require.NoError(t, err)
	return rep
}

var vtByteRangeRE = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)

// lastByteRange finds the last /ByteRange written in doc and its offset.
func lastByteRange(t testing.TB, doc []byte) (br [4]int64, at int) {
	t.Helper()
	all := vtByteRangeRE.FindAllSubmatchIndex(doc, -1)
	require.NotEmpty(t, all, "no /ByteRange")
	m := all[len(all)-1]
	for i := 0; i < 4; i++ {
		n, err := strconv.ParseInt(string(doc[m[2+2*i]:m[3+2*i]]), 10, 64)
		require.NoError(t, err)
		br[i] = n
	}
	return br, m[0]
}

// contentsOf returns the CMS in the hole of the last signature.
func contentsOf(t testing.TB, doc []byte) (der []byte, br [4]int64) {
	t.Helper()
	br, _ = lastByteRange(t, doc)
	hexs := doc[br[1]+1 : br[2]-1]
	raw := make([]byte, len(hexs)/2)
	_, err := hex.Decode(raw, hexs)
	require.NoError(t, err)
	return raw, br
}

// replaceContents writes der into the last signature's hole (padded with zeros).
func replaceContents(t testing.TB, doc, der []byte) []byte {
	t.Helper()
	br, _ := lastByteRange(t, doc)
	capacity := int(br[2]-br[1]-2) / 2
	require.LessOrEqual(t, len(der), capacity, "CMS does not fit the hole")
	out := bytes.Clone(doc)
	enc := make([]byte, capacity*2)
	for i := range enc {
		enc[i] = '0'
	}
	hex.Encode(enc, der)
	copy(out[br[1]+1:], enc)
	return out
}

// addSignatureTimestamp makes the last signature B-T: a token over its signature value
// as an unsigned attribute. imprintData overrides what the token covers (attacks).
func addSignatureTimestamp(t testing.TB, p *vtPKI, doc []byte, genTime time.Time, imprintData []byte) []byte {
	t.Helper()
	der, _ := contentsOf(t, doc)
	sd, err := cms.Parse(der)
	require.NoError(t, err)
	if imprintData == nil {
		imprintData = sd.Signers[0].Signature
	}
	tok := p.timestamp(t, imprintData, genTime)
	nd, err := cms.AddUnsignedAttribute(sd.Raw, 0, cms.OIDAttributeTimeStampToken, tok)
	require.NoError(t, err)
	return replaceContents(t, doc, nd)
}

// crlFor makes a CRL of the CA listing the PKI's revoked certificates.
func (p *vtPKI) crlFor(t testing.TB, thisUpdate time.Time) []byte {
	t.Helper()
	tmpl := &x509.RevocationList{Number: big.NewInt(p.serial.Add(1)), ThisUpdate: thisUpdate, NextUpdate: thisUpdate.Add(24 * time.Hour)}
	for serial, at := range p.revoked {
		n, _ := new(big.Int).SetString(serial, 10)
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries, x509.RevocationListEntry{SerialNumber: n, RevocationTime: at, ReasonCode: 1})
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, p.ca, p.caKey)
	require.NoError(t, err)
	return der
}

// addDSSWithCRLs is addDSS with CRLs too.
func addDSSWithCRLs(t testing.TB, doc []byte, certs []*x509.Certificate, ocsps, crls [][]byte) []byte {
	t.Helper()
	return addDSSData(t, doc, certs, ocsps, crls)
}

// addDSS appends an incremental update with a /DSS holding certs and OCSP responses
// (PAdES B-LT).
func addDSS(t testing.TB, doc []byte, certs []*x509.Certificate, ocsps [][]byte) []byte {
	t.Helper()
	return addDSSData(t, doc, certs, ocsps, nil)
}

func addDSSData(t testing.TB, doc []byte, certs []*x509.Certificate, ocsps, crls [][]byte) []byte {
	t.Helper()
	d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	u := d.NewUpdate()
	stream := func(data []byte) pdf.Ref {
		return u.Add(&pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(len(data))}, Data: data})
	}
	var cs, os, cr pdf.Array
	for _, c := range certs {
		cs = append(cs, stream(c.Raw))
	}
	for _, o := range ocsps {
		os = append(os, stream(o))
	}
	for _, c := range crls {
		cr = append(cr, stream(c))
	}
	cat, err := d.Catalog()
	require.NoError(t, err)
	nc := cat.Clone()
	nc["DSS"] = u.Add(pdf.Dict{"Certs": cs, "OCSPs": os, "CRLs": cr})
	u.Set(d.Trailer().Get("Root").(pdf.Ref), nc)
	b, err := u.Bytes()
	require.NoError(t, err)
	return append(bytes.Clone(doc), b...)
}

// addDocTimestamp appends a document time-stamp (PAdES B-LTA) in a new invisible field.
func addDocTimestamp(t testing.TB, p *vtPKI, doc []byte, genTime time.Time) []byte {
	t.Helper()
	d, err := pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)
	u := d.NewUpdate()
	const holeBytes = 8192
	placeholderBR := pdf.Raw("[0 0000000000 0000000000 0000000000]")
	contents := pdf.Raw("<" + string(bytes.Repeat([]byte("0"), holeBytes*2)) + ">")
	sigRef := u.Add(pdf.Dict{"Type": pdf.Name("DocTimeStamp"), "Filter": pdf.Name("Adobe.PPKLite"),
		"SubFilter": pdf.Name("ETSI.RFC3161"), "ByteRange": placeholderBR, "Contents": contents})
	cat, err := d.Catalog()
	require.NoError(t, err)
	pages, err := d.Pages()
	require.NoError(t, err)
	fieldRef := u.Add(pdf.Dict{"FT": pdf.Name("Sig"), "T": pdf.String(fmt.Sprintf("DocTS%d", len(d.Revisions()))), "V": sigRef,
		"Type": pdf.Name("Annot"), "Subtype": pdf.Name("Widget"), "Rect": pdf.Array{pdf.Integer(0), pdf.Integer(0), pdf.Integer(0), pdf.Integer(0)},
		"F": pdf.Integer(132), "P": pages[0].Ref})
	nc := cat.Clone()
	af, _ := d.Resolve(cat.Get("AcroForm"))
	var form pdf.Dict
	if fd, ok := af.(pdf.Dict); ok {
		form = fd.Clone()
	} else {
		form = pdf.Dict{}
	}
	fields, _ := d.Resolve(form.Get("Fields"))
	fa, _ := fields.(pdf.Array)
	form["Fields"] = append(fa.Clone(), fieldRef)
	form["SigFlags"] = pdf.Integer(3)
	if afRef, ok := cat.Get("AcroForm").(pdf.Ref); ok {
		u.Set(afRef, form)
	} else {
		nc["AcroForm"] = form
		u.Set(d.Trailer().Get("Root").(pdf.Ref), nc)
	}
	page := pages[0].Dict.Clone()
	annots, _ := d.Resolve(page.Get("Annots"))
	aa, _ := annots.(pdf.Array)
	page["Annots"] = append(aa.Clone(), fieldRef)
	u.Set(pages[0].Ref, page)
	upd, err := u.Bytes()
	require.NoError(t, err)
	out := append(bytes.Clone(doc), upd...)
	brAt := bytes.LastIndex(out, []byte(placeholderBR))
	hole := bytes.LastIndex(out, []byte(contents))
	require.Positive(t, brAt)
	require.Positive(t, hole)
	holeEnd := hole + len(contents)
	br := fmt.Sprintf("[0 %010d %010d %010d]", hole, holeEnd, len(out)-holeEnd)
	copy(out[brAt:], br)
	h := sha256.New()
	h.Write(out[:hole])
	h.Write(out[holeEnd:])
	tok := p.timestampDigest(t, h.Sum(nil), genTime)
	enc := hex.EncodeToString(tok)
	copy(out[hole+1:], enc)
	return out
}
