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
	"path/filepath"
	"strings"
	"time"

	"github.com/kyso-go/kyso/forms"
	"github.com/kyso-go/kyso/policy"
)

const formsUsage = `usage: kyso forms <subcommand> [flags]

subcommands:
  list      [-defs DIR]                      one form per line: identifier, confidence, title
  show      -form ID [-defs DIR]             the definition in effect (with agency changes), as JSON
  schema    -form ID [-defs DIR]             JSON Schema of the form's data document
  validate  -form ID -data FILE [-defs DIR]  one line per problem; exit 1 when invalid
  render    -form ID (-data FILE | -sample) -out FILE.pdf [-defs DIR] [-draft]
            the letter as a PDF ready to sign; -draft renders data that does not validate
  template  -form ID [-table ID] [-sample] -out FILE.xlsx|FILE.csv   a spreadsheet for a list
  deadline  -profile ID|FILE.json -period YYYY-MM|YYYY [-holiday D] [-workday D]
            report deadlines (profiles: quang-ninh, ha-tinh)

-data takes a form-data JSON document, or a CSV/XLSX list (with -base FILE.json for the
other values and -table ID when the form has several lists). -defs DIR loads an
agency's definition files (new forms, relabelled fields, overridden defaults).`

func runForms(ctx context.Context, c *cli, args []string) int {
	if code, ok := subcommand(c, "kyso forms", formsUsage+formsExitCodes, []string{"list", "show", "schema", "validate", "render", "template", "deadline"}, args); !ok {
		return code
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "list":
		return formsList(c, rest)
	case "show":
		return formsShow(c, rest)
	case "schema":
		return formsSchema(c, rest)
	case "validate":
		return formsValidate(c, rest)
	case "render":
		return formsRender(ctx, c, rest)
	case "template":
		return formsTemplate(c, rest)
	case "deadline":
		return formsDeadline(c, rest)
	}
	return exitUsage // not reached: subcommand checked the name
}

// formsFlags parses flags common to the subcommands; ok false means return code.
func formsFlags(c *cli, name string, args []string, setup func(fs *flag.FlagSet)) (defs string, code int, ok bool) {
	h := formsHelp[name]
	cf := newCmdFlags(c, "kyso forms "+name, h.text, h.exits)
	fs := cf.FlagSet
	fs.StringVar(&defs, "defs", "", "directory of agency definition files (*.json, *.yaml)")
	if setup != nil {
		setup(fs)
	}
	if code, ok := cf.parse(args, false); !ok {
		return "", code, false
	}
	return defs, 0, true
}

func loadRegistry(c *cli, defs string) (*forms.Registry, bool) {
	reg, err := forms.NewRegistry()
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso forms: %v\n", err)
		return nil, false
	}
	if defs != "" {
		if err := reg.LoadDir(defs); err != nil {
			fmt.Fprintf(c.stderr, "kyso forms: loading %s:\n", defs)
			for _, line := range strings.Split(err.Error(), "\n") {
				fmt.Fprintf(c.stderr, "  %s\n", line)
			}
			return nil, false
		}
	}
	return reg, true
}

func formsList(c *cli, args []string) int {
	defs, code, ok := formsFlags(c, "list", args, nil)
	if !ok {
		return code
	}
	reg, ok := loadRegistry(c, defs)
	if !ok {
		return exitFailure
	}
	for _, d := range reg.Definitions() {
		fmt.Fprintf(c.stdout, "%-14s %-13s %s\n", d.ID, d.Provenance.Confidence, d.Title)
	}
	return exitOK
}

func lookupForm(c *cli, defs, id string) (*forms.Definition, bool) {
	reg, ok := loadRegistry(c, defs)
	if !ok {
		return nil, false
	}
	d, err := reg.Definition(id)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso forms: %v\n", err)
		return nil, false
	}
	return d, true
}

func formsSchema(c *cli, args []string) int {
	var id string
	defs, code, ok := formsFlags(c, "schema", args, func(fs *flag.FlagSet) {
		fs.StringVar(&id, "form", "", "form identifier, e.g. tt185/mau-01")
	})
	if !ok {
		return code
	}
	if id == "" {
		return usageLine(c, "kyso forms schema", "-form is required")
	}
	d, ok := lookupForm(c, defs, id)
	if !ok {
		return exitFailure
	}
	b, err := d.JSONSchema()
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso forms schema: %v\n", err)
		return exitFailure
	}
	c.stdout.Write(b)
	return exitOK
}

