package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runPolicyCmd runs "kyso policy args…" with stdin and the environment env.
func runPolicyCmd(t *testing.T, stdin string, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	c := &cli{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string { return env[k] }}
	code = run(context.Background(), c, append([]string{"policy"}, args...))
	return code, out.String(), errb.String()
}

type policyDecisionJSON struct {
	Allowed   bool   `json:"allowed"`
	Placement string `json:"placement"`
	Profile   string `json:"profile"`
	Reasons   []struct {
		Rule      string `json:"rule"`
		Outcome   string `json:"outcome"`
		MessageVI string `json:"message_vi"`
		MessageEN string `json:"message_en"`
		Citation  struct {
			Instrument string `json:"instrument"`
			Article    string `json:"article"`
			Text       string `json:"text"`
		} `json:"citation"`
	} `json:"reasons"`
	ExplanationVI string `json:"explanation_vi"`
}

func (d policyDecisionJSON) violated() []string {
	var ids []string
	for _, r := range d.Reasons {
		if r.Outcome == "violated" {
			ids = append(ids, r.Rule)
		}
	}
	return ids
}

func TestPolicyCheckExamples(t *testing.T) {
	code, out, _ := runPolicyCmd(t, "", nil, "check", "-example", "list")
	require.Equal(t, exitOK, code)
	names := strings.Fields(out)
	for _, n := range []string{"clerk-seal-unsigned", "clerk-seal-after-leader", "leader-sign-classified", "device-cert-signs-document", "second-cert-outside-service-centre", "appendix-same-file"} {
		assert.Contains(t, names, n)
	}
	cases := map[string]struct {
		allowed   bool
		placement string
		violated  []string
		citation  string // of the first reason
	}{
		"clerk-seal-unsigned":                {violated: []string{"VN-ORG-SEAL-AFTER-AUTHORITY"}, citation: "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5"},
		"clerk-seal-after-leader":            {allowed: true, placement: "seal"},
		"leader-sign":                        {allowed: true, placement: "signer"},
		"deputy-sign-without-kt":             {allowed: true, placement: "signer"}, // Hà Tĩnh's rule: a warning in Quảng Ninh
		"deputy-acting-signs-q":              {allowed: true, placement: "signer"},
		"subscriber-own-request":             {allowed: true, placement: "signer"},
		"keeper-permitted-seals":             {allowed: true, placement: "seal"},
		"leader-sign-classified":             {violated: []string{"VN-CLASSIFIED-NO-DIGITAL-SIGNATURE"}, citation: "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 5 k7"},
		"device-cert-signs-document":         {violated: []string{"VN-DEVICE-CERT-NO-DOCUMENT"}, citation: "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 2 k3 c"},
		"second-cert-outside-service-centre": {violated: []string{"VN-SECOND-ORG-CERT-SERVICE-CENTRE"}, citation: "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 5 k6"},
		"second-cert-at-service-centre":      {allowed: true, placement: "seal"},
		"appendix-same-file":                 {violated: []string{"VN-APPENDIX-SAME-FILE-NOT-SIGNED"}, citation: "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 6 k3"},
		"attachment-separate-file":           {allowed: true, placement: "attachment-stamp"},
		"copy-sao-y":                         {allowed: true, placement: "copy-stamp"},
	}
	require.Len(t, names, len(cases), "every example has a case")
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			code, req, stderr := runPolicyCmd(t, "", nil, "check", "-example", name)
			require.Equal(t, exitOK, code, stderr)
			require.True(t, json.Valid([]byte(req)))

			code, out, stderr := runPolicyCmd(t, req, nil, "check", "-profile", "quang-ninh", "-json")
			var d policyDecisionJSON
			require.NoError(t, json.Unmarshal([]byte(out), &d), out)
			assert.Empty(t, stderr)
			assert.Equal(t, want.allowed, d.Allowed)
			assert.Equal(t, "quang-ninh", d.Profile)
			if want.allowed {
				assert.Equal(t, exitOK, code)
				assert.Equal(t, want.placement, d.Placement)
				assert.Empty(t, d.violated())
			} else {
				assert.Equal(t, exitFailure, code)
				assert.Equal(t, "none", d.Placement)
				assert.Equal(t, want.violated, d.violated())
				assert.Equal(t, want.citation, d.Reasons[0].Citation.Text)
			}
			for _, r := range d.Reasons {
				assert.NotEmpty(t, r.MessageVI)
				assert.NotEmpty(t, r.MessageEN)
				assert.NotEmpty(t, r.Citation.Instrument)
			}
			assert.NotEmpty(t, d.ExplanationVI)
		})
	}
}

