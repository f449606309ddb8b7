package crypt

// The AES-256 algorithms of the standard security handler, revision 5 (Adobe extension
// level 3) and revision 6 (ISO 32000-2 §7.6.4.3.3 and §7.6.4.4, algorithms 2.A, 2.B
// and 8 to 13).

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/binary"
	"hash"
)

// hashAES256 is the password hash of revisions 5 and 6: SHA-256 for R 5, algorithm 2.B
// for R 6. udata is the 48-byte /U for owner computations, nil for user ones.
func hashAES256(r int, pw, salt, udata []byte) []byte {
	h := sha256.New()
	h.Write(pw)
	h.Write(salt)
	h.Write(udata)
	k := h.Sum(nil)
	if r < 6 {
		return k
	}
	// Algorithm 2.B: at least 64 rounds, then on while the last byte of E is greater
	// than the round number minus 32.
	block := make([]byte, 0, len(pw)+64+len(udata))
	var e []byte
	for round := 0; round < 64 || int(e[len(e)-1]) > round-32; round++ {
		block = append(block[:0], pw...)
		block = append(block, k...)
		block = append(block, udata...)
		k1 := make([]byte, 0, 64*len(block))
		for range 64 {
			k1 = append(k1, block...)
		}
		c, _ := aes.NewCipher(k[:16]) // a 16-byte key never fails
		e = make([]byte, len(k1))     // len(k1) is 64 times a length, so whole blocks
		cipher.NewCBCEncrypter(c, k[16:32]).CryptBlocks(e, k1)
		// The first 16 bytes of E as a big-endian number modulo 3: since 256 ≡ 1
		// (mod 3), that is the sum of the bytes modulo 3.
		sum := 0
		for _, b := range e[:16] {
			sum += int(b)
		}
		var next hash.Hash
		switch sum % 3 {
		case 0:
			next = sha256.New()
		case 1:
			next = sha512.New384()
		default:
			next = sha512.New()
		}
		next.Write(e)
		k = next.Sum(nil)
	}
	return k[:32]
}

// aes256CBCNoPad encrypts or decrypts whole blocks with AES-256-CBC and a zero IV, as
// the /OE and /UE computations do.
func aes256CBCNoPad(key, b []byte, decrypt bool) []byte {
	c, _ := aes.NewCipher(key) // key is always a 32-byte hash
	out := make([]byte, len(b))
	var iv [16]byte
	if decrypt {
		cipher.NewCBCDecrypter(c, iv[:]).CryptBlocks(out, b)
	} else {
		cipher.NewCBCEncrypter(c, iv[:]).CryptBlocks(out, b)
	}
	return out
}

// checkUserAES256 authenticates a user password (algorithm 11) and returns the file
// key (algorithm 2.A step e), or nil. u is the first 48 bytes of /U.
func checkUserAES256(r int, pw, u, ue []byte) []byte {
	if subtle.ConstantTimeCompare(hashAES256(r, pw, u[32:40], nil), u[:32]) != 1 {
		return nil
	}
	return aes256CBCNoPad(hashAES256(r, pw, u[40:48], nil), ue, true)
}

// checkOwnerAES256 authenticates an owner password (algorithm 12) and returns the file
// key (algorithm 2.A step d), or nil. o and u are the first 48 bytes of /O and /U.
func checkOwnerAES256(r int, pw, o, u, oe []byte) []byte {
	if subtle.ConstantTimeCompare(hashAES256(r, pw, o[32:40], u), o[:32]) != 1 {
		return nil
	}
	return aes256CBCNoPad(hashAES256(r, pw, o[40:48], u), oe, true)
}

// computeUAES256 computes /U and /UE from the user password, the file key and 16
// random bytes (algorithm 8).
func computeUAES256(r int, pw, key, salts []byte) (u, ue []byte) {
	u = append(hashAES256(r, pw, salts[:8], nil), salts[:16]...)
	ue = aes256CBCNoPad(hashAES256(r, pw, salts[8:16], nil), key, false)
	return u, ue
}

// computeOAES256 computes /O and /OE from the owner password, the 48-byte /U, the file
// key and 16 random bytes (algorithm 9).
func computeOAES256(r int, pw, u, key, salts []byte) (o, oe []byte) {
	o = append(hashAES256(r, pw, salts[:8], u), salts[:16]...)
	oe = aes256CBCNoPad(hashAES256(r, pw, salts[8:16], u), key, false)
	return o, oe
}

// permsBlock builds the 16 plaintext bytes of /Perms (algorithm 10, steps a to e)
// around 4 random bytes.
func permsBlock(p int32, encryptMetadata bool, random []byte) []byte {
	b := make([]byte, 16)
	binary.LittleEndian.PutUint32(b[0:4], uint32(p))
	copy(b[4:8], []byte{0xFF, 0xFF, 0xFF, 0xFF})
	b[8] = 'F'
	if encryptMetadata {
		b[8] = 'T'
	}
	copy(b[9:12], "adb")
	copy(b[12:16], random)
	return b
}

// encryptPerms computes /Perms (algorithm 10): AES-256 in ECB mode, one block.
func encryptPerms(key []byte, p int32, encryptMetadata bool, random []byte) []byte {
	c, _ := aes.NewCipher(key)
	out := make([]byte, 16)
	c.Encrypt(out, permsBlock(p, encryptMetadata, random))
	return out
}

// checkPerms decrypts /Perms with the file key and checks it against /P and
// /EncryptMetadata (algorithm 13).
func checkPerms(key, perms []byte, p int32, encryptMetadata bool) error {
	c, _ := aes.NewCipher(key)
	b := make([]byte, 16)
	c.Decrypt(b, perms[:16])
	if string(b[9:12]) != "adb" {
		return malformed("/Perms", "does not decrypt to the expected marker \"adb\": the dictionary is damaged or was tampered with")
	}
	if got := binary.LittleEndian.Uint32(b[0:4]); got != uint32(p) {
		return malformed("/Perms", "holds permissions %d but /P is %d: the dictionary was tampered with", int32(got), p)
	}
	switch {
	case b[8] == 'T' && !encryptMetadata:
		return malformed("/Perms", "says metadata is encrypted but /EncryptMetadata is false")
	case b[8] == 'F' && encryptMetadata:
		return malformed("/Perms", "says metadata is not encrypted but /EncryptMetadata is true (or absent)")
	}
	return nil
}
