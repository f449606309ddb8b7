package main

import (
	"context"
	"crypto/x509"
	"time"

	"github.com/kyso-go/kyso/token"
)

// tokenListJSONOut is what "kyso token list -json" prints for a PKCS#11 module.
type tokenListJSONOut struct {
	Module string          `json:"module"`
	Slots  []slotJSON      `json:"slots"`  // slots without an initialised token
	Tokens []tokenJSONInfo `json:"tokens"` // never null
}

type slotJSON struct {
	Slot  uint   `json:"slot"`
	State string `json:"state"`
}

type tokenJSONInfo struct {
	Slot         uint       `json:"slot"`
	Label        string     `json:"label"`
	Manufacturer string     `json:"manufacturer"`
	Model        string     `json:"model"`
	Serial       string     `json:"serial"`
	Flags        string     `json:"flags"`
	PIN          string     `json:"pin"` // ok, count-low, final-try, locked, to-be-changed
	Certificates []certJSON `json:"certificates,omitempty"`
	Keys         []keyJSON  `json:"keys,omitempty"` // with -pin-env only
	Error        string     `json:"error,omitempty"`
}

type certJSON struct {
	ID        string    `json:"id,omitempty"`
	Label     string    `json:"label,omitempty"`
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer"`
	NotBefore time.Time `json:"notBefore"`
	NotAfter  time.Time `json:"notAfter"`
}

type keyJSON struct {
	ID        string     `json:"id"`
	Label     string     `json:"label"`
	Algorithm string     `json:"algorithm"`
	CanSign   bool       `json:"canSign"`
	Subject   string     `json:"subject,omitempty"`
	NotBefore *time.Time `json:"notBefore,omitempty"`
	NotAfter  *time.Time `json:"notAfter,omitempty"`
	Chain     []string   `json:"chain,omitempty"` // issuers' subjects
}

func newCertJSON(id []byte, label string, c *x509.Certificate) certJSON {
	return certJSON{ID: hexIDOrEmpty(id), Label: label, Subject: c.Subject.String(), Issuer: c.Issuer.String(), NotBefore: c.NotBefore, NotAfter: c.NotAfter}
}

func hexIDOrEmpty(id []byte) string {
	if len(id) == 0 {
		return ""
	}
	return hexID(id)
}

// pinState names a token's PIN state for JSON.
func pinState(f token.TokenFlags) string {
	switch {
	case f.PINLocked():
		return "locked"
	case f.PINFinalTry():
		return "final-try"
	case f.PINCountLow():
		return "count-low"
	case f.PINToBeChanged():
		return "to-be-changed"
	}
	return "ok"
}

// tokenListJSON prints the tokens of m (those labelled label, or all) as one JSON
// object; with pinEnv it logs in and lists the keys.
func tokenListJSON(ctx context.Context, c *cli, m *token.Module, slots []token.SlotInfo, label, pinEnv string) int {
	out := tokenListJSONOut{Module: m.Path(), Slots: []slotJSON{}, Tokens: []tokenJSONInfo{}}
	failed := false
	for _, s := range slots {
		if s.Token == nil || !s.Token.Flags.Initialized() {
			if label == "" {
				out.Slots = append(out.Slots, slotJSON{Slot: s.ID, State: slotState(s)})
			}
			continue
		}
		ti := *s.Token
		if label != "" && ti.Label != label {
			continue
		}
		tj := tokenJSONInfo{Slot: ti.SlotID, Label: ti.Label, Manufacturer: ti.Manufacturer, Model: ti.Model,
			Serial: ti.Serial, Flags: ti.Flags.String(), PIN: pinState(ti.Flags)}
		if err := tokenObjectsJSON(ctx, c, m, ti, pinEnv, &tj); err != nil {
			tj.Error = err.Error()
			failed = true
		}
		out.Tokens = append(out.Tokens, tj)
	}
	if err := writeJSON(c.stdout, out); err != nil {
		printFailure(c, "kyso token list", err)
		return exitFailure
	}
	if failed {
		return exitFailure
	}
	return exitOK
}

