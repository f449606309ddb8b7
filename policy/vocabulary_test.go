package policy

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
)

func TestNormalizeVN(t *testing.T) {
	// Every precomposed Vietnamese letter is recovered from its decomposition.
	for d, c := range vnCompose {
		assert.Equal(t, string(c), normalizeVN(d), "%+q", d)
		assert.Equal(t, string(c), normalizeVN(string(c)))
	}
	cases := map[string]string{
		"Pho\u0301 Gia\u0301m đô\u0301c": "Phó Giám đốc",
		"e\u0323\u0302":                  "ệ", // marks in non-canonical order
		"ê\u0323":                        "ệ", // precomposed base plus a mark
		"u\u031b\u0300":                  "ừ",
		"x\u0301":                        "x\u0301", // not Vietnamese: left alone
		"Quyê\u0300n":                    "Quyền",
		"":                               "",
	}
	for in, want := range cases {
		assert.Equal(t, want, normalizeVN(in), "%+q", in)
	}
	assert.Equal(t, "phó giám đốc", fold("  PHO\u0301  GIA\u0301M\tĐÔ\u0301C. "))
}

func TestParseTitle(t *testing.T) {
	cases := []struct {
		in   string
		want Title
	}{
		{"Giám đốc", Title{Position: "Giám đốc"}},
		{"KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", Title{Markers: []AuthorityMarker{MarkerDeputy}, Position: "PHÓ GIÁM ĐỐC"}},
		{"TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", Title{Markers: []AuthorityMarker{MarkerOnBehalfOf, MarkerDeputy}, Position: "PHÓ CHỦ TỊCH"}},
		{"TL. BỘ TRƯỞNG / CHÁNH VĂN PHÒNG", Title{Markers: []AuthorityMarker{MarkerByOrder}, Position: "CHÁNH VĂN PHÒNG"}},
		{"TUQ. CHỦ TỊCH | GIÁM ĐỐC SỞ", Title{Markers: []AuthorityMarker{MarkerByDelegation}, Position: "GIÁM ĐỐC SỞ"}},
		{"Q. Giám đốc", Title{Markers: []AuthorityMarker{MarkerActing}, Position: "Giám đốc"}},
		{"Quyền Giám đốc", Title{Position: "Quyền Giám đốc"}},
		{"", Title{}},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, ParseTitle(c.in)); diff != "" {
			t.Errorf("ParseTitle(%q) (-want +got):\n%s", c.in, diff)
		}
	}
	assert.Equal(t, rankDeputy, positionRank("PHÓ CHỦ TỊCH"))
	assert.Equal(t, rankActing, positionRank("Quyền Giám đốc"))
	assert.Equal(t, rankHead, positionRank("Phòng trưởng")) // not "Phó"
}

func TestEnumsRejectUnknown(t *testing.T) {
	var r Role
	assert.ErrorIs(t, r.UnmarshalText([]byte("boss")), ErrInvalidRequest)
	var k CertificateKind
	assert.ErrorIs(t, k.UnmarshalText([]byte("ssl")), ErrInvalidRequest)
	var d DocumentKind
	assert.ErrorIs(t, d.UnmarshalText([]byte("memo")), ErrInvalidRequest)
	var c Classification
	assert.ErrorIs(t, c.UnmarshalText([]byte("mật mã")), ErrInvalidRequest)
	var m AuthorityMarker
	assert.ErrorIs(t, m.UnmarshalText([]byte("K.")), ErrInvalidRequest)
	var f CopyForm
	assert.ErrorIs(t, f.UnmarshalText([]byte("BẢN CHỤP")), ErrInvalidRequest)
	var s CertificateStatus
	assert.ErrorIs(t, s.UnmarshalText([]byte("expired")), ErrInvalidRequest)
	// The error names the accepted values.
	err := r.UnmarshalText([]byte("boss"))
	assert.Contains(t, err.Error(), "authority, clerk, deputy")
	assert.Contains(t, (&RequestError{Field: "f", Value: strings.Repeat("ĩ", 200), Reason: "r"}).Error(), "…")
	assert.True(t, utf8.ValidString((&RequestError{Field: "f", Value: strings.Repeat("ĩ", 200), Reason: "r"}).Error()))
}

func TestVietnameseNames(t *testing.T) {
	for _, r := range []Role{RoleAuthority, RoleDeputy, RoleClerk, RoleKeyKeeper, RoleITOfficer, RoleSubscriber, RoleManagingOrganisation, RoleProvincialDepartment} {
		assert.True(t, r.Valid())
		assert.NotEqual(t, string(r), r.Vietnamese())
	}
	for _, k := range []CertificateKind{CertIndividual, CertOrganisation, CertOrganisationSecond, CertDevice} {
		assert.True(t, k.Valid())
		assert.Contains(t, k.Vietnamese(), "chứng thư số")
	}
	for _, k := range []DocumentKind{DocAdministrative, DocAppendixSameFile, DocAttachmentSeparateFile, DocCopy, DocProcedureResult} {
		assert.True(t, k.Valid())
		assert.NotEqual(t, string(k), k.Vietnamese())
	}
	for _, p := range []Placement{PlacementSigner, PlacementSeal, PlacementAttachmentStamp, PlacementCopyStamp, PlacementNone} {
		assert.NotEmpty(t, p.Vietnamese())
	}
	assert.Equal(t, "tối mật", Secret.Vietnamese())
	assert.Equal(t, "ký thay", MarkerDeputy.Vietnamese())
}
