package certstatustest

import (
	"crypto"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"software.sslmate.com/src/go-pkcs12"
)

// manifestName is the file that marks a directory written by Files.
const manifestName = "pki.json"

type manifest struct {
	Format  string   `json:"format"`
	Addr    string   `json:"addr"`
	URL     string   `json:"url"`
	Holders []string `json:"holders"`
}

const manifestFormat = "kyso-test-pki/1"

// services are the holders whose keys the servers need; their keys are also written
// unencrypted so that the servers can start without a password.
var services = map[string]bool{"root": true, "ca": true, "tsa": true, "ocsp": true}

// Files returns the hierarchy as files, by name:
//
//	pki.json              what this directory is, and the servers' address
//	README.txt            what each file is, in Vietnamese and English
//	<name>.pem            each certificate (root, ca, leader, deputy, clerk, org, device, tsa, ocsp)
//	chain.pem             the issuing CA then the root
//	<name>.p12            each end-entity key with its chain, protected by password
//	<name>-key.pem        unencrypted keys of the root, CA, TSA and OCSP responder,
//	                      which the servers need (test keys: never use them for real)
func (p *PKI) Files(password string) (map[string][]byte, error) {
	if password == "" {
		return nil, errors.New("certstatustest: an empty password for the key stores")
	}
	files := map[string][]byte{}
	var names []string
	for _, h := range p.Holders() {
		names = append(names, h.Name)
		files[h.Name+".pem"] = h.CertPEM()
		if h != p.Root && h != p.CA {
			p12, err := h.PKCS12(password)
			if err != nil {
				return nil, err
			}
			files[h.Name+".p12"] = p12
		}
		if services[h.Name] {
			k, err := h.KeyPEM()
			if err != nil {
				return nil, err
			}
			files[h.Name+"-key.pem"] = k
		}
	}
	files["chain.pem"] = append(p.CA.CertPEM(), p.Root.CertPEM()...)
	m, err := json.MarshalIndent(manifest{Format: manifestFormat, Addr: p.addr, URL: p.URL, Holders: names}, "", "  ")
	if err != nil {
		return nil, err
	}
	files[manifestName] = append(m, '\n')
	files["README.txt"] = []byte(readme(p))
	return files, nil
}

func readme(p *PKI) string {
	return `Hạ tầng khóa công khai THỬ NGHIỆM (test PKI) — chỉ dùng để kiểm thử, không có giá trị pháp lý.
A TEST public-key infrastructure shaped like the VGCA hierarchy. Test only: no legal value.

Máy chủ / servers (kyso pki serve -dir DIR -addr ` + p.addr + `):
  OCSP ` + p.OCSPURL + `
  TSA  ` + p.TSAURL + `
  CRL  ` + p.CRLURL + `, ` + p.RootCRLURL + `
  AIA  ` + p.URL + `/aia/ca.cer, ` + p.URL + `/aia/root.cer

root.pem      RootCA chuyên dùng Chính phủ Test G2 (trust anchor / chứng thư gốc)
ca.pem        CA phục vụ các cơ quan Nhà nước G2 Test (issuing CA / CA cấp dưới)
chain.pem     ca.pem + root.pem
leader.p12    Chủ tịch (individual / cá nhân, người có thẩm quyền)
deputy.p12    Phó Chủ tịch (individual / cá nhân, ký thay)
clerk.p12     Văn thư (individual / cá nhân)
org.p12       ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH (organisation seal / chứng thư số cơ quan, tổ chức)
device.p12    dichvucong.quangninh.gov.vn (device, SSL / thiết bị, dịch vụ)
tsa.p12       time-stamping authority / dịch vụ cấp dấu thời gian
ocsp.p12      delegated OCSP responder / máy chủ OCSP được ủy quyền
*.p12         protected by the password given to "kyso pki init -pass-env"
*-key.pem     UNENCRYPTED keys the servers use (root, ca, tsa, ocsp) — test keys only
`
}

