package token

import (
	"cmp"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kyso-go/kyso/internal/algorithm"
	"github.com/kyso-go/kyso/internal/cms"
)

// Object identifiers of the CSC requests (signAlgo), from internal/cms. The hash
// identifiers (hashAlgorithmOID) come from the module's one table, internal/algorithm;
// the signature algorithm of a hash and key type (sha256WithRSAEncryption, …) and the
// RSASSA-PSS parameters from internal/cms, which signs CMS with the same.
var (
	oidRSAEncryption = cms.OIDRSAEncryption.String()
	oidRSAPSS        = cms.OIDRSASSAPSS.String()
	oidECPublicKey   = cms.OIDECPublicKey.String()
)

// CSCHashOID returns the object identifier CSC requests use for h ("" if unknown):
// the hashes internal/algorithm accepts for signing remotely.
func CSCHashOID(h crypto.Hash) string {
	oid, ok := algorithm.RemoteHashOID(h)
	if !ok {
		return ""
	}
	return oid.String()
}

// CSCAuthorizeRequest asks credentials/authorize for a SAD. Its String method withholds
// the PIN and OTP, so printing it reveals neither.
type CSCAuthorizeRequest struct {
	// NumSignatures is how many signatures the SAD allows (at most the credential's
	// Multisign).
	NumSignatures int
	// Hashes are bound to the SAD (required when the credential's SCAL is 2), made with
	// Hash.
	Hashes [][]byte
	Hash   crypto.Hash
	// PIN and OTP authenticate the signer (explicit authorisation).
	PIN, OTP string
	// Description is shown to the signer by services that ask for approval.
	Description string
}

// String describes the request without its secrets.
func (r CSCAuthorizeRequest) String() string {
	return fmt.Sprintf("CSCAuthorizeRequest{NumSignatures: %d, Hashes: %d, PIN: %s, OTP: %s}", r.NumSignatures, len(r.Hashes), withheld(r.PIN), withheld(r.OTP))
}

// GoString is String, for %#v.
func (r CSCAuthorizeRequest) GoString() string { return r.String() }

func withheld(s string) string {
	if s == "" {
		return "none"
	}
	return "withheld"
}

// CSCAuthorization is a SAD (signature activation data) from credentials/authorize. The
// SAD itself is never exported nor printed.
type CSCAuthorization struct {
	credentialID string
	sad          string
	expires      time.Time
	allowed      int
}

// ExpiresAt is when the service said the SAD expires (3600 s after issue by default).
func (a *CSCAuthorization) ExpiresAt() time.Time { return a.expires }

// NumSignatures is how many signatures the SAD allows.
func (a *CSCAuthorization) NumSignatures() int { return a.allowed }

// String describes the authorisation without the SAD.
func (a *CSCAuthorization) String() string {
	return fmt.Sprintf("CSC authorisation of %q for %d signatures until %s (SAD withheld)", a.credentialID, a.allowed, a.expires.Format(time.RFC3339))
}

// GoString is String, for %#v.
func (a *CSCAuthorization) GoString() string { return a.String() }

// maxCSCBatch bounds the hashes of one authorisation or signHash call.
const maxCSCBatch = 10000

