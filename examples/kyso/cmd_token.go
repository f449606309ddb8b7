package main

import (
	"context"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kyso-go/kyso/token"
)

// defaultPKCS11Module is used when neither -module nor KYSO_PKCS11_MODULE is given:
// where Debian and Ubuntu install SoftHSM2.
const defaultPKCS11Module = "/usr/lib/softhsm/libsofthsm2.so"

const tokenUsage = `usage: kyso token list [-module PATH] [-token LABEL] [-pin-env VAR] [-json]
       kyso token list -csc URL -csc-auth-env VAR [-json]

With -csc, lists the credentials of a remote signing service (CSC API v2, ký số từ
xa) that the access token in $VAR may use, with their certificates.

Lists the PKCS#11 tokens (USB tokens, smart cards, HSM partitions) of a module with
their PIN state, and the certificates on each. With -pin-env, logs in and lists the
signing keys with their certificates' subjects (private keys are visible only after
login). The module defaults to $KYSO_PKCS11_MODULE, else ` + defaultPKCS11Module + `.

The PIN is read from the environment variable named by -pin-env, never from the
command line. A wrong PIN counts against the token's retry limit: after too many the
token locks, and the CA (Ban Cơ yếu Chính phủ) recovers it on the request of the
organisation that manages the subscriber (NĐ 68/2024/NĐ-CP Mẫu 06; before 15/8/2024
TT 185/2019/TT-BQP Mẫu 11/12).

-json prints one object on stdout. For PKCS#11: module, slots (empty slots: slot,
state) and tokens (slot, label, manufacturer, model, serial, flags, pin: ok,
count-low, final-try, locked or to-be-changed; certificates: id, label, subject,
issuer, notBefore, notAfter; with -pin-env, keys: id, label, algorithm, canSign,
subject, notBefore, notAfter, chain; error when listing the token failed). For -csc:
service, specs, url and credentials (id, keyStatus, keyLength, scal, multisign,
subject, issuer, notBefore, notAfter, authMode, factors; error when one could not be
read).
`

const tokenExitCodes = `
exit status:
  0  listed
  1  the module could not be loaded, or logging in failed (wrong or locked PIN, ...)
  2  usage error
`

func runToken(ctx context.Context, c *cli, args []string) int {
	if code, ok := subcommand(c, "kyso token", tokenUsage+"\n(kyso token list -help lists the flags)\n"+tokenExitCodes, []string{"list"}, args); !ok {
		return code
	}
	fs := newCmdFlags(c, "kyso token list", tokenUsage, tokenExitCodes)
	module := fs.String("module", "", "PKCS#11 module `path` (default $KYSO_PKCS11_MODULE, else "+defaultPKCS11Module+")")
	label := fs.String("token", "", "only the token with this `label`")
	pinEnv := fs.String("pin-env", "", "environment `variable` holding the user PIN; logs in to list the signing keys")
	cscURL := fs.String("csc", "", "list the credentials of the CSC API v2 remote signing service at this base `URL` instead")
	cscAuthEnv := fs.String("csc-auth-env", "", "with -csc: environment `variable` holding the service's OAuth2 access token")
	asJSON := fs.Bool("json", false, "print one JSON object on stdout (keys in the description above)")
	if code, ok := fs.parse(args[1:], false); !ok {
		return code
	}
	if *cscURL != "" || *cscAuthEnv != "" {
		if *cscURL == "" || *module != "" || *label != "" || *pinEnv != "" {
			return fs.usageError("-csc URL -csc-auth-env VAR lists a remote service; -module, -token and -pin-env are for PKCS#11")
		}
		if *asJSON {
			return tokenListCSCJSON(ctx, c, *cscURL, *cscAuthEnv)
		}
		return runTokenListCSC(ctx, c, *cscURL, *cscAuthEnv)
	}
	path := pkcs11ModulePath(c, *module)
	m, err := token.OpenModule(path)
	if err != nil {
		fmt.Fprintln(c.stderr, "kyso token list:", err)
		return exitFailure
	}
	defer m.Close()
	slots, err := m.Slots(ctx)
	if err != nil {
		fmt.Fprintln(c.stderr, "kyso token list:", err)
		return exitFailure
	}
	var chosen []token.TokenInfo
	for _, s := range slots {
		if s.Token != nil && s.Token.Flags.Initialized() && (*label == "" || s.Token.Label == *label) {
			chosen = append(chosen, *s.Token)
		}
	}
	if *label != "" && len(chosen) == 0 {
		fmt.Fprintf(c.stderr, "kyso token list: %v: no token labelled %q in %s\n", token.ErrTokenNotFound, *label, path)
		return exitFailure
	}
	if *pinEnv != "" && len(chosen) > 1 {
		// A PIN typed for one token must not be tried on the others: each wrong try
		// counts towards locking them.
		return fs.usageError("-pin-env with several tokens present needs -token LABEL")
	}
	if *asJSON {
		return tokenListJSON(ctx, c, m, slots, *label, *pinEnv)
	}
	fmt.Fprintf(c.stdout, "module %s\n", m.Path())
	failed := false
	for _, s := range slots {
		if s.Token == nil || !s.Token.Flags.Initialized() {
			if *label == "" {
				fmt.Fprintf(c.stdout, "slot %d: %s\n", s.ID, slotState(s))
			}
			continue
		}
		ti := *s.Token
		if *label != "" && ti.Label != *label {
			continue
		}
		printTokenInfo(c.stdout, ti)
		if err := listTokenObjects(ctx, c, m, ti, *pinEnv); err != nil {
			fmt.Fprintf(c.stderr, "kyso token list: token %q: %v\n", ti.Label, err)
			failed = true
		}
	}
	if failed {
		return exitFailure
	}
	return exitOK
}

