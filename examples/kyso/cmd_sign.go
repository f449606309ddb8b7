package main

import (
	"context"
	"crypto"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/token"
)

// signFlags holds the flags of "kyso sign". Key sources are grouped so that more
// (e.g. PKCS#11) can be added in parseSignFlags and openSignFlagsSigner.
type signFlags struct {
	in, out          string
	p12, p12PassEnv  string
	keyPEM, certPEM  string
	keyPassEnv       string
	inPassEnv        string
	field, newField  string
	name, reason     string
	location         string
	contact          string
	hash             string
	pss              bool
	certify          int
	page             int
	rect             string
	widget           *signature.Widget
	reserveUnsigned  int
	hashAlg          crypto.Hash
	certifyLevel     signature.DocMDPPermission
	p12Set, pemIsSet bool // which key source the flags chose
	pkcs11           signPKCS11Flags
	csc              signCSCFlags   // -csc: a remote key (sign_csc.go)
	batch            signBatchFlags // -in-dir/-out-dir (sign_batch.go)
	policy           signPolicyFlags
	level            signLevelFlags
	json, progress   bool // -json, -progress (sign_output.go)
	placement        signPlacementFlags
}

// signLevelFlags are the PAdES level flags of "kyso sign" (issue 5).
type signLevelFlags struct {
	level, tsa string
	trust      []string
	continueLT bool
	noAIA      bool // -no-aia: complete the signer's chain without downloads
	target     signature.Level
}

const signUsage = `usage: kyso sign (-in IN.pdf -out OUT.pdf | -in-dir DIR -out-dir DIR2) (-p12 FILE.p12 -p12-pass-env VAR | -key KEY.pem [-cert CERTS.pem] [-key-pass-env VAR] | -pkcs11 MODULE -token LABEL -pin-env VAR [-key-id HEX|-key-label L] | -csc URL -csc-credential ID -csc-auth-env VAR -csc-pin-env VAR) [-level B-B|B-T|B-LT|B-LTA -tsa URL] [-trust PEM ...] [-no-aia] [flags]

Signs IN.pdf with a PAdES B-B signature (ETSI.CAdES.detached) and writes OUT.pdf
(written to a temporary file and renamed, so a failure never leaves a partial file;
IN.pdf is never modified). RSA keys sign with RSASSA-PSS, the scheme Thông tư
39/2017/TT-BTTTT makes mandatory; -pss=false selects PKCS#1 v1.5 for relying parties
that cannot verify PSS.

-level B-T adds a signature time-stamp from the TSA at -tsa; B-LT then a /DSS with the
certificates, OCSP responses and CRLs that validate the signature and its time-stamp
(fetched online); B-LTA then a document time-stamp over the whole file. Trust for
checking the time-stamp and the revocation data: the VGCA root (RootCA chuyên dùng
Chính phủ G2) plus every -trust PEM file; those roots also go into the DSS, so the
document verifies offline. When revocation data cannot be obtained, B-LT and B-LTA
fail, or with -continue-without-revocation stop at B-T with a warning.

With -policy-profile (or any of -role, -doc-kind, -classification, -authority,
-cert-kind, -policy-request) the signature is first checked against the signing
policy of that province profile (default $KYSO_POLICY_PROFILE, else national): who may
sign what (Nghị định 30/2020/NĐ-CP and the provincial regulations). The signer's
certificate, the signing time and the signatures already in IN.pdf come from the
files; the role and the document's facts from the flags or from a request file in the
JSON shape "kyso policy check" reads. -policy-trust verifies the signatures already
there first, so the policy knows which are valid (else they count as unchecked, a
warning). A refusal prints the reasons with their citations and writes nothing.

The signer's certificate chain is completed before signing when the key file, token
or remote service holds only the signer's certificate (or lacks an intermediate CA):
the missing CA certificates are taken from -trust and downloaded from the
certificates' AIA caIssuers addresses (not with -no-aia), and embedded in the
signature, so that it verifies where only the root is trusted. When that fails the
document is still signed, with a warning.

-csc signs with a remote key (ký số từ xa) on a Cloud Signature Consortium API v2
service: URL is the service base (the client appends /csc/v2/...), the OAuth2 access
token is read from $VAR of -csc-auth-env and the credential's PIN from -csc-pin-env.

-in-dir DIR -out-dir DIR2 signs every PDF of DIR into DIR2 under the same names, with
one authorisation of a -csc credential (or one login of a -pkcs11 token): progress on
stderr, a summary on stdout; a document that fails (or that the signing policy
refuses) gets no output file and does not stop the others (exit status 1 if any
failed).

-in - reads the document from standard input and -out - writes it to standard output
(only once signing succeeded; the summary then goes to stderr). An encrypted IN.pdf is
opened with the password in the variable named by -in-pass-env.

-json prints one object on stdout instead of the summary: input, output, size, field,
signer, signerSubject, algorithm, hash, level (the PAdES level reached), certified
(DocMDP P), timestampTime, tsa, policy (profile, placement, vi, en) and warnings.
-progress shows progress on stderr also when it is not a terminal.

Passwords are read from environment variables, never from the command line.
`

