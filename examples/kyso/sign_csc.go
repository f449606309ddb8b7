package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kyso-go/kyso/token"
)

// signCSCFlags are the flags of "kyso sign" for a remote key (ký số từ xa) on a Cloud
// Signature Consortium API v2 service: -csc URL -csc-credential ID -csc-auth-env VAR
// -csc-pin-env VAR [-csc-otp-env VAR].
type signCSCFlags struct {
	url, credential, authEnv, pinEnv, otpEnv string
}

// register adds the flags to fs.
func (p *signCSCFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.url, "csc", "", "sign with a remote key (ký số từ xa) on the CSC API v2 service at this base `URL` (the client appends /csc/v2/...)")
	fs.StringVar(&p.credential, "csc-credential", "", "with -csc: the credential `ID` (see kyso token list -csc URL)")
	fs.StringVar(&p.authEnv, "csc-auth-env", "", "with -csc: environment `variable` holding the service's OAuth2 access token")
	fs.StringVar(&p.pinEnv, "csc-pin-env", "", "with -csc: environment `variable` holding the credential's PIN")
	fs.StringVar(&p.otpEnv, "csc-otp-env", "", "with -csc: environment `variable` holding a one-time password, when the credential asks for one")
}

// set reports whether -csc chose a remote key.
func (p *signCSCFlags) set() bool { return p.url != "" }

// problems lists the usage errors of the CSC flags; otherSource says whether another
// key source was given too.
func (p *signCSCFlags) problems(otherSource bool) []string {
	if !p.set() {
		if p.credential != "" || p.authEnv != "" || p.pinEnv != "" || p.otpEnv != "" {
			return []string{"-csc-credential, -csc-auth-env, -csc-pin-env and -csc-otp-env go with -csc URL"}
		}
		return nil
	}
	var out []string
	if otherSource {
		out = append(out, "give -csc or -pkcs11 or -p12 or -key/-cert, not several")
	}
	if p.credential == "" {
		out = append(out, "-csc needs -csc-credential ID (list them with kyso token list -csc URL -csc-auth-env VAR)")
	}
	if p.authEnv == "" {
		out = append(out, "-csc needs -csc-auth-env VAR (the access token is never taken from the command line)")
	}
	if _, err := token.NewCSCClient(token.CSCOptions{BaseURL: cscBaseURL(p.url)}); err != nil {
		out = append(out, fmt.Sprintf("-csc %q: want https://host[/path] (http only on 127.0.0.1)", p.url))
	}
	return out
}

// cscBaseURL is the service base of a -csc URL: the client appends /csc/v2/..., so a
// URL given with that path already (as "kyso pki serve" and many providers print the
// API's address) is taken back to its base instead of failing with a 404.
func cscBaseURL(u string) string {
	base := strings.TrimRight(u, "/")
	if b, ok := strings.CutSuffix(base, "/csc/v2"); ok {
		return b
	}
	return u
}

// cscClient makes a client for -csc URL with the access token from -csc-auth-env.
func cscClient(c *cli, url, authEnv string) (*token.CSCClient, error) {
	tok, err := envSecret(c, "-csc-auth-env", authEnv)
	if err != nil {
		return nil, err
	}
	return token.NewCSCClient(token.CSCOptions{BaseURL: cscBaseURL(url), AccessToken: string(tok), Lang: "vi-VN", Timeout: 2 * time.Minute})
}

// open reads the credential and returns it as a signer. The PIN and OTP are read from
// the environment at each authorisation (once per batch).
func (p *signCSCFlags) open(c *cli) (*token.CSCSigner, error) {
	client, err := cscClient(c, p.url, p.authEnv)
	if err != nil {
		return nil, err
	}
	auth := func(_ context.Context, info *token.CSCCredentialInfo, _ int) (pin, otp string, err error) {
		if p.pinEnv != "" {
			v, err := envSecret(c, "-csc-pin-env", p.pinEnv)
			if err != nil {
				return "", "", err
			}
			pin = string(v)
		}
		if p.otpEnv != "" {
			v, err := envSecret(c, "-csc-otp-env", p.otpEnv)
			if err != nil {
				return "", "", err
			}
			otp = string(v)
		}
		if info.PIN.Required() && pin == "" {
			return "", "", fmt.Errorf("credential %q needs a PIN: put it in an environment variable and name it with -csc-pin-env VAR", info.ID)
		}
		if info.OTP.Required() && otp == "" {
			return "", "", fmt.Errorf("credential %q needs a one-time password: name its environment variable with -csc-otp-env VAR", info.ID)
		}
		return pin, otp, nil
	}
	return client.Signer(context.Background(), p.credential, auth)
}

// runTokenListCSC is "kyso token list -csc URL -csc-auth-env VAR": the credentials of
// the access token's user, with their certificates and how they are authorised.
func runTokenListCSC(ctx context.Context, c *cli, url, authEnv string) int {
	client, info, ids, code := cscListing(ctx, c, url, authEnv)
	if client == nil {
		return code
	}
	fmt.Fprintf(c.stdout, "CSC service %q (API %s) at %s: %d credential(s)\n", info.Name, info.Specs, cscBaseURL(url), len(ids))
	failed := false
	for _, id := range ids {
		ci, err := client.CredentialInfo(ctx, id)
		if err != nil {
			fmt.Fprintf(c.stderr, "kyso token list: credential %q: %s\n", id, userMessage(err))
			failed = true
			continue
		}
		printCSCCredential(c.stdout, ci)
	}
	if failed {
		return exitFailure
	}
	return exitOK
}

// cscListing opens the CSC service of "kyso token list -csc" and asks for its
// description and the access token's credentials. On failure it has said why and
// returns a nil client with the exit status.
func cscListing(ctx context.Context, c *cli, url, authEnv string) (*token.CSCClient, *token.CSCServiceInfo, []string, int) {
	if authEnv == "" {
		return nil, nil, nil, usageLine(c, "kyso token list", "-csc needs -csc-auth-env VAR (the access token is never taken from the command line)")
	}
	client, err := cscClient(c, url, authEnv)
	if err != nil {
		printFailure(c, "kyso token list", err)
		return nil, nil, nil, exitUsage
	}
	info, err := client.Info(ctx)
	if err != nil {
		printFailure(c, "kyso token list", err)
		return nil, nil, nil, exitFailure
	}
	ids, err := client.ListCredentials(ctx)
	if err != nil {
		printFailure(c, "kyso token list", err)
		return nil, nil, nil, exitFailure
	}
	return client, info, ids, exitOK
}

func printCSCCredential(w io.Writer, ci *token.CSCCredentialInfo) {
	leaf := ci.Certificates[0]
	fmt.Fprintf(w, "credential %q: key %s", ci.ID, ci.KeyStatus)
	if ci.KeyLength > 0 {
		fmt.Fprintf(w, ", %d bits", ci.KeyLength)
	}
	fmt.Fprintf(w, ", SCAL %d, up to %d signatures per authorisation\n", ci.SCAL, ci.Multisign)
	fmt.Fprintf(w, "  subject: %s\n  issuer:  %s\n  valid:   %s – %s\n", leaf.Subject, leaf.Issuer,
		leaf.NotBefore.Format(time.DateOnly), leaf.NotAfter.Format(time.DateOnly))
	var factors []string
	if ci.PIN.Required() {
		factors = append(factors, "PIN")
	}
	if ci.OTP.Required() {
		factors = append(factors, "OTP")
	}
	if len(factors) == 0 {
		factors = []string{"none"}
	}
	fmt.Fprintf(w, "  authorisation: %s, %v\n", ci.AuthMode, factors)
}
