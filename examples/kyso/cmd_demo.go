package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
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

Shows every case of Nghị định 30/2020/NĐ-CP Phụ lục I that kyso places with package
layout, in a few seconds, with nothing but Go and no network beyond 127.0.0.1:

 1. checks that DIR is a directory it can write in (before anything else), then starts
    a test PKI shaped like the VGCA's (TEST ONLY) with its OCSP, CRL and time-stamping
    servers on 127.0.0.1, and stops it at the end;
 2. renders a Vietnamese administrative letter (Nghị định 68/2024/NĐ-CP Mẫu số 01) of
    the People's Committee of Quảng Ninh with the forms package;
 3. the leader (người có thẩm quyền): the policy engine allows the chairman to sign,
    and his blue signature goes between his title (ô 7a) and name (ô 7b) — PAdES B-LT,
    RSASSA-PSS, SHA-256;
 4. the clerk (văn thư): after the policy verified the chairman's signature (Nghị
    định 30/2020 Điều 32), the organisation's red seal at its real size over the left
    third of his signature (ô 8);
 5. a separate appendix (phụ lục, tệp riêng) signed by the organisation with the
    attachment stamp "Số: …; time" at the top right of page 1, no image;
 6. an electronic copy: a paper page scanned at 200 dpi (drawn for the demo) as an
    image-only PDF, signed by the organisation with the copy stamp "SAO Y; …; time"
    at ô 14;
 7. the issued letter extended to PAdES B-LTA (a document time-stamp) for archiving;
 8. every signed output verified (the test root trusted) and checked against the NĐ 30
    layout rules; PNG pictures of the signed pages when pdftoppm is installed.

It writes to DIR:

  van-ban-goc.pdf          the letter before signing
  chu-ky.png, con-dau.png  the signature and seal images drawn for the demo (TEST ONLY)
  van-ban-lanh-dao-ky.pdf  signed by the chairman (lãnh đạo)
  van-ban-da-ky.pdf        and by the organisation (applied by the văn thư)
  phu-luc.pdf              the appendix, a separate file, before signing
  phu-luc-da-ky.pdf        the appendix with the organisation's attachment stamp
  ban-giay-so-hoa.pdf      the scanned paper page (image only, 200 dpi)
  ban-sao-y.pdf            its electronic copy with the SAO Y stamp
  van-ban-luu-tru.pdf      the issued letter at PAdES B-LTA
  *-trang-N.png            pictures of the signed pages (with pdftoppm)
  root-test.pem            the test root certificate to trust (TEST ONLY)
  chinh-sach.json          the policy decisions, with their citations
  bao-cao-xac-minh.txt     the verification report of van-ban-da-ky.pdf, in Vietnamese
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
	demoAppendixName   = "phu-luc.pdf"
	demoAnnexSigned    = "phu-luc-da-ky.pdf"
	demoScanName       = "ban-giay-so-hoa.pdf"
	demoCopyName       = "ban-sao-y.pdf"
	demoArchiveName    = "van-ban-luu-tru.pdf"
)

// demoSealMM is the diameter of the demo's seal, as a provincial People's Committee's.
const demoSealMM = 36

// demoICT is Vietnam's time zone (UTC+7), in which signing times are shown.
var demoICT = time.FixedZone("ICT", 7*3600)

// The demo's signature fields.
const (
	demoLeaderField = "Chữ ký lãnh đạo"
	demoOrgField    = "Chữ ký cơ quan"
	demoAnnexField  = "Chữ ký cơ quan trên phụ lục"
	demoCopyField   = "Chữ ký cơ quan trên bản sao"
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
	// The appendix in a separate file and the electronic copy of a scanned page, each
	// signed by the organisation with its stamp, and the letter at B-LTA.
	appendix, annexSigned []byte
	scan, copySigned      []byte
	archive               []byte
	annex, copier         *demoStep
	res3, res4            *signature.SignResult
	annexAt, copyAt       *layout.Placement
	// checked lists each signed output with its verdicts.
	checked []demoChecked
}

