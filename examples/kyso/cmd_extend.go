package main

import (
	"context"
	"crypto"
	"fmt"
	"io"
	"time"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/signature"
)

const extendUsage = `usage: kyso extend -in IN.pdf -out OUT.pdf -tsa URL [-trust PEM ...] [-lt] [-continue-without-revocation] [-hash sha256|sha384|sha512] [-in-pass-env VAR] [-json] [-progress]

Renews a signed PDF for long-term archiving (PAdES B-LTA): appends a /DSS with the
certificates, OCSP responses and CRLs that validate every signature and time-stamp in
IN.pdf, then a document time-stamp from the TSA over the whole file. Every earlier
signature stays valid; IN.pdf is never modified and OUT.pdf is written only when
everything succeeded. Run it again before the last time-stamp's certificate expires.

-in - reads the document from standard input, -out - writes it to standard output
(only once everything succeeded). An encrypted PDF is opened with the password in the
environment variable named by -in-pass-env.

Trust: the VGCA root (RootCA chuyên dùng Chính phủ G2) plus every -trust PEM file; the
roots are also embedded in the DSS so the chain can be rebuilt offline.

-json prints one object on stdout: input, output, level (B-LT or B-LTA), size,
certificates, ocspResponses, crls (the streams added to the DSS), timestampTime and
tsa (the new document time-stamp), missing (certificates left without revocation data,
with -continue-without-revocation) and warnings.
`

const extendExitCodes = `exit status:
  0  extended
  1  failed (unreadable, encrypted without the right password or unsigned input,
     revocation data or time-stamp unavailable, output not writable)
  2  usage error (including -out naming the input)
`

// extendJSON is what "kyso extend -json" prints.
type extendJSON struct {
	Input         string     `json:"input"`
	Output        string     `json:"output"`
	Level         string     `json:"level"` // B-LT or B-LTA
	Size          int64      `json:"size"`
	Certificates  int        `json:"certificates"`  // certificates added to the DSS
	OCSPResponses int        `json:"ocspResponses"` // OCSP responses added
	CRLs          int        `json:"crls"`          // CRLs added
	TimestampTime *time.Time `json:"timestampTime,omitempty"`
	TSA           string     `json:"tsa,omitempty"`
	Missing       []string   `json:"missing"`  // never null
	Warnings      []string   `json:"warnings"` // never null
}

// runExtend implements "kyso extend".
func runExtend(ctx context.Context, c *cli, args []string) int {
	fs := newCmdFlags(c, "kyso extend", extendUsage, extendExitCodes)
	in := fs.String("in", "", "the signed PDF `file` to extend (- for standard input)")
	out := fs.String("out", "", "where to write the extended PDF (`file`, - for standard output)")
	tsa := fs.String("tsa", "", "`URL` of the RFC 3161 time-stamping authority (e.g. "+certstatus.DefaultTSAURL+")")
	ltOnly := fs.Bool("lt", false, "add the DSS only (PAdES B-LT), no document time-stamp")
	cont := fs.Bool("continue-without-revocation", false, "embed what can be obtained when some revocation data is unavailable, with a warning")
	hashName := fs.String("hash", "sha256", "digest of the document time-stamp: sha256, sha384 or sha512")
	var passEnv string
	registerInPassEnv(c, "kyso extend", fs.FlagSet, &passEnv)
	asJSON := fs.Bool("json", false, "print one JSON object on stdout (keys in the description above)")
	showProgress := fs.Bool("progress", false, "show progress on stderr even when it is not a terminal")
	var trust []string
	fs.Func("trust", "a PEM `file` of trusted root certificates (repeatable)", func(s string) error {
		trust = append(trust, s)
		return nil
	})
	if code, ok := fs.parse(args, false); !ok {
		return code
	}
	hashes := map[string]crypto.Hash{"sha256": crypto.SHA256, "sha384": crypto.SHA384, "sha512": crypto.SHA512}
	h, okHash := hashes[*hashName]
	var problems []string
	if *in == "" || *out == "" {
		problems = append(problems, "-in and -out are required")
	}
	if *tsa == "" && !*ltOnly {
		problems = append(problems, "-tsa URL is required (or -lt for the DSS only)")
	}
	if !okHash {
		problems = append(problems, fmt.Sprintf("-hash %q: want sha256, sha384 or sha512", *hashName))
	}
	if *in == *out && *in != "" && *in != "-" {
		problems = append(problems, "-out must differ from -in (the input is never modified)")
	}
	if *asJSON && *out == "-" {
		problems = append(problems, "-json and -out - both write to standard output: give -out FILE")
	}
	if len(problems) > 0 {
		return fs.usageProblems(problems)
	}
	store := certstatus.DefaultTrustStore()
	for _, p := range trust {
		if _, err := store.AddPEMFile(p); err != nil {
			return fs.usageError("-trust %s: %v", p, err)
		}
	}
	opts := (&kyso.Services{TSAURL: *tsa, Trust: store, ContinueWithoutRevocation: *cont}).Extend(!*ltOnly)
	opts.Hash = h
	pw, err := envSecret(c, "-in-pass-env", passEnv)
	if err != nil {
		printFailure(c, "kyso extend", err)
		return exitFailure
	}
	opts.Password = pw

	src, err := openInputPDF(c, *in)
	if err != nil {
		printFailure(c, "kyso extend", err)
		return exitFailure
	}
	defer src.Close()
	if src.isOutput(*out) {
		return fs.usageError("-out names the input file; the input is never modified")
	}
	var res *signature.ExtendResult
	prog := startProgress(c, *showProgress, "kyso extend: đang gia hạn / extending")
	err = writeOutput(c, *out, func(w io.Writer) error {
		var err error
		res, err = signature.Extend(ctx, w, src.r, src.size, opts)
		return err
	})
	prog.end()
	if err != nil {
		err = pdfPasswordError(err, passEnv)
		printFailure(c, "kyso extend", err)
		return exitFailure
	}
	level := "B-LTA"
	if *ltOnly {
		level = "B-LT"
	}
	if *asJSON {
		j := extendJSON{Input: *in, Output: *out, Level: level, Size: res.Size, Certificates: res.Certs,
			OCSPResponses: res.OCSPs, CRLs: res.CRLs, Missing: []string{}, Warnings: append([]string{}, res.Warnings...)}
		for _, m := range res.Missing {
			j.Missing = append(j.Missing, m.String())
		}
		if ts := res.DocTimestamp; ts != nil {
			t := ts.Time
			j.TimestampTime, j.TSA = &t, ts.TSA
		}
		if err := writeJSON(c.stdout, j); err != nil {
			printFailure(c, "kyso extend", err)
			return exitFailure
		}
		return exitOK
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(c.stderr, "kyso extend: warning: %s\n", w)
	}
	w := c.stdout
	if *out == "-" {
		w = c.stderr // the document is on stdout
	}
	fmt.Fprintf(w, "%s: %s, DSS +%d certificates, +%d OCSP responses, +%d CRLs, %d bytes\n",
		outputName(*out), level, res.Certs, res.OCSPs, res.CRLs, res.Size)
	return exitOK
}
