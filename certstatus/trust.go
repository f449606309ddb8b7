package certstatus

import (
	"crypto/x509"
	_ "embed"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

//go:embed vgca-rootca-g2.pem
var vgcaRootG2PEM []byte

// VGCARootG2Fingerprint is the SHA-256 fingerprint (hex, upper case) of the shipped
// trust anchor "RootCA chuyên dùng Chính phủ G2" of Ban Cơ yếu Chính phủ.
const VGCARootG2Fingerprint = "F04BA4B459A7C9A1B971AD9B1CB833E695A80C79AEA63B174B66A70EDFE2FDB8"

// VGCARootG2 returns a fresh copy of the shipped VGCA root certificate
// (C=VN, O=Ban Cơ yếu Chính phủ, CN=RootCA chuyên dùng Chính phủ G2).
func VGCARootG2() *x509.Certificate {
	block, _ := pem.Decode(vgcaRootG2PEM)
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		// The file is embedded at build time and checked by the tests.
		panic("certstatus: embedded VGCA root does not parse: " + err.Error())
	}
	return c
}

// TrustStore is a set of trust anchors (root certificates). It is safe for concurrent
// use. The zero value is an empty store; DefaultTrustStore returns one holding the VGCA
// root.
type TrustStore struct {
	mu    sync.RWMutex
	roots []*x509.Certificate
	pools []*x509.CertPool
}

// DefaultTrustStore returns a new store holding the shipped VGCA root (G2). Each call
// returns an independent store the caller may extend or replace.
func DefaultTrustStore() *TrustStore {
	return NewTrustStore(VGCARootG2())
}

// NewTrustStore returns a store holding exactly the given roots.
func NewTrustStore(roots ...*x509.Certificate) *TrustStore {
	s := &TrustStore{}
	for _, r := range roots {
		s.Add(r)
	}
	return s
}

// Add adds a root certificate; duplicates are ignored.
func (s *TrustStore) Add(root *x509.Certificate) {
	if root == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.roots {
		if r.Equal(root) {
			return
		}
	}
	s.roots = append(s.roots, root)
}

// AddPool adds every root of an x509.CertPool (for example x509.SystemCertPool). A pool
// cannot be listed, so its roots are consulted only during chain building and are not
// returned by Roots.
func (s *TrustStore) AddPool(p *x509.CertPool) {
	if p == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pools = append(s.pools, p)
}

// Replace drops every root and pool and installs the given roots.
func (s *TrustStore) Replace(roots ...*x509.Certificate) {
	s.mu.Lock()
	s.roots = nil
	s.pools = nil
	s.mu.Unlock()
	for _, r := range roots {
		s.Add(r)
	}
}

// maxTrustFile bounds a PEM file read by AddPEMFile / AddDir.
const maxTrustFile = 4 << 20

// AddPEM adds every CERTIFICATE block of a PEM text and returns how many it added.
// Any block that is not a parseable certificate is an error and nothing is added.
func (s *TrustStore) AddPEM(data []byte) (int, error) {
	var certs []*x509.Certificate
	for len(data) > 0 {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return 0, fmt.Errorf("%w: trust anchor: %v", ErrMalformed, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return 0, fmt.Errorf("%w: no CERTIFICATE block in PEM data", ErrMalformed)
	}
	for _, c := range certs {
		s.Add(c)
	}
	return len(certs), nil
}

// AddPEMFile adds the certificates of a PEM file.
func (s *TrustStore) AddPEMFile(path string) (int, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	if fi.Size() > maxTrustFile {
		return 0, fmt.Errorf("%w: %s is larger than %d bytes", ErrTooLarge, path, maxTrustFile)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	n, err := s.AddPEM(data)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}

// AddDir adds the certificates of every *.pem, *.crt and *.cer file (PEM encoded) in a
// directory, not recursing. If any of those files is unreadable or holds no parseable
// certificate, it returns the error naming that file and adds nothing.
func (s *TrustStore) AddDir(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	staged := NewTrustStore()
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".pem" && ext != ".crt" && ext != ".cer") {
			continue
		}
		if _, err := staged.AddPEMFile(filepath.Join(dir, e.Name())); err != nil {
			return 0, err
		}
	}
	roots := staged.Roots()
	for _, r := range roots {
		s.Add(r)
	}
	return len(roots), nil
}

// Roots returns the trust anchors in the order they were added.
func (s *TrustStore) Roots() []*x509.Certificate {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]*x509.Certificate(nil), s.roots...)
}

// rootPools returns the pools to try in turn: the listed roots, then each added pool.
func (s *TrustStore) rootPools() []*x509.CertPool {
	s.mu.RLock()
	pools := append([]*x509.CertPool(nil), s.pools...)
	s.mu.RUnlock()
	return append([]*x509.CertPool{s.CertPool()}, pools...)
}

// CertPool returns the listed roots (not those of added pools) as an x509.CertPool.
func (s *TrustStore) CertPool() *x509.CertPool {
	p := x509.NewCertPool()
	for _, r := range s.Roots() {
		p.AddCert(r)
	}
	return p
}
