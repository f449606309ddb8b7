package crypt

// The MD5/RC4 algorithms of the standard security handler, revisions 2 to 4
// (ISO 32000-1 §7.6.3.3 and §7.6.3.4, algorithms 2 to 7).

import (
	"crypto/md5"
	"crypto/rc4"
	"crypto/subtle"
	"encoding/binary"
)

// passwordPadding is the 32-byte string that pads or replaces passwords (algorithm 2,
// step a).
var passwordPadding = [32]byte{
	0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
}

// padPassword truncates or pads a password to exactly 32 bytes.
func padPassword(pw []byte) []byte {
	out := make([]byte, 32)
	n := copy(out, pw)
	copy(out[n:], passwordPadding[:])
	return out
}

// rc4Crypt encrypts or decrypts b with RC4 under key (1 to 256 bytes).
func rc4Crypt(key, b []byte) []byte {
	c, err := rc4.NewCipher(key)
	if err != nil {
		// Keys here are always 5 to 16 bytes long; a failure is a bug in this package.
		panic("crypt: " + err.Error())
	}
	out := make([]byte, len(b))
	c.XORKeyStream(out, b)
	return out
}

// rc4Rounds applies the "do the following 19 times" loop of algorithms 3 and 5: for i
// from 1 to 19, encrypt with the key whose every byte is XORed with i.
func rc4Rounds(key, b []byte) []byte {
	k := make([]byte, len(key))
	for i := 1; i <= 19; i++ {
		for j := range key {
			k[j] = key[j] ^ byte(i)
		}
		b = rc4Crypt(k, b)
	}
	return b
}

// fileKeyMD5 computes the file encryption key from a user password (algorithm 2).
// n is the key length in bytes; o is the first 32 bytes of /O.
func fileKeyMD5(r, n int, pw, o []byte, p int32, id0 []byte, encryptMetadata bool) []byte {
	h := md5.New()
	h.Write(padPassword(pw))
	h.Write(o[:32])
	var pb [4]byte
	binary.LittleEndian.PutUint32(pb[:], uint32(p))
	h.Write(pb[:])
	h.Write(id0)
	if r >= 4 && !encryptMetadata {
		h.Write([]byte{0xFF, 0xFF, 0xFF, 0xFF})
	}
	sum := h.Sum(nil)
	if r >= 3 {
		for range 50 {
			s := md5.Sum(sum[:n])
			sum = s[:]
		}
	}
	return sum[:n]
}

// computeUMD5 computes the /U value for a file key (algorithm 4 for R 2, algorithm 5
// for R 3 and 4). For R 3 and 4 only the first 16 bytes matter; the other 16 are zeros.
func computeUMD5(r int, key, id0 []byte) []byte {
	if r == 2 {
		return rc4Crypt(key, passwordPadding[:])
	}
	h := md5.New()
	h.Write(passwordPadding[:])
	h.Write(id0)
	x := rc4Rounds(key, rc4Crypt(key, h.Sum(nil)))
	return append(x, make([]byte, 16)...)
}

// checkUserMD5 authenticates a user password (algorithm 6) and returns the file key, or
// nil when the password is not the user password. u is /U, at least 32 bytes.
func checkUserMD5(r, n int, pw, o, u []byte, p int32, id0 []byte, encryptMetadata bool) []byte {
	key := fileKeyMD5(r, n, pw, o, p, id0, encryptMetadata)
	want := computeUMD5(r, key, id0)
	m := 32
	if r >= 3 {
		m = 16
	}
	if subtle.ConstantTimeCompare(want[:m], u[:m]) != 1 {
		return nil
	}
	return key
}

// ownerKeyMD5 computes the RC4 key that encrypts the user password into /O
// (algorithm 3, steps a to d).
func ownerKeyMD5(r, n int, ownerPw []byte) []byte {
	sum := md5.Sum(padPassword(ownerPw))
	if r >= 3 {
		for range 50 {
			sum = md5.Sum(sum[:])
		}
	}
	if r == 2 {
		n = 5
	}
	return sum[:n]
}

// computeOMD5 computes the /O value (algorithm 3). An empty owner password is replaced
// by the user password, as the algorithm says.
func computeOMD5(r, n int, ownerPw, userPw []byte) []byte {
	if len(ownerPw) == 0 {
		ownerPw = userPw
	}
	key := ownerKeyMD5(r, n, ownerPw)
	x := rc4Crypt(key, padPassword(userPw))
	if r >= 3 {
		x = rc4Rounds(key, x)
	}
	return x
}

// userPasswordFromO recovers the padded user password from /O with a candidate owner
// password (algorithm 7, steps a and b).
func userPasswordFromO(r, n int, ownerPw, o []byte) []byte {
	key := ownerKeyMD5(r, n, ownerPw)
	if r == 2 {
		return rc4Crypt(key, o[:32])
	}
	x := o[:32]
	k := make([]byte, len(key))
	for i := 19; i >= 0; i-- {
		for j := range key {
			k[j] = key[j] ^ byte(i)
		}
		x = rc4Crypt(k, x)
	}
	return x
}