// demoChecked is one signed output and what the checks found.
type demoChecked struct {
	name        string
	page        int // the page the signatures are on, for its picture
	indications string
	layout      []string // NĐ 30 rules of severity error broken (none: conforming)
}

func demo(ctx context.Context, c *cli, dir string) error {
	// The output directory is checked before any work.
	if err := demoCheckDir(dir); err != nil {
		return err
	}
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
	return demoWrite(ctx, c.stdout, dir, r)
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

	// Stage 3: the appendix, in a separate file, gets the organisation's signature with
	// the attachment stamp (NĐ 30/2020 Phụ lục I mục II k8 b).
	if r.appendix, err = demoRenderAppendix(demoLetterNumber, now); err != nil {
		return nil, err
	}
	r.annex = pol.attachment(kyso.CertificateStatus(status.Status))
	r.annexAt, err = layout.Place(ctx, bytes.NewReader(r.appendix), int64(len(r.appendix)), layout.Spec{Kind: layout.Attachment, DocNumber: demoLetterNumber})
	if err != nil {
		return nil, fmt.Errorf("placing the attachment stamp: %w", err)
	}
	if r.annexSigned, r.res3, err = demoSignOrg(ctx, r.appendix, org.Key, org.Chain, r.annexAt, demoAnnexField, "Ký số phụ lục kèm theo văn bản (tệp riêng)", level, r.annex); err != nil {
		return nil, err
	}
	demoPrintStep(out, "3", r.annex, r.res3, status)

	// Stage 4: a paper page scanned at 200 dpi becomes an electronic copy (SAO Y) signed
	// by the organisation with the copy stamp at ô 14.
	if r.scan, err = demoScannedPDF(now); err != nil {
		return nil, fmt.Errorf("digitising the paper page: %w", err)
	}
	r.copier = pol.copier(kyso.CertificateStatus(status.Status))
	r.copyAt, err = layout.Place(ctx, bytes.NewReader(r.scan), int64(len(r.scan)), layout.Spec{Kind: layout.Copy, CopyForm: layout.CopyExact, OrgName: demoCopyingOrg})
	if err != nil {
		return nil, fmt.Errorf("placing the copy stamp: %w", err)
	}
	if r.copySigned, r.res4, err = demoSignOrg(ctx, r.scan, org.Key, org.Chain, r.copyAt, demoCopyField, "Sao y bản chính (bản sao điện tử)", level, r.copier); err != nil {
		return nil, err
	}
	demoPrintStep(out, "4", r.copier, r.res4, status)

	// Stage 5: the issued letter extended to B-LTA for archiving.
	if err := demoNextSecond(ctx); err != nil {
		return nil, err
	}
	services := &kyso.Services{TSAURL: pki.TSAURL, Checker: checker, HTTPClient: client, Timeout: 10 * time.Second}
	var archive bytes.Buffer
	if _, err := signature.Extend(ctx, &archive, bytes.NewReader(r.stage2), int64(len(r.stage2)), services.Extend(true)); err != nil {
		return nil, fmt.Errorf("extending to B-LTA: %w", err)
	}
	r.archive = archive.Bytes()
	fmt.Fprintf(out, "kyso demo: stage 5, lưu trữ / archive: %s extended to PAdES B-LTA (validation data and a document time-stamp)\n", demoArchiveName)

	// Verification of the final document, offline, with the test root trusted.
	if r.report, err = verify(r.stage2); err != nil {
		return nil, fmt.Errorf("verifying stage 2: %w", err)
	}
	fmt.Fprintf(out, "kyso demo: verified %s offline with the test root trusted: %s\n", demoSignedName, demoIndications(r.report))

	// Every signed output: kyso's verifier and the NĐ 30 layout rules.
	for _, o := range []struct {
		name string
		doc  []byte
		page int
	}{
		{demoLeaderName, r.stage1, r.signer.Page},
		{demoSignedName, r.stage2, r.signer.Page},
		{demoAnnexSigned, r.annexSigned, r.annexAt.Page},
		{demoCopyName, r.copySigned, r.copyAt.Page},
		{demoArchiveName, r.archive, r.signer.Page},
	} {
		rep, err := verify(o.doc)
		if err != nil {
			return nil, fmt.Errorf("verifying %s: %w", o.name, err)
		}
		broken, err := demoLayoutVerdict(ctx, o.doc)
		if err != nil {
			return nil, fmt.Errorf("checking the layout of %s: %w", o.name, err)
		}
		r.checked = append(r.checked, demoChecked{name: o.name, page: o.page, indications: demoIndications(rep), layout: broken})
		verdict := "ĐẠT / CONFORMING"
		if len(broken) > 0 {
			verdict = "KHÔNG ĐẠT / NOT CONFORMING: " + strings.Join(broken, ", ")
		}
		fmt.Fprintf(out, "kyso demo: checked %s: %s; NĐ 30 layout: %s\n", o.name, demoIndications(rep), verdict)
		if !rep.AllPassed() || len(broken) > 0 {
			return nil, fmt.Errorf("%s does not pass its checks: %s; layout: %s", o.name, demoIndications(rep), verdict)
		}
	}
	return r, nil
}

