package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
)

// defaultPKIAddr is where "kyso pki init" points the certificates when -addr is not
// given.
const defaultPKIAddr = "127.0.0.1:8790"

// runPKI creates ("init") and serves ("serve") a VGCA-shaped test PKI.
func runPKI(ctx context.Context, c *cli, args []string) int {
	if code, ok := subcommand(c, "kyso pki", pkiUsage+pkiExitCodes, []string{"init", "serve"}, args); !ok {
		return code
	}
	if args[0] == "init" {
		return runPKIInit(c, args[1:])
	}
	return runPKIServe(ctx, c, args[1:])
}

const pkiUsage = `usage: kyso pki init  -dir DIR [-addr 127.0.0.1:PORT] -pass-env VAR
       kyso pki serve -dir DIR [-addr 127.0.0.1:PORT] [-pass-env VAR]

init writes a TEST hierarchy shaped like the VGCA's (root, issuing CA, a leader, a
deputy, a clerk, an organisation seal, a device, a TSA, a delegated OCSP responder):
PEM certificates, PKCS#12 key stores (leader.p12, org.p12, …) protected by the
password in $VAR, and the servers' keys. The certificates' OCSP, CRL and AIA URLs
point at -addr (default ` + defaultPKIAddr + `).

serve answers OCSP (/ocsp), CRLs (/crl/…), AIA (/aia/…) and RFC 3161 time-stamps
(/tsa) for such a directory until interrupted, on the address the certificates name
unless -addr says otherwise. With -pass-env (the password given to init) it also runs
a remote signing service (CSC API v2, ký số từ xa) under /csc/v2/ holding the keys of
the leader, the deputy, the clerk and the organisation seal, for kyso sign -csc.
Test use only: the keys have no legal value.
`

const pkiExitCodes = `
exit status:
  0  written (init), stopped by an interrupt (serve)
  1  failed (the directory is not empty or not a test PKI, a password variable is
     empty, the address is taken, ...)
  2  usage error
`

func runPKIInit(c *cli, args []string) int {
	fs := newCmdFlags(c, "kyso pki init", pkiUsage, pkiExitCodes)
	dir := fs.String("dir", "", "`directory` to write the hierarchy to (created if missing; none of its files may exist yet)")
	addr := fs.String("addr", defaultPKIAddr, "127.0.0.1:PORT the certificates' responder URLs point at")
	passEnv := fs.String("pass-env", "", "environment `variable` holding the PKCS#12 password")
	if code, ok := fs.parse(args, false); !ok {
		return code
	}
	if *dir == "" || *passEnv == "" {
		return fs.usageError("-dir and -pass-env are required")
	}
	if err := checkPKIAddr(*addr); err != nil {
		return fs.usageError("%v", err)
	}
	password := c.getenv(*passEnv)
	if password == "" {
		fmt.Fprintf(c.stderr, "kyso pki init: environment variable %s is empty or unset; put the key stores' password there\n", *passEnv)
		return exitFailure
	}
	if _, err := os.Stat(filepath.Join(*dir, "pki.json")); err == nil {
		fmt.Fprintf(c.stderr, "kyso pki init: %s already holds a test PKI; choose another directory or remove it\n", *dir)
		return exitFailure
	}
	pki, err := certstatustest.Generate(certstatustest.Options{Addr: *addr})
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso pki init: %v\n", err)
		return exitFailure
	}
	files, err := pki.Files(password)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso pki init: %v\n", err)
		return exitFailure
	}
	// The directory holds unencrypted server keys: private to its owner when created.
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		fmt.Fprintf(c.stderr, "kyso pki init: %v\n", err)
		return exitFailure
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	// Never overwrite: a failure would otherwise remove a file init did not create.
	for _, n := range names {
		if _, err := os.Lstat(filepath.Join(*dir, n)); err == nil {
			fmt.Fprintf(c.stderr, "kyso pki init: %s already exists; choose an empty directory\n", filepath.Join(*dir, n))
			return exitFailure
		}
	}
	// The manifest goes last: a directory without it is not a PKI, so an interrupted
	// init leaves nothing that "serve" would take for one.
	names = append(removeName(names, "pki.json"), "pki.json")
	var written []string
	for _, n := range names {
		path := filepath.Join(*dir, n)
		data := files[n]
		err := writeFileAtomic(path, func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		})
		if err == nil && (strings.HasSuffix(n, ".p12") || strings.HasSuffix(n, "-key.pem")) {
			err = os.Chmod(path, 0o600)
		}
		if err != nil {
			for _, p := range written {
				os.Remove(p)
			}
			fmt.Fprintf(c.stderr, "kyso pki init: %s: %v\n", path, err)
			return exitFailure
		}
		written = append(written, path)
	}
	fmt.Fprintf(c.stdout, "kyso pki init: wrote a test PKI to %s (%d files)\n", *dir, len(written))
	fmt.Fprintf(c.stdout, "  root:   %s\n", pki.Root.Cert.Subject.CommonName)
	fmt.Fprintf(c.stdout, "  CA:     %s\n", pki.CA.Cert.Subject.CommonName)
	fmt.Fprintf(c.stdout, "  leader: %s (leader.p12), org: %s (org.p12)\n", pki.Leader.Cert.Subject.CommonName, pki.Org.Cert.Subject.CommonName)
	fmt.Fprintf(c.stdout, "serve it with: kyso pki serve -dir %s -addr %s\n", *dir, *addr)
	return exitOK
}

