package main

import (
	"bytes"
	"context"
	"crypto"
	"errors"
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

	inputs := make([]string, len(docs))
	for i, d := range docs {
		inputs[i] = d.Input
	}
	prog := newProgress(e.log, e.c.progress, inputs, e.c.verbose)
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
			fmt.Fprintf(tw, "  %d\t%s\tLỖI / FAILED\t-\t%s\n", i+1, name, oneLine(failureReason(r.Err), 300))
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
	if e.c.verbose { // the errors themselves, for whoever looks into them
		for i, r := range results {
			if r.Err != nil {
				fmt.Fprintf(e.out, "  %d. %s chi tiết / detail: %s\n", i+1, filepath.Base(r.Input), oneLine(r.Err.Error(), 1000))
			}
		}
	}
	pins := e.tok.pinEntries.Load()
	fmt.Fprintf(e.out, "  Đã ký / signed %d/%d; lỗi / failed %d (không để lại tệp kết quả / no output left)\n", ok, len(results), len(results)-ok)
	fmt.Fprintf(e.out, "  Nhập PIN trong lô / PIN entries during the batch: %d; cả quy trình / whole run: %d (một lần đăng nhập / one login)\n", pins-pinBefore, pins)
	if ok != len(results)-1 {
		return fmt.Errorf("lô văn bản: %d/%d đã ký, mong đợi %d / batch: %d of %d signed, expected %d", ok, len(results), len(results)-1, ok, len(results), len(results)-1)
	}
	return nil
}

// reason is what a clerk reads about a failed document: what failed and what to do,
// in Vietnamese and in English.
type reason struct{ vi, en string }

// String is the reason on one line, Vietnamese first, English after " / ".
func (r reason) String() string { return r.vi + " / " + r.en }

// explainFailure says why a document of the batch failed and what to do, for a clerk
// and not a Go programmer: a damaged PDF, a missing signer block, a policy refusal
// with its reasons, the token, an interruption. known is false for any other error,
// whose reason is then a generic one (the error itself is the detail, shown with -v).
func explainFailure(err error) (r reason, known bool) {
	var (
		refusal *policy.RefusalError
		pin     *token.PINError
		csc     *token.CSCError
	)
	is := func(target error) bool { return errors.Is(err, target) }
	switch {
	case errors.As(err, &refusal):
		var vi, en []string
		for _, v := range refusal.Decision.Violations() {
			vi, en = append(vi, strings.TrimSuffix(v.MessageVI, ".")), append(en, strings.TrimSuffix(v.MessageEN, "."))
		}
		if len(vi) == 0 { // a refusal without a violation: the decision's own words
			return reason{"chính sách không cho ký: " + refusal.Decision.Vietnamese(), "refused by the signing policy"}, true
		}
		return reason{"chính sách không cho ký: " + strings.Join(vi, "; ") + "; văn bản này không ký trong lô",
			"refused by the signing policy: " + strings.Join(en, "; ") + "; this document is not signed in the batch"}, true
	case is(context.Canceled), is(context.DeadlineExceeded):
		return reason{"đã dừng theo yêu cầu, văn bản chưa được ký: chạy lại lô để ký",
			"interrupted before this document was signed: run the batch again to sign it"}, true
	case is(layout.ErrDocument), is(layout.ErrUnreadable), is(signature.ErrNotPDF), is(signature.ErrDocument):
		return reason{"tệp PDF hỏng, không đọc được: xuất lại tệp từ bản gốc rồi ký lại",
			"the PDF is damaged and cannot be read: export it again from the original and sign it again"}, true
	case is(layout.ErrAnchorNotFound):
		return reason{"không tìm thấy chức vụ và họ tên người ký (ô 7a, 7b) để đặt chữ ký: kiểm tra thể thức văn bản",
			"the signer's title and name (ô 7a, 7b) are not on the page: check the document's layout"}, true
	case is(layout.ErrAnchorAmbiguous):
		return reason{"chức vụ và họ tên người ký xuất hiện nhiều lần: ký riêng văn bản này và chọn vị trí chữ ký",
			"the signer's title and name appear more than once: sign this document alone and choose where the signature goes"}, true
	case errors.As(err, &pin), errors.As(err, &csc): // their messages speak both languages
		return reason{"thiết bị ký số không ký được: " + strings.TrimPrefix(err.Error(), "token: "), "the token did not sign"}, true
	case is(token.ErrTokenRemoved), is(token.ErrTokenNotPresent):
		return reason{"thiết bị ký số đã bị rút ra hoặc chưa cắm: cắm lại rồi chạy lại lô",
			"the token was removed or is not present: plug it in and run the batch again"}, true
	case is(signature.ErrTimestamp):
		return reason{"không lấy được dấu thời gian: kiểm tra kết nối tới máy chủ dấu thời gian rồi ký lại",
			"no time-stamp could be obtained: check the connection to the time-stamp server and sign again"}, true
	}
	return reason{"không ký được văn bản này (lỗi khác; -v cho biết chi tiết)",
		"this document could not be signed (another error; -v shows the detail)"}, false
}