func TestPolicyCheckText(t *testing.T) {
	_, req, _ := runPolicyCmd(t, "", nil, "check", "-example", "clerk-seal-unsigned")
	code, out, _ := runPolicyCmd(t, req, nil, "check", "-profile", "Quảng Ninh")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, out, "Hồ sơ / profile: quang-ninh (Quảng Ninh)")
	assert.Contains(t, out, "KHÔNG ĐƯỢC KÝ. Văn bản chưa có chữ ký số của người có thẩm quyền")
	assert.Contains(t, out, "REFUSED.")
	assert.Contains(t, out, "[violated] VN-ORG-SEAL-AFTER-AUTHORITY — QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5")

	// The national baseline cites the decree; the profile comes from the environment.
	code, out, _ = runPolicyCmd(t, req, map[string]string{"KYSO_POLICY_PROFILE": "national"}, "check")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, out, "VN-ORG-SEAL-AFTER-AUTHORITY — NĐ 30/2020/NĐ-CP, Điều 32 k2 d")
	code, out, _ = runPolicyCmd(t, req, map[string]string{"KYSO_POLICY_PROFILE": "hoa-binh"}, "check")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, out, "QĐ 13/2020/QĐ-UBND Hòa Bình, Điều 7 k3 b")
}

func TestPolicyCheckErrors(t *testing.T) {
	cases := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{"no subcommand", "", nil, exitUsage, "a subcommand is required: check"},
		{"unknown subcommand", "", []string{"sign"}, exitUsage, `unknown subcommand "sign"`},
		{"unknown flag", "", []string{"check", "-colour"}, exitUsage, "flag provided but not defined"},
		{"unexpected argument", "", []string{"check", "request.json"}, exitUsage, `unexpected argument "request.json"`},
		{"unknown profile", "{}", []string{"check", "-profile", "atlantis"}, exitUsage, `unknown profile "atlantis"`},
		{"unknown example", "", []string{"check", "-example", "ceo-signs"}, exitUsage, `unknown example "ceo-signs"`},
		{"empty input", "", []string{"check"}, exitFailure, "invalid request"},
		{"bad role", `{"role":"boss","certificate":{"kind":"individual"},"document":{"kind":"administrative"}}`, []string{"check"}, exitFailure, `role "boss": unknown role`},
		{"unknown field", `{"role":"clerk","certificate":{"kind":"organisation"},"document":{"kind":"administrative"},"colour":1}`, []string{"check"}, exitFailure, "unknown field"},
		{"missing profile file", "", []string{"rules", "-profile-file", "/nonexistent/p.json"}, exitFailure, "profile file"},
		{"sequence bad input", `{"document":{"kind":"administrative"},"signatures":[{"certificate":{"kind":"individual"},"order":0}]}`, []string{"sequence"}, exitFailure, "orders start at 1"},
		{"sequence not JSON", `signed.pdf`, []string{"sequence"}, exitFailure, "not valid JSON at byte 1"},
		{"wrong JSON type", `{"role":"clerk","certificate":{"kind":"organisation"},"document":{"kind":"administrative"},"at_service_centre":"yes"}`, []string{"check"}, exitFailure, "at_service_centre: expected true or false, found a JSON string"},
		{"time without zone", `{"role":"clerk","certificate":{"kind":"organisation","not_after":"2028-01-01"},"document":{"kind":"administrative"}}`, []string{"check"}, exitFailure, "RFC 3339"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := runPolicyCmd(t, c.stdin, nil, c.args...)
			assert.Equal(t, c.code, code)
			assert.Contains(t, stderr, c.stderr)
			if c.code != exitOK {
				assert.Empty(t, out, "no partial output on failure")
			}
		})
	}
	code, _, stderr := runPolicyCmd(t, "", nil, "-help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stderr, "subcommands:")
	code, _, _ = runPolicyCmd(t, "", nil, "check", "-help")
	assert.Equal(t, exitOK, code)
}