// Load reads a hierarchy written from Files in dir, without starting servers (call
// Start). The end-entity keys are read from their PKCS#12 files when password is not
// empty; otherwise those holders have no Key. Revocations are not stored in files: a
// loaded PKI starts with none.
func Load(dir, password string) (*PKI, error) {
	mb, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return nil, fmt.Errorf("certstatustest: %s is not a test PKI directory (kyso pki init writes one): %w", dir, err)
	}
	var m manifest
	if err := json.Unmarshal(mb, &m); err != nil || m.Format != manifestFormat {
		return nil, fmt.Errorf("certstatustest: %s: not a %s manifest", filepath.Join(dir, manifestName), manifestFormat)
	}
	p, err := newPKI(Options{Addr: m.Addr})
	if err != nil {
		return nil, err
	}
	holders := map[string]*Holder{}
	for _, name := range m.Holders {
		if !validName(name) {
			return nil, fmt.Errorf("certstatustest: bad holder name %q in manifest", name)
		}
		cert, err := readCert(filepath.Join(dir, name+".pem"))
		if err != nil {
			return nil, err
		}
		h := &Holder{Name: name, Cert: cert}
		if services[name] {
			if h.Key, err = readKey(filepath.Join(dir, name+"-key.pem"), cert); err != nil {
				return nil, err
			}
		} else if password != "" {
			if h.Key, err = readP12(filepath.Join(dir, name+".p12"), password, cert); err != nil {
				return nil, err
			}
		}
		holders[name] = h
		p.issued[cert.SerialNumber.Text(16)] = cert
	}
	for _, name := range []string{"root", "ca", "leader", "deputy", "clerk", "org", "device", "tsa", "ocsp"} {
		if holders[name] == nil {
			return nil, fmt.Errorf("certstatustest: %s: holder %q missing", dir, name)
		}
	}
	p.Root, p.CA = holders["root"], holders["ca"]
	p.Root.Chain = []*x509.Certificate{p.Root.Cert}
	p.CA.Chain = []*x509.Certificate{p.CA.Cert, p.Root.Cert}
	p.Leader, p.Deputy, p.Clerk = holders["leader"], holders["deputy"], holders["clerk"]
	p.Org, p.Device, p.TSA, p.OCSPSigner = holders["org"], holders["device"], holders["tsa"], holders["ocsp"]
	names := make([]string, 0, len(holders))
	for n := range holders {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		h := holders[n]
		if h == p.Root || h == p.CA {
			continue
		}
		if err := h.Cert.CheckSignatureFrom(p.CA.Cert); err != nil {
			return nil, fmt.Errorf("certstatustest: %s.pem is not issued by ca.pem: %w", n, err)
		}
		h.Chain = []*x509.Certificate{h.Cert, p.CA.Cert, p.Root.Cert}
	}
	return p, nil
}

func validName(n string) bool {
	if n == "" || len(n) > 32 {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func readCert(path string) (*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("certstatustest: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("certstatustest: %s: no PEM certificate", path)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("certstatustest: %s: %w", path, err)
	}
	return c, nil
}

type publicKeyEqualer interface {
	Equal(crypto.PublicKey) bool
}

func matchKey(key any, cert *x509.Certificate, path string) (crypto.Signer, error) {
	s, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("certstatustest: %s: key of type %T cannot sign", path, key)
	}
	if pub, ok := s.Public().(publicKeyEqualer); !ok || !pub.Equal(cert.PublicKey) {
		return nil, fmt.Errorf("certstatustest: %s: key does not match the certificate", path)
	}
	return s, nil
}

func readKey(path string, cert *x509.Certificate) (crypto.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("certstatustest: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("certstatustest: %s: no PEM PKCS#8 private key", path)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("certstatustest: %s: %w", path, err)
	}
	return matchKey(key, cert, path)
}

func readP12(path, password string, cert *x509.Certificate) (crypto.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("certstatustest: %w", err)
	}
	key, _, _, err := pkcs12.DecodeChain(b, password)
	if err != nil {
		return nil, fmt.Errorf("certstatustest: %s: %w", path, err)
	}
	return matchKey(key, cert, path)
}
