package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/layout/layouttest"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

const demoUsage = `usage: kyso demo [-dir DIR]

Shows what kyso is for, in a few seconds, with nothing but Go and no network beyond
127.0.0.1:

 1. starts a test PKI shaped like the VGCA's (TEST ONLY) with its OCSP, CRL and
    time-stamping servers on 127.0.0.1, and stops it at the end;
 2. renders a Vietnamese administrative letter (Thông tư 185/2019/TT-BQP Mẫu 02) of
    the People's Committee of Quảng Ninh with the forms package;
 3. checks with the policy engine that the chairman may sign it, and signs it visibly
    in the letter's signature box (PAdES B-LT, RSASSA-PSS, SHA-256);
 4. checks with the policy engine that the clerk (văn thư) may now apply the
    organisation's signature (Nghị định 30/2020/NĐ-CP Điều 32), and applies it over
    the left third of the chairman's signature;
 5. verifies both signatures with the test root trusted.

It writes to DIR:

  van-ban-goc.pdf          the letter before signing
  chu-ky.png, con-dau.png  the signature and seal images drawn for the demo (TEST ONLY)
  van-ban-lanh-dao-ky.pdf  stage 1: signed by the chairman (lãnh đạo)
  van-ban-da-ky.pdf        stage 2: and by the organisation (applied by the văn thư)
  root-test.pem            the test root certificate to trust (TEST ONLY)
  chinh-sach.json          the two policy decisions, with their citations
  bao-cao-xac-minh.txt     the verification report, in Vietnamese
  bao-cao-xac-minh.json    the same report as JSON
  README.txt               what was done and how to check it
`

const demoExitCodes = `
exit status: 0 written and verified, 1 failure (e.g. DIR not writable, or a check
that did not pass), 2 usage error
`

// Files written by the demo.
const (
	demoUnsignedName   = "van-ban-goc.pdf"
	demoLeaderName     = "van-ban-lanh-dao-ky.pdf"
	demoSignedName     = "van-ban-da-ky.pdf"
	demoRootName       = "root-test.pem"
	demoPolicyName     = "chinh-sach.json"
	demoReportName     = "bao-cao-xac-minh.txt"
	demoReportJSONName = "bao-cao-xac-minh.json"
	demoReadmeName     = "README.txt"
	demoSignatureName  = "chu-ky.png"
	demoSealName       = "con-dau.png"
)

// demoSealMM is the diameter of the demo's seal, as a provincial People's Committee's.
const demoSealMM = 36

// demoICT is Vietnam's time zone (UTC+7), in which signing times are shown.
var demoICT = time.FixedZone("ICT", 7*3600)

// The demo's signature fields.
const (
	demoLeaderField = "Chữ ký lãnh đạo"
	demoOrgField    = "Chữ ký cơ quan"
)

func runDemo(ctx context.Context, c *cli, args []string) int {
	fs := newCmdFlags(c, "kyso demo", demoUsage, demoExitCodes)
	dir := fs.String("dir", "kyso-demo", "output `directory` (created when missing)")
	if code, ok := fs.parse(args, false); !ok {
		return code
	}
	if err := demo(ctx, c, *dir); err != nil {
		fmt.Fprintln(c.stderr, "kyso demo:", err)
		return exitFailure
	}
	return exitOK
}

// demoResult is everything the demo produced, written only once all of it is made.
type demoResult struct {
	now                 time.Time
	letter              *demoLetter
	leaderName, orgName string
	root                []byte
	stage1, stage2      []byte
	leader, clerk       *demoStep
	res1, res2          *signature.SignResult
	report              *signature.Report
	// The images and where layout placed them.
	signaturePNG, sealPNG []byte
	signer, seal          *layout.Placement
}

func demo(ctx context.Context, c *cli, dir string) error {
	fmt.Fprintln(c.stdout, "kyso demo: starting the test PKI (VGCA-shaped, TEST ONLY) on 127.0.0.1 ...")
	pki, err := certstatustest.NewServer(certstatustest.Options{})
	if err != nil {
		return fmt.Errorf("starting the test PKI: %w", err)
	}
	defer pki.Close()
	// Requests go to the test PKI on 127.0.0.1 only, never through a proxy.
	transport := &http.Transport{Proxy: nil}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}

	r, err := demoRun(ctx, c.stdout, pki, client)
	if err != nil {
		return err
	}
	return demoWrite(c.stdout, dir, r)
}