// An agency overrides a profile with a file: in this Quảng Ninh variant a person
// assigned in writing may also apply the organisation signature.
func TestPolicyProfileFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "quang-ninh.json")
	require.NoError(t, os.WriteFile(file, []byte(`{
	  "id": "quang-ninh", "name": "Quảng Ninh", "extends": "national",
	  "org_signature_roles": ["clerk", "key-keeper"],
	  "restates": [{"rule": "VN-ORG-SEAL-BY-CLERK", "citation": {"instrument": "QĐ 41/2022/QĐ-UBND Quảng Ninh", "article": "20", "clause": "3", "source": "agency"}}]
	}`), 0o600))
	_, req, _ := runPolicyCmd(t, "", nil, "check", "-example", "clerk-seal-after-leader")
	req = strings.Replace(req, `"role": "clerk"`, `"role": "key-keeper"`, 1)

	code, out, _ := runPolicyCmd(t, req, nil, "check", "-profile", "quang-ninh", "-json")
	assert.Equal(t, exitFailure, code, "the built-in profile: clerk only")
	assert.Contains(t, out, "VN-ORG-SEAL-BY-CLERK")

	code, out, stderr := runPolicyCmd(t, req, nil, "check", "-profile-file", file, "-json")
	require.Equal(t, exitOK, code, stderr)
	var d policyDecisionJSON
	require.NoError(t, json.Unmarshal([]byte(out), &d))
	assert.True(t, d.Allowed)
	for _, r := range d.Reasons {
		if r.Rule == "VN-ORG-SEAL-BY-CLERK" {
			assert.Equal(t, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k3", r.Citation.Text)
		}
	}

	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"id":"x","name":"X","extends":"national","restates":[{"rule":"VN-NOPE","citation":{"instrument":"NĐ 30/2020/NĐ-CP","article":"1"}}]}`), 0o600))
	code, out, stderr = runPolicyCmd(t, req, nil, "check", "-profile-file", bad)
	assert.Equal(t, exitFailure, code)
	assert.Empty(t, out)
	assert.Contains(t, stderr, `invalid profile x: restates[0].rule: unknown rule "VN-NOPE"`)
}

func TestPolicyRules(t *testing.T) {
	code, out, _ := runPolicyCmd(t, "", nil, "rules")
	require.Equal(t, exitOK, code)
	for _, id := range []string{"VN-CLASSIFIED-NO-DIGITAL-SIGNATURE", "VN-DEVICE-CERT-NO-DOCUMENT", "VN-APPENDIX-SAME-FILE-NOT-SIGNED",
		"VN-CERT-VALID-AT-SIGNING", "VN-KEY-SOLE-CONTROL", "VN-AUTHORITY-INDIVIDUAL-CERT", "VN-AUTHORITY-WITHIN-TITLE",
		"VN-AUTHORITY-MARKER-MATCHES-TITLE", "VN-ORG-SEAL-BY-CLERK", "VN-ORG-SEAL-AFTER-AUTHORITY", "VN-COPY-OWN-ORGANISATION",
		"VN-COPY-STAMP-BY-ORGANISATION", "VN-ATTACHMENT-SEPARATE-FILE-ORG-SIGNS", "VN-SECOND-ORG-CERT-SERVICE-CENTRE",
		"VN-SUBSCRIBER-OWN-REQUEST"} {
		assert.Contains(t, out, "\n"+id+"\n")
	}
	assert.Contains(t, out, "căn cứ / basis: NĐ 30/2020/NĐ-CP, Điều 32 k2 d")

	code, out, _ = runPolicyCmd(t, "", nil, "rules", "-profile", "quang-ninh", "-json")
	require.Equal(t, exitOK, code)
	var rules []struct {
		ID        string `json:"id"`
		VI        string `json:"vi"`
		EN        string `json:"en"`
		Citations []struct {
			Instrument string `json:"instrument"`
			Article    string `json:"article"`
			Clause     string `json:"clause"`
		} `json:"citations"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rules))
	require.Len(t, rules, 15)
	for _, r := range rules {
		assert.NotEmpty(t, r.VI)
		assert.NotEmpty(t, r.EN)
		require.NotEmpty(t, r.Citations, r.ID)
		if r.ID == "VN-ORG-SEAL-AFTER-AUTHORITY" {
			assert.Equal(t, "QĐ 41/2022/QĐ-UBND Quảng Ninh", r.Citations[0].Instrument)
			assert.Equal(t, "20", r.Citations[0].Article)
			assert.Equal(t, "5", r.Citations[0].Clause)
		}
	}
}

