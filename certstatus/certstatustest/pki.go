package certstatustest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"
	"software.sslmate.com/src/go-pkcs12"
)

// Options configure a PKI. The zero value is what NewPKI uses.
type Options struct {
	// Addr is the host:port the servers listen on and the certificates' URLs point at.
	// Empty means "127.0.0.1:0" (a free port). Only loopback addresses are accepted.
	Addr string
	// KeyBits is the RSA key size of every key; 0 means 2048.
	KeyBits int
	// ECDSA makes every key ECDSA P-256 instead of RSA: much faster to generate, for
	// tests that make many hierarchies (fuzz targets).
	ECDSA bool
	// Now is the clock for certificates, responses and tokens; nil means time.Now.
	Now func() time.Time
}

// Holder is one certificate of the hierarchy with its private key and chain.
type Holder struct {
	// Name is the short name used in file names: "leader", "org", "tsa", …
	Name string
	Cert *x509.Certificate
	// Key signs with the certificate's key; nil for a PKI loaded from files without
	// the holders' password.
	Key crypto.Signer
	// Chain is Cert, its issuing CA, and the root.
	Chain []*x509.Certificate
}

// PKCS12 returns the key, certificate and chain as a PKCS#12 file protected by
// password (go-pkcs12 Modern encoder: AES-256-CBC, PBKDF2, SHA-256 MAC).
func (h *Holder) PKCS12(password string) ([]byte, error) {
	if h.Key == nil {
		return nil, fmt.Errorf("certstatustest: holder %q has no private key", h.Name)
	}
	return pkcs12.Modern.Encode(h.Key, h.Cert, h.Chain[1:], password)
}

// CertPEM returns the certificate in PEM.
func (h *Holder) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: h.Cert.Raw})
}