// Authorize calls credentials/authorize for the credential described by info.
func (c *CSCClient) Authorize(ctx context.Context, info *CSCCredentialInfo, r CSCAuthorizeRequest) (*CSCAuthorization, error) {
	const op = "credentials/authorize"
	switch {
	case info == nil || info.ID == "":
		return nil, &CSCError{Op: op, Reason: CSCInvalidRequest, Description: "no credential"}
	case info.AuthMode == "oauth2code":
		return nil, &CSCError{Op: op, Reason: CSCUnsupported, Description: "the credential is authorised with OAuth2 (authMode oauth2code); obtain a credential-scope token and sign without credentials/authorize"}
	case r.NumSignatures < 1 || r.NumSignatures > maxCSCBatch:
		return nil, &CSCError{Op: op, Reason: CSCInvalidRequest, Description: fmt.Sprintf("numSignatures %d out of range", r.NumSignatures)}
	case len(r.Hashes) > 0 && len(r.Hashes) != r.NumSignatures:
		return nil, &CSCError{Op: op, Reason: CSCInvalidRequest, Description: "as many hashes as signatures are needed"}
	}
	req := map[string]any{"credentialID": info.ID, "numSignatures": r.NumSignatures}
	if len(r.Hashes) > 0 {
		oid := CSCHashOID(r.Hash)
		if oid == "" {
			return nil, &CSCError{Op: op, Reason: CSCUnsupported, Description: fmt.Sprintf("hash %v", r.Hash)}
		}
		req["hashes"] = encodeHashes(r.Hashes)
		req["hashAlgorithmOID"] = oid
		if c.v1Hash.Load() {
			req["hash"] = req["hashes"]
		}
	}
	if r.Description != "" {
		req["description"] = r.Description
	}
	if info.authData {
		pinID, otpID := cmp.Or(info.pinID, "PIN"), cmp.Or(info.otpID, "OTP")
		var ad []map[string]string
		if r.PIN != "" {
			ad = append(ad, map[string]string{"id": pinID, "value": r.PIN})
		}
		if r.OTP != "" {
			ad = append(ad, map[string]string{"id": otpID, "value": r.OTP})
		}
		if len(ad) > 0 {
			req["authData"] = ad
		}
	} else {
		if r.PIN != "" {
			req["PIN"] = r.PIN
		}
		if r.OTP != "" {
			req["OTP"] = r.OTP
		}
	}
	var out cscAuthorizeAnswer
	err := c.call(ctx, op, req, &out, []string{r.PIN, r.OTP})
	if err != nil && len(r.Hashes) > 0 && req["hash"] == nil && wantsV1Hash(err) {
		c.v1Hash.Store(true)
		req["hash"] = req["hashes"] // the CSC v1 name of the parameter
		out = cscAuthorizeAnswer{}
		err = c.call(ctx, op, req, &out, []string{r.PIN, r.OTP})
	}
	if err != nil {
		return nil, err
	}
	if out.pending {
		if err := c.awaitApproval(ctx, &out); err != nil {
			return nil, err
		}
	}
	if out.SAD == "" {
		return nil, &CSCError{Op: op, Reason: CSCBadResponse, Description: "no SAD in the answer"}
	}
	life := 3600 * time.Second
	if out.ExpiresIn != "" {
		n, err := time.ParseDuration(string(out.ExpiresIn) + "s")
		if err != nil || n <= 0 {
			return nil, &CSCError{Op: op, Reason: CSCBadResponse, Description: "bad expiresIn"}
		}
		life = n
	}
	return &CSCAuthorization{credentialID: info.ID, sad: out.SAD, expires: time.Now().Add(life), allowed: r.NumSignatures}, nil
}

// SendOTP calls credentials/sendOTP: the service sends the signer a one-time password
// (SMS, e-mail) for the credential, whose OTP is of type "online".
func (c *CSCClient) SendOTP(ctx context.Context, credentialID string) error {
	const op = "credentials/sendOTP"
	if credentialID == "" {
		return &CSCError{Op: op, Reason: CSCInvalidRequest, Description: "empty credential ID"}
	}
	return c.call(ctx, op, map[string]any{"credentialID": credentialID}, nil, nil)
}

// cscAuthorizeAnswer is the answer of credentials/authorize and authorizeCheck: a SAD,
// or (HTTP 202) a handle while the authorisation is underway.
type cscAuthorizeAnswer struct {
	SAD       string     `json:"SAD"`
	ExpiresIn flexString `json:"expiresIn"`
	Handle    string     `json:"handle"`
	pending   bool
}

// awaitApproval polls credentials/authorizeCheck with the handle of a pending
// authorisation until the service gives the SAD, refuses, or the wait runs out.
func (c *CSCClient) awaitApproval(ctx context.Context, a *cscAuthorizeAnswer) error {
	const op = "credentials/authorizeCheck"
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, c.maxWait)
	defer cancel()
	// timedOut: the approval wait (not the caller's context) ran out, whether between
	// two polls or during one.
	timedOut := func() error {
		if parent.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return &CSCError{Op: op, Reason: CSCUnavailable, Description: "the signer did not approve in time", Err: ctx.Err()}
		}
		return nil
	}
	for a.pending {
		t := time.NewTimer(c.poll)
		select {
		case <-ctx.Done():
			t.Stop()
			if err := timedOut(); err != nil {
				return err
			}
			return ctx.Err()
		case <-t.C:
		}
		handle := a.Handle
		*a = cscAuthorizeAnswer{}
		if err := c.call(ctx, op, map[string]any{"handle": handle}, a, []string{handle}); err != nil {
			if terr := timedOut(); terr != nil {
				return terr
			}
			return err
		}
	}
	return nil
}