func TestPolicyProfiles(t *testing.T) {
	code, out, _ := runPolicyCmd(t, "", nil, "profiles")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "quang-ninh  Quảng Ninh — QĐ 41/2022/QĐ-UBND Quảng Ninh")
	assert.Contains(t, out, "báo cáo / report monthly: ngày 20 hàng tháng (QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 16 k7)")
	assert.Contains(t, out, "quản lý thuê bao / subscriber manager: Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh")
	assert.Contains(t, out, "ký số cơ quan / organisation signature: clerk, key-keeper")
	// Period, successor, coordinator, binding rules and the assumed shift (issue 12).
	assert.Contains(t, out, "thời kỳ / period: 2020-08-21 – 2025-06-30 (chưa kiểm chứng / unverified)")
	// The merger is checked (Nghị quyết 202/2025/QH15 Điều 1, read on the web); the
	// period's end stays unverified (transition rules not read).
	assert.Contains(t, out, "kế thừa / successor: Phú Thọ (phu-tho) từ / from 2025-07-01 — căn cứ / basis: NQ 202/2025/QH15, Điều 1 [đã kiểm chứng / verified] — đối chiếu tại / checked at: https://")
	assert.Contains(t, out, "kế thừa / successor: Cà Mau (ca-mau) từ / from 2025-07-01 — căn cứ / basis: NQ 202/2025/QH15, Điều 1 k22 [đã kiểm chứng / verified]")
	assert.Contains(t, out, "phối hợp / coordinator: Sở Thông tin và Truyền thông (QĐ 13/2020/QĐ-UBND Hòa Bình, Điều 6 k2)")
	assert.Contains(t, out, "ràng buộc / binding: VN-AUTHORITY-MARKER-MATCHES-TITLE (QĐ 19/2020/QĐ-UBND Hà Tĩnh, Điều 7 k4)")
	assert.Contains(t, out, "(QĐ 19/2020/QĐ-UBND Hà Tĩnh, Điều 13 k1 a); giả định")

	code, out, _ = runPolicyCmd(t, "", nil, "profiles", "-json")
	require.Equal(t, exitOK, code)
	var list []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &list))
	assert.Len(t, list, 6)
}

