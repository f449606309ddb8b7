package policy

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oidTitle is the X.520 title attribute (T=, 2.5.4.12).
var oidTitle = asn1.ObjectIdentifier{2, 5, 4, 12}

func TestCertificateFacts(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	nb, na := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7),
		Subject: pkix.Name{
			Country: []string{"VN"}, Locality: []string{"Quảng Ninh"}, Organization: []string{"UBND tỉnh Quảng Ninh"},
			CommonName: "Nguyễn Văn An",
			ExtraNames: []pkix.AttributeTypeAndValue{{Type: oidTitle, Value: "Pho\u0301 Gia\u0301m đô\u0301c"}},
		},
		NotBefore: nb, NotAfter: na,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)

	c := CertificateFacts(cert, CertIndividual)
	assert.Equal(t, Certificate{Kind: CertIndividual, Title: "Phó Giám đốc", NotBefore: nb, NotAfter: na}, c)

	// The facts drive a decision: a deputy's certificate needs KT.
	req := leaderRequest()
	req.Certificate = c
	req.Certificate.Status = StatusGood
	req.Time = nb.AddDate(1, 0, 0)
	assert.Equal(t, []string{RuleMarkerMatchesTitle}, decide(t, "ha-tinh", req).RuleIDs(OutcomeViolated))
	assert.Equal(t, []string{RuleMarkerMatchesTitle}, decide(t, "national", req).RuleIDs(OutcomeWarning))
	req.Markers = []AuthorityMarker{MarkerDeputy}
	assert.True(t, decide(t, "ha-tinh", req).Allowed)
	assert.Empty(t, decide(t, "ha-tinh", req).Warnings())

	assert.Equal(t, Certificate{Kind: CertDevice}, CertificateFacts(nil, CertDevice))

	// An overlong title is cut at a character boundary so the request stays valid.
	long := *cert
	long.Subject.Names = []pkix.AttributeTypeAndValue{{Type: oidTitle, Value: strings.Repeat("ố", MaxTextLength)}}
	lc := CertificateFacts(&long, CertIndividual)
	assert.LessOrEqual(t, len(lc.Title), MaxTextLength)
	assert.True(t, utf8.ValidString(lc.Title))
}