func encodeHashes(hs [][]byte) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = base64.StdEncoding.EncodeToString(h)
	}
	return out
}

// cscAlgorithm is what signHash needs to know about the signature asked for.
type cscAlgorithm struct {
	signAlgo string
	params   []byte // DER signAlgoParams (RSASSA-PSS), nil otherwise
	hashOID  string // hashAlgorithmOID, "" when signAlgo implies it
	// composite is the signature algorithm with the hash (sha256WithRSAEncryption,
	// ecdsa-with-SHA256) to ask for when signAlgo is the key algorithm the credential
	// listed (rsaEncryption, ecPublicKey) and the service refuses it: services list
	// key algorithms in key/algo yet want a signature algorithm in signHash.
	composite string
}

// chooseAlgorithm picks signAlgo for a signature of hash h with opts on a key pub among
// the algorithms the credential offers (any, when it lists none).
func chooseAlgorithm(pub crypto.PublicKey, offered []string, opts crypto.SignerOpts) (*cscAlgorithm, error) {
	h := opts.HashFunc()
	hashOID := CSCHashOID(h)
	if hashOID == "" {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedHash, h)
	}
	has := func(oid string) bool {
		if len(offered) == 0 {
			return true
		}
		for _, o := range offered {
			if o == oid {
				return true
			}
		}
		return false
	}
	pss, isPSS := opts.(*rsa.PSSOptions)
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if isPSS {
			if !has(oidRSAPSS) {
				return nil, fmt.Errorf("%w: the credential does not offer RSASSA-PSS (%s)", ErrCSCUnsupported, oidRSAPSS)
			}
			salt := pss.SaltLength
			if salt <= 0 {
				salt = h.Size()
			}
			if salt > (k.N.BitLen()-1+7)/8-h.Size()-2 {
				return nil, fmt.Errorf("%w: PSS salt of %d bytes too long for the key", ErrUnsupportedOptions, salt)
			}
			hid, _ := algorithm.RemoteHashOID(h)
			return &cscAlgorithm{signAlgo: oidRSAPSS, params: cms.PSSParams(hid, salt), hashOID: hashOID}, nil
		}
		withHash := compositeOID(pub, h)
		if withHash != "" && len(offered) > 0 && has(withHash) {
			return &cscAlgorithm{signAlgo: withHash}, nil
		}
		if has(oidRSAEncryption) {
			return &cscAlgorithm{signAlgo: oidRSAEncryption, hashOID: hashOID, composite: withHash}, nil
		}
		return nil, fmt.Errorf("%w: the credential offers no RSA PKCS#1 v1.5 algorithm for %v", ErrCSCUnsupported, h)
	case *ecdsa.PublicKey:
		if isPSS {
			return nil, fmt.Errorf("%w: RSA-PSS options for an ECDSA key", ErrUnsupportedOptions)
		}
		withHash := compositeOID(pub, h)
		if withHash != "" && len(offered) > 0 && has(withHash) {
			return &cscAlgorithm{signAlgo: withHash}, nil
		}
		if has(oidECPublicKey) {
			return &cscAlgorithm{signAlgo: oidECPublicKey, hashOID: hashOID, composite: withHash}, nil
		}
		return nil, fmt.Errorf("%w: the credential offers no ECDSA algorithm for %v", ErrCSCUnsupported, h)
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
}

// compositeOID is the signature algorithm of h with pub's key type (dotted), or "".
func compositeOID(pub crypto.PublicKey, h crypto.Hash) string {
	if oid, ok := cms.SignatureAlgorithmOID(pub, h); ok {
		return oid.String()
	}
	return ""
}