func TestPolicySequence(t *testing.T) {
	unsigned := `{"document":{"kind":"administrative"},"signatures":[
	  {"certificate":{"kind":"organisation","status":"good","not_before":"2025-01-01T00:00:00Z","not_after":"2028-01-01T00:00:00Z"},"order":1,"time":"2026-11-22T09:00:00+07:00","indication":"TOTAL_PASSED"}]}`
	code, out, _ := runPolicyCmd(t, unsigned, nil, "sequence", "-profile", "quang-ninh")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, out, "Trình tự chữ ký số KHÔNG phù hợp quy định. Vi phạm, chữ ký thứ 1:")
	assert.Contains(t, out, "(QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5)")
	assert.Contains(t, out, "The signature sequence does NOT comply with the rules. Violation, signature 1:")

	signed := `{"document":{"kind":"administrative"},"signatures":[
	  {"certificate":{"kind":"individual","title":"Giám đốc","status":"good","not_before":"2025-01-01T00:00:00Z","not_after":"2028-01-01T00:00:00Z"},"order":1,"time":"2026-11-22T08:00:00+07:00","indication":"TOTAL_PASSED"},
	  {"certificate":{"kind":"organisation","status":"good","not_before":"2025-01-01T00:00:00Z","not_after":"2028-01-01T00:00:00Z"},"order":2,"time":"2026-11-22T09:00:00+07:00","indication":"TOTAL_PASSED"}]}`
	code, out, _ = runPolicyCmd(t, signed, nil, "sequence", "-json")
	assert.Equal(t, exitOK, code)
	var rep struct {
		Compliant bool              `json:"compliant"`
		Findings  []json.RawMessage `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.True(t, rep.Compliant)
	assert.Empty(t, rep.Findings)
}

// policyPDFFixture signs PDFs with a test CA's director (an individual certificate
// with an e-mail and a title) and organisation certificate.
type policyPDFFixture struct {
	dir, trust        string
	ca                *x509.Certificate
	caKey             crypto.Signer
	leader, org       *x509.Certificate
	leaderKey, orgKey crypto.Signer
}

func newPolicyPDFFixture(t *testing.T) *policyPDFFixture {
	t.Helper()
	f := &policyPDFFixture{dir: t.TempDir()}
	newKey := func() crypto.Signer {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		return k
	}
	f.caKey, f.leaderKey, f.orgKey = newKey(), newKey(), newKey()
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "CA thử nghiệm kyso policy"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	der, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, f.caKey.Public(), f.caKey)
	require.NoError(t, err)
	f.ca, err = x509.ParseCertificate(der)
	require.NoError(t, err)
	issue := func(serial int64, subject pkix.Name, emails []string, key crypto.Signer) *x509.Certificate {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: subject, EmailAddresses: emails,
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, f.ca, key.Public(), f.caKey)
		require.NoError(t, err)
		c, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		return c
	}
	f.leader = issue(2, pkix.Name{Country: []string{"VN"}, Locality: []string{"Quảng Ninh"}, CommonName: "Nguyễn Văn An",
		ExtraNames: []pkix.AttributeTypeAndValue{{Type: asn1.ObjectIdentifier{2, 5, 4, 12}, Value: "Giám đốc"}}}, []string{"annv@quangninh.gov.vn"}, f.leaderKey)
	f.org = issue(3, pkix.Name{Country: []string{"VN"}, Locality: []string{"Quảng Ninh"}, CommonName: "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"}, nil, f.orgKey)
	f.trust = filepath.Join(f.dir, "roots.pem")
	require.NoError(t, os.WriteFile(f.trust, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.ca.Raw}), 0o600))
	return f
}

// sign applies one signature per signer, in order, and returns the PDF's path.
func (f *policyPDFFixture) sign(t *testing.T, name string, signers ...string) string {
	t.Helper()
	doc := pdftest.Classic()
	for i, who := range signers {
		key, cert := f.leaderKey, f.leader
		if who == "org" {
			key, cert = f.orgKey, f.org
		}
		var out bytes.Buffer
		_, err := signature.Sign(context.Background(), &out, bytes.NewReader(doc), int64(len(doc)), key,
			[]*x509.Certificate{cert, f.ca}, &signature.SignOptions{NewField: fmt.Sprintf("Sig%d", i+1), Time: time.Now().Add(time.Duration(i-len(signers)) * time.Minute)})
		require.NoError(t, err)
		doc = out.Bytes()
	}
	path := filepath.Join(f.dir, name)
	require.NoError(t, os.WriteFile(path, doc, 0o600))
	return path
}

func TestPolicySequencePDF(t *testing.T) {
	f := newPolicyPDFFixture(t)
	signed := f.sign(t, "signed.pdf", "leader", "org")
	sealOnly := f.sign(t, "seal-only.pdf", "org")

	code, out, stderr := runPolicyCmd(t, "", nil, "sequence", "-profile", "quang-ninh", "-pdf", signed, "-trust", f.trust, "-json")
	require.Equal(t, exitOK, code, stderr+out)
	var rep struct {
		Compliant bool `json:"compliant"`
		Findings  []struct {
			Order int    `json:"order"`
			Rule  string `json:"rule"`
		} `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.True(t, rep.Compliant)
	assert.Empty(t, rep.Findings)

	code, out, _ = runPolicyCmd(t, "", nil, "sequence", "-profile", "quang-ninh", "-pdf", sealOnly, "-trust", f.trust)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, out, "Vi phạm, chữ ký thứ 1:")
	assert.Contains(t, out, "(QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5)")

	// A classified document: every signature is a finding.
	code, out, _ = runPolicyCmd(t, "", nil, "sequence", "-pdf", signed, "-trust", f.trust, "-classification", "tối mật", "-json")
	assert.Equal(t, exitFailure, code)
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	var rules []string
	for _, x := range rep.Findings {
		rules = append(rules, fmt.Sprintf("%d %s", x.Order, x.Rule))
	}
	assert.Equal(t, []string{"1 VN-CLASSIFIED-NO-DIGITAL-SIGNATURE", "2 VN-CLASSIFIED-NO-DIGITAL-SIGNATURE"}, rules)

	// -signers overrides the guess: calling the first signer an organisation makes
	// the sequence two seals without a person's signature.
	code, out, _ = runPolicyCmd(t, "", nil, "sequence", "-pdf", signed, "-trust", f.trust, "-signers", "organisation,organisation", "-json")
	assert.Equal(t, exitFailure, code)
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.NotEmpty(t, rep.Findings)
	assert.Equal(t, "VN-ORG-SEAL-AFTER-AUTHORITY", rep.Findings[0].Rule)

	// Without trust anchors the signatures are INDETERMINATE: the seal gets a warning,
	// not a violation.
	code, out, _ = runPolicyCmd(t, "", nil, "sequence", "-pdf", signed)
	assert.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "Lưu ý, chữ ký thứ 2")

	// A leader's signature whose CMS cannot be read names no signer: it is no basis
	// for the seal after it.
	data, err := os.ReadFile(signed)
	require.NoError(t, err)
	at := bytes.Index(data, []byte("/Contents <"))
	require.Positive(t, at)
	at += len("/Contents <")
	copy(data[at:], bytes.Repeat([]byte("0"), 64))
	broken := filepath.Join(f.dir, "broken-leader.pdf")
	require.NoError(t, os.WriteFile(broken, data, 0o600))
	code, out, stderr = runPolicyCmd(t, "", nil, "sequence", "-pdf", broken, "-trust", f.trust, "-signers", "individual,organisation", "-json")
	assert.Equal(t, exitFailure, code, stderr)
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	rules = nil
	for _, x := range rep.Findings {
		rules = append(rules, fmt.Sprintf("%d %s", x.Order, x.Rule))
	}
	assert.Contains(t, rules, "2 VN-ORG-SEAL-AFTER-AUTHORITY")

	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-pdf", signed, "-kind", "memo"}, exitUsage, "-kind:"},
		{[]string{"-pdf", signed, "-classification", "secret-ish"}, exitUsage, "-classification:"},
		{[]string{"-pdf", signed, "-signers", "individual,organisation,device"}, exitUsage, "-signers gives 3 kinds"},
		{[]string{"-pdf", signed, "-signers", "robot"}, exitUsage, "-signers:"},
		{[]string{"-pdf", filepath.Join(f.dir, "missing.pdf")}, exitFailure, "missing.pdf"},
		{[]string{"-pdf", signed, "-trust", signed}, exitFailure, "no PEM certificate"},
	} {
		code, out, stderr := runPolicyCmd(t, "", nil, append([]string{"sequence"}, c.args...)...)
		assert.Equal(t, c.code, code, c.args)
		assert.Contains(t, stderr, c.msg, c.args)
		assert.Empty(t, out)
	}
}

