package main

import (
	"bytes"
	"context"
	"crypto"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/token"
)

// brokenName is the batch's broken input: a PDF cut short, as a failed upload leaves it.
const brokenName = "quyet-dinh-hong.pdf"

// batch is step 6: a folder of decisions signed by the leader with the one token
// login made in step 0 — one PIN entry for the whole run — each signature placed in
// its own document's signer block and checked by the policy. A broken document fails
// alone and leaves no output.
func (e *env) batch(ctx context.Context) error {
	e.step(6, "Ký số hàng loạt", "batch signing with one token login")
	in, out := e.path(dirBatchIn), e.path(dirBatchOut)
	for _, d := range []string{in, out} { // this program's own folders, made anew
		if err := os.RemoveAll(d); err != nil {
			return err
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	now := time.Now().In(vn)
	var docs []kyso.BatchDocument
	add := func(name string, data []byte) error {
		if err := writeFile(filepath.Join(in, name), data); err != nil {
			return err
		}
		docs = append(docs, kyso.BatchDocument{Input: filepath.Join(in, name), Output: filepath.Join(out, name)})
		return nil
	}
	var last []byte
	for i := range e.c.batch {
		d := batchDecision(i)
		pdf, err := renderDecision(e.reg, d, e.leaderName(), now)
		if err != nil {
			return err
		}
		if err := add(fmt.Sprintf("quyet-dinh-%03d.pdf", 100+i), pdf); err != nil {
			return err
		}
		last = pdf
	}
	// The broken one: the first kilobytes of a decision, the rest lost.
	if err := add(brokenName, last[:min(len(last), 2048)]); err != nil {
		return err
	}
	pinBefore := e.tok.pinEntries.Load()
	fmt.Fprintf(e.out, "  %d văn bản trong / documents in %s (1 tệp hỏng cố ý / one broken on purpose)\n", len(docs), in)

	prog := newProgress(e.log, e.c.progress, len(docs))
	leader := e.leaderFacts(policy.Document{Kind: policy.DocAdministrative})
	placed := map[string]*layout.Placement{} // by input
	var placedMu sync.Mutex
	results, err := kyso.SignBatch(ctx, token.Batch(e.tok.signer), docs, &kyso.BatchOptions{
		Progress: prog.update,
		Sign: kyso.SignOptions{
			Signature: signature.SignOptions{Hash: crypto.SHA256, Name: e.leaderName(), Reason: "Ký ban hành văn bản",
				Location: "Quảng Ninh", NewField: "Chữ ký lãnh đạo", Level: e.level},
			Policy: &kyso.Policy{Engine: e.engine, Facts: leader.Request},
		},
		// Each document's signature goes in that document's own signer block.
		Document: func(ctx context.Context, d kyso.BatchDocument, r io.ReaderAt, size int64, opts *kyso.SignOptions) error {
			p, err := layout.Place(ctx, r, size, layout.Spec{Kind: layout.Signer, Image: e.sigPNG, SignerTitle: signerTitle, SignerName: e.leaderName()})
			if err != nil {
				return fmt.Errorf("đặt chữ ký / placing the signature: %w", err)
			}
			placedMu.Lock()
			placed[d.Input] = p
			placedMu.Unlock()
			opts.Signature.Widget = &signature.Widget{Page: p.Page, Rect: p.Rect, Appearance: p}
			return nil
		},
	})
	prog.done()
	if err != nil {
		return fmt.Errorf("ký số hàng loạt / batch signing: %w", err)
	}

	// The summary table.
	tw := tabwriter.NewWriter(e.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  STT\tTệp / File\tKết quả / Result\tTrang / Page\tGhi chú / Note")
	ok := 0
	for i, r := range results {
		name := filepath.Base(r.Input)
		if r.Err != nil {
			fmt.Fprintf(tw, "  %d\t%s\tLỖI / FAILED\t-\t%s\n", i+1, name, oneLine(r.Err.Error(), 90))
			if _, err := os.Stat(r.Output); err == nil {
				return fmt.Errorf("%s failed but left %s", name, r.Output)
			}
			continue
		}
		ok++
		page := "-"
		if p := placed[r.Input]; p != nil {
			page = fmt.Sprintf("%d [%.0f %.0f %.0f %.0f]", p.Page, p.Rect[0], p.Rect[1], p.Rect[2], p.Rect[3])
		}
		note := ""
		if r.Decision != nil && r.Decision.Allowed {
			note = "chính sách: được phép / policy: allowed"
		}
		fmt.Fprintf(tw, "  %d\t%s\tĐÃ KÝ / SIGNED\t%s\t%s\n", i+1, name, page, note)
		e.signed = append(e.signed, filepath.Join(dirBatchOut, name))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	pins := e.tok.pinEntries.Load()
	fmt.Fprintf(e.out, "  Đã ký / signed %d/%d; lỗi / failed %d (không để lại tệp kết quả / no output left)\n", ok, len(results), len(results)-ok)
	fmt.Fprintf(e.out, "  Nhập PIN trong lô / PIN entries during the batch: %d; cả quy trình / whole run: %d (một lần đăng nhập / one login)\n", pins-pinBefore, pins)
	if ok != len(results)-1 {
		return fmt.Errorf("lô văn bản: %d/%d đã ký, mong đợi %d / batch: %d of %d signed, expected %d", ok, len(results), len(results)-1, ok, len(results), len(results)-1)
	}
	return nil
}

// oneLine shortens s to one line of at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// progress shows the batch's progress on w: a bar redrawn in place on a terminal,
// one line per event otherwise (a log file, a pipe, CI).
type progress struct {
	w     io.Writer
	bar   bool
	total int
	last  string
}

func newProgress(w io.Writer, mode progressMode, total int) *progress {
	bar := mode == progressBar
	if mode == progressAuto {
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				bar = true
			}
		}
	}
	return &progress{w: w, bar: bar, total: total}
}

// stageVI names a batch stage in Vietnamese and English.
var stageVI = map[kyso.BatchStage]string{
	kyso.BatchPrepared:  "chuẩn bị / prepared",
	kyso.BatchSigned:    "ký trên thiết bị / signed on the token",
	kyso.BatchCompleted: "hoàn tất / written",
	kyso.BatchFailed:    "lỗi / failed",
}

func (p *progress) update(ev kyso.BatchProgress) {
	name := filepath.Base(ev.Document)
	if !p.bar {
		line := fmt.Sprintf("qlvb: [%d/%d] %s", ev.Done, ev.Total, stageVI[ev.Stage])
		if name != "." && name != "" {
			line += " " + name
		}
		if ev.Err != nil {
			line += ": " + oneLine(ev.Err.Error(), 120)
		}
		fmt.Fprintln(p.w, line)
		return
	}
	const width = 30
	filled := 0
	if ev.Total > 0 {
		filled = width * ev.Done / ev.Total
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "\r[%s%s] %3d/%d %-40s", strings.Repeat("#", filled), strings.Repeat(".", width-filled), ev.Done, ev.Total, stageVI[ev.Stage])
	p.last = b.String()
	io.WriteString(p.w, p.last)
	if ev.Stage == kyso.BatchFailed {
		fmt.Fprintf(p.w, "\n  lỗi / failed %s: %s\n", name, oneLine(ev.Err.Error(), 120))
	}
}

// done ends the bar's line.
func (p *progress) done() {
	if p.bar && p.last != "" {
		fmt.Fprintln(p.w)
	}
}
