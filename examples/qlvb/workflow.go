package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
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
	"github.com/kyso-go/kyso/forms"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/layout/layouttest"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// Files the workflow writes into the output directory.
const (
	fileDraft       = "1-du-thao-quyet-dinh.pdf"
	fileDraftAnnex  = "1-du-thao-phu-luc.pdf"
	fileLeader      = "2-lanh-dao-da-ky.pdf"
	fileClerk       = "3-van-thu-da-ky.pdf"
	fileIssued      = "4-ban-hanh-quyet-dinh.pdf"
	fileIssuedAnnex = "4-ban-hanh-phu-luc.pdf"
	fileScan        = "4-ban-giay-so-hoa.pdf"
	fileCopy        = "4-ban-sao-y.pdf"
	fileRoot        = "root-test.pem"
	dirBatchIn      = "lo-van-ban"
	dirBatchOut     = "lo-da-ky"
)

// sealMM is the real diameter of the People's Committee's seal.
const sealMM = 36

// copyingOrg is the copying organisation written in the SAO Y stamp.
const copyingOrg = "Ủy ban nhân dân tỉnh Quảng Ninh"

// vn is Vietnam's time zone.
var vn = time.FixedZone("ICT", 7*3600)

// env is what every step shares.
type env struct {
	c        *config
	out, log io.Writer
	pki      *certstatustest.PKI
	checker  *certstatus.Checker
	level    *signature.LevelOptions
	services *kyso.Services
	verify   *kyso.VerifyOptions
	engine   *policy.Engine
	reg      *forms.Registry
	tok      *leaderToken
	leader   kyso.Signer
	org      kyso.Signer
	sigPNG   []byte
	sealPNG  []byte
	// signed lists the signed outputs, relative to the directory, for step 7.
	signed []string
}

// step prints a step's Vietnamese and English names.
func (e *env) step(n int, vi, en string) {
	fmt.Fprintf(e.out, "\n== Bước %d: %s / Step %d: %s ==\n", n, vi, n, en)
}

func (e *env) path(name string) string { return filepath.Join(e.c.dir, name) }

// workflow runs the seven steps.
func workflow(ctx context.Context, c *config, out, log io.Writer) error {
	// The output directory is checked before anything else is done.
	if err := checkOutputDir(c.dir); err != nil {
		return err
	}
	e := &env{c: c, out: out, log: log}
	fmt.Fprintln(out, "QLVB — quy trình văn bản điện tử với kyso / a document workflow with kyso (TEST ONLY)")

	e.step(0, "Chuẩn bị hạ tầng thử nghiệm", "test infrastructure")
	pki, err := certstatustest.NewServer(certstatustest.Options{})
	if err != nil {
		return fmt.Errorf("khởi động PKI thử nghiệm / starting the test PKI: %w", err)
	}
	defer pki.Close()
	e.pki = pki
	transport := &http.Transport{Proxy: nil} // 127.0.0.1 only, never through a proxy
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}
	fmt.Fprintf(out, "  PKI thử nghiệm (OCSP, CRL, TSA) / test PKI on %s\n", pki.URL)
	if e.tok, err = openLeaderToken(ctx, c, pki); err != nil {
		return err
	}
	defer e.tok.Close()
	fmt.Fprintf(out, "  khóa của lãnh đạo / the leader's key: %s, key %q, certificate %q\n",
		e.tok.where, e.tok.signer.Info().Label, e.tok.signer.Certificate().Subject.CommonName)
	fmt.Fprintf(out, "  đăng nhập thiết bị / token login: %d lần nhập PIN / PIN entry\n", e.tok.pinEntries.Load())

	trust := certstatus.NewTrustStore(append([]*x509Cert{pki.Root.Cert}, e.tok.trust...)...)
	e.checker = certstatus.NewChecker(certstatus.Options{Trust: trust, HTTPClient: client, Timeout: 10 * time.Second})
	e.services = &kyso.Services{TSAURL: pki.TSAURL, Checker: e.checker, HTTPClient: client, Timeout: 10 * time.Second,
		ContinueWithoutRevocation: c.module != ""}
	e.level = e.services.Level(signature.LevelBLT)
	e.verify = &kyso.VerifyOptions{Trust: trust, Offline: true, AllowMissingRevocation: c.module != ""}
	profile, err := policy.BuiltinProfiles().Lookup("quang-ninh")
	if err != nil {
		return err
	}
	if e.engine, err = policy.New(policy.Options{Profile: profile}); err != nil {
		return err
	}
	if e.reg, err = registry(); err != nil {
		return err
	}
	e.leader = e.tok.signer
	e.org = kyso.NewSigner(pki.Org.Key, pki.Org.Chain...)
	e.sigPNG, e.sealPNG = layouttest.SignaturePNG(300), layouttest.SealPNG(sealMM, 300)
	if err := writeFile(e.path(fileRoot), pki.Root.CertPEM()); err != nil {
		return err
	}

	drafts, err := e.draft()
	if err != nil {
		return err
	}
	if err := e.issue(ctx, drafts); err != nil {
		return err
	}
	if err := e.refusals(ctx, drafts); err != nil {
		return err
	}
	if err := e.batch(ctx); err != nil {
		return err
	}
	return e.check(ctx)
}