func removeName(names []string, name string) []string {
	out := names[:0]
	for _, n := range names {
		if n != name {
			out = append(out, n)
		}
	}
	return out
}

func runPKIServe(ctx context.Context, c *cli, args []string) int {
	fs := newCmdFlags(c, "kyso pki serve", pkiUsage, pkiExitCodes)
	dir := fs.String("dir", "", "`directory` written by kyso pki init")
	addr := fs.String("addr", "", "127.0.0.1:PORT to listen on (default: the address the certificates name)")
	passEnv := fs.String("pass-env", "", "environment `variable` holding the key stores' password: the CSC service at /csc/v2/ then holds the signers' keys")
	if code, ok := fs.parse(args, false); !ok {
		return code
	}
	if *dir == "" {
		return fs.usageError("-dir is required")
	}
	password := ""
	if *passEnv != "" {
		if password = c.getenv(*passEnv); password == "" {
			fmt.Fprintf(c.stderr, "kyso pki serve: environment variable %s is empty or unset\n", *passEnv)
			return exitFailure
		}
	}
	pki, err := certstatustest.Load(*dir, password)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso pki serve: %v\n", err)
		return exitFailure
	}
	named := strings.TrimPrefix(pki.URL, "http://")
	listen := *addr
	if listen == "" {
		listen = named
	}
	if err := checkPKIAddr(listen); err != nil {
		return fs.usageError("%v", err)
	}
	if listen != named {
		fmt.Fprintf(c.stderr, "kyso pki serve: warning: the certificates name %s, serving on %s\n", named, listen)
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		fmt.Fprintf(c.stderr, "kyso pki serve: %v\n", err)
		return exitFailure
	}
	srv, err := servePKIWithCSC(pki, ln)
	if err != nil {
		ln.Close()
		fmt.Fprintf(c.stderr, "kyso pki serve: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(c.stdout, "kyso pki serve: serving %s on http://%s (Ctrl-C to stop)\n", *dir, ln.Addr())
	for _, e := range pki.Endpoints() {
		if strings.Contains(e, "FreezeBaseCRL") {
			continue // a delta CRL exists only when a test freezes the base CRL
		}
		fmt.Fprintf(c.stdout, "  %s\n", strings.Replace(e, "http://"+named, "http://"+ln.Addr().String(), 1))
	}
	if password != "" {
		printCSCEndpoint(c.stdout, "http://"+ln.Addr().String())
	}
	<-ctx.Done()
	if err := srv.Close(); err != nil {
		fmt.Fprintf(c.stderr, "kyso pki serve: %v\n", err)
		return exitFailure
	}
	fmt.Fprintln(c.stdout, "kyso pki serve: stopped")
	return exitOK
}

// checkPKIAddr accepts only a loopback host with a port: the test PKI is never
// exposed to a network.
func checkPKIAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %v (want 127.0.0.1:PORT)", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q: only a loopback address such as 127.0.0.1 is allowed", addr)
	}
	if port == "" || port == "0" {
		return fmt.Errorf("-addr %q: a fixed port is required", addr)
	}
	return nil
}
