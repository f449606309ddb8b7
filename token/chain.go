package token

import (
	"bytes"
	"crypto/x509"
)

// maxCertificates bounds how many certificates a key file or token may contribute.
const maxCertificates = 64

// orderChain returns the certificates of pool that issue leaf, leaf excluded, ordered from
// leaf's issuer towards the root, and separately the certificates not on that path in
// their original order. Duplicates and the leaf itself are dropped.
func orderChain(leaf *x509.Certificate, pool []*x509.Certificate) (path, others []*x509.Certificate) {
	rest := make([]*x509.Certificate, 0, len(pool))
	for _, c := range pool {
		if c == nil || (leaf != nil && c.Equal(leaf)) {
			continue
		}
		dup := false
		for _, r := range rest {
			if r.Equal(c) {
				dup = true
				break
			}
		}
		if !dup {
			rest = append(rest, c)
		}
	}
	cur := leaf
	for cur != nil && len(rest) > 0 {
		if isSelfSigned(cur) {
			break
		}
		next := -1
		for i, c := range rest {
			if issues(c, cur) {
				next = i
				break
			}
		}
		if next < 0 {
			break
		}
		cur = rest[next]
		path = append(path, cur)
		rest = append(rest[:next], rest[next+1:]...)
	}
	return path, rest
}

// issues reports whether issuer's name and key produced child's signature.
func issues(issuer, child *x509.Certificate) bool {
	if !bytes.Equal(issuer.RawSubject, child.RawIssuer) {
		return false
	}
	if len(child.AuthorityKeyId) > 0 && len(issuer.SubjectKeyId) > 0 &&
		!bytes.Equal(child.AuthorityKeyId, issuer.SubjectKeyId) {
		return false
	}
	return child.CheckSignatureFrom(issuer) == nil
}

func isSelfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawSubject, c.RawIssuer) && c.CheckSignatureFrom(c) == nil
}
