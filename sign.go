package kyso

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"

	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// Signer is a key with its certificate chain: a key on a PKCS#11 token or a software
// key from package token (token.Signer), or NewSigner's pair.
type Signer interface {
	crypto.Signer
	// Certificate returns the signer's own certificate.
	Certificate() *x509.Certificate
	// Chain returns the issuers of Certificate, towards the root (leaf excluded).
	Chain() []*x509.Certificate
}

// NewSigner pairs a key with its certificate chain, the signer's certificate first.
func NewSigner(key crypto.Signer, chain ...*x509.Certificate) Signer {
	return keyChain{key, chain}
}

type keyChain struct {
	crypto.Signer
	chain []*x509.Certificate
}

func (k keyChain) Certificate() *x509.Certificate {
	if len(k.chain) == 0 {
		return nil
	}
	return k.chain[0]
}

func (k keyChain) Chain() []*x509.Certificate {
	if len(k.chain) < 2 {
		return nil
	}
	return k.chain[1:]
}

// RSAScheme is the RSA signature scheme of a signature.
type RSAScheme int

// The RSA signature schemes. The zero value is RSASSA-PSS: Thông tư 39/2017/TT-BTTTT
// (the mandatory technical standards of state agencies) makes RSASSA-PSS (PKCS #1
// v2.2) the mandatory scheme for signing, so kyso's VGCA profile signs with it unless
// told otherwise. PKCS#1 v1.5 remains selectable for relying parties that cannot
// verify PSS yet. Both verify with kyso. ECDSA keys ignore the choice.
const (
	RSAPSS      RSAScheme = iota // RSASSA-PSS, salt as long as the digest (default)
	RSAPKCS1v15                  // RSASSA-PKCS1-v1_5
)

// String names the scheme as the standards do.
func (s RSAScheme) String() string {
	switch s {
	case RSAPSS:
		return "RSASSA-PSS"
	case RSAPKCS1v15:
		return "RSASSA-PKCS1-v1_5"
	}
	return fmt.Sprintf("RSAScheme(%d)", int(s))
}

// SignOptions controls Sign and Prepare. The zero value (or nil) signs at PAdES B-B
// with SHA-256 and RSASSA-PSS into a new invisible field, without a policy check.
type SignOptions struct {
	// Signature holds the options of package signature: the signing time, digest,
	// name, reason and location, the field (Field, CreateField, NewField), a visible
	// widget, certification, the PAdES level, the input's password and read limits,
	// the deferred-signing state key. Its PSS field is ignored (see RSA); its Policy
	// hook, when set, is asked after Policy.
	Signature signature.SignOptions
	// RSA chooses the RSA signature scheme; the zero value is RSASSA-PSS.
	RSA RSAScheme
	// Policy, when not nil, is asked before the signature is made; a refusal stops
	// Sign and Prepare with an error matching signature.ErrPolicyRefused and
	// policy.ErrRefused (errors.As reaches the *policy.RefusalError and its decision)
	// before anything is written.
	Policy *Policy
	// Placement, when not nil, makes the signature visible where Nghị định 30/2020
	// Phụ lục I puts it: layout.Place finds the page and the rectangle in the document
	// (the leader's image between the signer's title and name, the clerk's seal over
	// the left third of it, the attachment and copy stamps at the top right of page 1)
	// and draws the appearance. It replaces Signature.Widget. A copy stamp without
	// OrgName names the organisation of the signer's certificate. With Policy, the
	// signature is refused when the policy places it otherwise (a seal where the spec
	// asks for the leader's image, …), and when Policy.Facts.Document.Kind is empty an
	// attachment stamp means a separate-file attachment and a copy stamp a copy (whose
	// form, when the facts do not give it, is the stamp's CopyForm).
	Placement *layout.Spec
	// Chain controls how the signer's certificate chain is completed before signing
	// (see ChainOptions); nil completes it online against the VGCA trust store, or the
	// trust store of Signature.Level's Checker.
	Chain *ChainOptions
}

// ErrPlacementMismatch: the signing policy places the signature otherwise than
// SignOptions.Placement asks (wrapped in signature.ErrPolicyRefused).
var ErrPlacementMismatch = errors.New("kyso: the policy places this signature otherwise than the layout spec")