// SignHash calls signatures/signHash with the SAD of auth for hashes, made with the
// hash of opts, and returns the signatures in the same order. It checks that as many
// signatures came back as hashes were sent, but not the signatures themselves (a
// [CSCSigner] does).
func (c *CSCClient) SignHash(ctx context.Context, auth *CSCAuthorization, pub crypto.PublicKey, offered []string, hashes [][]byte, opts crypto.SignerOpts) ([][]byte, error) {
	const op = "signatures/signHash"
	if auth == nil {
		return nil, &CSCError{Op: op, Reason: CSCInvalidRequest, Description: "no authorisation"}
	}
	if len(hashes) == 0 || len(hashes) > maxCSCBatch {
		return nil, &CSCError{Op: op, Reason: CSCInvalidRequest, Description: fmt.Sprintf("%d hashes", len(hashes))}
	}
	alg, err := chooseAlgorithm(pub, offered, opts)
	if err != nil {
		return nil, err
	}
	req := map[string]any{"credentialID": auth.credentialID, "hashes": encodeHashes(hashes), "signAlgo": alg.signAlgo}
	if auth.sad != "" { // none with a credential-scope access token (authMode oauth2code)
		req["SAD"] = auth.sad
	}
	if alg.hashOID != "" {
		req["hashAlgorithmOID"] = alg.hashOID
	}
	if alg.params != nil {
		req["signAlgoParams"] = base64.StdEncoding.EncodeToString(alg.params)
	}
	if c.v1Hash.Load() {
		req["hash"] = req["hashes"]
	}
	if c.v1HashAlgo.Load() && alg.hashOID != "" {
		req["hashAlgo"] = alg.hashOID
	}
	var out struct {
		Signatures []string `json:"signatures"`
	}
	err = c.call(ctx, op, req, &out, []string{auth.sad})
	if err != nil && req["hash"] == nil && wantsV1Hash(err) {
		c.v1Hash.Store(true)
		req["hash"] = req["hashes"] // the CSC v1 name of the parameter
		err = c.call(ctx, op, req, &out, []string{auth.sad})
	}
	if err != nil && alg.hashOID != "" && req["hashAlgo"] == nil && wantsHashAlgo(err) {
		// A service still reading the CSC v1 name of the parameter.
		c.v1HashAlgo.Store(true)
		req["hashAlgo"] = alg.hashOID
		err = c.call(ctx, op, req, &out, []string{auth.sad})
	}
	if err != nil && alg.composite != "" && wantsOtherAlgo(err) {
		req["signAlgo"] = alg.composite
		delete(req, "hashAlgorithmOID")
		delete(req, "hashAlgo")
		err = c.call(ctx, op, req, &out, []string{auth.sad})
	}
	if err != nil {
		return nil, err
	}
	return decodeSignatures(out.Signatures, len(hashes))
}

// decodeSignatures reads the signatures of a signHash answer.
func decodeSignatures(in []string, want int) ([][]byte, error) {
	const op = "signatures/signHash"
	if len(in) != want {
		return nil, &CSCError{Op: op, Reason: CSCBadResponse, Description: fmt.Sprintf("%d signatures for %d hashes", len(in), want)}
	}
	out := make([][]byte, len(in))
	for i, s := range in {
		b, err := decodeBase64(s)
		if err != nil || len(b) == 0 || len(b) > 2048 {
			return nil, &CSCError{Op: op, Reason: CSCBadResponse, Description: fmt.Sprintf("signature %d is not a base64 signature", i)}
		}
		out[i] = b
	}
	return out, nil
}

// CSCAuthFunc returns the PIN and/or OTP that authorise numSignatures signatures with
// the credential info describes (info.PIN and info.OTP say which are required). It is
// called once per authorisation; returning an error aborts it.
type CSCAuthFunc func(ctx context.Context, info *CSCCredentialInfo, numSignatures int) (pin, otp string, err error)