// KeyPEM returns the private key as unencrypted PKCS#8 PEM (for softhsm2-util
// --import and openssl).
func (h *Holder) KeyPEM() ([]byte, error) {
	if h.Key == nil {
		return nil, fmt.Errorf("certstatustest: holder %q has no private key", h.Name)
	}
	der, err := x509.MarshalPKCS8PrivateKey(h.Key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// PKI is a VGCA-shaped test hierarchy with live OCSP, CRL, AIA and RFC 3161 TSA
// servers on 127.0.0.1, in the manner of net/http/httptest. Its methods are safe for
// concurrent use.
//
//	root  CN=RootCA chuyên dùng Chính phủ Test G2
//	└─ CA CN=CA phục vụ các cơ quan Nhà nước G2 Test
//	   ├─ Leader  (individual: chairman of a provincial People's Committee)
//	   ├─ Deputy  (individual: vice-chairman, signs "KT. CHỦ TỊCH")
//	   ├─ Clerk   (individual: văn thư, the clerk who applies the organisation seal)
//	   ├─ Org     (organisation seal certificate)
//	   ├─ Device  (device/SSL certificate)
//	   ├─ TSA     (critical timeStamping EKU)
//	   └─ OCSP    (delegated responder: OCSPSigning + id-pkix-ocsp-nocheck)
type PKI struct {
	// URL is the base URL of the servers, e.g. "http://127.0.0.1:41234".
	URL string
	// OCSPURL, TSAURL, CRLURL (the issuing CA's CRL) and RootCRLURL (the root's CRL,
	// covering the issuing CA) are the endpoints named in the certificates.
	OCSPURL, TSAURL, CRLURL, RootCRLURL, DeltaCRLURL string

	Root, CA                                            *Holder
	Leader, Deputy, Clerk, Org, Device, TSA, OCSPSigner *Holder

	addr    string
	keyBits int
	ecdsa   bool
	now     func() time.Time

	mu          sync.Mutex
	issued      map[string]*x509.Certificate // serial (hex) → certificate issued by CA or root
	revoked     map[string]revocation        // serial (hex) → revocation
	ocspMode    OCSPBehavior
	ocspDelay   time.Duration
	ocspByCA    bool
	ocspSigner  *Holder
	tsaMode     TSABehavior
	tsaSigner   *Holder
	tsaPSS      bool
	tsaDelay    time.Duration
	tsaUser     string
	tsaPass     string
	crlMode     CRLBehavior
	crlNumber   int64
	frozenBase  *frozenCRL
	tsaSerial   int64
	hits        map[string]int
	rogue       *Holder
	server      *http.Server
	listener    net.Listener
	serveErr    chan error
	closeOnce   sync.Once
	closeResult error
}

type revocation struct {
	at     time.Time
	reason int
	byRoot bool
}

// NewPKI builds a hierarchy, starts its servers on a free 127.0.0.1 port and stops
// them when the test ends. It fails the test on error.
func NewPKI(t testing.TB) *PKI {
	t.Helper()
	p, err := NewServer(Options{})
	if err != nil {
		t.Fatalf("certstatustest: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// NewPKIWith is NewPKI with options (Addr is ignored: a free port is used).
func NewPKIWith(t testing.TB, opts Options) *PKI {
	t.Helper()
	opts.Addr = ""
	p, err := NewServer(opts)
	if err != nil {
		t.Fatalf("certstatustest: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// NewServer builds a hierarchy and starts its servers (the non-test constructor used
// by the kyso command). Call Close when done.
func NewServer(opts Options) (*PKI, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("certstatustest: listen: %w", err)
	}
	opts.Addr = ln.Addr().String()
	p, err := Generate(opts)
	if err != nil {
		ln.Close()
		return nil, err
	}
	p.Serve(ln)
	return p, nil
}

// Generate builds a hierarchy whose URLs point at opts.Addr (which must name a port)
// without starting servers; Start starts them later.
func Generate(opts Options) (*PKI, error) {
	p, err := newPKI(opts)
	if err != nil {
		return nil, err
	}
	if err := p.generate(); err != nil {
		return nil, err
	}
	return p, nil
}

func newPKI(opts Options) (*PKI, error) {
	if opts.Addr == "" {
		return nil, errors.New("certstatustest: Generate needs an address with a port")
	}
	if err := checkLoopback(opts.Addr); err != nil {
		return nil, err
	}
	if _, port, _ := net.SplitHostPort(opts.Addr); port == "0" || port == "" {
		return nil, fmt.Errorf("certstatustest: address %q needs a fixed port", opts.Addr)
	}
	if opts.KeyBits == 0 {
		opts.KeyBits = 2048
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &PKI{addr: opts.Addr, keyBits: opts.KeyBits, ecdsa: opts.ECDSA, now: opts.Now,
		issued: map[string]*x509.Certificate{}, revoked: map[string]revocation{}, hits: map[string]int{}}
	p.setURLs()
	return p, nil
}

func (p *PKI) setURLs() {
	p.URL = "http://" + p.addr
	p.OCSPURL = p.URL + "/ocsp"
	p.TSAURL = p.URL + "/tsa"
	p.CRLURL = p.URL + "/crl/ca.crl"
	p.RootCRLURL = p.URL + "/crl/root.crl"
	p.DeltaCRLURL = p.URL + "/crl/ca-delta.crl"
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("certstatustest: address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("certstatustest: address %q is not a loopback address (use 127.0.0.1)", addr)
	}
	return nil
}

// Attribute types of Vietnamese subject names.
var (
	oidCountry      = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidLocality     = asn1.ObjectIdentifier{2, 5, 4, 7}
	oidOrganization = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidOrgUnit      = asn1.ObjectIdentifier{2, 5, 4, 11}
	oidCommonName   = asn1.ObjectIdentifier{2, 5, 4, 3}
	oidTitle        = asn1.ObjectIdentifier{2, 5, 4, 12}
	oidEmail        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
	oidUID          = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}

	oidExtKeyUsage  = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidTimeStamping = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}
	oidOCSPNoCheck  = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 5}
)

// Attr is one attribute of a subject name, in the order it is written.
type Attr struct {
	Type  asn1.ObjectIdentifier
	Value string
}

// C is a country attribute (C=VN).
func C(v string) Attr { return Attr{oidCountry, v} }

// L is a locality attribute: the province (tỉnh, thành phố).
func L(v string) Attr { return Attr{oidLocality, v} }

// O is an organisation attribute: the top body.
func O(v string) Attr { return Attr{oidOrganization, v} }

// OU is an organisational unit attribute.
func OU(v string) Attr { return Attr{oidOrgUnit, v} }

// CN is a common name attribute: a person's full name or an organisation's name.
func CN(v string) Attr { return Attr{oidCommonName, v} }

// T is a title attribute (chức vụ), e.g. "Phó Chủ tịch".
func T(v string) Attr { return Attr{oidTitle, v} }

// E is an e-mail address attribute, encoded as IA5String.
func E(v string) Attr { return Attr{oidEmail, v} }

// UID is a user identifier attribute, e.g. "CCCD:001099012345" or "MST:0101234567".
func UID(v string) Attr { return Attr{oidUID, v} }

// Name encodes attributes as a DER Name, one attribute per RDN, in the given order:
// Country as PrintableString, e-mail as IA5String, the rest as UTF8String.
func Name(attrs ...Attr) []byte {
	var rdns pkix.RDNSequence
	for _, a := range attrs {
		var v asn1.RawValue
		switch {
		case a.Type.Equal(oidCountry):
			v = asn1.RawValue{Tag: asn1.TagPrintableString, Bytes: []byte(a.Value)}
		case a.Type.Equal(oidEmail):
			v = asn1.RawValue{Tag: asn1.TagIA5String, Bytes: []byte(a.Value)}
		default:
			v = asn1.RawValue{Tag: asn1.TagUTF8String, Bytes: []byte(a.Value)}
		}
		rdns = append(rdns, pkix.RelativeDistinguishedNameSET{{Type: a.Type, Value: v}})
	}
	der, err := asn1.Marshal(rdns)
	if err != nil {
		panic("certstatustest: encoding a name: " + err.Error()) // only strings: cannot fail
	}
	return der
}

func (p *PKI) newKey() (crypto.Signer, error) {
	if p.ecdsa {
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	return rsa.GenerateKey(rand.Reader, p.keyBits)
}

func randomSerial() (*big.Int, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	b[0] &= 0x7f
	b[0] |= 0x10
	return new(big.Int).SetBytes(b), nil
}

func subjectKeyID(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	var spki struct {
		Alg pkix.AlgorithmIdentifier
		Key asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, err
	}
	h := sha1.Sum(spki.Key.Bytes)
	return h[:], nil
}

// criticalEKU returns an extended key usage extension marked critical.
func criticalEKU(oids ...asn1.ObjectIdentifier) pkix.Extension {
	v, _ := asn1.Marshal(oids)
	return pkix.Extension{Id: oidExtKeyUsage, Critical: true, Value: v}
}

// newKeys makes n keys concurrently: RSA key generation dominates NewPKI's cost.
func (p *PKI) newKeys(n int) ([]*keyPair, error) {
	keys := make([]*keyPair, n)
	var g errgroup.Group
	for i := range keys {
		g.Go(func() error {
			k, err := p.newKey()
			if err != nil {
				return err
			}
			keys[i] = &keyPair{pub: k.Public(), priv: k}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("certstatustest: generating keys: %w", err)
	}
	return keys, nil
}

func (p *PKI) generate() error {
	now := p.now().UTC().Truncate(time.Second)
	keys, err := p.newKeys(9)
	if err != nil {
		return err
	}
	p.Root, err = p.issue("root", nil, &x509.Certificate{
		RawSubject:            Name(C("VN"), O("Ban Cơ yếu Chính phủ"), CN("RootCA chuyên dùng Chính phủ Test G2")),
		NotBefore:             now.AddDate(-2, 0, 0),
		NotAfter:              now.AddDate(25, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, keys[0])
	if err != nil {
		return err
	}
	p.CA, err = p.issue("ca", p.Root, &x509.Certificate{
		RawSubject:            Name(C("VN"), O("Ban Cơ yếu Chính phủ"), CN("CA phục vụ các cơ quan Nhà nước G2 Test")),
		NotBefore:             now.AddDate(-2, 0, 0),
		NotAfter:              now.AddDate(15, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
	}, keys[1])
	if err != nil {
		return err
	}
	province := "Quảng Ninh"
	body := "Ủy ban nhân dân tỉnh Quảng Ninh"
	signing := x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	specs := []struct {
		dst  **Holder
		name string
		tmpl *x509.Certificate
	}{
		{&p.Leader, "leader", &x509.Certificate{
			RawSubject: Name(C("VN"), L(province), O(body), OU("Văn phòng Ủy ban nhân dân tỉnh"),
				CN("Nguyễn Văn Thắng"), T("Chủ tịch"), E("nvthang@quangninh.gov.vn")),
			KeyUsage: signing, EmailAddresses: []string{"nvthang@quangninh.gov.vn"},
		}},
		{&p.Deputy, "deputy", &x509.Certificate{
			RawSubject: Name(C("VN"), L(province), O(body), OU("Văn phòng Ủy ban nhân dân tỉnh"),
				CN("Trần Thị Hồng Nhung"), T("Phó Chủ tịch"), E("tthnhung@quangninh.gov.vn")),
			KeyUsage: signing, EmailAddresses: []string{"tthnhung@quangninh.gov.vn"},
		}},
		{&p.Clerk, "clerk", &x509.Certificate{
			RawSubject: Name(C("VN"), L(province), O(body), OU("Văn phòng Ủy ban nhân dân tỉnh"), OU("Phòng Hành chính - Tổ chức"),
				CN("Lê Văn Đức"), T("Văn thư"), E("lvduc@quangninh.gov.vn")),
			KeyUsage: signing, EmailAddresses: []string{"lvduc@quangninh.gov.vn"},
		}},
		{&p.Org, "org", &x509.Certificate{
			RawSubject: Name(C("VN"), L(province), O("Ủy ban nhân dân tỉnh Quảng Ninh"),
				CN("ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"), E("vpubnd@quangninh.gov.vn")),
			KeyUsage: signing, EmailAddresses: []string{"vpubnd@quangninh.gov.vn"},
		}},
		{&p.Device, "device", &x509.Certificate{
			RawSubject:  Name(C("VN"), L(province), O(body), CN("dichvucong.quangninh.gov.vn")),
			KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
			DNSNames:    []string{"dichvucong.quangninh.gov.vn"},
		}},
		{&p.TSA, "tsa", &x509.Certificate{
			RawSubject:      Name(C("VN"), O("Ban Cơ yếu Chính phủ"), CN("Dịch vụ cấp dấu thời gian chuyên dùng Chính phủ Test")),
			KeyUsage:        x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
			ExtraExtensions: []pkix.Extension{criticalEKU(oidTimeStamping)},
		}},
		{&p.OCSPSigner, "ocsp", &x509.Certificate{
			RawSubject:      Name(C("VN"), O("Ban Cơ yếu Chính phủ"), CN("OCSP chuyên dùng Chính phủ Test")),
			KeyUsage:        x509.KeyUsageDigitalSignature,
			ExtKeyUsage:     []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning},
			ExtraExtensions: []pkix.Extension{{Id: oidOCSPNoCheck, Value: []byte{0x05, 0x00}}},
		}},
	}
	for i, s := range specs {
		h, err := p.issue(s.name, p.CA, s.tmpl, keys[2+i])
		if err != nil {
			return err
		}
		*s.dst = h
	}
	return nil
}

// Issue issues a new end-entity certificate from the issuing CA with a fresh key. The
// template supplies the subject (RawSubject, see Name, or Subject), key usages and
// extensions; Issue fills in the serial number, the validity (a day ago to three
// years ahead) unless set, and the AIA (OCSP, caIssuers) and CRL distribution point
// URLs of this PKI. The template is not modified.
func (p *PKI) Issue(name string, tmpl *x509.Certificate) (*Holder, error) {
	return p.issue(name, p.CA, tmpl, nil)
}

// IssueWithKey is Issue with a given key (for example one generated in a PKCS#11
// token); the returned Holder's Key is nil when key is not a crypto.Signer.
func (p *PKI) IssueWithKey(name string, tmpl *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) (*Holder, error) {
	if pub == nil {
		return nil, errors.New("certstatustest: IssueWithKey needs a public key")
	}
	return p.issue(name, p.CA, tmpl, &keyPair{pub: pub, priv: key})
}

type keyPair struct {
	pub  crypto.PublicKey
	priv crypto.Signer
}

// issue signs tmpl with parent (nil: self-signed).
func (p *PKI) issue(name string, parent *Holder, tmpl *x509.Certificate, kp *keyPair) (*Holder, error) {
	t := *tmpl
	now := p.now().UTC().Truncate(time.Second)
	if t.NotBefore.IsZero() {
		t.NotBefore = now.Add(-24 * time.Hour)
	}
	if t.NotAfter.IsZero() {
		t.NotAfter = now.AddDate(3, 0, 0)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	t.SerialNumber = serial
	if kp == nil {
		key, err := p.newKey()
		if err != nil {
			return nil, fmt.Errorf("certstatustest: key for %s: %w", name, err)
		}
		kp = &keyPair{pub: key.Public(), priv: key}
	}
	if t.SubjectKeyId == nil {
		if t.SubjectKeyId, err = subjectKeyID(kp.pub); err != nil {
			return nil, err
		}
	}
	parentCert, parentKey := &t, crypto.Signer(nil)
	var chain []*x509.Certificate
	if parent != nil {
		parentCert, parentKey = parent.Cert, parent.Key
		chain = parent.Chain
		t.OCSPServer = []string{p.OCSPURL}
		if parent == p.Root {
			t.IssuingCertificateURL = []string{p.URL + "/aia/root.cer"}
			t.CRLDistributionPoints = []string{p.RootCRLURL}
		} else {
			t.IssuingCertificateURL = []string{p.URL + "/aia/ca.cer"}
			t.CRLDistributionPoints = []string{p.CRLURL}
		}
	} else {
		parentKey = kp.priv
	}
	if parentKey == nil {
		return nil, fmt.Errorf("certstatustest: no key to sign %s with", name)
	}
	der, err := x509.CreateCertificate(rand.Reader, &t, parentCert, kp.pub, parentKey)
	if err != nil {
		return nil, fmt.Errorf("certstatustest: issuing %s: %w", name, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.issued[cert.SerialNumber.Text(16)] = cert
	p.mu.Unlock()
	return &Holder{Name: name, Cert: cert, Key: kp.priv, Chain: append([]*x509.Certificate{cert}, chain...)}, nil
}

// Expire returns a copy of h whose new certificate (same subject and key, new serial)
// expired an hour ago; it was valid for the year before.
func (p *PKI) Expire(h *Holder) (*Holder, error) {
	now := p.now().UTC().Truncate(time.Second)
	t := templateFrom(h.Cert)
	t.NotBefore = now.AddDate(-1, 0, 0)
	t.NotAfter = now.Add(-time.Hour)
	return p.issue(h.Name+"-expired", p.CA, t, &keyPair{pub: h.Cert.PublicKey, priv: h.Key})
}

// templateFrom copies what Issue needs from an issued certificate.
func templateFrom(c *x509.Certificate) *x509.Certificate {
	t := &x509.Certificate{
		RawSubject:     c.RawSubject,
		KeyUsage:       c.KeyUsage,
		ExtKeyUsage:    c.ExtKeyUsage,
		DNSNames:       c.DNSNames,
		EmailAddresses: c.EmailAddresses,
		SubjectKeyId:   c.SubjectKeyId,
	}
	for _, e := range c.Extensions {
		if e.Id.Equal(oidOCSPNoCheck) || (e.Id.Equal(oidExtKeyUsage) && e.Critical) {
			t.ExtraExtensions = append(t.ExtraExtensions, e)
		}
	}
	return t
}

// Holders returns every holder of the hierarchy, root first.
func (p *PKI) Holders() []*Holder {
	return []*Holder{p.Root, p.CA, p.Leader, p.Deputy, p.Clerk, p.Org, p.Device, p.TSA, p.OCSPSigner}
}

// Roots returns a pool holding the test root, for x509.VerifyOptions.
func (p *PKI) Roots() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.Root.Cert)
	return pool
}

// Revoke revokes a certificate issued by this PKI at time at (zero: now) for reason
// (an RFC 5280 CRLReason, e.g. ocsp.KeyCompromise = 1, ocsp.Superseded = 4). OCSP
// answers and CRLs reflect it at once.
func (p *PKI) Revoke(cert *x509.Certificate, reason int, at time.Time) {
	if at.IsZero() {
		at = p.now()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.revoked[cert.SerialNumber.Text(16)] = revocation{at: at.UTC().Truncate(time.Second), reason: reason,
		byRoot: bytes.Equal(cert.RawIssuer, p.Root.Cert.RawSubject)}
}

// Suspend puts a certificate on hold (certificateHold) from now.
func (p *PKI) Suspend(cert *x509.Certificate) { p.Revoke(cert, reasonCertificateHold, time.Time{}) }

// Reinstate lifts a suspension (or any revocation) of a certificate.
func (p *PKI) Reinstate(cert *x509.Certificate) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.revoked, cert.SerialNumber.Text(16))
}

const reasonCertificateHold = 6

// Hits returns how many requests an endpoint served: "ocsp", "crl", "tsa" or "aia".
func (p *PKI) Hits(endpoint string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits[endpoint]
}

func (p *PKI) hit(endpoint string) {
	p.mu.Lock()
	p.hits[endpoint]++
	p.mu.Unlock()
}