// Issue 12, done-when: "kyso policy rules -profile national" names NĐ 68/2024 as
// governing and marks NĐ 130 superseded; a Q. deputy, a subscriber's own request and
// a permitted keeper are allowed with warnings in the national profile; the Hà Tĩnh
// profile still refuses what its own Điều 7 refuses.
func TestPolicyLegalFidelityCLI(t *testing.T) {
	code, out, _ := runPolicyCmd(t, "", nil, "rules", "-profile", "national")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "Văn bản điều chỉnh hiện hành / governing: NĐ 68/2024/NĐ-CP")
	assert.Contains(t, out, "Đã bị thay thế / superseded: NĐ 130/2018/NĐ-CP → NĐ 68/2024/NĐ-CP")
	assert.Contains(t, out, "NĐ 130/2018/NĐ-CP, Điều 9 [đã bị thay thế / superseded]")
	assert.Regexp(t, `VN-CERT-VALID-AT-SIGNING\n.*\n.*\n  căn cứ / basis: NĐ 68/2024/NĐ-CP, Điều 31 k1 \[đã kiểm chứng / verified\]`, out)
	assert.Regexp(t, `VN-KEY-SOLE-CONTROL\n.*\n.*\n  căn cứ / basis: NĐ 68/2024/NĐ-CP, Điều 29 k3 \[đã kiểm chứng / verified\]`, out)
	assert.Contains(t, out, "đối chiếu tại / checked at: https://beta.thuvienphapluat.vn/")
	assert.Contains(t, out, "quy định cấp tỉnh / provincial rule: cảnh báo / a warning")

	for _, ex := range []struct{ name, rule, citation string }{
		{"deputy-acting-signs-q", "VN-AUTHORITY-MARKER-MATCHES-TITLE", "QĐ 19/2020/QĐ-UBND Hà Tĩnh, Điều 7 k4"},
		{"deputy-sign-without-kt", "VN-AUTHORITY-MARKER-MATCHES-TITLE", "QĐ 19/2020/QĐ-UBND Hà Tĩnh, Điều 7 k4"},
		{"subscriber-own-request", "", ""},
		{"keeper-permitted-seals", "VN-ORG-SEAL-BY-CLERK", "QĐ 19/2020/QĐ-UBND Hà Tĩnh, Điều 10 k2"},
	} {
		t.Run(ex.name, func(t *testing.T) {
			_, req, _ := runPolicyCmd(t, "", nil, "check", "-example", ex.name)
			code, out, stderr := runPolicyCmd(t, req, nil, "check", "-profile", "national", "-json")
			require.Equal(t, exitOK, code, stderr)
			var d policyDecisionJSON
			require.NoError(t, json.Unmarshal([]byte(out), &d))
			assert.True(t, d.Allowed)
			if ex.rule == "" {
				return
			}
			var warned bool
			for _, r := range d.Reasons {
				warned = warned || (r.Rule == ex.rule && r.Outcome == "warning")
			}
			assert.True(t, warned, "%s warns in the national profile: %s", ex.rule, out)

			code, out, _ = runPolicyCmd(t, req, nil, "check", "-profile", "ha-tinh", "-json")
			require.NoError(t, json.Unmarshal([]byte(out), &d))
			if ex.name == "keeper-permitted-seals" {
				assert.True(t, d.Allowed, "Hà Tĩnh lets a person assigned in writing seal (Điều 10 k2)")
				return
			}
			assert.Equal(t, exitFailure, code)
			assert.False(t, d.Allowed)
			assert.Equal(t, []string{ex.rule}, d.violated())
			assert.Equal(t, ex.citation, d.Reasons[0].Citation.Text)
		})
	}
}