// SignResult describes the signature Sign wrote: signature's result, and what the
// root package added.
type SignResult struct {
	*signature.SignResult
	// Decision is the signing policy's decision (where the signature goes, its
	// warnings, the rules applied with their citations); nil without SignOptions.Policy.
	Decision *policy.Decision
	// Placement is where layout put the visible signature, with its warnings; nil
	// without SignOptions.Placement.
	Placement *layout.Placement
	// ChainWarning is set when the signer's certificate chain could not be completed
	// up to a trust anchor (the document was signed with the certificates there
	// were); nil otherwise.
	ChainWarning *ChainWarning
}

// PreparedSignature is Prepare's result: signature's, and the policy's decision
// (nil without SignOptions.Policy).
type PreparedSignature struct {
	*signature.PreparedSignature
	Decision  *policy.Decision
	Placement *layout.Placement // nil without SignOptions.Placement
	// ChainWarning: as SignResult's.
	ChainWarning *ChainWarning
}

// signatureOptions returns the options for package signature, for the document in r
// signed with cert; decision receives the policy's decision, and the layout placement
// is returned when one was asked for.
func (o *SignOptions) signatureOptions(ctx context.Context, r io.ReaderAt, size int64, cert *x509.Certificate, decision **policy.Decision) (*signature.SignOptions, *layout.Placement, error) {
	if o == nil {
		o = &SignOptions{}
	}
	so := o.Signature
	var placed *layout.Placement
	if o.Placement != nil {
		spec := *o.Placement
		if spec.Password == nil {
			spec.Password = so.Password // the document's, to read it
		}
		if spec.Kind == layout.Copy && spec.OrgName == "" && cert != nil {
			spec.OrgName = cert.Subject.CommonName
			if len(cert.Subject.Organization) > 0 {
				spec.OrgName = cert.Subject.Organization[0]
			}
		}
		var err error
		if placed, err = layout.Place(ctx, r, size, spec); err != nil {
			return nil, nil, err
		}
		so.Widget = &signature.Widget{Page: placed.Page, Rect: placed.Rect, Appearance: placed}
	}
	switch o.RSA {
	case RSAPSS:
		so.PSS = true
	case RSAPKCS1v15:
		so.PSS = false
	default:
		return nil, nil, &signature.SignError{Err: signature.ErrInvalidOptions, Detail: fmt.Sprintf("unknown RSA scheme %d", int(o.RSA))}
	}
	if o.Policy != nil {
		if o.Policy.Engine == nil {
			return nil, nil, &signature.SignError{Err: signature.ErrInvalidOptions, Detail: "Policy has no Engine"}
		}
		p := *o.Policy
		if o.Placement != nil && p.Facts.Document.Kind == "" {
			// The placement says what the document is when the facts do not.
			switch o.Placement.Kind {
			case layout.Attachment:
				p.Facts.Document.Kind = policy.DocAttachmentSeparateFile
			case layout.Copy:
				p.Facts.Document.Kind = policy.DocCopy
			}
		}
		if o.Placement != nil && o.Placement.Kind == layout.Copy && p.Facts.Document.CopyForm == "" && o.Placement.CopyForm != "" {
			// The copy form printed in the stamp is the copy's form.
			if err := p.Facts.Document.CopyForm.UnmarshalText([]byte(o.Placement.CopyForm)); err != nil {
				return nil, nil, err
			}
		}
		p.Decided = func(d policy.Decision) {
			*decision = &d
			if o.Policy.Decided != nil {
				o.Policy.Decided(d)
			}
		}
		hook := p.Hook(r, size, so.Password)
		if o.Placement != nil {
			hook = placementCheck{hook, o.Placement.Kind, decision}
		}
		if extra := so.Policy; extra != nil {
			first := hook
			hook = signature.PolicyHookFunc(func(ctx context.Context, info signature.SigningInfo) error {
				if err := first.CheckSigning(ctx, info); err != nil {
					return err
				}
				return extra.CheckSigning(ctx, info)
			})
		}
		so.Policy = hook
	}
	return &so, placed, nil
}

