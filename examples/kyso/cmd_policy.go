package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/policy"
)

const policyUsage = `usage: kyso policy <subcommand> [flags]

subcommands:
  check     [-profile P] [-profile-file F] [-json] < request.json
            decide whether a signer may apply a signature; exit 0 allowed, 1 refused
            or bad request
  check     -example NAME        print a ready request (names: -example list)
  sequence  [-profile P] [-profile-file F] [-json] < signed.json
            check the signatures already in a document ({"document":…,"signatures":[…]});
            exit 0 compliant, 1 not compliant or bad input
  sequence  -pdf FILE [-kind K] [-classification C] [-own-copy]
            [-signers individual,organisation,…] [-trust ROOTS.pem]
            the same for a signed PDF: its signatures are verified (offline, with the
            roots given) and each signer's certificate kind is guessed (device:
            serverAuth or codeSigning usage; individual: an e-mail or CMND/CCCD
            identifier; else organisation) unless -signers gives them in order. For
            an attachment in a separate file, check the main document's own file for
            the leader's signature: the attachment does not show it
  rules     [-profile P] [-profile-file F] [-json]
            list every rule with its citations, the governing decree first;
            citations of superseded texts are marked
  profiles  [-profile-file F] [-json]
            list the province profiles: period, successor, subscriber manager,
            reports and deadlines, binding provincial rules
  deadlines -period YYYY-MM|YYYY [-profile P] [-profile-file F] [-holiday D]
            [-workday D] [-json]
            when the profile's periodic reports are due, who sends them, and why

Profiles: national (default), quang-ninh, ha-tinh, hoa-binh, cao-bang, bac-lieu — every
province file kyso ships — or the environment variable KYSO_POLICY_PROFILE.
-profile-file loads an agency's province file (JSON: its rules' citations, reports and
deadlines, period and successor) that adds or overrides one; -profile then selects it
(default: the file's own). An invalid file is refused with the field at fault.

A request (JSON) holds: role (authority, deputy, clerk, key-keeper, it-officer,
subscriber, …), certificate {kind: individual|organisation|organisation-second|device,
title, not_before, not_after, status: good|revoked|suspended}, document {kind:
administrative|appendix-same-file|attachment-separate-file|copy|procedure-result|
own-request, classification: thuong|mat|toi-mat|tuyet-mat, copy_form,
copy_made_by_organisation, main_document_signed}, markers ["KT.", …], printed_title,
at_service_centre, key_used_by_other, keeper_permitted, time, existing [{certificate,
order, time, indication, markers}].`

func runPolicy(ctx context.Context, c *cli, args []string) int {
	if code, ok := subcommand(c, "kyso policy", policyUsage+"\n"+policyExitCodes, []string{"check", "sequence", "rules", "profiles", "deadlines"}, args); !ok {
		return code
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "check":
		return policyCheck(ctx, c, rest)
	case "sequence":
		return policySequence(ctx, c, rest)
	case "rules":
		return policyRules(c, rest)
	case "profiles":
		return policyProfiles(c, rest)
	case "deadlines":
		return policyDeadlines(c, rest)
	}
	return exitUsage // not reached: subcommand checked the name
}

// policyOpts are the flags the subcommands share.
type policyOpts struct {
	profile     string
	profileFile string
	json        bool
}

// policyFlags parses args; ok false means return code.
func policyFlags(c *cli, name string, args []string, setup func(fs *flag.FlagSet)) (o policyOpts, code int, ok bool) {
	h := policyHelp[name]
	cf := newCmdFlags(c, "kyso policy "+name, h.text, h.exits)
	fs := cf.FlagSet
	fs.StringVar(&o.profile, "profile", "", "province profile id or name (default $KYSO_POLICY_PROFILE, else national)")
	fs.StringVar(&o.profileFile, "profile-file", "", "an agency's profile file (JSON) to add or override a profile")
	fs.BoolVar(&o.json, "json", false, "print JSON")
	if setup != nil {
		setup(fs)
	}
	if code, ok := cf.parse(args, false); !ok {
		return o, code, false
	}
	return o, 0, true
}

