package policy

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// t0 is the signing time of the test cases: 22/11/2026 14:05:09 Vietnam time.
var t0 = time.Date(2026, 11, 22, 7, 5, 9, 0, time.UTC)

func goodCert(kind CertificateKind, title string) Certificate {
	return Certificate{Kind: kind, Title: title, NotBefore: t0.AddDate(-1, 0, 0), NotAfter: t0.AddDate(2, 0, 0), Status: StatusGood}
}

func leaderSig(order int) ExistingSignature {
	return ExistingSignature{Certificate: goodCert(CertIndividual, "Giám đốc"), Order: order, Time: t0.Add(-time.Hour), Indication: IndicationTotalPassed}
}

func sealSig(order int) ExistingSignature {
	return ExistingSignature{Certificate: goodCert(CertOrganisation, ""), Order: order, Time: t0.Add(-30 * time.Minute), Indication: IndicationTotalPassed}
}

func leaderRequest() Request {
	return Request{Role: RoleAuthority, Certificate: goodCert(CertIndividual, "Giám đốc"), Document: Document{Kind: DocAdministrative}, Time: t0}
}

func clerkRequest(existing ...ExistingSignature) Request {
	return Request{Role: RoleClerk, Certificate: goodCert(CertOrganisation, ""), Document: Document{Kind: DocAdministrative}, Time: t0, Existing: existing}
}

func engineFor(t testing.TB, profile string) *Engine {
	t.Helper()
	p, err := BuiltinProfiles().Lookup(profile)
	require.NoError(t, err)
	e, err := New(Options{Profile: p, Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	return e
}

func decide(t testing.TB, profile string, req Request) Decision {
	t.Helper()
	d := engineFor(t, profile).Decide(context.Background(), req)
	require.NoError(t, d.Err)
	return d
}

var allProfiles = []string{"national", "quang-ninh", "ha-tinh", "hoa-binh", "cao-bang", "bac-lieu"}

const (
	srcSeedQN = "seeds/002_d7343de644d4b516.txt"
	srcSeedBL = "seeds/001_21f65a4cc98d9dce.txt"
)

func qn(article, clause, point string) Citation {
	return Citation{Instrument: "QĐ 41/2022/QĐ-UBND Quảng Ninh", Article: article, Clause: clause, Point: point, Source: srcSeedQN}
}

func bl() Citation {
	return Citation{Instrument: "Quy chế Bạc Liêu", Source: srcSeedBL, Note: "nguồn là bản tin tóm tắt, không ghi số điều (the source is a news summary without article numbers)"}
}