// pkcs11ModulePath picks the module: the flag, else $KYSO_PKCS11_MODULE, else SoftHSM2.
func pkcs11ModulePath(c *cli, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if env := c.getenv("KYSO_PKCS11_MODULE"); env != "" {
		return env
	}
	return defaultPKCS11Module
}

func slotState(s token.SlotInfo) string {
	switch {
	case !s.TokenPresent:
		return "no token (không có thiết bị)"
	case s.Token == nil:
		return "token present, unreadable"
	}
	return "uninitialised token"
}

func printTokenInfo(w io.Writer, ti token.TokenInfo) {
	fmt.Fprintf(w, "slot %d: token %q (%s %s, serial %s)\n", ti.SlotID, ti.Label, ti.Manufacturer, ti.Model, ti.Serial)
	fmt.Fprintf(w, "  flags: %s\n", ti.Flags)
	switch f := ti.Flags; {
	case f.PINLocked():
		fmt.Fprintln(w, "  PIN: đã bị khóa — thiết bị phải được cơ quan quản lý khôi phục / locked — the managing organisation must recover the device")
	case f.PINFinalTry():
		fmt.Fprintln(w, "  PIN: còn một lần thử cuối cùng / one try left before the device locks")
	case f.PINCountLow():
		fmt.Fprintln(w, "  PIN: đã nhập sai, còn ít lần thử / a wrong PIN was entered; few tries left")
	case f.PINToBeChanged():
		fmt.Fprintln(w, "  PIN: phải đổi trước khi dùng / must be changed before use")
	}
}

// openListedToken opens the token "kyso token list" describes: logged in with the PIN
// of $pinEnv when one is named (to list its keys), else without a login (its
// certificates).
func openListedToken(ctx context.Context, c *cli, m *token.Module, ti token.TokenInfo, pinEnv string) (*token.Token, error) {
	opts := token.TokenOptions{Label: ti.Label, Serial: ti.Serial, NoLogin: pinEnv == "", MaxSessions: 1}
	if pinEnv != "" {
		opts.PIN = pinFromEnv(c, pinEnv)
	}
	return m.OpenToken(ctx, opts)
}

// listTokenObjects prints the certificates of a token or, with a PIN, its signing keys.
func listTokenObjects(ctx context.Context, c *cli, m *token.Module, ti token.TokenInfo, pinEnv string) error {
	t, err := openListedToken(ctx, c, m, ti, pinEnv)
	if err != nil {
		return err
	}
	defer t.Close()
	if pinEnv == "" {
		certs, err := t.Certificates(ctx)
		if err != nil {
			return err
		}
		for _, tc := range certs {
			fmt.Fprintf(c.stdout, "  certificate id %s label %q: %s\n", hexID(tc.ID), tc.Label, certSummary(tc.Certificate))
		}
		if len(certs) == 0 {
			fmt.Fprintln(c.stdout, "  no certificates")
		}
		fmt.Fprintln(c.stdout, "  (log in with -pin-env VAR to list the signing keys)")
		return nil
	}
	keys, err := t.Keys(ctx)
	if err != nil {
		return err
	}
	for _, k := range keys {
		fmt.Fprintf(c.stdout, "  key id %s label %q %s", hexID(k.ID), k.Label, k.Algorithm)
		if !k.CanSign {
			fmt.Fprint(c.stdout, " (not for signing)")
		}
		if k.Certificate == nil {
			fmt.Fprintln(c.stdout, ": no certificate")
			continue
		}
		fmt.Fprintf(c.stdout, ": %s\n", certSummary(k.Certificate))
		for _, ch := range k.Chain {
			fmt.Fprintf(c.stdout, "    issued by %s\n", ch.Subject)
		}
	}
	if len(keys) == 0 {
		fmt.Fprintln(c.stdout, "  no private keys")
	}
	return nil
}

func hexID(id []byte) string {
	if len(id) == 0 {
		return "-"
	}
	return hex.EncodeToString(id)
}

func certSummary(c *x509.Certificate) string {
	return fmt.Sprintf("%s (valid %s to %s)", c.Subject, c.NotBefore.Format("2006-01-02"), c.NotAfter.Format("2006-01-02"))
}

