package main

import (
	"context"
	"crypto"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/signature"
)

const extendUsage = `usage: kyso extend -in IN.pdf -out OUT.pdf -tsa URL [-trust PEM ...] [-lt] [-continue-without-revocation] [-hash sha256|sha384|sha512]

Renews a signed PDF for long-term archiving (PAdES B-LTA): appends a /DSS with the
certificates, OCSP responses and CRLs that validate every signature and time-stamp in
IN.pdf, then a document time-stamp from the TSA over the whole file. Every earlier
signature stays valid; IN.pdf is never modified and OUT.pdf is written only when
everything succeeded. Run it again before the last time-stamp's certificate expires.

Trust: the VGCA root (RootCA chuyên dùng Chính phủ G2) plus every -trust PEM file; the
roots are also embedded in the DSS so the chain can be rebuilt offline.

Exit status: 0 extended, 1 failed (unreadable or unsigned input, revocation data or
time-stamp unavailable, output not writable), 2 usage error (including -out naming the
input).

Flags:
`

// runExtend implements "kyso extend".
func runExtend(ctx context.Context, c *cli, args []string) int {
	fs := flag.NewFlagSet("extend", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprint(c.stderr, extendUsage)
		fs.PrintDefaults()
	}
	in := fs.String("in", "", "the signed PDF to extend")
	out := fs.String("out", "", "where to write the extended PDF")
	tsa := fs.String("tsa", "", "URL of the RFC 3161 time-stamping authority (e.g. "+certstatus.DefaultTSAURL+")")
	ltOnly := fs.Bool("lt", false, "add the DSS only (PAdES B-LT), no document time-stamp")
	cont := fs.Bool("continue-without-revocation", false, "embed what can be obtained when some revocation data is unavailable, with a warning")
	hashName := fs.String("hash", "sha256", "digest of the document time-stamp: sha256, sha384 or sha512")
	var trust []string
	fs.Func("trust", "a PEM file of trusted root certificates (repeatable)", func(s string) error {
		trust = append(trust, s)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	hashes := map[string]crypto.Hash{"sha256": crypto.SHA256, "sha384": crypto.SHA384, "sha512": crypto.SHA512}
	h, okHash := hashes[*hashName]
	if fs.NArg() != 0 || *in == "" || *out == "" || (*tsa == "" && !*ltOnly) || !okHash {
		fs.Usage()
		return exitUsage
	}
	if *in == *out {
		fmt.Fprintln(c.stderr, "kyso extend: -out must differ from -in (the input is never modified)")
		return exitUsage
	}
	store := certstatus.DefaultTrustStore()
	for _, p := range trust {
		if _, err := store.AddPEMFile(p); err != nil {
			fmt.Fprintf(c.stderr, "kyso extend: -trust %s: %v\n", p, err)
			return exitUsage
		}
	}
	opts := (&kyso.Services{TSAURL: *tsa, Trust: store, ContinueWithoutRevocation: *cont}).Extend(!*ltOnly)
	opts.Hash = h

	f, err := os.Open(*in)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso extend: %v\n", err)
		return exitFailure
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso extend: %v\n", err)
		return exitFailure
	}
	if ost, err := os.Stat(*out); err == nil && os.SameFile(st, ost) {
		fmt.Fprintln(c.stderr, "kyso extend: -out names the input file; the input is never modified")
		return exitUsage
	}
	var res *signature.ExtendResult
	err = writeFileAtomic(*out, func(w io.Writer) error {
		var err error
		res, err = signature.Extend(ctx, w, f, st.Size(), opts)
		return err
	})
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso extend: %v\n", err)
		return exitFailure
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(c.stderr, "kyso extend: warning: %s\n", w)
	}
	level := "B-LTA"
	if *ltOnly {
		level = "B-LT"
	}
	fmt.Fprintf(c.stdout, "%s: %s, DSS +%d certificates, +%d OCSP responses, +%d CRLs, %d bytes\n",
		*out, level, res.Certs, res.OCSPs, res.CRLs, res.Size)
	return exitOK
}