// CSCSigner is a remote credential of a CSC service as a [Signer]: a crypto.Signer with
// its certificate and chain, usable wherever a token key is. Each Sign authorises one
// signature (credentials/authorize, then signatures/signHash); [CSCSigner.SignDigests]
// signs many digests with one authorisation. A credential whose authMode is
// "oauth2code" is authorised by the caller's credential-scope access token: it signs
// without credentials/authorize (no PIN asked). Every signature the service returns is
// verified with the certificate before it is handed out.
type CSCSigner struct {
	c     *CSCClient
	info  *CSCCredentialInfo
	cert  *x509.Certificate
	chain []*x509.Certificate
	auth  CSCAuthFunc
	// hashesInAuthorize: the service wants the hashes with every authorisation,
	// whatever SCAL the credential says.
	hashesInAuthorize atomic.Bool
	// MaxHashesPerCall bounds the hashes of one signatures/signHash call; 0 means as
	// many as one authorisation allows (the credential's Multisign).
	MaxHashesPerCall int
	// Description, when set, is sent with each authorisation (shown by services that
	// ask the signer for approval).
	Description string
	// FreshOTP, when not nil, is asked for a new one-time password when a SAD that was
	// authorised with an OTP expires in the middle of SignDigests; the signatures left
	// are then authorised once more with it and the PIN given before. When nil, those
	// signatures fail with ErrCSCSADExpired. (A SAD authorised without an OTP is
	// renewed once per SignDigests call with the PIN already given, without asking.)
	FreshOTP func(ctx context.Context, info *CSCCredentialInfo, numSignatures int) (string, error)
}

// cscFactors are the PIN and OTP of an authorisation, kept for the length of one
// SignDigests call so that an expired SAD can be renewed once.
type cscFactors struct{ pin, otp string }

var _ BatchSigner = (*CSCSigner)(nil)

// Signer reads the credential (credentials/info) and returns it as a signer. auth gives
// the PIN/OTP at each authorisation; it may be nil when the credential needs neither.
func (c *CSCClient) Signer(ctx context.Context, credentialID string, auth CSCAuthFunc) (*CSCSigner, error) {
	info, err := c.CredentialInfo(ctx, credentialID)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(info.KeyStatus, "disabled") {
		return nil, &CSCError{Op: "credentials/info", Reason: CSCDisabled, Description: "key/status is disabled"}
	}
	leaf := info.Certificates[0]
	if err := checkKey(leaf.PublicKey); err != nil {
		return nil, err
	}
	if err := checkCredentialCertificate(info, leaf, time.Now()); err != nil {
		return nil, err
	}
	path, rest := orderChain(leaf, info.Certificates[1:])
	return &CSCSigner{c: c, info: info, cert: leaf, chain: append(path, rest...), auth: auth}, nil
}

// checkCredentialCertificate refuses a credential whose certificate cannot make a
// valid signature now: outside its validity period, or reported expired, revoked or
// suspended by the service (cert/status). Authorising it would spend the signer's PIN
// and a SAD on a signature every verifier rejects.
func checkCredentialCertificate(info *CSCCredentialInfo, leaf *x509.Certificate, now time.Time) error {
	const op = "credentials/info"
	switch {
	case now.After(leaf.NotAfter):
		return &CSCError{Op: op, Reason: CSCDisabled, Description: "certificate expired on " + leaf.NotAfter.UTC().Format(time.RFC3339)}
	case now.Before(leaf.NotBefore):
		return &CSCError{Op: op, Reason: CSCDisabled, Description: "certificate not valid before " + leaf.NotBefore.UTC().Format(time.RFC3339)}
	}
	switch st := strings.ToLower(info.CertStatus); st {
	case "", "valid":
	default:
		return &CSCError{Op: op, Reason: CSCDisabled, Description: "cert/status is " + cleanDescription(st, nil)}
	}
	return nil
}

// Public returns the public key of the credential's certificate.
func (s *CSCSigner) Public() crypto.PublicKey { return s.cert.PublicKey }

// Certificate returns the credential's certificate.
func (s *CSCSigner) Certificate() *x509.Certificate { return s.cert }

// Chain returns the issuers the service returned, ordered towards the root.
func (s *CSCSigner) Chain() []*x509.Certificate { return s.chain }

// Info returns what credentials/info said. The caller must not modify it.
func (s *CSCSigner) Info() *CSCCredentialInfo { return s.info }

// Sign signs digest like SignContext with a background context.
func (s *CSCSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return s.SignContext(context.Background(), digest, opts)
}

// SignContext signs one digest: one authorisation, one signHash call.
func (s *CSCSigner) SignContext(ctx context.Context, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	sigs, errs := s.SignDigests(ctx, [][]byte{digest}, opts, nil)
	if errs != nil {
		return nil, errs[0]
	}
	return sigs[0], nil
}