// failureReason is the summary table's note for a failed document: the reason, and
// for an error explainFailure does not know, the error itself when it is short.
func failureReason(err error) string {
	r, known := explainFailure(err)
	if !known {
		if d := oneLine(err.Error(), 200); len([]rune(d)) <= 60 {
			return r.String() + ": " + d
		}
	}
	return r.String()
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
//
// A line about a document says which one it is by its number in the batch, the
// summary table's STT, whatever the order the events come in: "[7/7]
// quyet-dinh-hong.pdf: lỗi: … / failed: …". The signatures coming back from the token
// are counted on their own ("ký trên thiết bị / signed on the token: 3/6"). The bar
// shows the whole batch, never going back: each document counts three steps
// (prepared, signed on the token, written), a failed one all the steps it will not
// take; the label beside it is the last event, said as its line says it. A failure is
// always said on a line of its own, in Vietnamese then English; with verbose, the
// error itself follows on the next line.
type progress struct {
	w       io.Writer
	bar     bool
	verbose bool
	total   int
	number  map[string]int // a document's number in the batch, by input
	last    string
	lastLen int // runes of the last label, to blank what a shorter one leaves

	prepared                     map[string]bool
	prep, signed, signTotal      int
	written, failUnits, unitsWas int
}

// newProgress shows the progress of the batch of inputs, in that order.
func newProgress(w io.Writer, mode progressMode, inputs []string, verbose bool) *progress {
	bar := mode == progressBar
	if mode == progressAuto {
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				bar = true
			}
		}
	}
	p := &progress{w: w, bar: bar, verbose: verbose, total: len(inputs), number: map[string]int{}, prepared: map[string]bool{}}
	for i, in := range inputs {
		p.number[in] = i + 1
	}
	return p
}

// stageVI names a batch stage in Vietnamese and English.
var stageVI = map[kyso.BatchStage]string{
	kyso.BatchPrepared:  "chuẩn bị / prepared",
	kyso.BatchSigned:    "ký trên thiết bị / signed on the token",
	kyso.BatchCompleted: "hoàn tất / written",
	kyso.BatchFailed:    "lỗi / failed",
}

// describe says an event on one line, without the program's name.
func (p *progress) describe(ev kyso.BatchProgress) string {
	if ev.Stage == kyso.BatchSigned {
		return fmt.Sprintf("%s: %d/%d", stageVI[ev.Stage], ev.Done, ev.Total)
	}
	doc := filepath.Base(ev.Document)
	if n := p.number[ev.Document]; n > 0 {
		doc = fmt.Sprintf("[%d/%d] %s", n, p.total, doc)
	}
	if ev.Stage == kyso.BatchFailed && ev.Err != nil {
		r, _ := explainFailure(ev.Err)
		return fmt.Sprintf("%s: lỗi: %s / failed: %s", doc, r.vi, r.en)
	}
	return doc + ": " + stageVI[ev.Stage]
}

func (p *progress) update(ev kyso.BatchProgress) {
	line := p.describe(ev)
	detail := ""
	if p.verbose && ev.Err != nil {
		detail = "    chi tiết / detail: " + oneLine(ev.Err.Error(), 1000)
	}
	if !p.bar {
		fmt.Fprintln(p.w, "qlvb: "+line)
		if detail != "" {
			fmt.Fprintln(p.w, "qlvb:"+detail)
		}
		return
	}
	switch ev.Stage {
	case kyso.BatchPrepared:
		p.prep = max(p.prep, ev.Done)
		p.prepared[ev.Document] = true
	case kyso.BatchSigned:
		p.signed, p.signTotal = max(p.signed, ev.Done), ev.Total
	case kyso.BatchCompleted:
		p.written = max(p.written, ev.Done)
	case kyso.BatchFailed:
		switch {
		case !p.prepared[ev.Document]:
			p.failUnits += 3
		case p.signTotal > 0 && p.signed >= p.signTotal:
			p.failUnits++ // prepared and signed: only the writing is missing
		default:
			p.failUnits += 2
		}
	}
	const width = 30
	units := max(p.unitsWas, p.prep+p.signed+p.written+p.failUnits)
	p.unitsWas = units
	filled := 0
	if p.total > 0 {
		filled = min(width, width*units/(3*p.total))
	}
	label := line
	if ev.Stage == kyso.BatchFailed { // said in full on its own line below
		label = oneLine(p.describe(kyso.BatchProgress{Stage: ev.Stage, Document: ev.Document}), 60)
	}
	label = oneLine(label, 60)
	n := len([]rune(label))
	pad := strings.Repeat(" ", max(0, p.lastLen-n))
	p.lastLen = n
	var b bytes.Buffer
	fmt.Fprintf(&b, "\r[%s%s] %s%s", strings.Repeat("#", filled), strings.Repeat(".", width-filled), label, pad)
	p.last = b.String()
	io.WriteString(p.w, p.last)
	if ev.Stage == kyso.BatchFailed {
		fmt.Fprintf(p.w, "\n  %s\n", line)
		if detail != "" {
			fmt.Fprintln(p.w, detail)
		}
		p.lastLen = 0 // the bar starts a fresh line
	}
}

// done ends the bar's line.
func (p *progress) done() {
	if p.bar && p.last != "" {
		fmt.Fprintln(p.w)
	}
}
