package signature_test

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// lvVRIKey is the VRI key of the signature whose /ByteRange is br: the upper-case hex
// SHA-1 of the whole /Contents string's bytes.
func lvVRIKey(t testing.TB, doc []byte, br [4]int64) string {
	t.Helper()
	raw, err := hex.DecodeString(string(doc[br[1]+1 : br[2]-1]))
	require.NoError(t, err)
	sum := sha1.Sum(raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// An existing DSS written by another tool — a direct dictionary in the catalog, with
// a VRI entry for our signature — is kept and extended: its stream is reused (not
// repeated), its VRI entry keeps what it listed and gains the rest.
func TestExtendReusesForeignDSS(t *testing.T) {
	k := newLVKit(t)
	bt, _ := k.sign(t, pdftest.Classic(), k.levelOptions(signature.LevelBT))
	sig := lvSignatures(t, bt)[0]
	key := lvVRIKey(t, bt, sig.br)

	// Another tool's DSS: the CA certificate and an unrelated VRI entry.
	d, err := pdf.Open(bytes.NewReader(bt), int64(len(bt)), nil)
	require.NoError(t, err)
	u := d.NewUpdate()
	caRef := u.Add(&pdf.Stream{Dict: pdf.Dict{}, Data: k.pki.CA.Cert.Raw})
	cat, err := d.Catalog()
	require.NoError(t, err)
	nc := cat.Clone()
	nc["DSS"] = pdf.Dict{
		"Certs": pdf.Array{caRef},
		"VRI": pdf.Dict{
			pdf.Name(key):      pdf.Dict{"Cert": pdf.Array{caRef}},
			"0123456789ABCDEF": pdf.Dict{"Cert": pdf.Array{caRef}},
		},
	}
	u.Set(d.Trailer().Get("Root").(pdf.Ref), nc)
	upd, err := u.Bytes()
	require.NoError(t, err)
	foreign := append(bytes.Clone(bt), upd...)

	lt, res := k.extend(t, foreign, func(o *signature.ExtendOptions) { o.NoDocTimestamp = true; o.Timestamper = nil })
	assert.Equal(t, []string{key}, res.VRI)
	dss := lvReadDSS(t, lt)
	assertNoDuplicates(t, "certificate", dss.certs)
	caSum := sha256.Sum256(k.pki.CA.Cert.Raw)
	found := 0
	for _, c := range dss.certs {
		if sha256.Sum256(c) == caSum {
			found++
		}
	}
	assert.Equal(t, 1, found, "the CA certificate already in the DSS is reused")
	require.Contains(t, dss.vri, key)
	require.Contains(t, dss.vri, "0123456789ABCDEF", "other VRI entries are kept")
	assert.GreaterOrEqual(t, dss.vri[key][0], 4, "signer, CA, root, TSA at least")
	assert.Positive(t, dss.vri[key][1]+dss.vri[key][2])

	rep := k.verify(t, lt, true, time.Time{})
	assert.Equal(t, signature.TotalPassed, rep.Signatures[0].Indication, "%+v", rep.Signatures[0].Checks)
	assert.Equal(t, signature.LevelBLT, rep.Signatures[0].Level)
	k.lvExternalChecks(t, lt, 1, 0, false)
}
