package kyso

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/signature"
)

// ChainOptions controls how Sign, Prepare and SignBatch complete the signer's
// certificate chain before signing. A USB token often holds only the signer's own
// certificate, a remote signing service may return only that certificate, a .p12 may
// lack the issuing CA: the signature then carries no path to the root, and a relying
// party that trusts only the root (pdfsig, Adobe, kyso offline) finds no chain
// (NO_CERTIFICATE_CHAIN_FOUND). As EU DSS, Adobe and iText do, kyso completes the
// chain from the signer's own certificates, the trust store and the AIA caIssuers
// URLs of the certificates (certstatus.Checker.IssuerPath: downloads cached and
// bounded, none when offline) and embeds the issuing CAs in the signature, nearest
// first. A chain that already reaches a trust anchor, or a self-signed root, is used
// as the signer gives it, without any request.
//
// The nil value completes online against certstatus.DefaultTrustStore() (the VGCA
// root), or against the trust store of the *certstatus.Checker of
// SignOptions.Signature.Level.Revocation when there is one (Services.Level's).
type ChainOptions struct {
	// Checker builds the path: its trust anchors, Options.Intermediates, AIA
	// downloads (Options.Offline and DisableAIA forbid them) and caches. Nil means a
	// new Checker with Trust, HTTPClient and Offline below.
	Checker *certstatus.Checker
	// Trust holds the trust anchors the chain should reach; nil means
	// certstatus.DefaultTrustStore().
	Trust *certstatus.TrustStore
	// HTTPClient downloads the missing issuers; nil means the default client.
	HTTPClient *http.Client
	// Offline completes the chain only from the signer's certificates and the trust
	// store: no request is made.
	Offline bool
	// IncludeRoot also embeds the trust anchor (or the self-signed root) the chain
	// reaches; by default only the intermediate CAs are added, as the relying party
	// must hold the root anyway.
	IncludeRoot bool
	// AsGiven signs with the signer's chain exactly as it is: no completion, no
	// warning.
	AsGiven bool
}

// ErrIncompleteChain: the signer's certificate chain could not be completed up to a
// trust anchor. It is not a signing error: Sign signs with the certificates it has
// and reports a *ChainWarning (which matches it with errors.Is).
var ErrIncompleteChain = errors.New("kyso: the signer's certificate chain could not be completed to a trust anchor")

// ChainWarning says that the signer's certificate chain could not be completed
// before signing (the issuer of a certificate could not be found: offline, AIA
// unreachable, no caIssuers URL): the document was signed with the certificates
// there were, and a relying party that holds only the root may find no chain
// (NO_CERTIFICATE_CHAIN_FOUND) unless it has the missing CA certificates itself.
// It matches ErrIncompleteChain and its cause with errors.Is.
type ChainWarning struct {
	// Missing is the certificate whose issuer was not found.
	Missing *x509.Certificate
	// Embedded are the certificates that went into the signature, signer first.
	Embedded []*x509.Certificate
	// Err is certstatus's reason (a *certstatus.CertificateInvalidError wrapping
	// certstatus.ErrNoChain, whose Detail names the failed download).
	Err error
}

// Error is the English message.
func (w *ChainWarning) Error() string { return w.English() }

// Unwrap returns ErrIncompleteChain and the cause.
func (w *ChainWarning) Unwrap() []error { return []error{ErrIncompleteChain, w.Err} }

func (w *ChainWarning) missingName() string {
	if w.Missing == nil {
		return "?"
	}
	if w.Missing.Subject.CommonName != "" {
		return w.Missing.Subject.CommonName
	}
	return w.Missing.Subject.String()
}

// English explains the warning in English.
func (w *ChainWarning) English() string {
	msg := fmt.Sprintf("the signer's certificate chain could not be completed: the issuer of %q was not found, so the signature carries %d certificate(s) and may not verify where only the root CA is trusted (NO_CERTIFICATE_CHAIN_FOUND)",
		w.missingName(), len(w.Embedded))
	if w.Err != nil {
		msg += ": " + w.Err.Error()
	}
	return msg
}

// Vietnamese explains the warning in Vietnamese.
func (w *ChainWarning) Vietnamese() string {
	return fmt.Sprintf("không bổ sung được chuỗi chứng thư của người ký: không tìm thấy chứng thư của CA đã cấp %q, chữ ký chỉ mang %d chứng thư và có thể không kiểm tra được ở nơi chỉ tin cậy chứng thư gốc (không xây dựng được đường dẫn tin cậy)",
		w.missingName(), len(w.Embedded))
}

// String gives both languages, Vietnamese first, for a user.
func (w *ChainWarning) String() string { return w.Vietnamese() + " / " + w.English() }

// completeChain returns the chain to sign with: leaf, then its issuers up to (not
// including, unless asked) the trust anchor, then any other certificate the signer
// gave; and a warning when no anchor or self-signed root was reached.
func (o *ChainOptions) completeChain(ctx context.Context, leaf *x509.Certificate, given []*x509.Certificate, level *signature.LevelOptions) ([]*x509.Certificate, *ChainWarning) {
	full := append([]*x509.Certificate{leaf}, given...)
	if leaf == nil || o != nil && o.AsGiven {
		return full, nil
	}
	var opts ChainOptions
	if o != nil {
		opts = *o
	}
	path, err := opts.checker(level).IssuerPath(ctx, leaf, given)
	var warn *ChainWarning
	var ce *certstatus.CertificateInvalidError
	if err != nil && (!errors.As(err, &ce) || ce.Cert == nil || !bytes.Equal(ce.Cert.RawIssuer, ce.Cert.RawSubject)) {
		// Not a self-signed root at the end: the chain is incomplete.
		warn = &ChainWarning{Err: err, Missing: leaf}
		if ce != nil && ce.Cert != nil {
			warn.Missing = ce.Cert
		}
	}
	if len(path) > 0 && warn == nil && !opts.IncludeRoot && !contains(given, path[len(path)-1]) {
		path = path[:len(path)-1] // the anchor or self-signed root, unless the signer gave it
	}
	chain := []*x509.Certificate{leaf}
	added := false
	for _, p := range path {
		chain = append(chain, p)
		added = added || !contains(given, p)
	}
	if !added {
		chain = full // nothing new: the signer's chain as it is
	} else {
		for _, g := range given {
			if g != nil && !contains(chain, g) {
				chain = append(chain, g)
			}
		}
	}
	if warn != nil {
		warn.Embedded = chain
	}
	return chain, warn
}

// checker returns the Checker that builds the path.
func (o *ChainOptions) checker(level *signature.LevelOptions) *certstatus.Checker {
	if o.Checker != nil {
		return o.Checker
	}
	if o.Trust == nil && o.HTTPClient == nil && !o.Offline && level != nil {
		if c, ok := level.Revocation.(*certstatus.Checker); ok && c != nil {
			return c
		}
	}
	return certstatus.NewChecker(certstatus.Options{Trust: o.Trust, HTTPClient: o.HTTPClient, Offline: o.Offline})
}

func contains(certs []*x509.Certificate, c *x509.Certificate) bool {
	for _, x := range certs {
		if x != nil && x.Equal(c) {
			return true
		}
	}
	return false
}