const signExitCodes = `
exit status:
  0  the document was signed
  1  signing failed (unreadable input or key, wrong password, refused algorithm,
     field missing or already signed, document certified against changes, refused
     by the signing policy, time-stamp or revocation data unavailable for
     -level, ...)
  2  usage error (bad or missing flags)
`

// parseSignFlags parses and checks the flags. On -help or a usage error it has printed
// what to print and returns an exitCodeError with the exit status.
func parseSignFlags(c *cli, args []string) (*signFlags, error) {
	f := &signFlags{}
	cf := newCmdFlags(c, "kyso sign", signUsage, signExitCodes)
	fs := cf.FlagSet
	fs.StringVar(&f.in, "in", "", "input PDF `file` (- for standard input)")
	fs.StringVar(&f.out, "out", "", "output PDF `file` (must differ from -in; - for standard output)")
	fs.StringVar(&f.p12, "p12", "", "PKCS#12 (.p12/.pfx) `file` with the key and certificate chain")
	fs.StringVar(&f.p12PassEnv, "p12-pass-env", "", "environment `variable` holding the PKCS#12 password")
	fs.StringVar(&f.keyPEM, "key", "", "PEM private key `file` (may also hold the certificates)")
	fs.StringVar(&f.certPEM, "cert", "", "PEM certificate `file`: the signer's certificate and its chain")
	fs.StringVar(&f.keyPassEnv, "key-pass-env", "", "environment `variable` holding the password of an encrypted PEM key")
	f.pkcs11.register(fs)
	f.csc.register(fs)
	f.batch.register(fs)
	registerInPassEnv(c, "kyso sign", fs, &f.inPassEnv)
	fs.BoolVar(&f.json, "json", false, "print one JSON object on stdout (keys in the description above)")
	fs.BoolVar(&f.progress, "progress", false, "show progress on stderr even when it is not a terminal")
	fs.StringVar(&f.field, "field", "", "sign the existing empty signature field of this `name`")
	fs.StringVar(&f.newField, "new-field", "", "`name` of the new signature field (default SignatureN)")
	fs.StringVar(&f.name, "name", "", "signer `name` for the signature dictionary")
	fs.StringVar(&f.reason, "reason", "", "`reason` for signing")
	fs.StringVar(&f.location, "location", "", "`location` of signing")
	fs.StringVar(&f.contact, "contact", "", "signer's contact `info`")
	fs.StringVar(&f.hash, "hash", "sha256", "digest `algorithm`: sha256, sha384 or sha512")
	fs.BoolVar(&f.pss, "pss", true, "RSA keys sign with RSASSA-PSS, mandatory under Thông tư 39/2017/TT-BTTTT; -pss=false signs with PKCS#1 v1.5")
	fs.IntVar(&f.certify, "certify", 0, "certify the document (DocMDP `P`): 1 no changes, 2 form filling and signing, 3 also annotations")
	fs.IntVar(&f.page, "page", 0, "make the signature visible on page `N` (from 1); needs -rect, or chooses the page of a -placement")
	fs.StringVar(&f.rect, "rect", "", "visible signature rectangle `llx,lly,urx,ury` in points (with -page): a Vietnamese text box, or where a -placement goes")
	f.placement.register(fs)
	fs.IntVar(&f.reserveUnsigned, "reserve", 0, "`bytes` reserved in /Contents for a later time-stamp token (default 16384)")
	fs.StringVar(&f.policy.profile, "policy-profile", "", "check the signing policy of this province `profile` (national, quang-ninh, ha-tinh, hoa-binh, cao-bang, bac-lieu)")
	fs.StringVar(&f.policy.requestFile, "policy-request", "", "policy facts as a request `file` (JSON, as \"kyso policy check\" reads); -role, -doc-kind, -classification, -authority and -cert-kind override it")
	fs.StringVar(&f.policy.role, "role", "", "policy: the signer's `role` (authority, deputy, clerk, key-keeper, …)")
	fs.StringVar(&f.policy.docKind, "doc-kind", "", "policy: the document `kind` (administrative (default), appendix-same-file, attachment-separate-file, copy, procedure-result)")
	fs.StringVar(&f.policy.classification, "classification", "", "policy: the document's `classification` (thuong, mat, toi-mat, tuyet-mat)")
	fs.StringVar(&f.policy.authority, "authority", "", "policy: authority `markers` in the signature block, comma-separated (TM., KT., TL., TUQ., Q.)")
	fs.StringVar(&f.policy.trust, "policy-trust", "", "policy: verify the signatures already in the input against the trust anchors in this PEM `file` and the VGCA root (offline), so the policy knows which are valid")
	fs.StringVar(&f.policy.certKind, "cert-kind", "", "policy: the signer's certificate `kind` (individual, organisation, organisation-second, device); default kyso.CertificateKind's reading of the certificate (an organisation's has its name in upper case as the common name)")
	fs.StringVar(&f.level.level, "level", "B-B", "PAdES `level`: B-B, B-T (signature time-stamp), B-LT (and a DSS) or B-LTA (and a document time-stamp)")
	fs.StringVar(&f.level.tsa, "tsa", "", "`URL` of the RFC 3161 time-stamping authority, for -level B-T and above (e.g. "+certstatus.DefaultTSAURL+")")
	fs.Func("trust", "a PEM `file` of trusted root certificates (repeatable; the VGCA root is always trusted): the signer's chain is completed up to them, and with -level they check the time-stamp and the revocation data", func(s string) error {
		f.level.trust = append(f.level.trust, s)
		return nil
	})
	fs.BoolVar(&f.level.noAIA, "no-aia", false, "complete the signer's certificate chain only from the key file and -trust: download no issuer certificate (AIA caIssuers)")
	fs.BoolVar(&f.level.continueLT, "continue-without-revocation", false, "with -level B-LT/B-LTA: stop at B-T with a warning instead of failing when revocation data cannot be obtained")
	if code, ok := cf.parse(args, false); !ok {
		return nil, exitCodeError(code)
	}
	var problems []string
	if f.batch.set() {
		problems = append(problems, f.batch.problems(f.in, f.out)...)
	} else if f.in == "" || f.out == "" {
		problems = append(problems, "-in and -out are required (or -in-dir and -out-dir for a batch)")
	} else if f.in == f.out && f.in != "-" {
		problems = append(problems, "-out must differ from -in (the input is never modified)")
	}
	switch {
	case f.json && f.batch.set():
		problems = append(problems, "-json describes one document: sign with -in/-out")
	case f.json && f.out == "-":
		problems = append(problems, "-json and -out - both write to standard output: give -out FILE")
	}
	f.p12Set, f.pemIsSet = f.p12 != "", f.keyPEM != "" || f.certPEM != ""
	problems = append(problems, f.pkcs11.problems(f.p12Set || f.pemIsSet)...)
	problems = append(problems, f.csc.problems(f.p12Set || f.pemIsSet || f.pkcs11.set())...)
	switch {
	case f.csc.set():
		// checked by f.csc.problems
	case f.pkcs11.set():
		// checked by f.pkcs11.problems
	case f.p12Set && f.pemIsSet:
		problems = append(problems, "give -p12 or -key/-cert, not both")
	case !f.p12Set && !f.pemIsSet:
		problems = append(problems, "a key is required: -p12 FILE -p12-pass-env VAR, -key FILE [-cert FILE], or -pkcs11 MODULE -token LABEL -pin-env VAR, or -csc URL -csc-credential ID -csc-auth-env VAR -csc-pin-env VAR")
	case f.pemIsSet && f.keyPEM == "":
		problems = append(problems, "-cert needs -key")
	}
	switch strings.ToLower(f.hash) {
	case "sha256", "sha-256":
		f.hashAlg = crypto.SHA256
	case "sha384", "sha-384":
		f.hashAlg = crypto.SHA384
	case "sha512", "sha-512":
		f.hashAlg = crypto.SHA512
	default:
		problems = append(problems, fmt.Sprintf("-hash %q: want sha256, sha384 or sha512", f.hash))
	}
	if f.reserveUnsigned > 1<<20 {
		problems = append(problems, fmt.Sprintf("-reserve %d: at most 1048576 bytes (a time-stamp token needs about 8 KB)", f.reserveUnsigned))
	}
	if f.certify < 0 || f.certify > 3 {
		problems = append(problems, fmt.Sprintf("-certify %d: want 1, 2 or 3", f.certify))
	}
	f.certifyLevel = signature.DocMDPPermission(f.certify)
	if f.field != "" && f.newField != "" {
		problems = append(problems, "give -field (an existing field) or -new-field, not both")
	}
	if f.rect != "" || f.page != 0 && f.placement.placement == "" {
		var r [4]float64
		if _, err := fmt.Sscanf(f.rect, "%g,%g,%g,%g", &r[0], &r[1], &r[2], &r[3]); err != nil || r[2] <= r[0] || r[3] <= r[1] {
			problems = append(problems, fmt.Sprintf("-rect %q: want llx,lly,urx,ury with urx > llx and ury > lly", f.rect))
		}
		if f.page < 1 {
			problems = append(problems, "-rect needs -page N (pages count from 1)")
		}
		f.widget = &signature.Widget{Page: f.page, Rect: r}
	}
	problems = append(problems, f.placement.problems()...)
	problems = append(problems, f.policy.check()...)
	problems = append(problems, f.level.check()...)
	if len(problems) > 0 {
		return nil, exitCodeError(cf.usageProblems(problems))
	}
	return f, nil
}

