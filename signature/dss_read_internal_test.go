package signature

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// The DSS is read one way for the verifier and for the B-LT/Extend lookup of a
// certificate a time-stamp token leaves out: /Certs, then /VRI /Cert (where some
// writers put a TSA's certificate alone), each certificate once, within the limits.
func TestDSSCertificatesCertsAndVRI(t *testing.T) {
	cert := func(cn string) *x509.Certificate {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
		require.NoError(t, err)
		tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		require.NoError(t, err)
		c, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		return c
	}
	inCerts, onlyVRI := cert("in /Certs"), cert("only in /VRI")
	in := pdftest.Classic()
	d, err := pdf.Open(bytes.NewReader(in), int64(len(in)), nil)
	require.NoError(t, err)
	u := d.NewUpdate()
	stream := func(c *x509.Certificate) pdf.Ref {
		return u.Add(&pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(len(c.Raw))}, Data: c.Raw})
	}
	a, b := stream(inCerts), stream(onlyVRI)
	cat, err := d.Catalog()
	require.NoError(t, err)
	nc := cat.Clone()
	nc["DSS"] = u.Add(pdf.Dict{
		"Certs": pdf.Array{a},
		"VRI":   pdf.Dict{"0123456789ABCDEF0123456789ABCDEF01234567": pdf.Dict{"Cert": pdf.Array{a, b, pdf.Integer(7)}}},
	})
	u.Set(d.Trailer().Get("Root").(pdf.Ref), nc)
	upd, err := u.Bytes()
	require.NoError(t, err)
	doc := append(bytes.Clone(in), upd...)
	d, err = pdf.Open(bytes.NewReader(doc), int64(len(doc)), nil)
	require.NoError(t, err)

	names := func(cs []*x509.Certificate) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Subject.CommonName)
		}
		return out
	}
	assert.Equal(t, []string{"in /Certs", "only in /VRI"}, names(existingDSSCertificates(d)), "Extend and B-LT read /VRI /Cert too")

	dssObj, ok := asDict(resolveQuiet(d, nc.Get("DSS")))
	require.True(t, ok)
	total := 0
	assert.Equal(t, []string{"in /Certs"}, names(dssCertificates(d, dssObj, &total, 1<<20, 1)), "at most maxCerts")
	total = 0
	assert.Equal(t, []string{"in /Certs"}, names(dssCertificates(d, dssObj, &total, len(inCerts.Raw)+len(onlyVRI.Raw)-1, 0)), "within the byte limit")
}