// SignDigests signs digests, all made with opts.HashFunc(), using as few authorisations
// as the credential's Multisign allows (one when len(digests) ≤ Multisign; the hashes
// are sent with it when the credential's SCAL is 2) and as few signHash calls as
// MaxHashesPerCall allows. Each returned signature is verified with the certificate; a
// digest whose signature does not verify gets a *CSCError (ErrCSCBadSignature) and the
// others are kept. progress, when not nil, is called after each signHash call with the
// number of digests done so far.
//
// errs is nil when every digest was signed; otherwise it has one entry per digest, nil
// for those signed.
func (s *CSCSigner) SignDigests(ctx context.Context, digests [][]byte, opts crypto.SignerOpts, progress func(done, total int)) (sigs [][]byte, errs []error) {
	n := len(digests)
	sigs = make([][]byte, n)
	errs = make([]error, n)
	failed := 0
	fail := func(i int, err error) {
		if errs[i] == nil && sigs[i] == nil { // a digest signed before a later failure stays signed
			errs[i] = err
			failed++
		}
	}
	failAll := func(idx []int, err error) {
		for _, i := range idx {
			fail(i, err)
		}
	}
	var todo []int
	for i, d := range digests {
		if opts == nil {
			fail(i, fmt.Errorf("%w: no signer options", ErrUnsupportedHash))
			continue
		}
		if err := checkDigest(opts.HashFunc(), d); err != nil {
			fail(i, err)
			continue
		}
		todo = append(todo, i)
	}
	if len(todo) > 0 {
		if _, err := chooseAlgorithm(s.cert.PublicKey, s.info.KeyAlgorithms, opts); err != nil {
			failAll(todo, err)
			todo = nil
		}
	}
	group := min(max(s.info.Multisign, 1), maxCSCBatch) // a service may claim any multisign; one request stays bounded
	perCall := s.MaxHashesPerCall
	done := n - len(todo)
	renewed := false
groups:
	for start := 0; start < len(todo); start += group {
		idx := todo[start:min(start+group, len(todo))]
		if err := ctx.Err(); err != nil {
			failAll(todo[start:], err)
			break
		}
		auth, factors, err := s.authorize(ctx, idx, digests, opts.HashFunc(), nil)
		if err != nil {
			failAll(idx, err)
			if isFatalAuth(err) { // a wrong PIN must not be retried N times: it locks the credential
				failAll(todo[start:], err)
				break
			}
			continue
		}
		step := len(idx)
		if perCall > 0 {
			step = perCall
		}
		for cs := 0; cs < len(idx); {
			chunk := idx[cs:min(cs+step, len(idx))]
			hs := make([][]byte, len(chunk))
			for j, i := range chunk {
				hs[j] = digests[i]
			}
			var out [][]byte
			var err error
			if auth.sad != "" && time.Now().After(auth.expires) { // the service said when: no request doomed to fail
				err = &CSCError{Op: "signatures/signHash", Reason: CSCSADExpired, Description: "the SAD's expiresIn has passed"}
			} else {
				out, err = s.c.SignHash(ctx, auth, s.cert.PublicKey, s.info.KeyAlgorithms, hs, opts)
			}
			if err != nil && !renewed && sadRefused(err) && s.canRenew(factors) {
				renewed = true // once per call: a service whose SADs keep expiring is not asked for ever
				var rerr error
				if auth, factors, rerr = s.authorize(ctx, idx[cs:], digests, opts.HashFunc(), factors); rerr == nil {
					continue // the same chunk, with the new SAD
				}
				err = rerr
			}
			if err != nil {
				failAll(idx[cs:], err) // the SAD is no use for the rest of the group either
				if isFatalAuth(err) {  // the access token was refused, the credential locked: no further PIN is sent
					failAll(todo[start:], err)
					break groups
				}
				break
			}
			for j, i := range chunk {
				sig, err := verifySignature(s.cert.PublicKey, digests[i], out[j], opts)
				if err != nil {
					fail(i, &CSCError{Op: "signatures/signHash", Reason: CSCBadSignature, Index: j, Err: err})
					continue
				}
				sigs[i] = sig
			}
			done += len(chunk)
			if progress != nil {
				progress(done, n)
			}
			cs += len(chunk)
		}
	}
	if failed == 0 {
		return sigs, nil
	}
	return sigs, errs
}

