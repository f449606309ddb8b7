package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/token"
)

// signBatchFlags are the flags of "kyso sign -in-dir DIR -out-dir DIR2": every PDF of
// DIR signed into DIR2 under one authorisation (CSC) or one login (PKCS#11).
type signBatchFlags struct {
	inDir, outDir string
}

// maxBatchFiles bounds the documents of one batch.
const maxBatchFiles = 10000

func (b *signBatchFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&b.inDir, "in-dir", "", "sign every PDF in this `directory` (instead of -in), with one authorisation (-csc) or one login (-pkcs11)")
	fs.StringVar(&b.outDir, "out-dir", "", "with -in-dir: write the signed PDFs, under the same names, into this `directory` (created if missing)")
}

func (b *signBatchFlags) set() bool { return b.inDir != "" || b.outDir != "" }

// problems lists the usage errors of a batch; in and out are -in and -out.
func (b *signBatchFlags) problems(in, out string) []string {
	var p []string
	switch {
	case in != "" || out != "":
		p = append(p, "give -in/-out (one document) or -in-dir/-out-dir (a batch), not both")
	case b.inDir == "" || b.outDir == "":
		p = append(p, "-in-dir and -out-dir go together")
	case filepath.Clean(b.inDir) == filepath.Clean(b.outDir):
		p = append(p, "-out-dir must differ from -in-dir (the inputs are never modified)")
	}
	return p
}

// batchInputs lists the PDF files of dir, sorted.
func batchInputs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !strings.EqualFold(filepath.Ext(e.Name()), ".pdf") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		mode := e.Type()
		if mode&fs.ModeSymlink != 0 { // a link to a PDF is signed; a broken one fails visibly instead of vanishing
			st, err := os.Stat(filepath.Join(dir, e.Name()))
			if err != nil {
				names = append(names, e.Name())
				continue
			}
			mode = st.Mode().Type()
		}
		if mode.IsRegular() { // never a directory, a FIFO or a device
			names = append(names, e.Name())
		}
	}
	if len(names) > maxBatchFiles {
		return nil, fmt.Errorf("%s holds %d PDFs; at most %d per batch", dir, len(names), maxBatchFiles)
	}
	sort.Strings(names)
	return names, nil
}

