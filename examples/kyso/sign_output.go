package main

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/token"
)

// signJSON is what "kyso sign -json" prints: one object on stdout.
type signJSON struct {
	Input         string      `json:"input"`               // the -in path, "-" for standard input
	Output        string      `json:"output"`              // the file written
	Size          int64       `json:"size"`                // its size in bytes
	Field         string      `json:"field"`               // the signature field signed
	Signer        string      `json:"signer"`              // the signer certificate's common name
	SignerSubject string      `json:"signerSubject"`       // its full subject
	Algorithm     string      `json:"algorithm"`           // RSASSA-PSS, RSA PKCS#1 v1.5 or ECDSA
	Hash          string      `json:"hash"`                // SHA-256, SHA-384 or SHA-512
	Level         string      `json:"level"`               // the PAdES level reached: B-B, B-T, B-LT or B-LTA
	Certified     int         `json:"certified,omitempty"` // DocMDP P of a certification signature
	TimestampTime *time.Time  `json:"timestampTime,omitempty"`
	TSA           string      `json:"tsa,omitempty"` // the time-stamping authority's name
	Policy        *policyJSON `json:"policy,omitempty"`
	// Placement is where layout put a visible signature (-placement, -rect).
	Placement *placementJSON `json:"placement,omitempty"`
	Warnings  []string       `json:"warnings"` // never null
}

// placementJSON is a visible signature's place in signJSON.
type placementJSON struct {
	Kind string     `json:"kind"` // signer, seal, attachment, copy or text
	Page int        `json:"page"` // 1-based
	Rect [4]float64 `json:"rect"` // [llx lly urx ury] in the page's default user space
}

// policyJSON is the signing policy's decision in signJSON.
type policyJSON struct {
	Profile   string `json:"profile"`
	Placement string `json:"placement"`
	Vi        string `json:"vi"`
	En        string `json:"en"`
}

// signAlgorithm names the signature algorithm the key and -pss chose.
func signAlgorithm(s token.Signer, pss bool) string {
	switch {
	case isECDSA(s):
		return "ECDSA"
	case pss:
		return "RSASSA-PSS"
	}
	return "RSA PKCS#1 v1.5"
}

func isECDSA(s token.Signer) bool {
	_, ok := s.Public().(*ecdsa.PublicKey)
	return ok
}

// printSignResult reports a signature made: as JSON with -json, else as text on stdout
// (on stderr when the document itself went to stdout). Warnings go to stderr as text.
func printSignResult(c *cli, f *signFlags, s token.Signer, res *kyso.SignResult, sp *signPolicy) int {
	var warnings []string
	if res.ChainWarning != nil {
		warnings = append(warnings, res.ChainWarning.String())
	}
	for _, w := range res.Warnings {
		warnings = append(warnings, "the input was damaged and repaired while reading (the signature is valid): "+w)
	}
	if pl := res.Placement; pl != nil {
		warnings = append(warnings, pl.Warnings...)
	}
	level := signature.LevelBB
	if lr := res.Level; lr != nil {
		level = lr.Level
		warnings = append(warnings, lr.Warnings...)
	}
	if f.json {
		j := signJSON{
			Input: f.in, Output: f.out, Size: res.Size, Field: res.Field,
			Signer: s.Certificate().Subject.CommonName, SignerSubject: s.Certificate().Subject.String(),
			Algorithm: signAlgorithm(s, f.pss), Hash: f.hashAlg.String(), Level: string(level),
			Certified: int(res.Certified), Warnings: append([]string{}, warnings...),
		}
		if lr := res.Level; lr != nil {
			t := lr.TimestampTime
			j.TimestampTime, j.TSA = &t, lr.TSA
		}
		if pl := res.Placement; pl != nil {
			j.Placement = &placementJSON{Kind: pl.Kind.String(), Page: pl.Page, Rect: pl.Rect}
		}
		if sp != nil && sp.decision != nil {
			d := sp.decision
			j.Policy = &policyJSON{Profile: sp.profile.ID, Placement: string(d.Placement), Vi: d.Vietnamese(), En: d.English()}
		}
		if err := writeJSON(c.stdout, j); err != nil {
			printFailure(c, "kyso sign", err)
			return exitFailure
		}
		return exitOK
	}
	var w io.Writer = c.stdout
	if f.out == "-" {
		w = c.stderr // the document is on stdout
	}
	fmt.Fprintf(w, "signed %s -> %s\n  field %q, signer %q, %v with %s, %d bytes (CMS %d of %d bytes reserved)\n",
		f.in, outputName(f.out), res.Field, s.Certificate().Subject.CommonName, f.hashAlg, signAlgorithm(s, f.pss), res.Size, res.CMSSize, res.ContentsCapacity)
	if res.Certified != 0 {
		fmt.Fprintf(w, "  certification signature, DocMDP P=%d\n", res.Certified)
	}
	if pl := res.Placement; pl != nil && pl.Kind != layout.TextBox {
		fmt.Fprintf(w, "  %s placed on page %d at [%.1f %.1f %.1f %.1f]\n", pl.Kind, pl.Page, pl.Rect[0], pl.Rect[1], pl.Rect[2], pl.Rect[3])
	}
	if lr := res.Level; lr != nil {
		fmt.Fprintf(w, "  PAdES %s, signature time-stamp %s by %q\n", lr.Level, lr.TimestampTime.In(vietnamZone).Format(time.RFC3339), lr.TSA)
	}
	for _, warn := range warnings {
		fmt.Fprintln(c.stderr, "kyso sign: warning:", warn)
	}
	if sp != nil {
		sp.report(w, nil)
	}
	return exitOK
}

// printSignFailure reports a failed signature: a refusal by the signing policy with its
// reasons and citations (sp.report), anything else as printFailure does.
func printSignFailure(c *cli, sp *signPolicy, err error) {
	var ref *policy.RefusalError
	if sp != nil && errors.As(err, &ref) {
		sp.report(c.stderr, err)
		return
	}
	printFailure(c, "kyso sign", err)
}

// vietnamZone is Vietnam time (UTC+07:00, no daylight saving): the times a person
// reads in the summaries are in it whatever the machine's zone, as kyso verify and the
// visible signatures show them; -json keeps UTC.
var vietnamZone = time.FixedZone("ICT", 7*60*60)