type x509Cert = x509.Certificate

// drafts are the documents of step 1.
type drafts struct {
	decision, appendix []byte
	number             string
}

// draft is step 1: the decision and its appendix, rendered by package forms.
func (e *env) draft() (*drafts, error) {
	e.step(1, "Dự thảo văn bản", "drafting")
	now := time.Now().In(vn)
	d := mainDecision()
	dec, err := renderDecision(e.reg, d, e.leaderName(), now)
	if err != nil {
		return nil, err
	}
	annex, err := renderAppendix(e.reg, d.Number, now)
	if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{fileDraft, dec}, {fileDraftAnnex, annex}} {
		if err := writeFile(e.path(f.name), f.data); err != nil {
			return nil, err
		}
		fmt.Fprintf(e.out, "  %s (%d bytes)\n", e.path(f.name), len(f.data))
	}
	fmt.Fprintf(e.out, "  Quyết định số %s %s, kèm phụ lục trong tệp riêng / with its appendix in a separate file\n", d.Number, d.Subject)
	return &drafts{decision: dec, appendix: annex, number: d.Number}, nil
}

func (e *env) leaderName() string { return e.leader.Certificate().Subject.CommonName }

// facts are the policy facts of one signature.
type facts struct {
	policy.Request
	verify bool // verify the signatures already there before deciding
}

// leaderFacts: the chairman signs as the person with authority, on behalf of the
// committee (TM.), with his individual certificate.
func (e *env) leaderFacts(doc policy.Document) facts {
	return facts{Request: policy.Request{Role: policy.RoleAuthority, Document: doc,
		Markers: []policy.AuthorityMarker{policy.MarkerOnBehalfOf}, PrintedTitle: leaderTitle}}
}

// clerkFacts: the clerk (văn thư) applies the organisation signature; the leader's
// signature in the document was made on behalf of the committee (TM.), which the PDF
// does not show.
func (e *env) clerkFacts(doc policy.Document, leaderSigned bool) facts {
	f := facts{Request: policy.Request{Role: policy.RoleClerk, Document: doc}, verify: true}
	if leaderSigned {
		f.Existing = []policy.ExistingSignature{{Order: 1, Markers: []policy.AuthorityMarker{policy.MarkerOnBehalfOf}}}
	}
	return f
}

// signed is one signature made.
type signed struct {
	pdf      []byte
	res      *kyso.SignResult
	place    *layout.Placement
	decision *policy.Decision
}

// sign places the visible signature spec asks for (nil: invisible), asks the policy
// with f and signs in with s at B-LT. With wait, the signing time is the next whole
// second, so it cannot precede a signature or time-stamp already in the document.
// Nothing is returned but the error (and the decision) when the policy refuses.
func (e *env) sign(ctx context.Context, in []byte, s kyso.Signer, spec *layout.Spec, f facts, field, reason string, wait bool) (*signed, error) {
	if wait {
		if err := nextSecond(ctx); err != nil {
			return nil, err
		}
	}
	now := time.Now().In(vn).Truncate(time.Second)
	out := &signed{}
	opts := signature.SignOptions{Time: now, Hash: crypto.SHA256, Name: s.Certificate().Subject.CommonName,
		Reason: reason, Location: "Quảng Ninh", NewField: field, Level: e.level}
	if spec != nil {
		p, err := layout.Place(ctx, bytes.NewReader(in), int64(len(in)), *spec)
		if err != nil {
			return nil, fmt.Errorf("đặt vị trí chữ ký / placing the signature (%s): %w", spec.Kind, err)
		}
		out.place = p
		opts.Widget = &signature.Widget{Page: p.Page, Rect: p.Rect, Appearance: p}
	}
	req := f.Request
	if len(s.Chain()) > 0 {
		st := e.checker.Check(ctx, s.Certificate(), s.Chain()[0], now)
		req.Certificate.Status = kyso.CertificateStatus(st.Status)
	}
	pol := &kyso.Policy{Engine: e.engine, Facts: req, Decided: func(d policy.Decision) { out.decision = &d }}
	if f.verify {
		pol.Verify = e.verify
	}
	var b bytes.Buffer
	res, err := kyso.Sign(ctx, &b, bytes.NewReader(in), int64(len(in)), s, &kyso.SignOptions{Signature: opts, Policy: pol})
	if err != nil {
		if b.Len() != 0 {
			return out, fmt.Errorf("kyso.Sign wrote %d bytes before failing", b.Len())
		}
		return out, err
	}
	out.pdf, out.res = b.Bytes(), res
	return out, nil
}