// policyRegistry returns the built-in profiles plus the agency's file, and the id of
// the profile to use.
func policyRegistry(c *cli, o policyOpts) (*policy.Registry, string, error) {
	reg := policy.BuiltinProfiles()
	id := o.profile
	if o.profileFile != "" {
		f, err := os.Open(o.profileFile)
		if err != nil {
			return nil, "", fmt.Errorf("profile file: %w", err)
		}
		defer f.Close()
		builtin := reg.IDs()
		p, err := reg.Load(f)
		if err != nil {
			return nil, "", fmt.Errorf("profile file %s: %w", o.profileFile, err)
		}
		if slices.Contains(builtin, p.ID) {
			// Replacing a shipped profile is allowed (an agency corrects its own
			// province), but never silently.
			fmt.Fprintf(c.stderr, "kyso policy: tệp %s thay thế hồ sơ có sẵn “%s” / the file replaces the built-in profile %q\n", o.profileFile, p.ID, p.ID)
		}
		if id == "" {
			id = p.ID
		}
	}
	if id == "" {
		id = c.getenv("KYSO_POLICY_PROFILE")
	}
	if id == "" {
		id = "national"
	}
	return reg, id, nil
}

// policyErrCode is the exit status for a profile problem: an unknown -profile is a
// usage error, an unreadable or invalid profile file a failure.
func policyErrCode(err error) int {
	if errors.Is(err, policy.ErrUnknownProfile) {
		return exitUsage
	}
	return exitFailure
}

func policyEngine(c *cli, o policyOpts) (*policy.Engine, error) {
	reg, id, err := policyRegistry(c, o)
	if err != nil {
		return nil, err
	}
	p, err := reg.Lookup(id)
	if err != nil {
		return nil, err
	}
	return policy.New(policy.Options{Profile: p})
}

func policyCheck(ctx context.Context, c *cli, args []string) int {
	var example string
	o, code, ok := policyFlags(c, "check", args, func(fs *flag.FlagSet) {
		fs.StringVar(&example, "example", "", "print a ready request for an everyday case instead (list: -example list)")
	})
	if !ok {
		return code
	}
	if example != "" {
		return policyPrintExample(c, example)
	}
	e, err := policyEngine(c, o)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso policy check: %v\n", err)
		return policyErrCode(err)
	}
	waitingForStdin(c, "kyso policy check", "yêu cầu JSON (mẫu: kyso policy check -example list)", "a JSON request (ready ones: kyso policy check -example list)")
	req, err := policy.DecodeRequest(c.stdin)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso policy check: %v\n", err)
		return exitFailure
	}
	d := e.Decide(ctx, req)
	if d.Err != nil {
		fmt.Fprintf(c.stderr, "kyso policy check: %v\n", d.Err)
		return exitFailure
	}
	if o.json {
		if err := policyWriteJSON(c.stdout, d); err != nil {
			fmt.Fprintf(c.stderr, "kyso policy check: %v\n", err)
			return exitFailure
		}
	} else {
		policyWriteDecision(c.stdout, e.Profile(), d)
	}
	if !d.Allowed {
		return exitFailure
	}
	return exitOK
}

func policyWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func policyWriteDecision(w io.Writer, p *policy.Profile, d policy.Decision) {
	fmt.Fprintf(w, "Hồ sơ / profile: %s (%s)\n\n", p.ID, p.Name)
	fmt.Fprintln(w, d.Vietnamese())
	fmt.Fprintln(w)
	fmt.Fprintln(w, d.English())
	fmt.Fprintln(w, "\nLý do / reasons:")
	for _, r := range d.Reasons {
		fmt.Fprintf(w, "  [%s] %s — %s\n", r.Outcome, r.Rule, r.Citation)
		fmt.Fprintf(w, "      vi: %s\n      en: %s\n", r.MessageVI, r.MessageEN)
	}
}