// A province added from one file at run time changes the deadlines too; an invalid
// file names the field.
func TestPolicyDeadlinesCLI(t *testing.T) {
	code, out, stderr := runPolicyCmd(t, "", nil, "deadlines", "-profile", "quang-ninh", "-period", "2024-12")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "quang-ninh monthly 2024-12: hạn / due 20/12/2024")
	assert.Contains(t, out, "báo cáo / from: Ủy ban nhân dân các huyện, thị xã, thành phố", "before 1/7/2025 the districts report")
	code, out, _ = runPolicyCmd(t, "", nil, "deadlines", "-profile", "quang-ninh", "-period", "2026-12")
	require.Equal(t, exitOK, code)
	assert.NotContains(t, out, "huyện", "no district level after 1/7/2025")
	code, out, _ = runPolicyCmd(t, "", nil, "deadlines", "-profile", "quang-ninh", "-period", "2026-12", "-json")
	require.Equal(t, exitOK, code)
	var dls []struct {
		Report string `json:"report"`
		Due    string `json:"due"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &dls))
	require.Len(t, dls, 2)
	assert.Equal(t, "monthly", dls[0].Report)
	assert.Equal(t, "2026-12-21T00:00:00Z", dls[0].Due)

	dir := t.TempDir()
	file := filepath.Join(dir, "thu-nghiem.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"id": "thu-nghiem", "name": "Tỉnh Thử Nghiệm", "extends": "national",
	  "instrument": "QĐ 7/2026/QĐ-UBND Thử Nghiệm",
	  "instruments": [{"short": "QĐ 7/2026/QĐ-UBND Thử Nghiệm", "title": "Quy chế (thử nghiệm)", "scope": "provincial", "source": "agency"}],
	  "reports": [{"period": "quarterly", "due_date": {"month_offset": 1, "day": 5}, "shift": "next-working-day",
	    "citation": {"instrument": "QĐ 7/2026/QĐ-UBND Thử Nghiệm", "article": "9", "source": "agency"}}]}`), 0o600))
	code, out, stderr = runPolicyCmd(t, "", nil, "deadlines", "-profile-file", file, "-period", "2026-09")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "thu-nghiem quarterly 2026-Q3: hạn / due 05/10/2026")
	assert.Contains(t, out, "căn cứ / basis: QĐ 7/2026/QĐ-UBND Thử Nghiệm, Điều 9")

	require.NoError(t, os.WriteFile(file, []byte(`{"id": "thu-nghiem", "name": "X", "extends": "national", "period": {"from": "1/7/2025", "note": "n"}}`), 0o600))
	code, _, stderr = runPolicyCmd(t, "", nil, "profiles", "-profile-file", file)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr, "invalid profile thu-nghiem: period.from")
	code, _, stderr = runPolicyCmd(t, "", nil, "deadlines", "-profile", "quang-ninh", "-period", "2026-13")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "bad reporting period")
}

