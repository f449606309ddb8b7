package certstatus_test

import (
	"crypto/x509"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseIdentityOfTheKit(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	tests := []struct {
		name string
		cert *x509.Certificate
		want certstatus.Identity
	}{
		{"leader", pki.Leader.Cert, certstatus.Identity{
			CommonName: "Nguyễn Văn Thắng", Organization: "Ủy ban nhân dân tỉnh Quảng Ninh",
			OrganizationalUnits: []string{"Văn phòng Ủy ban nhân dân tỉnh"}, Province: "Quảng Ninh", Country: "VN",
			Email: "nvthang@quangninh.gov.vn", Title: "Chủ tịch", Titles: []string{"Chủ tịch"}, Kind: certstatus.KindIndividual,
		}},
		{"clerk", pki.Clerk.Cert, certstatus.Identity{
			CommonName: "Lê Văn Đức", Organization: "Ủy ban nhân dân tỉnh Quảng Ninh",
			OrganizationalUnits: []string{"Văn phòng Ủy ban nhân dân tỉnh", "Phòng Hành chính - Tổ chức"},
			Province:            "Quảng Ninh", Country: "VN", Email: "lvduc@quangninh.gov.vn", Title: "Văn thư", Titles: []string{"Văn thư"},
			Kind: certstatus.KindIndividual,
		}},
		{"org", pki.Org.Cert, certstatus.Identity{
			CommonName: "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", Organization: "Ủy ban nhân dân tỉnh Quảng Ninh",
			OrganizationalUnits: []string{}, Province: "Quảng Ninh", Country: "VN",
			Email: "vpubnd@quangninh.gov.vn", Kind: certstatus.KindOrganisation,
		}},
		{"device", pki.Device.Cert, certstatus.Identity{
			CommonName: "dichvucong.quangninh.gov.vn", Organization: "Ủy ban nhân dân tỉnh Quảng Ninh",
			OrganizationalUnits: []string{}, Province: "Quảng Ninh", Country: "VN", Kind: certstatus.KindDevice,
		}},
		{"ca", pki.CA.Cert, certstatus.Identity{
			CommonName: "CA phục vụ các cơ quan Nhà nước G2 Test", Organization: "Ban Cơ yếu Chính phủ",
			OrganizationalUnits: []string{}, Country: "VN", Kind: certstatus.KindCA,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := certstatus.ParseIdentity(tc.cert)
			if got.OrganizationalUnits == nil {
				got.OrganizationalUnits = []string{}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("identity (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseIdentityIdentifiersDecideTheKind(t *testing.T) {
	pki := certstatustest.NewPKI(t)
	tests := []struct {
		name   string
		attrs  []certstatustest.Attr
		ku     x509.KeyUsage
		kind   certstatus.Kind
		scheme string
		value  string
	}{
		{"citizen id makes a person even in capitals",
			[]certstatustest.Attr{certstatustest.C("VN"), certstatustest.CN("NGUYỄN VĂN A"), certstatustest.UID("CCCD:001099012345")},
			x509.KeyUsageDigitalSignature, certstatus.KindIndividual, "CCCD", "001099012345"},
		{"old identity card",
			[]certstatustest.Attr{certstatustest.CN("Phạm Thị B"), certstatustest.UID("CMND: 012345678")},
			x509.KeyUsageDigitalSignature, certstatus.KindIndividual, "CMND", "012345678"},
		{"tax code makes an organisation",
			[]certstatustest.Attr{certstatustest.CN("Công ty TNHH Ví Dụ"), certstatustest.UID("MST:0101234567-001")},
			x509.KeyUsageDigitalSignature, certstatus.KindOrganisation, "MST", "0101234567-001"},
		{"budget code",
			[]certstatustest.Attr{certstatustest.CN("Sở Tư pháp"), certstatustest.UID("MNS:1234567")},
			x509.KeyUsageDigitalSignature, certstatus.KindOrganisation, "MNS", "1234567"},
		{"no usage and no hint",
			[]certstatustest.Attr{certstatustest.CN("Ai đó")},
			x509.KeyUsageKeyEncipherment, certstatus.KindUnknown, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := pki.Issue("x", &x509.Certificate{RawSubject: certstatustest.Name(tc.attrs...), KeyUsage: tc.ku})
			require.NoError(t, err)
			id := certstatus.ParseIdentity(h.Cert)
			assert.Equal(t, tc.kind, id.Kind)
			v, ok := id.Identifier(tc.scheme)
			assert.Equal(t, tc.scheme != "", ok)
			assert.Equal(t, tc.value, v)
		})
	}
	assert.Equal(t, "cơ quan, tổ chức", certstatus.KindOrganisation.Vietnamese())
	assert.Equal(t, certstatus.Identity{}, certstatus.ParseIdentity(nil))
}
