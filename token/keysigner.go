package token

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"io"
	"math/big"
	"sync"
)

// KeySigner is a private key on a PKCS#11 token as a crypto.Signer (and
// crypto.MessageSigner), with its certificate and the chain found on the token. Many
// goroutines may sign with one KeySigner at once; each signature runs on its own pooled
// session.
//
// Mechanisms: RSA PKCS#1 v1.5 through CKM_RSA_PKCS with the DigestInfo built here (or
// CKM_SHAxxx_RSA_PKCS for SignMessage), RSA-PSS through CKM_RSA_PKCS_PSS (or
// CKM_SHAxxx_RSA_PKCS_PSS), ECDSA through CKM_ECDSA (or CKM_ECDSA_SHAxxx) with the raw
// r‖s converted to ASN.1 DER.
type KeySigner struct {
	t   *Token
	key foundKey

	mu     sync.Mutex
	handle uint // refreshed when the token reports it invalid
}

var (
	_ Signer               = (*KeySigner)(nil)
	_ crypto.MessageSigner = (*KeySigner)(nil)
)

// Public returns the public key (from the certificate).
func (k *KeySigner) Public() crypto.PublicKey { return k.key.Public }

// Certificate returns the key's certificate.
func (k *KeySigner) Certificate() *x509.Certificate { return k.key.Certificate }

// Chain returns the issuers of the certificate found on the token, ordered towards the
// root. The caller must not modify the slice.
func (k *KeySigner) Chain() []*x509.Certificate { return k.key.Chain }

// Info describes the key.
func (k *KeySigner) Info() KeyInfo { return k.key.KeyInfo }

// Sign signs digest like SignContext with a background context.
func (k *KeySigner) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return k.SignContext(context.Background(), digest, opts)
}

// SignContext signs digest, a hash made with opts.HashFunc(), on the token. RSA keys sign
// PKCS#1 v1.5 unless opts is an *rsa.PSSOptions; ECDSA keys return an ASN.1 DER
// signature. SHA-1 and MD5 are refused with ErrWeakHash. ctx bounds the wait for a free
// session; a signature already sent to the token runs to its end.
func (k *KeySigner) SignContext(ctx context.Context, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts == nil {
		return nil, fmt.Errorf("%w: no signer options", ErrUnsupportedHash)
	}
	h := opts.HashFunc()
	if err := checkDigest(h, digest); err != nil {
		return nil, err
	}
	pss, isPSS := opts.(*rsa.PSSOptions)
	switch k.key.keyType {
	case ckkRSA:
		if isPSS {
			param, err := k.pssParam(h, pss)
			if err != nil {
				return nil, err
			}
			return k.run(ctx, ckmRSAPKCSPSS, param, digest, false)
		}
		data := append(append([]byte{}, digestInfoPrefix[h]...), digest...)
		return k.run(ctx, ckmRSAPKCS, nil, data, false)
	case ckkEC:
		if isPSS {
			return nil, fmt.Errorf("%w: RSA-PSS options for an ECDSA key", ErrUnsupportedOptions)
		}
		return k.run(ctx, ckmECDSA, nil, digest, true)
	}
	return nil, fmt.Errorf("%w: %s", ErrUnsupportedKey, k.key.Algorithm)
}

// SignMessage signs msg, letting the token hash it when it offers the combined mechanism
// (CKM_SHA256_RSA_PKCS, CKM_SHA256_RSA_PKCS_PSS, CKM_ECDSA_SHA256, …) and otherwise
// hashing here and calling SignContext. It implements crypto.MessageSigner.
func (k *KeySigner) SignMessage(rand io.Reader, msg []byte, opts crypto.SignerOpts) ([]byte, error) {
	return k.SignMessageContext(context.Background(), msg, opts)
}

// SignMessageContext is SignMessage with a context bounding the wait for a session.
func (k *KeySigner) SignMessageContext(ctx context.Context, msg []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts == nil {
		return nil, fmt.Errorf("%w: no signer options", ErrUnsupportedHash)
	}
	h := opts.HashFunc()
	if !h.Available() {
		return nil, checkDigest(h, nil)
	}
	hh := h.New()
	if err := checkDigest(h, make([]byte, hh.Size())); err != nil {
		return nil, err
	}
	pss, isPSS := opts.(*rsa.PSSOptions)
	var mech uint
	var param []byte
	switch {
	case k.key.keyType == ckkRSA && isPSS:
		mech = map[crypto.Hash]uint{crypto.SHA224: ckmSHA224RSAPKCSPSS, crypto.SHA256: ckmSHA256RSAPKCSPSS, crypto.SHA384: ckmSHA384RSAPKCSPSS, crypto.SHA512: ckmSHA512RSAPKCSPSS}[h]
		if mech != 0 {
			var err error
			if param, err = k.pssParam(h, pss); err != nil {
				return nil, err
			}
		}
	case k.key.keyType == ckkRSA:
		mech = map[crypto.Hash]uint{crypto.SHA224: ckmSHA224RSAPKCS, crypto.SHA256: ckmSHA256RSAPKCS, crypto.SHA384: ckmSHA384RSAPKCS, crypto.SHA512: ckmSHA512RSAPKCS}[h]
	case k.key.keyType == ckkEC && !isPSS:
		mech = map[crypto.Hash]uint{crypto.SHA224: ckmECDSASHA224, crypto.SHA256: ckmECDSASHA256, crypto.SHA384: ckmECDSASHA384, crypto.SHA512: ckmECDSASHA512}[h]
	}
	if mech != 0 {
		release, err := k.t.pool.hold(ctx)
		if err != nil {
			return nil, err
		}
		ok, err := k.t.hasMechanism(mech)
		release()
		if err != nil {
			return nil, err
		} else if ok {
			return k.run(ctx, mech, param, msg, k.key.keyType == ckkEC)
		}
	}
	hh.Write(msg)
	return k.SignContext(ctx, hh.Sum(nil), opts)
}