// exitCodeError ends a command early with this exit status; the message is printed.
type exitCodeError int

func (e exitCodeError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// check returns the problems with the level flags and sets target.
func (l *signLevelFlags) check() []string {
	switch up := signature.Level(strings.ToUpper(l.level)); up {
	case signature.LevelBB, signature.LevelBT, signature.LevelBLT, signature.LevelBLTA:
		l.target = up
	default:
		return []string{fmt.Sprintf("-level %q: want B-B, B-T, B-LT or B-LTA", l.level)}
	}
	switch {
	case l.target != signature.LevelBB && l.tsa == "":
		return []string{fmt.Sprintf("-level %s needs -tsa URL (a time-stamping authority)", l.target)}
	case l.target == signature.LevelBB && (l.tsa != "" || l.continueLT):
		return []string{"-tsa and -continue-without-revocation need -level B-T, B-LT or B-LTA"}
	}
	return nil
}

// options returns the level options for SignOptions.Level (nil for B-B): a TSA
// client and an OCSP/CRL checker trusting the VGCA root and the -trust files, whose
// roots are also handed over for the DSS.
func (l *signLevelFlags) options() (*signature.LevelOptions, error) {
	if l.target == "" || l.target == signature.LevelBB {
		return nil, nil
	}
	store, err := l.store()
	if err != nil {
		return nil, err
	}
	return (&kyso.Services{TSAURL: l.tsa, Trust: store, ContinueWithoutRevocation: l.continueLT}).Level(l.target), nil
}

// store returns the trust anchors: the VGCA root and the -trust files.
func (l *signLevelFlags) store() (*certstatus.TrustStore, error) {
	store := certstatus.DefaultTrustStore()
	for _, p := range l.trust {
		if _, err := store.AddPEMFile(p); err != nil {
			return nil, fmt.Errorf("-trust %s: %w", p, err)
		}
	}
	return store, nil
}

// chain returns how the signer's certificate chain is completed: up to the VGCA
// root or a -trust root, with AIA downloads unless -no-aia.
func (l *signLevelFlags) chain() (*kyso.ChainOptions, error) {
	store, err := l.store()
	if err != nil {
		return nil, err
	}
	return &kyso.ChainOptions{Trust: store, Offline: l.noAIA}, nil
}

// openSignFlagsSigner opens the key the flags name.
func openSignFlagsSigner(c *cli, f *signFlags) (token.Signer, error) {
	if f.csc.set() {
		return f.csc.open(c)
	}
	if f.pkcs11.set() {
		return f.pkcs11.open(c)
	}
	if f.p12Set {
		data, err := readLimited(f.p12, 1<<20)
		if err != nil {
			return nil, err
		}
		pw, err := envSecret(c, "-p12-pass-env", f.p12PassEnv)
		if err != nil {
			return nil, err
		}
		s, err := token.OpenPKCS12(data, pw)
		if err != nil {
			return nil, keyPasswordError(err, "-p12-pass-env", f.p12PassEnv, "the PKCS#12 file")
		}
		return s, nil
	}
	keyData, err := readLimited(f.keyPEM, 1<<20)
	if err != nil {
		return nil, err
	}
	var certData []byte
	if f.certPEM != "" {
		if certData, err = readLimited(f.certPEM, 1<<20); err != nil {
			return nil, err
		}
	}
	pw, err := envSecret(c, "-key-pass-env", f.keyPassEnv)
	if err != nil {
		return nil, err
	}
	s, err := token.OpenPEM(keyData, certData, pw)
	if err != nil {
		return nil, keyPasswordError(err, "-key-pass-env", f.keyPassEnv, "the PEM key")
	}
	return s, nil
}

func readLimited(path string, limit int64) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return data, nil
}

