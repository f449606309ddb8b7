package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/layout"
)

// check is step 7: every signed output is verified with kyso (the test root trusted,
// offline: the documents carry their validation data) and checked against the layout
// rules of Nghị định 30/2020 with layout.Check.
func (e *env) check(ctx context.Context) error {
	e.step(7, "Kiểm tra văn bản đã ký", "verification and NĐ 30 layout check")
	tw := tabwriter.NewWriter(e.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  Tệp / File\tChữ ký / Signatures\tXác minh / Verification\tThể thức NĐ 30 / Layout")
	var failed []string
	for _, name := range e.signed {
		data, err := os.ReadFile(e.path(name))
		if err != nil {
			return err
		}
		rep, err := kyso.Verify(ctx, bytes.NewReader(data), int64(len(data)), e.verify)
		if err != nil {
			return fmt.Errorf("xác minh / verifying %s: %w", name, err)
		}
		verdict := "HỢP LỆ / TOTAL_PASSED"
		if !rep.AllPassed() {
			verdict = "KHÔNG HỢP LỆ / " + indications(rep)
			failed = append(failed, name)
		}
		lay, err := layout.Check(ctx, bytes.NewReader(data), int64(len(data)), &layout.CheckOptions{SealDiameterMM: sealMM})
		if err != nil {
			return fmt.Errorf("kiểm tra thể thức / checking the layout of %s: %w", name, err)
		}
		layVerdict := "ĐẠT / CONFORMING"
		if !lay.Conforming() {
			layVerdict = "KHÔNG ĐẠT / NOT CONFORMING:"
			for _, f := range lay.Failed() {
				if f.Severity == layout.SeverityError {
					layVerdict += " " + f.Rule
				}
			}
			failed = append(failed, name)
		}
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\n", name, len(rep.Signatures), verdict, layVerdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.out, "\nKết quả trong / outputs in %s; gốc tin cậy thử nghiệm / test root: %s\n", e.c.dir, e.path(fileRoot))
	fmt.Fprintf(e.out, "Kiểm tra lại / check again: go run ./examples/kyso verify -trust %s -offline %s\n", e.path(fileRoot), e.path(fileIssued))
	if len(failed) > 0 {
		return fmt.Errorf("không đạt / did not pass: %v", failed)
	}
	return nil
}