// hashMechanisms maps a hash to its PKCS#11 digest mechanism and MGF1 function.
var hashMechanisms = map[crypto.Hash][2]uint{
	crypto.SHA224:   {ckmSHA224, ckgMGF1SHA224},
	crypto.SHA256:   {ckmSHA256, ckgMGF1SHA256},
	crypto.SHA384:   {ckmSHA384, ckgMGF1SHA384},
	crypto.SHA512:   {ckmSHA512, ckgMGF1SHA512},
	crypto.SHA3_256: {ckmSHA3_256, ckgMGF1SHA3_256},
	crypto.SHA3_384: {ckmSHA3_384, ckgMGF1SHA3_384},
	crypto.SHA3_512: {ckmSHA3_512, ckgMGF1SHA3_512},
}

// pssParam builds CK_RSA_PKCS_PSS_PARAMS: the hash, MGF1 with the same hash, and the
// salt length (PSSSaltLengthEqualsHash: the hash size; PSSSaltLengthAuto: the largest
// the key allows, as crypto/rsa does when signing).
func (k *KeySigner) pssParam(h crypto.Hash, pss *rsa.PSSOptions) ([]byte, error) {
	hm, ok := hashMechanisms[h]
	if !ok {
		return nil, fmt.Errorf("%w: %v with RSA-PSS", ErrUnsupportedHash, h)
	}
	pub, ok := k.key.Public.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: RSA-PSS without an RSA public key", ErrUnsupportedKey)
	}
	maxSalt := (pub.N.BitLen()-1+7)/8 - h.Size() - 2
	salt := pss.SaltLength
	switch salt {
	case rsa.PSSSaltLengthEqualsHash:
		salt = h.Size()
	case rsa.PSSSaltLengthAuto:
		salt = maxSalt
	}
	if salt < 0 || salt > maxSalt {
		return nil, fmt.Errorf("%w: PSS salt length %d (0…%d for this key)", ErrUnsupportedOptions, pss.SaltLength, maxSalt)
	}
	return pssParams(hm[0], hm[1], uint(salt)), nil
}

// run signs data with mech on a pooled session, logging in for the key when it always
// asks for authentication, finding the key again if the token renumbered its objects,
// and turning a raw ECDSA signature into DER.
func (k *KeySigner) run(ctx context.Context, mech uint, param, data []byte, ecdsaRaw bool) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		k.mu.Lock()
		handle := k.handle
		k.mu.Unlock()
		var sig []byte
		err := k.t.withSession(ctx, func(sh uint) (bool, error) {
			if ok, err := k.t.hasMechanism(mech); err != nil {
				return false, err
			} else if !ok {
				return false, fmt.Errorf("%w: token %q lacks mechanism 0x%X", ErrMechanismUnsupported, k.t.info.Label, mech)
			}
			if err := k.t.be.signInit(sh, mech, param, handle); err != nil {
				return false, err
			}
			if k.key.AlwaysAuthenticate {
				k.t.loginMu.Lock()
				err := k.t.login(ctx, sh, ckuContextSpecific)
				k.t.loginMu.Unlock()
				if err != nil {
					return true, err // the operation stays active: drop the session
				}
			}
			s, err := k.t.be.sign(sh, data)
			if err != nil {
				return true, err
			}
			sig = s
			return false, nil
		})
		if err != nil {
			if attempt < maxSessionRetries && (isCode(err, ckrKeyHandleInvalid) || isCode(err, ckrObjectHandleInvalid)) {
				if rerr := k.refind(ctx); rerr != nil {
					return nil, rerr
				}
				continue
			}
			return nil, err
		}
		if ecdsaRaw {
			return ecdsaRawToDER(sig)
		}
		return sig, nil
	}
}

// refind looks the key up again by CKA_ID, label and certificate.
func (k *KeySigner) refind(ctx context.Context) error {
	var keys []foundKey
	err := k.t.withSession(ctx, func(sh uint) (bool, error) {
		var err error
		keys, err = k.t.discover(sh)
		return false, err
	})
	if err != nil {
		return err
	}
	for _, f := range keys {
		if bytes.Equal(f.ID, k.key.ID) && f.Label == k.key.Label && f.Certificate != nil && f.Certificate.Equal(k.key.Certificate) {
			k.mu.Lock()
			k.handle = f.handle
			k.mu.Unlock()
			return nil
		}
	}
	return fmt.Errorf("%w: key %q is no longer on token %q", ErrKeyNotFound, k.key.Label, k.t.info.Label)
}

// ecdsaRawToDER converts PKCS#11's r‖s to the ASN.1 ECDSA-Sig-Value of RFC 3279.
func ecdsaRawToDER(raw []byte) ([]byte, error) {
	if len(raw) == 0 || len(raw)%2 != 0 {
		return nil, fmt.Errorf("token: ECDSA signature of odd length %d from the token", len(raw))
	}
	n := len(raw) / 2
	return asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(raw[:n]), new(big.Int).SetBytes(raw[n:])})
}
