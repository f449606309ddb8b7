package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

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
  anchors  [-title TEXT] [-name TEXT] [-lines] FILE.pdf
           print the signer blocks layout's anchor finder (layout.FindSigner) finds:
           page, title box (ô 7a), name box (ô 7b) and the gap between them where
           the signature image goes (ô 7c); every block on the pages, or only the
           signer -name (and -title) given; when none is found (or with -lines), the
           text lines the extractor found on each page, with their boxes

exit status (check): 0 conforming (warnings allowed), 1 a rule is broken, 2 usage error,
3 the file cannot be read; (anchors): 0 a block found (or none asked for), 1 the signer
given by -name not found, 2 usage error, 3 unreadable`

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
		printFailure(c, fs.name, err)
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
		printFailure(c, "kyso layout check", err)
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
	title := fs.String("title", "", "the signer's title as printed (ô 7a), lines separated by \\n, e.g. \"KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH\" (with -name)")
	name := fs.String("name", "", "look only for the signer block of this `name` (ô 7b)")
	lines := fs.Bool("lines", false, "also print the text lines found on each page")
	f, size, code, ok := layoutFile(c, fs, args)
	if !ok {
		return code
	}
	defer f.Close()
	if *title != "" && *name == "" {
		return fs.usageError("-title needs -name")
	}
	m, err := layout.Measure(ctx, f, size, nil)
	if err != nil {
		printFailure(c, "kyso layout anchors", err)
		if errors.Is(err, layout.ErrUnreadable) {
			return layoutUnreadable
		}
		return exitFailure
	}
	var blocks []*layout.SignerBlock
	if *name != "" {
		b, err := layout.FindSigner(ctx, f, size, unescapeNewlines(*title), *name, nil)
		if err != nil {
			var ae *layout.AnchorError
			if !errors.As(err, &ae) {
				fmt.Fprintf(c.stderr, "kyso layout anchors: %v\n", err)
				return exitFailure
			}
			fmt.Fprintln(c.stdout, ae.Error())
		} else {
			blocks = append(blocks, b)
		}
	} else {
		blocks = anchorBlocks(ctx, f, size, m)
	}
	printAnchors(c.stdout, m, blocks, *lines)
	if *name != "" && len(blocks) == 0 {
		return exitFailure
	}
	return exitOK
}

// anchorBlocks finds every signer block on the pages with layout's anchor finder:
// each candidate the measurement saw (a title above a gap above a name) is looked up
// with layout.FindSigner on its page, which confirms it and measures it as Place
// does. A candidate the finder does not confirm (ambiguous, say) is left out.
func anchorBlocks(ctx context.Context, r io.ReaderAt, size int64, m *layout.Measurement) []*layout.SignerBlock {
	var out []*layout.SignerBlock
	seen := map[string]bool{}
	for _, cb := range m.CandidateBlocks {
		var title []string
		for _, l := range cb.Title {
			title = append(title, l.Text)
		}
		b, err := layout.FindSigner(ctx, r, size, strings.Join(title, "\n"), cb.Name.Text, &layout.FindOptions{Page: cb.Page})
		if err != nil {
			continue
		}
		key := fmt.Sprintf("%d %.1f %.1f", b.Page, b.Name.Rect[0], b.Name.Rect[1])
		if !seen[key] {
			seen[key] = true
			out = append(out, b)
		}
	}
	return out
}

// printAnchors prints the signer blocks found (page, the title's box ô 7a and its
// lines, the gap ô 7c, the name's box ô 7b; points, [llx lly urx ury] in the page as
// displayed, origin lower left) and, when none was found or withLines is set, the text
// lines on every page as the extractor found them.
func printAnchors(w io.Writer, m *layout.Measurement, blocks []*layout.SignerBlock, withLines bool) {
	for i, b := range blocks {
		fmt.Fprintf(w, "signer block %d on page %d (layout.FindSigner):\n", i+1, b.Page)
		if len(b.Title) > 0 {
			box := b.Title[0].Rect
			for _, l := range b.Title[1:] {
				box = [4]float64{min(box[0], l.Rect[0]), min(box[1], l.Rect[1]), max(box[2], l.Rect[2]), max(box[3], l.Rect[3])}
			}
			fmt.Fprintf(w, "  7a title [%6.1f %6.1f %6.1f %6.1f]\n", box[0], box[1], box[2], box[3])
			for _, l := range b.Title {
				fmt.Fprintf(w, "           [%6.1f %6.1f %6.1f %6.1f] %4.1fpt %q\n", l.Rect[0], l.Rect[1], l.Rect[2], l.Rect[3], l.Size, l.Text)
			}
		}
		g := b.Gap
		fmt.Fprintf(w, "  7c gap   [%6.1f %6.1f %6.1f %6.1f] %.1f × %.1f pt (%.1f × %.1f mm)\n", g[0], g[1], g[2], g[3],
			g[2]-g[0], g[3]-g[1], (g[2]-g[0])*25.4/72, (g[3]-g[1])*25.4/72)
		n := b.Name
		fmt.Fprintf(w, "  7b name  [%6.1f %6.1f %6.1f %6.1f] %4.1fpt %q\n", n.Rect[0], n.Rect[1], n.Rect[2], n.Rect[3], n.Size, n.Text)
	}
	if len(blocks) > 0 && !withLines {
		return
	}
	if len(blocks) == 0 {
		fmt.Fprintln(w, "no signer block (title ô 7a above a gap above a name ô 7b) found; the text lines on each page:")
	}
	for _, p := range m.Pages {
		fmt.Fprintf(w, "page %d (%.0f × %.0f pt, rotate %d)\n", p.Number, p.Width, p.Height, p.Rotate)
		for _, l := range p.Lines {
			fmt.Fprintf(w, "  [%6.1f %6.1f %6.1f %6.1f] %4.1fpt %q\n", l.BBox[0], l.BBox[1], l.BBox[2], l.BBox[3], l.Size, l.Text)
		}
	}
}