// isFatalAuth reports an authorisation or signHash failure that must stop the whole
// batch: every further request would fail the same way, and a further authorisation
// would send the PIN again for nothing.
func isFatalAuth(err error) bool {
	ce, ok := err.(*CSCError)
	if !ok {
		return true // the PIN callback failed, or the context ended
	}
	switch ce.Reason {
	case CSCPINIncorrect, CSCOTPIncorrect, CSCLocked, CSCDisabled, CSCUnauthorized, CSCUnsupported:
		return true
	}
	return false
}

// authorize asks the callback for the PIN/OTP and calls credentials/authorize for the
// digests at idx. A credential authorised through OAuth2 (authMode oauth2code) needs no
// SAD: the caller's access token has credential scope, and signHash goes without one.
// renew, when not nil, holds the factors of the authorisation whose SAD expired: its
// PIN is sent again without asking, with a fresh OTP from FreshOTP when it had one.
func (s *CSCSigner) authorize(ctx context.Context, idx []int, digests [][]byte, h crypto.Hash, renew *cscFactors) (*CSCAuthorization, *cscFactors, error) {
	if s.info.AuthMode == "oauth2code" {
		return &CSCAuthorization{credentialID: s.info.ID, expires: time.Now().Add(time.Hour), allowed: len(idx)}, nil, nil
	}
	r := CSCAuthorizeRequest{NumSignatures: len(idx), Hash: h, Description: s.Description}
	if s.info.SCAL == 2 || s.hashesInAuthorize.Load() {
		for _, i := range idx {
			r.Hashes = append(r.Hashes, digests[i])
		}
	}
	if s.info.OTP.Presence != "" && s.info.OTP.Presence != "false" && strings.EqualFold(s.info.OTP.Type, "online") &&
		(renew == nil && s.auth != nil || renew != nil && renew.otp != "") {
		// An online OTP is sent by the service on request, before the signer types it.
		// A service that does not implement sendOTP (404, 405) delivers it otherwise.
		if err := s.c.SendOTP(ctx, s.info.ID); err != nil && !wrongRoute(err) {
			return nil, nil, err
		}
	}
	switch {
	case renew != nil:
		r.PIN = renew.pin
		if renew.otp != "" {
			otp, err := s.FreshOTP(ctx, s.info, len(idx))
			if err != nil {
				return nil, nil, &PINError{Reason: PINNotGiven, Err: err}
			}
			r.OTP = otp
		}
	case s.auth != nil:
		var err error
		if r.PIN, r.OTP, err = s.auth(ctx, s.info, len(idx)); err != nil {
			return nil, nil, &PINError{Reason: PINNotGiven, Err: err}
		}
	}
	if s.info.PIN.Required() && r.PIN == "" {
		return nil, nil, &PINError{Token: s.info.ID, Reason: PINNotGiven}
	}
	if s.info.OTP.Required() && r.OTP == "" && renew != nil {
		return nil, nil, &PINError{Token: s.info.ID, Reason: PINNotGiven}
	}
	a, err := s.c.Authorize(ctx, s.info, r)
	if err != nil && len(r.Hashes) == 0 && wantsHashes(err) {
		// A service that binds every SAD to its hashes although the credential says
		// SCAL 1: send them, now and for the rest of this signer's life.
		s.hashesInAuthorize.Store(true)
		for _, i := range idx {
			r.Hashes = append(r.Hashes, digests[i])
		}
		a, err = s.c.Authorize(ctx, s.info, r)
	}
	if err != nil {
		return nil, nil, err
	}
	return a, &cscFactors{pin: r.PIN, otp: r.OTP}, nil
}

// canRenew reports whether an expired SAD authorised with factors may be renewed: a
// SAD authorised without OTP always (the PIN given before is sent again), one with an
// OTP only when FreshOTP can give a new one (an OTP is good once).
func (s *CSCSigner) canRenew(factors *cscFactors) bool {
	if factors == nil || s.info.AuthMode == "oauth2code" {
		return false
	}
	return factors.otp == "" || s.FreshOTP != nil
}