// demoRun makes the letter and both signatures and verifies them, in memory.
func demoRun(ctx context.Context, out io.Writer, pki *certstatustest.PKI, client *http.Client) (*demoResult, error) {
	vn := demoICT
	now := time.Now().In(vn).Truncate(time.Second)
	leader, org := pki.Leader, pki.Org
	r := &demoResult{now: now, root: pki.Root.CertPEM(), leaderName: leader.Cert.Subject.CommonName, orgName: org.Cert.Subject.CommonName}
	letter, err := demoRenderLetter(leader.Cert.Subject.CommonName, now)
	if err != nil {
		return nil, err
	}
	r.letter = letter
	fmt.Fprintf(out, "kyso demo: rendered %q (%s, %d bytes); signature box on page %d\n",
		letter.Title, demoFormID, len(letter.PDF), letter.Box.Page)

	pol, err := newDemoPolicy()
	if err != nil {
		return nil, err
	}
	trust := certstatus.NewTrustStore(pki.Root.Cert)
	checker := certstatus.NewChecker(certstatus.Options{Trust: trust, HTTPClient: client, Timeout: 10 * time.Second})
	level := (&kyso.Services{TSAURL: pki.TSAURL, Checker: checker, HTTPClient: client, Timeout: 10 * time.Second}).Level(signature.LevelBLT)
	check := &kyso.VerifyOptions{Trust: trust, Offline: true}
	verify := func(doc []byte) (*signature.Report, error) {
		return kyso.Verify(ctx, bytes.NewReader(doc), int64(len(doc)), check)
	}

	// Stage 1: the person with authority (người có thẩm quyền) signs: his handwritten
	// signature image between his title and his name, where layout finds them.
	status := checker.Check(ctx, leader.Cert, pki.CA.Cert, now)
	r.leader = pol.leader(kyso.CertificateStatus(status.Status))
	r.signaturePNG, r.sealPNG = layouttest.SignaturePNG(300), layouttest.SealPNG(demoSealMM, 300)
	var stage1 bytes.Buffer
	signed1, err := kyso.Sign(ctx, &stage1, bytes.NewReader(letter.PDF), int64(len(letter.PDF)), kyso.NewSigner(leader.Key, leader.Chain...), &kyso.SignOptions{Signature: signature.SignOptions{
		Time: now, Hash: crypto.SHA256,
		Name: leader.Cert.Subject.CommonName, Reason: "Ký ban hành văn bản", Location: "Quảng Ninh",
		ContactInfo: firstOf(leader.Cert.EmailAddresses),
		NewField:    demoLeaderField,
		Level:       level,
	}, Policy: r.leader.policy, Placement: &layout.Spec{
		Kind: layout.Signer, Image: r.signaturePNG, SignerTitle: demoSignerTitle, SignerName: r.leaderName}})
	if err != nil {
		return nil, r.leader.explain(err)
	}
	r.res1, r.signer = signed1.SignResult, signed1.Placement
	r.stage1 = stage1.Bytes()
	demoPrintStep(out, "1", r.leader, r.res1, status)
	rep1, err := verify(r.stage1)
	if err != nil {
		return nil, fmt.Errorf("verifying stage 1: %w", err)
	}
	if !rep1.AllPassed() {
		return nil, fmt.Errorf("stage 1 does not verify: %s", demoIndications(rep1))
	}

	// Stage 2: the clerk (văn thư) applies the organisation's signature, after the
	// leader's: its signing time must come after the leader's time-stamp.
	if err := demoNextSecond(ctx); err != nil {
		return nil, err
	}
	now2 := time.Now().In(vn).Truncate(time.Second)
	status = checker.Check(ctx, org.Cert, pki.CA.Cert, now2)
	r.clerk = pol.clerk(kyso.CertificateStatus(status.Status), rep1, check)
	// The seal at its real size over the left third of the chairman's signature,
	// which layout finds in stage 1.
	var stage2 bytes.Buffer
	signed2, err := kyso.Sign(ctx, &stage2, bytes.NewReader(r.stage1), int64(len(r.stage1)), kyso.NewSigner(org.Key, org.Chain...), &kyso.SignOptions{Signature: signature.SignOptions{
		Time: now2, Hash: crypto.SHA256,
		Name: org.Cert.Subject.CommonName, Reason: "Văn thư ký số của cơ quan (Nghị định 30/2020/NĐ-CP Điều 32)",
		Location: "Quảng Ninh", ContactInfo: firstOf(org.Cert.EmailAddresses),
		NewField: demoOrgField,
		Level:    level,
	}, Policy: r.clerk.policy, Placement: &layout.Spec{
		Kind: layout.Seal, Image: r.sealPNG, SignerTitle: demoSignerTitle, SignerName: r.leaderName}})
	if err != nil {
		return nil, r.clerk.explain(err)
	}
	r.res2, r.seal = signed2.SignResult, signed2.Placement
	r.stage2 = stage2.Bytes()
	demoPrintStep(out, "2", r.clerk, r.res2, status)
	if r.clerk.Decision != nil && r.clerk.Decision.Placement != policy.PlacementSeal {
		return nil, fmt.Errorf("the policy placed the organisation's signature as %q, not as a seal", r.clerk.Decision.Placement)
	}

	// Verification of the final document, offline, with the test root trusted.
	if r.report, err = verify(r.stage2); err != nil {
		return nil, fmt.Errorf("verifying stage 2: %w", err)
	}
	fmt.Fprintf(out, "kyso demo: verified %s offline with the test root trusted: %s\n", demoSignedName, demoIndications(r.report))
	return r, nil
}

