//go:build !cgo

package token

// loadBackend fails: PKCS#11 modules are C libraries and need cgo.
func loadBackend(path string) (backend, error) {
	return nil, ErrNoPKCS11
}

// pssParams is never called without a backend.
func pssParams(hashMech, mgf, saltLen uint) []byte { return nil }
