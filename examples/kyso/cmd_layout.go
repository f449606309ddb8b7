package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/kyso-go/kyso/layout"
)

const layoutUsage = `usage: kyso layout <subcommand> [flags] FILE.pdf

subcommands:
  check    [-json] [-seal-mm N] FILE.pdf
           check a received PDF against Nghị định 30/2020 Phụ lục I: its visible
           signatures (signer image between title and name, seal colour, real size,
           overlap and side, attachment and copy stamps with their signing time) and
           its measurable thể thức (A4, margins, fonts, body size, page numbers, …);
           one finding per rule with its citation, Vietnamese and English message and
           the measured value
  anchors  FILE.pdf
           print the text lines found on each page with their boxes, and the
           candidate signer blocks (title ô 7a, name ô 7b)

exit status (check): 0 conforming (warnings allowed), 1 a rule is broken, 2 usage error,
3 the file cannot be read; (anchors): 0, 2 usage error, 3 unreadable`

// Exit statuses of kyso layout.
const (
	layoutBroken     = 1
	layoutUnreadable = 3
)

func runLayout(ctx context.Context, c *cli, args []string) int {
	if code, ok := subcommand(c, "kyso layout", layoutUsage, []string{"check", "anchors"}, args); !ok {
		return code
	}
	switch args[0] {
	case "check":
		return layoutCheck(ctx, c, args[1:])
	case "anchors":
		return layoutAnchors(ctx, c, args[1:])
	}
	return exitUsage // not reached: subcommand checked the name
}

// layoutFile opens the one file argument of a subcommand ("-": standard input).
func layoutFile(c *cli, fs *cmdFlags, args []string) (*inputPDF, int64, int, bool) {
	if code, ok := fs.parse(args, true); !ok {
		return nil, 0, code, false
	}
	if fs.NArg() != 1 {
		return nil, 0, fs.usageError("one PDF is required (FILE.pdf, or - for standard input)"), false
	}
	f, err := openInputPDF(c, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso layout: %v\n", err)
		return nil, 0, layoutUnreadable, false
	}
	return f, f.size, 0, true
}

func layoutCheck(ctx context.Context, c *cli, args []string) int {
	fs := newCmdFlags(c, "kyso layout check", layoutHelp["check"].text, layoutHelp["check"].exits)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	sealMM := fs.Float64("seal-mm", 0, "the real diameter of the organisation's seal in mm (default: accept 30–45 mm)")
	f, size, code, ok := layoutFile(c, fs, args)
	if !ok {
		return code
	}
	defer f.Close()
	rep, err := layout.Check(ctx, f, size, &layout.CheckOptions{SealDiameterMM: *sealMM})
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso layout check: %v\n", err)
		if errors.Is(err, layout.ErrUnreadable) {
			return layoutUnreadable
		}
		return exitFailure
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(c.stderr, "kyso layout check: %v\n", err)
			return exitFailure
		}
	} else {
		printLayoutReport(c.stdout, rep)
	}
	if !rep.Conforming() {
		return layoutBroken
	}
	return exitOK
}

// printLayoutReport prints the rules that do not hold, then a summary.
func printLayoutReport(w io.Writer, rep *layout.Report) {
	failed := rep.Failed()
	for _, f := range failed {
		where := ""
		if f.Page > 0 {
			where = fmt.Sprintf(" trang/page %d", f.Page)
		}
		if f.Field != "" {
			where += " field " + f.Field
		}
		fmt.Fprintf(w, "%s %s%s\n  %s\n  %s\n", map[layout.Severity]string{layout.SeverityError: "LỖI/ERROR", layout.SeverityWarning: "CẢNH BÁO/WARNING"}[f.Severity],
			f.Rule, where, f.MessageVI, f.Message)
		if f.Measured != "" {
			fmt.Fprintf(w, "  đo được/measured: %s\n", f.Measured)
		}
		if f.Accepted != "" {
			fmt.Fprintf(w, "  quy định/accepted: %s\n", f.Accepted)
		}
		fmt.Fprintf(w, "  căn cứ/citation: %s\n", f.Citation)
	}
	verdict := "ĐẠT / CONFORMING"
	if !rep.Conforming() {
		verdict = "KHÔNG ĐẠT / NOT CONFORMING"
	}
	fmt.Fprintf(w, "%s: %d quy tắc đã kiểm tra / rules checked, %d không đạt / not met, %d chữ ký số / signatures, %d trang / pages\n",
		verdict, len(rep.Findings), len(failed), len(rep.Measurement.Signatures), len(rep.Measurement.Pages))
}

func layoutAnchors(ctx context.Context, c *cli, args []string) int {
	fs := newCmdFlags(c, "kyso layout anchors", layoutHelp["anchors"].text, layoutHelp["anchors"].exits)
	f, size, code, ok := layoutFile(c, fs, args)
	if !ok {
		return code
	}
	defer f.Close()
	m, err := layout.Measure(ctx, f, size, nil)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso layout anchors: %v\n", err)
		if errors.Is(err, layout.ErrUnreadable) {
			return layoutUnreadable
		}
		return exitFailure
	}
	printAnchors(c.stdout, m)
	return exitOK
}

// printAnchors prints what was found on the pages: the text lines with their boxes
// (points, [llx lly urx ury] in the page as displayed, origin lower left) and the
// candidate signer blocks.
// It is kept small so that the anchor finder of the layout package can replace it.
func printAnchors(w io.Writer, m *layout.Measurement) {
	for _, p := range m.Pages {
		fmt.Fprintf(w, "page %d (%.0f × %.0f pt, rotate %d)\n", p.Number, p.Width, p.Height, p.Rotate)
		for _, l := range p.Lines {
			fmt.Fprintf(w, "  [%6.1f %6.1f %6.1f %6.1f] %4.1fpt %q\n", l.BBox[0], l.BBox[1], l.BBox[2], l.BBox[3], l.Size, l.Text)
		}
	}
	for _, b := range m.CandidateBlocks {
		g := b.Gap()
		fmt.Fprintf(w, "signer block on page %d:\n", b.Page)
		for _, t := range b.Title {
			fmt.Fprintf(w, "  7a title [%6.1f %6.1f %6.1f %6.1f] %q\n", t.BBox[0], t.BBox[1], t.BBox[2], t.BBox[3], t.Text)
		}
		fmt.Fprintf(w, "  7c gap   [%6.1f %6.1f %6.1f %6.1f]\n", g[0], g[1], g[2], g[3])
		fmt.Fprintf(w, "  7b name  [%6.1f %6.1f %6.1f %6.1f] %q\n", b.Name.BBox[0], b.Name.BBox[1], b.Name.BBox[2], b.Name.BBox[3], b.Name.Text)
	}
	if len(m.CandidateBlocks) == 0 {
		fmt.Fprintln(w, "no signer block (title above a gap above a name) found")
	}
}