// report prints a signature made: field, place, level and the decision.
func (e *env) report(name string, s *signed) {
	lvl := signature.LevelBB
	if s.res.Level != nil {
		lvl = s.res.Level.Level
	}
	fmt.Fprintf(e.out, "  %s: trường / field %q, PAdES %s, %s\n", e.path(name), s.res.Field, lvl, s.res.Time.In(vn).Format(time.RFC3339))
	if p := s.place; p != nil {
		fmt.Fprintf(e.out, "    layout: %s, trang / page %d, [%.1f %.1f %.1f %.1f]\n", p.Kind, p.Page, p.Rect[0], p.Rect[1], p.Rect[2], p.Rect[3])
		for _, w := range p.Warnings {
			fmt.Fprintf(e.out, "    cảnh báo / warning: %s\n", w)
		}
	}
	if d := s.decision; d != nil {
		fmt.Fprintf(e.out, "    chính sách / policy %s: được phép / allowed, vị trí / placement %s (%s)\n", d.Profile, d.Placement, d.Placement.Vietnamese())
		for _, r := range d.Warnings() {
			fmt.Fprintf(e.out, "    cảnh báo / warning [%s]: %s\n", r.Rule, r.MessageVI)
		}
	}
}

// issue is steps 2 to 4: the leader signs, the clerk seals, the decision is issued
// with its appendix and an electronic copy.
func (e *env) issue(ctx context.Context, d *drafts) error {
	admin := policy.Document{Kind: policy.DocAdministrative}
	e.step(2, "Lãnh đạo ký số", "signed by the leader (PKCS#11 token)")
	lead, err := e.sign(ctx, d.decision, e.leader,
		&layout.Spec{Kind: layout.Signer, Image: e.sigPNG, SignerTitle: signerTitle, SignerName: e.leaderName()},
		e.leaderFacts(admin), "Chữ ký lãnh đạo", "Ký ban hành văn bản", false)
	if err != nil {
		return explain("lãnh đạo ký số / the leader's signature", err)
	}
	if err := e.save(fileLeader, lead); err != nil {
		return err
	}

	e.step(3, "Văn thư ký số cơ quan (đóng dấu)", "sealed by the clerk (organisation certificate)")
	seal, err := e.sign(ctx, lead.pdf, e.org,
		&layout.Spec{Kind: layout.Seal, Image: e.sealPNG, SealMM: sealMM, SignerTitle: signerTitle, SignerName: e.leaderName()},
		e.clerkFacts(admin, true), "Chữ ký cơ quan", "Văn thư ký số của cơ quan (Nghị định 30/2020/NĐ-CP Điều 32)", true)
	if err != nil {
		return explain("văn thư đóng dấu / the clerk's seal", err)
	}
	if err := e.save(fileClerk, seal); err != nil {
		return err
	}

	e.step(4, "Ban hành văn bản", "issuing: appendix, electronic copy, archive")
	annex, err := e.sign(ctx, d.appendix, e.org,
		&layout.Spec{Kind: layout.Attachment, DocNumber: d.number},
		e.clerkFacts(policy.Document{Kind: policy.DocAttachmentSeparateFile, MainDocumentSigned: true}, false),
		"Chữ ký cơ quan trên phụ lục", "Ký số phụ lục kèm theo (tệp riêng)", false)
	if err != nil {
		return explain("ký số phụ lục / signing the appendix", err)
	}
	fmt.Fprintln(e.out, "  Phụ lục (tệp riêng) / the appendix in a separate file: dấu thông tin / attachment stamp \"Số: …; thời gian\"")
	if err := e.save(fileIssuedAnnex, annex); err != nil {
		return err
	}

	scan, err := scannedPDF(time.Now().In(vn))
	if err != nil {
		return fmt.Errorf("số hóa văn bản giấy / digitising the paper page: %w", err)
	}
	if err := writeFile(e.path(fileScan), scan); err != nil {
		return err
	}
	fmt.Fprintf(e.out, "  Bản giấy số hóa / the paper page digitised: %s (%d dpi, màu / colour)\n", e.path(fileScan), scanDPI)
	cp, err := e.sign(ctx, scan, e.org,
		&layout.Spec{Kind: layout.Copy, CopyForm: layout.CopyExact, OrgName: copyingOrg},
		e.clerkFacts(policy.Document{Kind: policy.DocCopy, CopyForm: policy.CopyTrue, CopyMadeByOrganisation: true}, false),
		"Chữ ký cơ quan trên bản sao", "Sao y bản chính", false)
	if err != nil {
		return explain("bản sao điện tử / the electronic copy", err)
	}
	fmt.Fprintln(e.out, "  Bản sao điện tử / electronic copy: \"SAO Y; Ủy ban nhân dân tỉnh Quảng Ninh; thời gian\" (ô 14)")
	if err := e.save(fileCopy, cp); err != nil {
		return err
	}

	// The issued decision is extended to B-LTA: validation data and a document
	// time-stamp for long-term archiving (lưu trữ).
	if err := nextSecond(ctx); err != nil {
		return err
	}
	var archived bytes.Buffer
	if _, err := signature.Extend(ctx, &archived, bytes.NewReader(seal.pdf), int64(len(seal.pdf)), e.services.Extend(true)); err != nil {
		return fmt.Errorf("gia hạn lưu trữ B-LTA / extending to B-LTA: %w", err)
	}
	if err := writeFile(e.path(fileIssued), archived.Bytes()); err != nil {
		return err
	}
	e.signed = append(e.signed, fileIssued)
	fmt.Fprintf(e.out, "  %s: quyết định ban hành, PAdES B-LTA (dấu thời gian tài liệu / document time-stamp)\n", e.path(fileIssued))
	return nil
}

