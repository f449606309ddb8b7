package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/signature"
)

// Exit statuses of kyso verify (they differ from the other commands').
const (
	verifyPassed        = 0 // every signature TOTAL_PASSED
	verifyFailed        = 1 // some signature TOTAL_FAILED
	verifyIndeterminate = 2 // otherwise (some INDETERMINATE), or a usage error
	verifyUnreadable    = 3 // not a readable PDF, or no signature
)

const verifyUsage = `usage: kyso verify [-json] [-trust PEM ...] [-offline] [-status-warning] [-in-pass-env VAR] [-lang vi|en] [-at TIME] FILE.pdf|-

Verifies every signature and document time-stamp in FILE.pdf: integrity (ByteRange,
digest, signature value), what later revisions changed, the signing time (time-stamp or
the claimed time), the certification path to a trusted root at that time, and the
revocation status (from the document's DSS first, then online unless -offline). The
verdict per signature uses ETSI EN 319 102-1 indications (TOTAL_PASSED, TOTAL_FAILED,
INDETERMINATE) with sub-indications, as EU DSS names them.

Output is in Vietnamese (English with -lang en); -json prints one object
{"signatures": [...]} with, per signature: field, kind (signature | doc-timestamp),
indication, subIndication, level (B-B, B-T, B-LT, B-LTA), signer (commonName, …),
signingTime, timestampTime, coversWholeDocument, revision, modification (none,
lta-updates, form-filling, annotations, other) and checks (name, result, message_vi,
message_en).

When the revocation status cannot be determined the verdict is INDETERMINATE/TRY_LATER
(ETSI); with -status-warning it is a warning only, as Thông tư 15/2025 describes.

Trust: the VGCA root (RootCA chuyên dùng Chính phủ G2) plus every -trust PEM file.

FILE.pdf "-" reads the document from standard input. An encrypted PDF is opened with
the password in the environment variable named by -in-pass-env (-password-env, its
former name, still works).
`

const verifyExitCodes = `exit status:
  0  every signature is TOTAL_PASSED
  1  some signature is TOTAL_FAILED
  2  otherwise: some signature is INDETERMINATE (or a usage error)
  3  FILE.pdf is not a readable PDF or holds no signature
`

// runVerify implements "kyso verify".
func runVerify(ctx context.Context, c *cli, args []string) int {
	fs := newCmdFlags(c, "kyso verify", verifyUsage, verifyExitCodes)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	offline := fs.Bool("offline", false, "use only revocation data inside the document (DSS); no network")
	lang := fs.String("lang", "vi", "language of the human output: vi or en")
	at := fs.String("at", "", "validate at this time (RFC 3339) instead of now")
	var passEnv string
	registerInPassEnv(c, "kyso verify", fs.FlagSet, &passEnv)
	showProgress := fs.Bool("progress", false, "show progress on stderr even when it is not a terminal")
	statusWarning := fs.Bool("status-warning", false, "an undeterminable revocation status is a warning, not INDETERMINATE/TRY_LATER")
	var trust []string
	fs.Func("trust", "a PEM `file` of trusted root certificates (repeatable)", func(s string) error {
		trust = append(trust, s)
		return nil
	})
	if code, ok := fs.parse(args, true); !ok {
		return code // exitUsage is verifyIndeterminate
	}
	switch {
	case fs.NArg() == 0:
		return fs.usageError("the PDF to verify is required (FILE.pdf, or - for standard input)")
	case fs.NArg() > 1:
		return fs.usageError("one PDF at a time; unexpected argument %q", fs.Arg(1))
	case *lang != "vi" && *lang != "en":
		return fs.usageError("-lang %q: want vi or en", *lang)
	}
	now := time.Now()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return fs.usageError("-at: %v", err)
		}
		now = t
	}

	store := certstatus.DefaultTrustStore()
	for _, p := range trust {
		if _, err := store.AddPEMFile(p); err != nil {
			return fs.usageError("-trust %s: %v", p, err)
		}
	}
	opts := &kyso.VerifyOptions{Trust: store, Offline: *offline, Time: now, AllowMissingRevocation: *statusWarning}
	pw, err := envSecret(c, "-in-pass-env", passEnv)
	if err != nil {
		printFailure(c, "kyso verify", err)
		return verifyUnreadable
	}
	opts.Password = pw

	path := fs.Arg(0)
	src, err := openInputPDF(c, path)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso verify: %v\n", err)
		return verifyUnreadable
	}
	defer src.Close()
	prog := startProgress(c, *showProgress, "kyso verify: đang kiểm tra / verifying")
	rep, err := kyso.Verify(ctx, src.r, src.size, opts)
	prog.end()
	switch {
	case errors.Is(err, signature.ErrNoSignatures):
		fmt.Fprintf(c.stderr, "kyso verify: %s: %s\n", path, pick(*lang, "tài liệu không có chữ ký số", "the document has no signature"))
		return verifyUnreadable
	case errors.Is(err, signature.ErrNotPDF):
		fmt.Fprintf(c.stderr, "kyso verify: %s: %s (%v)\n", path, pick(*lang, "không đọc được tệp PDF", "not a readable PDF"), err)
		return verifyUnreadable
	case errors.Is(err, signature.ErrWrongPassword):
		printFailure(c, "kyso verify", pdfPasswordError(err, passEnv))
		return verifyUnreadable
	case err != nil:
		fmt.Fprintf(c.stderr, "kyso verify: %v\n", err)
		return verifyUnreadable
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(c.stderr, "kyso verify: %v\n", err)
			return verifyIndeterminate
		}
	} else if err := rep.WriteText(c.stdout, *lang); err != nil {
		fmt.Fprintf(c.stderr, "kyso verify: %v\n", err)
		return verifyIndeterminate
	}
	switch {
	case rep.AllPassed():
		return verifyPassed
	case rep.AnyFailed():
		return verifyFailed
	}
	return verifyIndeterminate
}

func pick(lang, vi, en string) string {
	if lang == "en" {
		return en
	}
	return vi
}