// placementCheck refuses a signature the policy allows in another place than the
// layout spec asks for.
type placementCheck struct {
	signature.PolicyHook
	kind     layout.Kind
	decision **policy.Decision
}

// policyPlacement names the policy's placement for each kind of layout; TextBox is
// not a Nghị định 30 placement and is never checked.
var policyPlacement = map[layout.Kind]policy.Placement{
	layout.Signer:     policy.PlacementSigner,
	layout.Seal:       policy.PlacementSeal,
	layout.Attachment: policy.PlacementAttachmentStamp,
	layout.Copy:       policy.PlacementCopyStamp,
}

// CheckSigning asks the policy, then compares its placement with the spec's.
func (c placementCheck) CheckSigning(ctx context.Context, info signature.SigningInfo) error {
	if err := c.PolicyHook.CheckSigning(ctx, info); err != nil {
		return err
	}
	want, ok := policyPlacement[c.kind]
	if d := *c.decision; ok && d != nil && d.Placement != want {
		return fmt.Errorf("%w: the policy places it as %q (%s), the spec asks for %q", ErrPlacementMismatch, d.Placement, d.Placement.Vietnamese(), want)
	}
	return nil
}

// Sign signs the PDF in r (size bytes) with s and writes the signed document to w, in
// one streaming pass: an incremental update, so earlier signatures stay valid and r
// is never modified. With opts.Policy the signing policy is asked first. Errors are
// signature.Sign's (sentinels of package signature, usable with errors.Is); a
// document that is not a readable PDF gives an error matching signature.ErrNotPDF,
// as Verify does. Nothing is written to w on an error found before signing; wrap w
// in a temporary file to never leave a partial output.
func Sign(ctx context.Context, w io.Writer, r io.ReaderAt, size int64, s Signer, opts *SignOptions) (*SignResult, error) {
	var chain []*x509.Certificate
	var warn *ChainWarning
	if s != nil {
		chain, warn = opts.chainOptions().completeChain(ctx, s.Certificate(), s.Chain(), opts.level())
	}
	var decision *policy.Decision
	so, placed, err := opts.signatureOptions(ctx, r, size, first(chain), &decision)
	if err != nil {
		return nil, err
	}
	res, err := signature.Sign(ctx, w, r, size, s, chain, so)
	if err != nil {
		return nil, err
	}
	return &SignResult{SignResult: res, Decision: decision, Placement: placed, ChainWarning: warn}, nil
}

// Prepare is the first step of deferred (two-step) signing, for signers whose key is
// elsewhere (a user's token behind a web page, a SIM PKI or remote signing service):
// it checks the policy as Sign does and returns the digest to sign with its
// algorithm, and the state for signature.Complete. chain[0] is the signer's
// certificate; the chain is completed as Sign completes it (SignOptions.Chain).
func Prepare(ctx context.Context, r io.ReaderAt, size int64, chain []*x509.Certificate, opts *SignOptions) (*PreparedSignature, error) {
	var warn *ChainWarning
	if len(chain) > 0 && chain[0] != nil {
		chain, warn = opts.chainOptions().completeChain(ctx, chain[0], chain[1:], opts.level())
	}
	var decision *policy.Decision
	so, placed, err := opts.signatureOptions(ctx, r, size, first(chain), &decision)
	if err != nil {
		return nil, err
	}
	prep, err := signature.Prepare(ctx, r, size, chain, so)
	if err != nil {
		return nil, err
	}
	return &PreparedSignature{PreparedSignature: prep, Decision: decision, Placement: placed, ChainWarning: warn}, nil
}

// chainOptions returns o.Chain (nil for a nil o).
func (o *SignOptions) chainOptions() *ChainOptions {
	if o == nil {
		return nil
	}
	return o.Chain
}

// level returns o.Signature.Level (nil for a nil o).
func (o *SignOptions) level() *signature.LevelOptions {
	if o == nil {
		return nil
	}
	return o.Signature.Level
}

// first returns chain[0], or nil.
func first(chain []*x509.Certificate) *x509.Certificate {
	if len(chain) == 0 {
		return nil
	}
	return chain[0]
}