// save writes a signed document and reports it.
func (e *env) save(name string, s *signed) error {
	if err := writeFile(e.path(name), s.pdf); err != nil {
		return err
	}
	e.signed = append(e.signed, name)
	e.report(name, s)
	return nil
}

// explain says which step failed; a policy refusal gives its reasons in Vietnamese
// and English.
func explain(what string, err error) error {
	var ref *policy.RefusalError
	if errors.As(err, &ref) {
		return fmt.Errorf("%s: chính sách từ chối / refused by the policy: %s / %s", what, ref.Decision.Vietnamese(), ref.Decision.English())
	}
	return fmt.Errorf("%s: %w", what, err)
}

// nextSecond waits for the next whole second: signing times are written in whole
// seconds, and a signature must not precede what it signs over.
func nextSecond(ctx context.Context) error {
	t := time.NewTimer(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// checkOutputDir makes sure dir is a directory this program can write in, before any
// work is done.
func checkOutputDir(dir string) error {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("thư mục kết quả %s là một tệp / the output directory %s is a file", dir, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("không tạo được thư mục kết quả / cannot create the output directory: %w", err)
	}
	f, err := os.CreateTemp(dir, ".qlvb-write-test-*")
	if err != nil {
		return fmt.Errorf("không ghi được vào thư mục kết quả / cannot write in the output directory: %w", err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// writeFile writes data to path with kyso.WriteFile: a failure never leaves a partial
// file.
func writeFile(path string, data []byte) error {
	return kyso.WriteFile(path, func(w io.Writer) error { _, err := w.Write(data); return err }, nil)
}

// indications lists each signature's indication.
func indications(rep *signature.Report) string {
	var s []string
	for _, r := range rep.Signatures {
		v := string(r.Indication)
		if r.SubIndication != "" {
			v += "/" + string(r.SubIndication)
		}
		s = append(s, fmt.Sprintf("%s %s (%s)", r.Field, v, r.Level))
	}
	return strings.Join(s, "; ")
}