// runSignBatch signs every PDF of -in-dir into -out-dir: progress on stderr, a summary
// on stdout; exit 1 when some document failed (it has no output file).
func runSignBatch(ctx context.Context, c *cli, f *signFlags) int {
	names, err := batchInputs(f.batch.inDir)
	if err != nil {
		printFailure(c, "kyso sign", fmt.Errorf("-in-dir: %w", err))
		return exitFailure
	}
	if len(names) == 0 {
		fmt.Fprintf(c.stderr, "kyso sign: không có tệp PDF nào trong %s / no PDF file in %s\n", f.batch.inDir, f.batch.inDir)
		return exitFailure
	}
	if err := os.MkdirAll(f.batch.outDir, 0o755); err != nil {
		printFailure(c, "kyso sign", fmt.Errorf("-out-dir: %w", err))
		return exitFailure
	}
	if a, err := os.Stat(f.batch.inDir); err == nil {
		if b, err := os.Stat(f.batch.outDir); err == nil && os.SameFile(a, b) {
			fmt.Fprintln(c.stderr, "kyso sign: -out-dir là chính -in-dir; tệp đầu vào không bao giờ bị sửa / -out-dir is -in-dir; the inputs are never modified")
			return exitUsage
		}
	}
	pdfPass, err := envSecret(c, "-in-pass-env", f.inPassEnv)
	if err != nil {
		printFailure(c, "kyso sign", err)
		return exitFailure
	}
	opts := kyso.SignOptions{RSA: kyso.RSAPSS}
	if !f.pss {
		opts.RSA = kyso.RSAPKCS1v15
	}
	opts.Signature = signature.SignOptions{
		Hash: f.hashAlg, Name: f.name, Reason: f.reason, Location: f.location,
		ContactInfo: f.contact, Field: f.field, NewField: f.newField, Certify: f.certifyLevel,
		Password: pdfPass, ReserveUnsigned: f.reserveUnsigned,
	}
	// layout places the visible signature in each document (the root package reads
	// each document's own signature block).
	if opts.Placement, err = f.placement.spec(f); err != nil {
		fmt.Fprintln(c.stderr, "kyso sign:", err)
		return exitFailure
	}
	if opts.Signature.Level, err = f.level.options(); err != nil {
		fmt.Fprintln(c.stderr, "kyso sign:", err)
		return exitUsage
	}
	if opts.Chain, err = f.level.chain(); err != nil {
		fmt.Fprintln(c.stderr, "kyso sign:", err)
		return exitUsage
	}
	sp, err := newSignPolicy(c, &f.policy)
	if err != nil {
		fmt.Fprintln(c.stderr, "kyso sign:", err)
		return policyErrCode(err)
	}
	if sp != nil { // asked for each document, with its own existing signatures
		p := *sp.policy
		p.Decided = nil // the workers decide at once; each result carries its decision
		opts.Policy = &p
	}
	s, err := openSignFlagsSigner(c, f)
	if err != nil {
		printFailure(c, "kyso sign", fmt.Errorf("opening the key: %w", err))
		return exitFailure
	}
	if cl, ok := s.(io.Closer); ok {
		defer cl.Close()
	}
	docs := make([]kyso.BatchDocument, len(names))
	for i, n := range names {
		docs[i] = kyso.BatchDocument{Input: filepath.Join(f.batch.inDir, n), Output: filepath.Join(f.batch.outDir, n)}
	}
	how := "one key file opened once" // -p12 or -key: no login to count
	switch {
	case f.csc.set():
		how = "one authorisation"
	case f.pkcs11.set():
		how = "one login"
	}
	fmt.Fprintf(c.stderr, "kyso sign: %d documents from %s, signed by %q with %s\n", len(docs), f.batch.inDir, s.Certificate().Subject.CommonName, how)
	workers := 4
	results, err := kyso.SignBatch(ctx, token.Batch(s), docs, &kyso.BatchOptions{Sign: opts, Workers: workers, Output: outputOptions, Progress: func(p kyso.BatchProgress) {
		switch p.Stage {
		case kyso.BatchPrepared:
			fmt.Fprintf(c.stderr, "kyso sign: [%d/%d] prepared %s\n", p.Done, p.Total, filepath.Base(p.Document))
		case kyso.BatchSigned:
			fmt.Fprintf(c.stderr, "kyso sign: [%d/%d] signatures received\n", p.Done, p.Total)
		case kyso.BatchCompleted:
			fmt.Fprintf(c.stderr, "kyso sign: [%d/%d] signed %s\n", p.Done, p.Total, filepath.Base(p.Document))
		case kyso.BatchFailed:
			fmt.Fprintf(c.stderr, "kyso sign: LỖI / FAILED %s: %s\n", filepath.Base(p.Document), userMessage(p.Err))
		}
	}})
	if err != nil {
		printFailure(c, "kyso sign", err)
		return exitFailure
	}
	ok := 0
	for _, r := range results {
		if r.Err == nil {
			ok++
		}
	}
	if len(results) > 0 && results[0].ChainWarning != nil { // the same for the whole batch
		fmt.Fprintln(c.stderr, "kyso sign: warning:", results[0].ChainWarning.String())
	}
	fmt.Fprintf(c.stdout, "signed %d of %d documents from %s into %s (%s)\n", ok, len(results), f.batch.inDir, f.batch.outDir, how)
	if ok == len(results) {
		return exitOK
	}
	fmt.Fprintf(c.stdout, "lỗi / failed %d (không ghi tệp kết quả nào cho chúng / no output file written for them):\n", len(results)-ok)
	var refusal *policy.RefusalError
	for _, r := range results {
		if r.Err != nil {
			// What the user can act on in Vietnamese and English when the error is a
			// known one, then the error itself.
			if m, ok := explain(r.Err); ok {
				fmt.Fprintf(c.stdout, "  %s: %s / %s\n    chi tiết / detail: %v\n", filepath.Base(r.Input), m.vi, m.en, r.Err)
			} else {
				fmt.Fprintf(c.stdout, "  %s: %s\n", filepath.Base(r.Input), userMessage(r.Err))
			}
			if refusal == nil {
				errors.As(r.Err, &refusal)
			}
		}
	}
	if sp != nil && refusal != nil { // the reasons once, with their citations
		fmt.Fprintln(c.stdout, "kyso sign: chính sách ký số không cho phép ký / the signing policy refuses; the first refusal:")
		policyWriteDecision(c.stdout, sp.profile, refusal.Decision)
	}
	return exitFailure
}
