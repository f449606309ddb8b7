package crypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rand"
	"fmt"
)

// Filter is one crypt filter of an authenticated document, ready to encrypt and
// decrypt: Identity (or /CFM /None) passes data through, V2 is RC4 and AESV2 is
// AES-128-CBC with a key per object (ISO 32000-1 algorithm 1), AESV3 is AES-256-CBC
// with the file key. A Filter is immutable and safe for concurrent use.
type Filter struct {
	name   string
	method string
	key    []byte // the file key; nil for Identity and None
}

// Name returns the filter's name in /CF (or "Identity"); for documents with /V 1 or 2,
// which have no crypt filters, it is "" and the method is V2.
func (f *Filter) Name() string { return f.name }

// Method returns how the filter encrypts: MethodIdentity, MethodNone, MethodRC4,
// MethodAESV2 or MethodAESV3.
func (f *Filter) Method() string { return f.method }

// objectKey derives the key of object num, generation gen (algorithm 1, steps a to d).
func (f *Filter) objectKey(num, gen int) []byte {
	h := md5.New()
	h.Write(f.key)
	h.Write([]byte{byte(num), byte(num >> 8), byte(num >> 16), byte(gen), byte(gen >> 8)})
	if f.method == MethodAESV2 {
		h.Write([]byte("sAlT"))
	}
	return h.Sum(nil)[:min(len(f.key)+5, 16)]
}

// Decrypt decrypts the string or stream data b of object num, generation gen. It never
// modifies b; for Identity and None it returns b itself. An AES ciphertext that is not a
// 16-byte IV followed by whole blocks with valid padding yields a *MalformedError; an
// empty b decrypts to empty data.
func (f *Filter) Decrypt(num, gen int, b []byte) ([]byte, error) {
	switch f.method {
	case MethodRC4:
		return rc4Crypt(f.objectKey(num, gen), b), nil
	case MethodAESV2:
		return decryptAES(f.objectKey(num, gen), b)
	case MethodAESV3:
		return decryptAES(f.key, b)
	}
	return b, nil
}

// Encrypt encrypts the string or stream data b of object num, generation gen. It never
// modifies b; for Identity and None it returns b itself. AES output starts with a
// random IV from crypto/rand, so two calls give different bytes.
func (f *Filter) Encrypt(num, gen int, b []byte) ([]byte, error) {
	switch f.method {
	case MethodRC4:
		return rc4Crypt(f.objectKey(num, gen), b), nil
	case MethodAESV2:
		return encryptAES(f.objectKey(num, gen), b)
	case MethodAESV3:
		return encryptAES(f.key, b)
	}
	return b, nil
}

// decryptAES decrypts IV ‖ AES-CBC(PKCS#7-padded data).
func decryptAES(key, b []byte) ([]byte, error) {
	switch {
	case len(b) == 0 || len(b) == aes.BlockSize:
		// Nothing, or an IV alone: some writers encrypt empty strings so.
		return []byte{}, nil
	case len(b)%aes.BlockSize != 0:
		return nil, &MalformedError{Entry: "data", Reason: fmt.Sprintf(
			"is %d bytes, not a 16-byte IV followed by whole 16-byte AES blocks", len(b))}
	}
	c, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(b)-aes.BlockSize)
	cipher.NewCBCDecrypter(c, b[:aes.BlockSize]).CryptBlocks(out, b[aes.BlockSize:])
	pad := int(out[len(out)-1])
	if pad == 0 || pad > aes.BlockSize {
		return nil, &MalformedError{Entry: "data", Reason: fmt.Sprintf(
			"has AES padding byte %d, want 1 to 16: wrong key or damaged data", pad)}
	}
	for _, p := range out[len(out)-pad:] {
		if int(p) != pad {
			return nil, &MalformedError{Entry: "data", Reason: "has inconsistent AES padding: wrong key or damaged data"}
		}
	}
	return out[:len(out)-pad], nil
}

// encryptAES returns a random IV followed by the AES-CBC encryption of the
// PKCS#7-padded data.
func encryptAES(key, b []byte) ([]byte, error) {
	c, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	pad := aes.BlockSize - len(b)%aes.BlockSize
	out := make([]byte, aes.BlockSize+len(b)+pad)
	if _, err := rand.Read(out[:aes.BlockSize]); err != nil {
		return nil, fmt.Errorf("crypt: reading a random IV: %w", err)
	}
	body := out[aes.BlockSize:]
	copy(body, b)
	for i := len(b); i < len(body); i++ {
		body[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(c, out[:aes.BlockSize]).CryptBlocks(body, body)
	return out, nil
}