func runSign(ctx context.Context, c *cli, args []string) int {
	f, err := parseSignFlags(c, args)
	if code, ok := err.(exitCodeError); ok {
		return int(code)
	}
	if f.batch.set() {
		return runSignBatch(ctx, c, f)
	}
	sp, err := newSignPolicy(c, &f.policy)
	if err != nil {
		if code := policyErrCode(err); code == exitUsage {
			return usageLine(c, "kyso sign", err.Error())
		}
		printFailure(c, "kyso sign", err)
		return exitFailure
	}
	s, err := openSignFlagsSigner(c, f)
	if err != nil {
		printFailure(c, "kyso sign", fmt.Errorf("opening the key: %w", err))
		return exitFailure
	}
	if cl, ok := s.(io.Closer); ok { // a PKCS#11 token: release it when done
		defer cl.Close()
	}
	src, err := openInputPDF(c, f.in)
	if err != nil {
		printFailure(c, "kyso sign", err)
		return exitFailure
	}
	defer src.Close()
	in, size := src.r, src.size
	if src.isOutput(f.out) {
		return usageLine(c, "kyso sign", "-out names the input file; the input is never modified")
	}
	pdfPass, err := envSecret(c, "-in-pass-env", f.inPassEnv)
	if err != nil {
		printFailure(c, "kyso sign", err)
		return exitFailure
	}
	opts := &kyso.SignOptions{RSA: kyso.RSAPSS}
	if !f.pss {
		opts.RSA = kyso.RSAPKCS1v15
	}
	opts.Signature = signature.SignOptions{
		Hash: f.hashAlg, Name: f.name, Reason: f.reason, Location: f.location,
		ContactInfo: f.contact, Field: f.field, NewField: f.newField, Certify: f.certifyLevel,
		Password: pdfPass, ReserveUnsigned: f.reserveUnsigned,
	}
	if opts.Placement, err = f.placement.spec(f); err != nil {
		printFailure(c, "kyso sign", err)
		return exitFailure
	}
	if opts.Signature.Level, err = f.level.options(); err != nil {
		return usageLine(c, "kyso sign", err.Error())
	}
	if opts.Chain, err = f.level.chain(); err != nil {
		return usageLine(c, "kyso sign", err.Error())
	}
	if sp != nil {
		opts.Policy = sp.policy
	}
	var res *kyso.SignResult
	prog := startProgress(c, f.progress, "kyso sign: đang ký / signing")
	err = writeOutput(c, f.out, func(w io.Writer) error {
		var err error
		res, err = kyso.Sign(ctx, w, in, size, s, opts)
		return err
	})
	prog.end()
	if err != nil {
		printSignFailure(c, sp, pdfPasswordError(err, f.inPassEnv))
		return exitFailure
	}
	return printSignResult(c, f, s, res, sp)
}
