package token

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// maxPEMBlocks bounds the PEM blocks read from one input.
const maxPEMBlocks = 2 * maxCertificates

// OpenPEM reads a private key from keyPEM and certificates from certsPEM (and any
// CERTIFICATE blocks in keyPEM, so one combined file may be passed as keyPEM with
// certsPEM nil). The key may be PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or
// SEC 1 ("EC PRIVATE KEY"), and encrypted either as PKCS#8 PBES2 ("ENCRYPTED PRIVATE
// KEY": PBKDF2 with HMAC-SHA-1/SHA-2 and AES-CBC, what `openssl pkcs8 -topk8` writes) or
// with the legacy OpenSSL "Proc-Type: 4,ENCRYPTED" header. password is used only for
// encrypted keys and only during the call.
//
// The certificate matching the key becomes Certificate; the others form Chain. The key
// must be RSA (≥ 2048 bits) or ECDSA (≥ 256 bits). Validity dates, key usage and
// revocation are not checked.
func OpenPEM(keyPEM, certsPEM, password []byte) (*SoftSigner, error) {
	if len(keyPEM) > maxKeyFileSize || len(certsPEM) > maxKeyFileSize {
		return nil, fmt.Errorf("%w: PEM input over %d bytes", ErrTooLarge, maxKeyFileSize)
	}
	var key crypto.Signer
	var certs []*x509.Certificate
	blocks := 0
	for _, input := range [][]byte{keyPEM, certsPEM} {
		rest := input
		for {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			if blocks++; blocks > maxPEMBlocks {
				return nil, fmt.Errorf("%w: more than %d PEM blocks", ErrTooLarge, maxPEMBlocks)
			}
			switch b.Type {
			case "CERTIFICATE":
				c, err := x509.ParseCertificate(b.Bytes)
				if err != nil {
					return nil, fmt.Errorf("%w: certificate %d: %v", ErrMalformedKeyFile, len(certs)+1, err)
				}
				if len(certs) >= maxCertificates {
					return nil, fmt.Errorf("%w: more than %d certificates", ErrTooLarge, maxCertificates)
				}
				certs = append(certs, c)
			case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
				if key != nil {
					return nil, fmt.Errorf("%w: more than one private key", ErrMalformedKeyFile)
				}
				k, err := parsePEMKey(b, password)
				if err != nil {
					return nil, err
				}
				key = k
			}
		}
	}
	if key == nil {
		return nil, ErrNoPrivateKey
	}
	if err := checkKey(key.Public()); err != nil {
		return nil, err
	}
	var leaf *x509.Certificate
	for _, c := range certs {
		if publicKeysEqual(key.Public(), c.PublicKey) {
			leaf = c
			break
		}
	}
	if leaf == nil {
		if len(certs) == 0 {
			return nil, fmt.Errorf("%w: the PEM input holds no certificate", ErrNoCertificate)
		}
		return nil, fmt.Errorf("%w: none of the %d certificates has the key's public key", ErrKeyMismatch, len(certs))
	}
	return newSoftSigner(key, leaf, certs)
}

// parsePEMKey decodes one private-key block, decrypting it when needed.
func parsePEMKey(b *pem.Block, password []byte) (crypto.Signer, error) {
	der := b.Bytes
	typ := b.Type
	// Legacy OpenSSL encryption ("Proc-Type: 4,ENCRYPTED") is still met in the wild;
	// reading it is all this package does with it.
	//lint:ignore SA1019 see above
	legacy := x509.IsEncryptedPEMBlock(b)
	if typ == "ENCRYPTED PRIVATE KEY" {
		plain, err := decryptPKCS8(der, password)
		if err != nil {
			return nil, err
		}
		der, typ = plain, "PRIVATE KEY"
	} else if legacy {
		//lint:ignore SA1019 see above
		plain, err := x509.DecryptPEMBlock(b, password)
		if err != nil {
			if errors.Is(err, x509.IncorrectPasswordError) {
				return nil, fmt.Errorf("%w: legacy encrypted PEM", ErrIncorrectPassword)
			}
			return nil, fmt.Errorf("%w: legacy encrypted PEM: %v", ErrMalformedKeyFile, err)
		}
		der = plain
	}
	var key any
	var err error
	switch typ {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(der)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(der)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(der)
	}
	if err != nil {
		if b.Type == "ENCRYPTED PRIVATE KEY" || legacy {
			// CBC padding happened to check out with a wrong password.
			return nil, fmt.Errorf("%w: the decrypted key does not parse (%v)", ErrIncorrectPassword, err)
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrMalformedKeyFile, b.Type, err)
	}
	s, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, key)
	}
	return s, nil
}