// demoNextSecond waits for the next whole second, so that the next signing time (in
// whole seconds in /M) cannot precede what was just signed and time-stamped.
func demoNextSecond(ctx context.Context) error {
	t := time.NewTimer(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// demoPrintStep prints a signature made and the policy decision that allowed it.
func demoPrintStep(out io.Writer, n string, s *demoStep, res *signature.SignResult, status certstatus.Result) {
	fmt.Fprintf(out, "kyso demo: stage %s, %s: signed field %q at %s (%s, RSASSA-PSS, SHA-256); certificate status: %s / %s\n",
		n, s.Name, res.Field, demoLevel(res), res.Time.Format(time.RFC3339), status.Status.Vietnamese(), status.Status)
	if s.Decision == nil {
		return
	}
	d := s.Decision
	fmt.Fprintf(out, "  chính sách / policy %s: được phép / allowed, vị trí / placement %s (%s)\n", d.Profile, d.Placement, d.Placement.Vietnamese())
	for _, r := range s.reasons() {
		fmt.Fprintf(out, "    [%s, %s] %s\n      %s\n      căn cứ / basis: %s\n", r.Rule, r.Outcome, r.MessageVI, r.MessageEN, demoCitations(r))
	}
}

// demoIndications lists each signature's field and indication.
func demoIndications(rep *signature.Report) string {
	var b bytes.Buffer
	for i, s := range rep.Signatures {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%q %s", s.Field, s.Indication)
		if s.SubIndication != "" {
			fmt.Fprintf(&b, "/%s", s.SubIndication)
		}
		fmt.Fprintf(&b, " (%s)", s.Level)
	}
	return b.String()
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// demoWrite writes every output file, each atomically, then says where they are.
func demoWrite(out io.Writer, dir string, r *demoResult) error {
	decisions, err := json.MarshalIndent(map[string]any{
		"profile": demoProfileID,
		"leader":  r.leader.Decision,
		"clerk":   r.clerk.Decision,
	}, "", "  ")
	if err != nil {
		return err
	}
	reportJSON, err := json.MarshalIndent(r.report, "", "  ")
	if err != nil {
		return err
	}
	var reportText bytes.Buffer
	if err := r.report.WriteText(&reportText, "vi"); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := []struct {
		name string
		data []byte
	}{
		{demoUnsignedName, r.letter.PDF},
		{demoSignatureName, r.signaturePNG},
		{demoSealName, r.sealPNG},
		{demoLeaderName, r.stage1},
		{demoSignedName, r.stage2},
		{demoRootName, r.root},
		{demoPolicyName, append(decisions, '\n')},
		{demoReportName, reportText.Bytes()},
		{demoReportJSONName, append(reportJSON, '\n')},
		{demoReadmeName, []byte(demoReadme(dir, r))},
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := writeFileAtomic(p, func(w io.Writer) error { _, err := w.Write(f.data); return err }); err != nil {
			return err
		}
		fmt.Fprintln(out, "  wrote", p)
	}
	fmt.Fprintf(out, "check it: pdfsig %s   (see %s)\n", filepath.Join(dir, demoSignedName), filepath.Join(dir, demoReadmeName))
	if !r.report.AllPassed() {
		return fmt.Errorf("the signed document does not verify: %s (see %s)", demoIndications(r.report), filepath.Join(dir, demoReportName))
	}
	return nil
}