func policySequence(ctx context.Context, c *cli, args []string) int {
	var pdfIn policyPDFFlags
	o, code, ok := policyFlags(c, "sequence", args, pdfIn.register)
	if !ok {
		return code
	}
	e, err := policyEngine(c, o)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso policy sequence: %v\n", err)
		return policyErrCode(err)
	}
	var in policy.SignedDocument
	if pdfIn.path != "" {
		in, err = pdfIn.read(ctx, c)
		if errors.Is(err, errPolicyUsage) {
			return usageLine(c, "kyso policy sequence", strings.TrimPrefix(err.Error(), errPolicyUsage.Error()+": "))
		}
	} else {
		waitingForStdin(c, "kyso policy sequence", `JSON {"document":…,"signatures":[…]} (hoặc dùng -pdf TỆP)`, `JSON {"document":…,"signatures":[…]} (or use -pdf FILE)`)
		in, err = policy.DecodeSignedDocument(c.stdin)
		if err != nil {
			err = fmt.Errorf("%w (want {\"document\":…,\"signatures\":[…]})", err)
		}
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso policy sequence: %v\n", err)
		return exitFailure
	}
	rep, err := e.CheckSequence(ctx, in.Document, in.Signatures)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso policy sequence: %v\n", err)
		return exitFailure
	}
	if o.json {
		if err := policyWriteJSON(c.stdout, rep); err != nil {
			fmt.Fprintf(c.stderr, "kyso policy sequence: %v\n", err)
			return exitFailure
		}
	} else {
		fmt.Fprintf(c.stdout, "%s\n\n%s\n", rep.Vietnamese(), rep.English())
	}
	if !rep.Compliant {
		return exitFailure
	}
	return exitOK
}