// pinFromEnv reads the PIN from the environment variable name when the token asks.
func pinFromEnv(c *cli, name string) token.PINFunc {
	return func(ctx context.Context, req token.PINRequest) ([]byte, error) {
		v := c.getenv(name)
		if v == "" {
			return nil, fmt.Errorf("environment variable %s is empty or not set", name)
		}
		return []byte(v), nil
	}
}

// pkcs11Signer is a token key together with the module it lives in; Close releases both.
type pkcs11Signer struct {
	*token.KeySigner
	module *token.Module
}

// Close closes the token and the module.
func (s *pkcs11Signer) Close() error { return s.module.Close() }

// openPKCS11Signer opens the signing key for "kyso sign -pkcs11 MODULE -token LABEL
// -pin-env VAR [-key-id HEX|-key-label L]". When the token holds exactly one signing key
// with a certificate, no key selector is needed. The caller must Close the result.
func openPKCS11Signer(ctx context.Context, c *cli, module, label, pinEnv, keyIDHex, keyLabel string) (*pkcs11Signer, error) {
	if pinEnv == "" {
		return nil, errors.New("-pkcs11 needs -pin-env VAR (the PIN is never taken from the command line)")
	}
	var sel token.KeySelector
	if keyIDHex != "" {
		id, err := parseKeyID(keyIDHex)
		if err != nil {
			return nil, err
		}
		sel.ID = id
	}
	sel.Label = keyLabel
	m, err := token.OpenModule(pkcs11ModulePath(c, module))
	if err != nil {
		return nil, err
	}
	t, err := m.OpenToken(ctx, token.TokenOptions{Label: label, PIN: pinFromEnv(c, pinEnv)})
	if err != nil {
		m.Close()
		return nil, err
	}
	k, err := t.Signer(ctx, sel)
	if err != nil {
		m.Close()
		return nil, err
	}
	return &pkcs11Signer{KeySigner: k, module: m}, nil
}

// parseKeyID decodes a -key-id value: hexadecimal, optionally with a 0x prefix or
// colons between bytes.
func parseKeyID(v string) ([]byte, error) {
	id, err := hex.DecodeString(strings.TrimPrefix(strings.ReplaceAll(v, ":", ""), "0x"))
	if err != nil {
		return nil, fmt.Errorf("-key-id %q: not hexadecimal", v)
	}
	if len(id) == 0 {
		// An empty ID would select any key: refuse it rather than sign with a key the
		// user did not name.
		return nil, fmt.Errorf("-key-id %q: no hexadecimal digits", v)
	}
	return id, nil
}

// signPKCS11Flags are the flags of "kyso sign" for a key on a PKCS#11 token:
// -pkcs11 MODULE -token LABEL -pin-env VAR [-key-id HEX|-key-label L].
type signPKCS11Flags struct {
	module, token, pinEnv, keyID, keyLabel string
}

// register adds the flags to fs.
func (p *signPKCS11Flags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.module, "pkcs11", "", "sign with a key on a PKCS#11 token (USB token, HSM) through this module `path` (e.g. "+defaultPKCS11Module+")")
	fs.StringVar(&p.token, "token", "", "with -pkcs11: the token's `label` (needed when several tokens are present)")
	fs.StringVar(&p.pinEnv, "pin-env", "", "with -pkcs11: environment `variable` holding the user PIN")
	fs.StringVar(&p.keyID, "key-id", "", "with -pkcs11: the signing key's CKA_ID in `hex` (not needed when the token holds one signing key with a certificate)")
	fs.StringVar(&p.keyLabel, "key-label", "", "with -pkcs11: the signing key's CKA_LABEL `label`")
}

// set reports whether -pkcs11 chose the token as the key source.
func (p *signPKCS11Flags) set() bool { return p.module != "" }

// problems lists the usage errors of the PKCS#11 flags; otherSource says whether -p12 or
// -key/-cert was given too.
func (p *signPKCS11Flags) problems(otherSource bool) []string {
	var out []string
	if !p.set() {
		if p.token != "" || p.pinEnv != "" || p.keyID != "" || p.keyLabel != "" {
			out = append(out, "-token, -pin-env, -key-id and -key-label go with -pkcs11 MODULE")
		}
		return out
	}
	if otherSource {
		out = append(out, "give -pkcs11 or -p12 or -key/-cert, not several")
	}
	if p.pinEnv == "" {
		out = append(out, "-pkcs11 needs -pin-env VAR (the PIN is never taken from the command line)")
	}
	if p.keyID != "" && p.keyLabel != "" {
		out = append(out, "give -key-id or -key-label, not both")
	}
	if p.keyID != "" {
		if _, err := parseKeyID(p.keyID); err != nil {
			out = append(out, err.Error())
		}
	}
	return out
}

// open opens the token key the flags name. The result implements io.Closer.
func (p *signPKCS11Flags) open(c *cli) (token.Signer, error) {
	s, err := openPKCS11Signer(context.Background(), c, p.module, p.token, p.pinEnv, p.keyID, p.keyLabel)
	if err != nil {
		return nil, err
	}
	return s, nil
}