// formsShow prints the definition in effect, after the agency's files, with where it
// came from: the way to check an extension or read a form's provenance.
func formsShow(c *cli, args []string) int {
	var id string
	defs, code, ok := formsFlags(c, "show", args, func(fs *flag.FlagSet) {
		fs.StringVar(&id, "form", "", "form identifier, e.g. tt185/mau-01")
	})
	if !ok {
		return code
	}
	if id == "" {
		return usageLine(c, "kyso forms show", "-form is required")
	}
	reg, ok := loadRegistry(c, defs)
	if !ok {
		return exitFailure
	}
	d, err := reg.Definition(id)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso forms show: %v\n", err)
		return exitFailure
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		fmt.Fprintf(c.stderr, "kyso forms show: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(c.stderr, "kyso forms show: %s defined at %s (%s)\n", d.ID, reg.Origin(d.ID), d.Provenance.Confidence)
	return exitOK
}

// readFormData reads -data (JSON, CSV or XLSX) for d; for a spreadsheet, the problems
// found while importing the list and the list's ID are returned alongside.
func readFormData(d *forms.Definition, dataPath, basePath, tableID string) (*forms.Data, []*forms.Problem, string, error) {
	ext := strings.ToLower(filepath.Ext(dataPath))
	readJSON := func(p string) (*forms.Data, error) {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		data, err := forms.ReadData(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		return data, nil
	}
	if ext != ".csv" && ext != ".xlsx" {
		if basePath != "" || tableID != "" {
			return nil, nil, "", errors.New("-base and -table apply to CSV/XLSX lists only")
		}
		data, err := readJSON(dataPath)
		return data, nil, "", err
	}
	data := &forms.Data{Form: d.ID}
	if basePath != "" {
		var err error
		if data, err = readJSON(basePath); err != nil {
			return nil, nil, "", err
		}
	}
	tables := d.Tables()
	if tableID == "" {
		if len(tables) != 1 {
			return nil, nil, "", fmt.Errorf("form %s has %d lists: choose one with -table", d.ID, len(tables))
		}
		tableID = tables[0].ID
	}
	f, err := os.Open(dataPath)
	if err != nil {
		return nil, nil, "", err
	}
	defer f.Close()
	var res *forms.ImportResult
	if ext == ".csv" {
		res, err = d.ImportCSV(tableID, f, forms.ImportOptions{})
	} else {
		res, err = d.ImportXLSX(tableID, f, forms.ImportOptions{})
	}
	if err != nil {
		return nil, nil, "", fmt.Errorf("%s: %w", dataPath, err)
	}
	if data.Tables == nil {
		data.Tables = map[string][]forms.Row{}
	}
	data.Tables[tableID] = res.Rows
	return data, res.Problems, tableID, nil
}

func printProblems(w io.Writer, file string, probs []*forms.Problem) {
	for _, p := range probs {
		fmt.Fprintf(w, "%s: %s\n", file, p.Error())
	}
}

func formsValidate(c *cli, args []string) int {
	var id, dataPath, basePath, tableID string
	defs, code, ok := formsFlags(c, "validate", args, func(fs *flag.FlagSet) {
		fs.StringVar(&id, "form", "", "form identifier, e.g. tt185/mau-01")
		fs.StringVar(&dataPath, "data", "", "form data: JSON document, or CSV/XLSX list")
		fs.StringVar(&basePath, "base", "", "with a CSV/XLSX list: JSON document for the other values")
		fs.StringVar(&tableID, "table", "", "with a CSV/XLSX list: which list it fills")
	})
	if !ok {
		return code
	}
	if id == "" || dataPath == "" {
		return usageLine(c, "kyso forms validate", "-form and -data are required")
	}
	d, ok := lookupForm(c, defs, id)
	if !ok {
		return exitFailure
	}
	data, importProbs, imported, err := readFormData(d, dataPath, basePath, tableID)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso forms validate: %v\n", err)
		return exitFailure
	}
	if data.Form != "" && data.Form != d.ID {
		fmt.Fprintf(c.stderr, "kyso forms validate: %s holds data for form %q, not %q\n", dataPath, data.Form, d.ID)
		return exitFailure
	}
	// A spreadsheet's list was checked on import (rows with the spreadsheet's row
	// numbers, and the row count); the rest of the data is checked here.
	probs := importProbs
	if err := d.Validate(d.Normalize(data), forms.ValidateOptions{}); err != nil {
		var ve *forms.ValidationError
		if !errors.As(err, &ve) {
			fmt.Fprintf(c.stderr, "kyso forms validate: %v\n", err)
			return exitFailure
		}
		for _, p := range ve.Problems {
			if imported != "" && p.Table == imported {
				continue
			}
			probs = append(probs, p)
		}
	}
	if len(probs) > 0 {
		printProblems(c.stdout, dataPath, probs)
		return exitFailure
	}
	fmt.Fprintf(c.stdout, "%s: hợp lệ / valid (%s)\n", dataPath, d.ID)
	return exitOK
}

func formsRender(ctx context.Context, c *cli, args []string) int {
	var id, dataPath, basePath, tableID, out string
	var sample, draft bool
	defs, code, ok := formsFlags(c, "render", args, func(fs *flag.FlagSet) {
		fs.StringVar(&id, "form", "", "form identifier, e.g. tt185/mau-01")
		fs.StringVar(&dataPath, "data", "", "form data: JSON document, or CSV/XLSX list")
		fs.StringVar(&basePath, "base", "", "with a CSV/XLSX list: JSON document for the other values")
		fs.StringVar(&tableID, "table", "", "with a CSV/XLSX list: which list it fills")
		fs.BoolVar(&sample, "sample", false, "render the definition's built-in sample data")
		fs.BoolVar(&draft, "draft", false, "render even if the data does not validate")
		fs.StringVar(&out, "out", "", "output PDF `file` (- for standard output)")
	})
	if !ok {
		return code
	}
	if id == "" || out == "" || (dataPath == "") == !sample {
		return usageLine(c, "kyso forms render", "-form, -out and exactly one of -data or -sample are required")
	}
	if msg := checkFormsOutput(out, dataPath, basePath); msg != "" {
		return usageLine(c, "kyso forms render", msg)
	}
	d, ok := lookupForm(c, defs, id)
	if !ok {
		return exitFailure
	}
	var data *forms.Data
	if sample {
		if d.Sample == nil {
			fmt.Fprintf(c.stderr, "kyso forms render: %s has no sample data\n", d.ID)
			return exitFailure
		}
		data = d.Sample
	} else {
		var probs []*forms.Problem
		var err error
		data, probs, _, err = readFormData(d, dataPath, basePath, tableID)
		if err != nil {
			fmt.Fprintf(c.stderr, "kyso forms render: %v\n", err)
			return exitFailure
		}
		if len(probs) > 0 && !draft {
			printProblems(c.stderr, dataPath, probs)
			return exitFailure
		}
	}
	if err := ctx.Err(); err != nil {
		return exitFailure
	}
	var buf bytes.Buffer
	rendered, err := d.RenderDocument(&buf, data, forms.RenderOptions{SkipValidation: draft})
	if err != nil {
		var ve *forms.ValidationError
		if errors.As(err, &ve) {
			printProblems(c.stderr, firstNonEmptyStr(dataPath, "sample"), ve.Problems)
		} else {
			fmt.Fprintf(c.stderr, "kyso forms render: %v\n", err)
		}
		return exitFailure
	}
	if err := writeOutput(c, out, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		fmt.Fprintf(c.stderr, "kyso forms render: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(c.stderr, "kyso forms render: wrote %s (%s)\n", outputName(out), d.ID)
	for _, w := range rendered.Warnings {
		fmt.Fprintf(c.stderr, "kyso forms render: lưu ý / warning: %s / %s\n", w.Vietnamese, w.English)
	}
	return exitOK
}

// checkFormsOutput refuses an output path in a directory that does not exist, that is a
// directory, or that is one of the inputs (rendering over the data file would destroy
// it); it returns what is wrong, or "".
func checkFormsOutput(out string, inputs ...string) string {
	if dst, err := os.Stat(filepath.Dir(out)); err != nil || !dst.IsDir() {
		return fmt.Sprintf("-out %s: the directory %s does not exist", out, filepath.Dir(out))
	}
	ost, err := os.Stat(out)
	if err != nil {
		return ""
	}
	if ost.IsDir() {
		return fmt.Sprintf("-out %s is a directory; name the file to write", out)
	}
	for _, in := range inputs {
		if in == "" {
			continue
		}
		if ist, err := os.Stat(in); err == nil && os.SameFile(ist, ost) {
			return fmt.Sprintf("-out %s is the input %s; write the output to another file", out, in)
		}
	}
	return ""
}

func firstNonEmptyStr(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// formsTemplate writes a spreadsheet for one of a form's lists: the header row a clerk
// fills in (and, with -sample, the sample rows), ready for -data FILE.xlsx.
func formsTemplate(c *cli, args []string) int {
	var id, tableID, out string
	var sample bool
	defs, code, ok := formsFlags(c, "template", args, func(fs *flag.FlagSet) {
		fs.StringVar(&id, "form", "", "form identifier, e.g. tt185/mau-02")
		fs.StringVar(&tableID, "table", "", "which list (default: the form's only list)")
		fs.BoolVar(&sample, "sample", false, "include the definition's sample rows")
		fs.StringVar(&out, "out", "", "output file, .xlsx or .csv")
	})
	if !ok {
		return code
	}
	ext := strings.ToLower(filepath.Ext(out))
	if id == "" || (ext != ".xlsx" && ext != ".csv") {
		return usageLine(c, "kyso forms template", "-form and -out FILE.xlsx|FILE.csv are required")
	}
	if msg := checkFormsOutput(out); msg != "" {
		return usageLine(c, "kyso forms template", msg)
	}
	d, ok := lookupForm(c, defs, id)
	if !ok {
		return exitFailure
	}
	if tableID == "" {
		ts := d.Tables()
		if len(ts) != 1 {
			fmt.Fprintf(c.stderr, "kyso forms template: form %s has %d lists: choose one with -table\n", d.ID, len(ts))
			return exitFailure
		}
		tableID = ts[0].ID
	}
	var rows []forms.Row
	if sample && d.Sample != nil {
		rows = d.Sample.Tables[tableID]
	}
	err := writeFileAtomic(out, func(w io.Writer) error {
		if ext == ".csv" {
			return d.ExportCSV(tableID, w, rows)
		}
		return d.ExportXLSX(tableID, w, rows)
	})
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso forms template: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(c.stderr, "kyso forms template: wrote %s (%s, list %s)\n", out, d.ID, tableID)
	return exitOK
}

var weekdaysVi = [...]string{"Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"}

func formsDeadline(c *cli, args []string) int {
	var profile, period string
	var cal forms.Calendar
	day := func(list *[]time.Time) func(string) error {
		return func(s string) error {
			t, err := time.Parse("2006-01-02", s)
			if err != nil {
				return fmt.Errorf("write the date as YYYY-MM-DD: %w", err)
			}
			*list = append(*list, t)
			return nil
		}
	}
	_, code, ok := formsFlags(c, "deadline", args, func(fs *flag.FlagSet) {
		fs.StringVar(&profile, "profile", "", "reporting profile: quang-ninh, ha-tinh, or a province FILE.json (the file kyso policy -profile-file reads)")
		fs.StringVar(&period, "period", "", "reporting period: YYYY-MM or YYYY")
		fs.Func("holiday", "an extra day off decided for the year, YYYY-MM-DD (repeatable)", day(&cal.ExtraHolidays))
		fs.Func("workday", "a weekend day declared a working day, YYYY-MM-DD (repeatable)", day(&cal.ExtraWorkdays))
	})
	if !ok {
		return code
	}
	if profile == "" || period == "" {
		return usageLine(c, "kyso forms deadline", "-profile and -period are required")
	}
	var p *forms.ReportingProfile
	var err error
	if strings.HasSuffix(strings.ToLower(profile), ".json") {
		var b []byte
		if b, err = readProvinceFile(profile); err == nil {
			p, err = forms.ParseReportingProfile(b)
		}
		if err != nil {
			err = fmt.Errorf("%s: %w", profile, err)
		}
	} else {
		p, err = forms.LookupReportingProfile(profile)
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso forms deadline: %v\n", err)
		return exitFailure
	}
	dls, err := p.Deadlines(period, &cal)
	if err != nil {
		if errors.Is(err, forms.ErrBadPeriod) {
			return usageLine(c, "kyso forms deadline", err.Error())
		}
		fmt.Fprintf(c.stderr, "kyso forms deadline: %v\n", err)
		return exitFailure
	}
	for _, dl := range dls {
		fmt.Fprintf(c.stdout, "%s %s %s: hạn %s (%s)", dl.Profile, dl.Kind, dl.Period,
			forms.FormatDate(dl.Due), weekdaysVi[dl.Due.Weekday()])
		if dl.Moved != "" {
			fmt.Fprintf(c.stdout, "; dời vì %s", dl.Moved)
			if dl.ShiftAssumed {
				fmt.Fprint(c.stdout, " (giả định của kyso, quy chế không quy định / kyso's assumption)")
			}
		}
		if !dl.WindowStart.IsZero() {
			fmt.Fprintf(c.stdout, "; số liệu %s–%s", forms.FormatDate(dl.WindowStart), forms.FormatDate(dl.WindowEnd))
		}
		fmt.Fprintf(c.stdout, "; gửi %s; căn cứ %s\n", dl.Recipient, dl.Citation)
	}
	return exitOK
}

// readProvinceFile reads a province file for "forms deadline" and, unless it is in the
// earlier reporting-only format ("schedules"), validates it as kyso policy
// -profile-file does, so both commands refuse the same files with the same error
// naming the field.
func readProvinceFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, forms.MaxProvinceFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > forms.MaxProvinceFileSize {
		return nil, fmt.Errorf("province file larger than %d bytes", forms.MaxProvinceFileSize)
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(b, &probe) == nil {
		if _, legacy := probe["schedules"]; legacy {
			return b, nil
		}
	}
	if _, err := policy.BuiltinProfiles().Load(bytes.NewReader(b)); err != nil {
		return nil, err
	}
	return b, nil
}