// wantsV1Hash reports a request refused for want of "hash", the CSC v1 name of
// "hashes" ("Missing (or invalid type) array parameter hash").
func wantsV1Hash(err error) bool {
	var ce *CSCError
	if !errors.As(err, &ce) || ce.Reason != CSCInvalidRequest {
		return false
	}
	d := strings.ToLower(ce.Description)
	i := strings.Index(d, "parameter hash")
	if i < 0 {
		return false
	}
	rest := d[i+len("parameter hash"):]
	return rest == "" || !strings.HasPrefix(rest, "es") && !strings.HasPrefix(rest, "algo")
}

// wantsHashAlgo reports a signHash refused for want of "hashAlgo", the CSC v1 name of
// hashAlgorithmOID ("Missing (or invalid type) string parameter hashAlgo").
func wantsHashAlgo(err error) bool {
	var ce *CSCError
	if !errors.As(err, &ce) || ce.Reason != CSCInvalidRequest {
		return false
	}
	d := strings.ToLower(ce.Description)
	return strings.Contains(d, "parameter hashalgo") && !strings.Contains(d, "hashalgorithmoid")
}

// wantsOtherAlgo reports a signHash refused for its signAlgo ("Invalid parameter
// signAlgo", an unsupported algorithm).
func wantsOtherAlgo(err error) bool {
	var ce *CSCError
	if !errors.As(err, &ce) || ce.Reason != CSCInvalidRequest {
		return false
	}
	d := strings.ToLower(ce.Description)
	return strings.Contains(d, "signalgo") || strings.Contains(d, "algorithm")
}

// wantsHashes reports an authorisation refused because it carried no hashes (the CSC
// error table's "Missing (or invalid type) array parameter hashes").
func wantsHashes(err error) bool {
	var ce *CSCError
	if !errors.As(err, &ce) || ce.Reason != CSCInvalidRequest {
		return false
	}
	d := strings.ToLower(ce.Description)
	return strings.Contains(d, "parameter hash") || strings.Contains(d, "hashes") && (strings.Contains(d, "missing") || strings.Contains(d, "required"))
}

// sadRefused reports a signHash refused because its SAD expired, or (the words of
// services that forget an expired SAD) is no longer known: "Invalid parameter SAD"
// for a SAD this SignDigests call was given a moment before and has not used up.
func sadRefused(err error) bool {
	var ce *CSCError
	if !errors.As(err, &ce) {
		return false
	}
	d := strings.ToLower(ce.Description)
	return ce.Reason == CSCSADExpired || ce.Reason == CSCInvalidRequest && (strings.Contains(d, "parameter sad") || strings.Contains(d, "invalid sad"))
}

// verifySignature checks sig over digest with pub and returns it in the form crypto.Signer
// promises (ASN.1 DER for ECDSA; a raw r‖s from the service is converted).
func verifySignature(pub crypto.PublicKey, digest, sig []byte, opts crypto.SignerOpts) ([]byte, error) {
	h := opts.HashFunc()
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if pss, ok := opts.(*rsa.PSSOptions); ok {
			vo := &rsa.PSSOptions{Hash: h, SaltLength: pss.SaltLength}
			if vo.SaltLength <= 0 {
				vo.SaltLength = rsa.PSSSaltLengthAuto
			}
			return sig, rsa.VerifyPSS(k, h, digest, sig, vo)
		}
		return sig, rsa.VerifyPKCS1v15(k, h, digest, sig)
	case *ecdsa.PublicKey:
		if ecdsa.VerifyASN1(k, digest, sig) {
			return sig, nil
		}
		var rs struct{ R, S *big.Int } // DER that is not minimal (a BER encoder): re-encoded
		if rest, err := asn1.Unmarshal(sig, &rs); err == nil && len(rest) == 0 && rs.R.Sign() > 0 && rs.S.Sign() > 0 && ecdsa.Verify(k, digest, rs.R, rs.S) {
			return asn1.Marshal(rs)
		}
		size := (k.Curve.Params().BitSize + 7) / 8
		if len(sig) == 2*size {
			r, s := new(big.Int).SetBytes(sig[:size]), new(big.Int).SetBytes(sig[size:])
			if ecdsa.Verify(k, digest, r, s) {
				der, err := asn1.Marshal(struct{ R, S *big.Int }{r, s})
				return der, err
			}
		}
		return nil, fmt.Errorf("ECDSA signature does not verify")
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
}