// Review of issue 12: a file that replaces a built-in profile says so on stderr (the
// replacement still applies); a citation's status is marked in `policy rules`: a
// verified one (checked against the decree's text on the web) as a superseded one is.
func TestPolicyProfileFileReplacesBuiltin(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ht.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"id": "ha-tinh", "name": "Hà Tĩnh (sửa)", "extends": "national"}`), 0o600))
	_, req, _ := runPolicyCmd(t, "", nil, "check", "-example", "deputy-acting-signs-q")
	code, _, stderr := runPolicyCmd(t, req, nil, "check", "-profile-file", file, "-json")
	assert.Equal(t, exitOK, code, "the agency's Hà Tĩnh file binds no title rule")
	assert.Contains(t, stderr, `the file replaces the built-in profile "ha-tinh"`)
	assert.Contains(t, stderr, "thay thế hồ sơ có sẵn “ha-tinh”")

	added := filepath.Join(dir, "new.json")
	require.NoError(t, os.WriteFile(added, []byte(`{"id": "thu-nghiem", "name": "Thử nghiệm", "extends": "national"}`), 0o600))
	code, _, stderr = runPolicyCmd(t, req, nil, "check", "-profile-file", added, "-json")
	assert.Equal(t, exitOK, code)
	assert.NotContains(t, stderr, "replaces")

	code, out, _ := runPolicyCmd(t, "", nil, "rules", "-profile", "national")
	require.Equal(t, exitOK, code)
	assert.Regexp(t, `căn cứ / basis: NĐ 68/2024/NĐ-CP, Điều 31 k1 \[đã kiểm chứng / verified\]`, out)
}