// demoSignOrg signs doc with the organisation's key at the placement p, after the
// policy step allows it, at the next whole second.
func demoSignOrg(ctx context.Context, doc []byte, key crypto.Signer, chain []*x509.Certificate, p *layout.Placement, field, reason string, level *signature.LevelOptions, step *demoStep) ([]byte, *signature.SignResult, error) {
	if err := demoNextSecond(ctx); err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	res, err := kyso.Sign(ctx, &b, bytes.NewReader(doc), int64(len(doc)), kyso.NewSigner(key, chain...), &kyso.SignOptions{Signature: signature.SignOptions{
		Time: time.Now().In(demoICT).Truncate(time.Second), Hash: crypto.SHA256,
		Name: chain[0].Subject.CommonName, Reason: reason, Location: "Quảng Ninh",
		NewField: field, Widget: &signature.Widget{Page: p.Page, Rect: p.Rect, Appearance: p}, Level: level,
	}, Policy: step.policy})
	if err != nil {
		return nil, nil, step.explain(err)
	}
	return b.Bytes(), res.SignResult, nil
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
		if s.Level != "" {
			fmt.Fprintf(&b, " (%s)", s.Level)
		}
	}
	return b.String()
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// demoWrite writes every output file, each atomically, then the pictures of the
// signed pages (with pdftoppm), then says where they are.
func demoWrite(ctx context.Context, out io.Writer, dir string, r *demoResult) error {
	decisions, err := json.MarshalIndent(map[string]any{
		"profile":  demoProfileID,
		"leader":   r.leader.Decision,
		"clerk":    r.clerk.Decision,
		"appendix": r.annex.Decision,
		"copy":     r.copier.Decision,
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
		{demoAppendixName, r.appendix},
		{demoAnnexSigned, r.annexSigned},
		{demoScanName, r.scan},
		{demoCopyName, r.copySigned},
		{demoArchiveName, r.archive},
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
	for _, o := range r.checked {
		png, err := demoRender(ctx, filepath.Join(dir, o.name), o.page)
		if err != nil {
			return err
		}
		if png == "" {
			fmt.Fprintln(out, "  (pdftoppm not installed: no pictures of the signed pages)")
			break
		}
		fmt.Fprintln(out, "  wrote", png)
	}
	fmt.Fprintf(out, "check it: pdfsig %s   (see %s)\n", filepath.Join(dir, demoSignedName), filepath.Join(dir, demoReadmeName))
	if !r.report.AllPassed() {
		return fmt.Errorf("the signed document does not verify: %s (see %s)", demoIndications(r.report), filepath.Join(dir, demoReportName))
	}
	return nil
}