// tokenObjectsJSON fills the certificates or, with a PIN, the keys of a token.
func tokenObjectsJSON(ctx context.Context, c *cli, m *token.Module, ti token.TokenInfo, pinEnv string, tj *tokenJSONInfo) error {
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
		tj.Certificates = []certJSON{}
		for _, tc := range certs {
			tj.Certificates = append(tj.Certificates, newCertJSON(tc.ID, tc.Label, tc.Certificate))
		}
		return nil
	}
	keys, err := t.Keys(ctx)
	if err != nil {
		return err
	}
	tj.Keys = []keyJSON{}
	for _, k := range keys {
		kj := keyJSON{ID: hexIDOrEmpty(k.ID), Label: k.Label, Algorithm: k.Algorithm, CanSign: k.CanSign}
		if cert := k.Certificate; cert != nil {
			nb, na := cert.NotBefore, cert.NotAfter
			kj.Subject, kj.NotBefore, kj.NotAfter = cert.Subject.String(), &nb, &na
		}
		for _, ch := range k.Chain {
			kj.Chain = append(kj.Chain, ch.Subject.String())
		}
		tj.Keys = append(tj.Keys, kj)
	}
	return nil
}

// cscListJSON is what "kyso token list -csc URL -json" prints.
type cscListJSON struct {
	Service     string           `json:"service"`
	Specs       string           `json:"specs"`
	URL         string           `json:"url"`
	Credentials []cscCredentialJ `json:"credentials"` // never null
}

type cscCredentialJ struct {
	ID        string     `json:"id"`
	KeyStatus string     `json:"keyStatus,omitempty"`
	KeyLength int        `json:"keyLength,omitempty"`
	SCAL      int        `json:"scal,omitempty"`
	Multisign int        `json:"multisign,omitempty"`
	Subject   string     `json:"subject,omitempty"`
	Issuer    string     `json:"issuer,omitempty"`
	NotBefore *time.Time `json:"notBefore,omitempty"`
	NotAfter  *time.Time `json:"notAfter,omitempty"`
	AuthMode  string     `json:"authMode,omitempty"`
	Factors   []string   `json:"factors,omitempty"` // PIN, OTP
	Error     string     `json:"error,omitempty"`
}

// tokenListCSCJSON is "kyso token list -csc URL -csc-auth-env VAR -json".
func tokenListCSCJSON(ctx context.Context, c *cli, url, authEnv string) int {
	client, info, ids, code := cscListing(ctx, c, url, authEnv)
	if client == nil {
		return code
	}
	out := cscListJSON{Service: info.Name, Specs: info.Specs, URL: cscBaseURL(url), Credentials: []cscCredentialJ{}}
	failed := false
	for _, id := range ids {
		cj := cscCredentialJ{ID: id}
		ci, err := client.CredentialInfo(ctx, id)
		if err != nil {
			cj.Error = err.Error()
			failed = true
		} else {
			cj.KeyStatus, cj.KeyLength, cj.SCAL, cj.Multisign, cj.AuthMode = ci.KeyStatus, ci.KeyLength, ci.SCAL, ci.Multisign, ci.AuthMode
			if len(ci.Certificates) > 0 {
				leaf := ci.Certificates[0]
				nb, na := leaf.NotBefore, leaf.NotAfter
				cj.Subject, cj.Issuer, cj.NotBefore, cj.NotAfter = leaf.Subject.String(), leaf.Issuer.String(), &nb, &na
			}
			if ci.PIN.Required() {
				cj.Factors = append(cj.Factors, "PIN")
			}
			if ci.OTP.Required() {
				cj.Factors = append(cj.Factors, "OTP")
			}
		}
		out.Credentials = append(out.Credentials, cj)
	}
	if err := writeJSON(c.stdout, out); err != nil {
		printFailure(c, "kyso token list", err)
		return exitFailure
	}
	if failed {
		return exitFailure
	}
	return exitOK
}