func policyRules(c *cli, args []string) int {
	o, code, ok := policyFlags(c, "rules", args, nil)
	if !ok {
		return code
	}
	e, err := policyEngine(c, o)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso policy rules: %v\n", err)
		return policyErrCode(err)
	}
	rules := e.Rules()
	if o.json {
		if err := policyWriteJSON(c.stdout, rules); err != nil {
			fmt.Fprintf(c.stderr, "kyso policy rules: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	p := e.Profile()
	fmt.Fprintf(c.stdout, "Hồ sơ / profile: %s (%s)\n", p.ID, p.Name)
	if g := policy.Governing(); g.Short != "" {
		fmt.Fprintf(c.stdout, "Văn bản điều chỉnh hiện hành / governing: %s — %s (%s)\n", g.Short, g.Title, g.Status)
	}
	for _, in := range policy.Instruments() {
		if in.SupersededBy != "" {
			fmt.Fprintf(c.stdout, "Đã bị thay thế / superseded: %s → %s\n", in.Short, in.SupersededBy)
		}
	}
	for _, r := range rules {
		fmt.Fprintf(c.stdout, "\n%s\n  vi: %s\n  en: %s\n", r.ID, r.Vietnamese, r.English)
		if r.Provincial {
			state := "cảnh báo / a warning"
			if r.Binding {
				state = "ràng buộc / binding"
			}
			fmt.Fprintf(c.stdout, "  quy định cấp tỉnh / provincial rule: %s\n", state)
		}
		for i, ct := range r.Citations {
			label := "căn cứ / basis"
			if i > 0 {
				label = "xem thêm / see also"
			}
			fmt.Fprintf(c.stdout, "  %s: %s", label, ct)
			switch ct.Status {
			case policy.CitationSuperseded:
				fmt.Fprint(c.stdout, " [đã bị thay thế / superseded]")
			case policy.CitationUnverified:
				fmt.Fprint(c.stdout, " [chưa kiểm chứng / unverified]")
			case policy.CitationVerified:
				fmt.Fprint(c.stdout, " [đã kiểm chứng / verified]")
			}
			if ct.Note != "" {
				fmt.Fprintf(c.stdout, " (%s)", ct.Note)
			}
			if urls := ct.URLs(); len(urls) > 0 {
				fmt.Fprintf(c.stdout, " — đối chiếu tại / checked at: %s", strings.Join(urls, ", "))
			}
			fmt.Fprintln(c.stdout)
		}
	}
	return exitOK
}

func policyProfiles(c *cli, args []string) int {
	o, code, ok := policyFlags(c, "profiles", args, nil)
	if !ok {
		return code
	}
	reg, _, err := policyRegistry(c, o)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso policy profiles: %v\n", err)
		return policyErrCode(err)
	}
	var list []*policy.Profile
	for _, id := range reg.IDs() {
		p, err := reg.Lookup(id)
		if err != nil {
			fmt.Fprintf(c.stderr, "kyso policy profiles: %v\n", err)
			return exitFailure
		}
		list = append(list, p)
	}
	if o.json {
		if err := policyWriteJSON(c.stdout, list); err != nil {
			fmt.Fprintf(c.stderr, "kyso policy profiles: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	for _, p := range list {
		fmt.Fprintf(c.stdout, "%-11s %s", p.ID, p.Name)
		if p.Instrument != "" {
			fmt.Fprintf(c.stdout, " — %s", p.Instrument)
		}
		fmt.Fprintln(c.stdout)
		if pe := p.Period; pe != nil {
			fmt.Fprintf(c.stdout, "            thời kỳ / period: %s – %s", orDash(pe.From), orDash(pe.Until))
			if pe.Unverified {
				fmt.Fprint(c.stdout, " (chưa kiểm chứng / unverified)")
			}
			fmt.Fprintln(c.stdout)
		}
		if s := p.Successor; s != nil {
			fmt.Fprintf(c.stdout, "            kế thừa / successor: %s (%s) từ / from %s", s.Name, s.ID, orDash(s.From))
			if s.Unverified {
				fmt.Fprint(c.stdout, " (chưa kiểm chứng / unverified)")
			}
			if ct := s.Citation; ct != nil {
				fmt.Fprintf(c.stdout, " — căn cứ / basis: %s", ct)
				if ct.Status == policy.CitationVerified {
					fmt.Fprintf(c.stdout, " [đã kiểm chứng / verified] — đối chiếu tại / checked at: %s", strings.Join(ct.URLs(), ", "))
				}
			}
			fmt.Fprintln(c.stdout)
		}
		if m := p.SubscriberManager; m != nil {
			fmt.Fprintf(c.stdout, "            quản lý thuê bao / subscriber manager: %s (%s)\n", m.Name, m.Citation)
			if co := m.Coordinator; co != nil {
				fmt.Fprintf(c.stdout, "            phối hợp / coordinator: %s (%s)\n", co.Name, co.Citation)
			}
		}
		for _, r := range p.Restates {
			if r.Binding {
				fmt.Fprintf(c.stdout, "            ràng buộc / binding: %s (%s)\n", r.Rule, r.Citation)
			}
		}
		roles := make([]string, len(p.OrgSignatureRoles))
		for i, r := range p.OrgSignatureRoles {
			roles[i] = string(r)
		}
		fmt.Fprintf(c.stdout, "            ký số cơ quan / organisation signature: %s\n", strings.Join(roles, ", "))
		for _, r := range p.Reports {
			due := r.Due
			if due == "" {
				due = "?"
			}
			fmt.Fprintf(c.stdout, "            báo cáo / report %s: %s (%s)", r.Period, due, r.Citation)
			if r.ShiftAssumed {
				fmt.Fprintf(c.stdout, "; %s", r.ShiftNote)
			}
			fmt.Fprintln(c.stdout)
		}
		if p.SIMPKI != nil {
			fmt.Fprintf(c.stdout, "            SIM PKI: %s (%s)\n", strings.Join(p.SIMPKI.Eligible, "; "), p.SIMPKI.Citation)
		}
	}
	return exitOK
}

func orDash(s string) string {
	if s == "" {
		return "…"
	}
	return s
}

func policyDeadlines(c *cli, args []string) int {
	var period string
	var cal policy.Calendar
	day := func(list *[]time.Time) func(string) error {
		return func(s string) error {
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return fmt.Errorf("write the date as YYYY-MM-DD: %w", err)
			}
			*list = append(*list, t)
			return nil
		}
	}
	o, code, ok := policyFlags(c, "deadlines", args, func(fs *flag.FlagSet) {
		fs.StringVar(&period, "period", "", "reporting period: YYYY-MM or YYYY")
		fs.Func("holiday", "an extra day off decided for the year, YYYY-MM-DD (repeatable)", day(&cal.ExtraHolidays))
		fs.Func("workday", "a weekend day declared a working day, YYYY-MM-DD (repeatable)", day(&cal.ExtraWorkdays))
	})
	if !ok {
		return code
	}
	if period == "" {
		return usageLine(c, "kyso policy deadlines", "-period is required")
	}
	reg, id, err := policyRegistry(c, o)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso policy deadlines: %v\n", err)
		return policyErrCode(err)
	}
	p, err := reg.Lookup(id)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso policy deadlines: %v\n", err)
		return policyErrCode(err)
	}
	dls, err := p.Deadlines(period, &cal)
	if err != nil {
		if errors.Is(err, policy.ErrBadReportPeriod) {
			return usageLine(c, "kyso policy deadlines", err.Error())
		}
		fmt.Fprintf(c.stderr, "kyso policy deadlines: %v\n", err)
		return exitFailure
	}
	if o.json {
		if err := policyWriteJSON(c.stdout, dls); err != nil {
			fmt.Fprintf(c.stderr, "kyso policy deadlines: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	for _, dl := range dls {
		fmt.Fprintf(c.stdout, "%s %s %s: hạn / due %s (%s)", dl.Profile, dl.Report, dl.Period, dl.Due.Format("02/01/2006"), weekdaysVi[dl.Due.Weekday()])
		if dl.Moved != "" {
			fmt.Fprintf(c.stdout, "; dời vì / moved: %s", dl.Moved)
		}
		if dl.ShiftAssumed {
			fmt.Fprintf(c.stdout, " [%s]", dl.ShiftNote)
		}
		fmt.Fprintln(c.stdout)
		if !dl.WindowStart.IsZero() {
			fmt.Fprintf(c.stdout, "  số liệu / data: %s – %s\n", dl.WindowStart.Format("02/01/2006"), dl.WindowEnd.Format("02/01/2006"))
		}
		if dl.Recipient != "" {
			fmt.Fprintf(c.stdout, "  gửi / to: %s\n", dl.Recipient)
		}
		for _, r := range dl.Reporters {
			fmt.Fprintf(c.stdout, "  báo cáo / from: %s\n", r.Name)
		}
		fmt.Fprintf(c.stdout, "  căn cứ / basis: %s\n", dl.Citation)
		if dl.OutsidePeriod != "" {
			fmt.Fprintf(c.stdout, "  lưu ý / note: %s\n", dl.OutsidePeriod)
		}
	}
	return exitOK
}

// policyExampleNames are the ready requests for everyday cases (policyExample). Their
// times are fixed so the answers do not change with the clock.
var policyExampleNames = []string{
	"clerk-seal-unsigned",
	"clerk-seal-after-leader",
	"leader-sign",
	"deputy-sign-without-kt",
	"deputy-acting-signs-q",
	"subscriber-own-request",
	"keeper-permitted-seals",
	"leader-sign-classified",
	"device-cert-signs-document",
	"second-cert-outside-service-centre",
	"second-cert-at-service-centre",
	"appendix-same-file",
	"attachment-separate-file",
	"copy-sao-y",
}

func policyExample(name string) (string, bool) {
	const (
		orgCert    = `{"kind": "organisation", "not_before": "2025-11-22T00:00:00+07:00", "not_after": "2028-11-22T00:00:00+07:00", "status": "good"}`
		leaderCert = `{"kind": "individual", "title": "Giám đốc", "not_before": "2025-11-22T00:00:00+07:00", "not_after": "2028-11-22T00:00:00+07:00", "status": "good"}`
		leaderSig  = `{"certificate": ` + leaderCert + `, "order": 1, "time": "2026-11-22T13:30:00+07:00", "indication": "TOTAL_PASSED"}`
		at         = `"time": "2026-11-22T14:05:09+07:00"`
	)
	doc := func(kind, extra string) string { return `{"kind": "` + kind + `"` + extra + `}` }
	req := func(role, cert, document, extra string) string {
		return `{"role": "` + role + `", "certificate": ` + cert + `, "document": ` + document + `, ` + at + extra + `}`
	}
	switch name {
	case "clerk-seal-unsigned":
		return req("clerk", orgCert, doc("administrative", ""), ""), true
	case "clerk-seal-after-leader":
		return req("clerk", orgCert, doc("administrative", ""), `, "existing": [`+leaderSig+`]`), true
	case "leader-sign":
		return req("authority", leaderCert, doc("administrative", ""), ""), true
	case "deputy-sign-without-kt":
		return req("deputy", strings.Replace(leaderCert, "Giám đốc", "Phó Giám đốc", 1), doc("administrative", ""), `, "markers": []`), true
	case "deputy-acting-signs-q":
		return req("deputy", strings.Replace(leaderCert, "Giám đốc", "Phó Giám đốc", 1), doc("administrative", ""), `, "markers": ["Q."]`), true
	case "subscriber-own-request":
		return req("subscriber", strings.Replace(leaderCert, "Giám đốc", "Chuyên viên", 1), doc("own-request", ""), ""), true
	case "keeper-permitted-seals":
		return req("key-keeper", orgCert, doc("administrative", ""), `, "keeper_permitted": true, "existing": [`+leaderSig+`]`), true
	case "leader-sign-classified":
		return req("authority", leaderCert, doc("administrative", `, "classification": "mat"`), ""), true
	case "device-cert-signs-document":
		return req("it-officer", strings.Replace(orgCert, `"organisation"`, `"device"`, 1), doc("administrative", ""), ""), true
	case "second-cert-outside-service-centre":
		return req("clerk", strings.Replace(orgCert, `"organisation"`, `"organisation-second"`, 1), doc("procedure-result", ""), `, "at_service_centre": false, "existing": [`+leaderSig+`]`), true
	case "second-cert-at-service-centre":
		return req("clerk", strings.Replace(orgCert, `"organisation"`, `"organisation-second"`, 1), doc("procedure-result", ""), `, "at_service_centre": true, "existing": [`+leaderSig+`]`), true
	case "appendix-same-file":
		return req("clerk", orgCert, doc("appendix-same-file", ""), `, "existing": [`+leaderSig+`]`), true
	case "attachment-separate-file":
		return req("clerk", orgCert, doc("attachment-separate-file", `, "main_document_signed": true`), ""), true
	case "copy-sao-y":
		return req("clerk", orgCert, doc("copy", `, "copy_form": "SAO Y", "copy_made_by_organisation": true`), ""), true
	}
	return "", false
}

func policyPrintExample(c *cli, name string) int {
	if name == "list" {
		for _, n := range policyExampleNames {
			fmt.Fprintln(c.stdout, n)
		}
		return exitOK
	}
	text, ok := policyExample(name)
	if !ok {
		fmt.Fprintf(c.stderr, "kyso policy check: unknown example %q; examples: %s\n", name, strings.Join(policyExampleNames, ", "))
		return exitUsage
	}
	var out bytes.Buffer
	if err := json.Indent(&out, []byte(text), "", "  "); err != nil {
		fmt.Fprintf(c.stderr, "kyso policy check: example %s: %v\n", name, err)
		return exitFailure
	}
	out.WriteByte('\n')
	if _, err := c.stdout.Write(out.Bytes()); err != nil {
		fmt.Fprintf(c.stderr, "kyso policy check: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// errPolicyUsage marks a bad flag value of "kyso policy sequence -pdf".
var errPolicyUsage = errors.New("usage")

// policyPDFFlags are the flags of "kyso policy sequence -pdf".
type policyPDFFlags struct {
	path, kind, classification, signers, trust string
	ownCopy                                    bool
}

func (f *policyPDFFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.path, "pdf", "", "a signed PDF `file` whose signatures to check (- for standard input)")
	fs.StringVar(&f.kind, "kind", "administrative", "with -pdf: the document kind")
	fs.StringVar(&f.classification, "classification", "", "with -pdf: the document's classification (thuong, mat, toi-mat, tuyet-mat)")
	fs.BoolVar(&f.ownCopy, "own-copy", false, "with -pdf: the copy was made by the signing organisation")
	fs.StringVar(&f.signers, "signers", "", "with -pdf: the certificate kinds of the signatures in order, comma-separated")
	fs.StringVar(&f.trust, "trust", "", "with -pdf: PEM file of trust anchors for verification")
}

// read verifies the PDF and turns its report into policy's facts.
func (f *policyPDFFlags) read(ctx context.Context, c *cli) (policy.SignedDocument, error) {
	var sd policy.SignedDocument
	usage := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", errPolicyUsage, fmt.Sprintf(format, a...))
	}
	if err := sd.Document.Kind.UnmarshalText([]byte(f.kind)); err != nil {
		return sd, usage("-kind: %v", err)
	}
	if err := sd.Document.Classification.UnmarshalText([]byte(f.classification)); err != nil {
		return sd, usage("-classification: %v", err)
	}
	sd.Document.CopyMadeByOrganisation = f.ownCopy
	var kinds []policy.CertificateKind
	if f.signers != "" {
		for _, k := range strings.Split(f.signers, ",") {
			var kind policy.CertificateKind
			if err := kind.UnmarshalText([]byte(strings.TrimSpace(k))); err != nil {
				return sd, usage("-signers: %v", err)
			}
			kinds = append(kinds, kind)
		}
	}
	opts := &kyso.VerifyOptions{Offline: true, AllowMissingRevocation: true}
	if f.trust != "" {
		opts.Trust = certstatus.DefaultTrustStore()
		if _, err := opts.Trust.AddPEMFile(f.trust); err != nil {
			if errors.Is(err, certstatus.ErrMalformed) {
				return sd, fmt.Errorf("trust anchors: no PEM certificate in %s: %w", f.trust, err)
			}
			return sd, fmt.Errorf("trust anchors: %w", err)
		}
	}
	src, err := openInputPDF(c, f.path)
	if err != nil {
		return sd, err
	}
	defer src.Close()
	doc := sd.Document
	sd, _, err = kyso.SignedDocument(ctx, src.r, src.size, doc, opts)
	if err != nil {
		return sd, fmt.Errorf("verify %s: %w", f.path, err)
	}
	// -signers replaces the kinds kyso.CertificateKind read, signature by signature
	// (document time-stamps skipped).
	n := 0
	for i := range sd.Signatures {
		if sd.Signatures[i].Kind == policy.KindDocTimestamp {
			continue
		}
		if n < len(kinds) {
			sd.Signatures[i].Certificate.Kind = kinds[n]
		}
		n++
	}
	if len(kinds) > n {
		return sd, usage("-signers gives %d kinds but the document has %d signatures", len(kinds), n)
	}
	return sd, nil
}
