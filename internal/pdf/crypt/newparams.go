package crypt

import (
	"crypto/rand"
	"fmt"
	"strconv"
)

// NewParams builds the encryption parameters of a new document protected by the
// standard security handler, revision r:
//
//	r = 2  RC4 40-bit, /V 1 (weak; for tests of old readers)
//	r = 3  RC4 128-bit, /V 2
//	r = 4  AES-128 (AESV2) through the crypt filter StdCF, /V 4
//	r = 5  AES-256, Adobe extension level 3 (deprecated; for tests)
//	r = 6  AES-256 (AESV3) through StdCF, /V 5, ISO 32000-2: the one to use
//
// It computes /O and /U (and /OE, /UE and /Perms for r = 5 and 6, with a random file
// key and salts from crypto/rand). An empty owner password is replaced by the user
// password, so the owner password is never empty unless both are. For revisions 2 to
// 4 a UTF-8 password is stored in PDFDocEncoding when that encoding can hold it, as
// other writers do, and as bytes otherwise. perms is /P: the
// reserved bits are set and bits 1 and 2 cleared, so Permissions values can be passed
// as int32(PermPrint|PermCopy). id0 is the first element of the /ID array the
// document's trailer will carry; revisions 2 to 4 bind the key to it. Metadata is
// encrypted. The file key is not returned: open the result with New and either
// password to encrypt the document's strings and streams.
func NewParams(r int, userPassword, ownerPassword []byte, perms int32, id0 []byte) (Params, error) {
	if len(ownerPassword) == 0 {
		ownerPassword = userPassword
	}
	p := Params{
		Filter:          StandardFilter,
		R:               r,
		P:               normalizePermissions(perms),
		EncryptMetadata: true,
		ID0:             append([]byte(nil), id0...),
	}
	switch r {
	case 2, 3, 4:
		n := 16
		switch r {
		case 2:
			p.V, p.Length, n = 1, 40, 5
		case 3:
			p.V, p.Length = 2, 128
		case 4:
			p.V, p.Length = 4, 128
			p.CF = map[string]CryptFilter{StandardCryptFilter: {CFM: MethodAESV2, Length: 16, AuthEvent: "DocOpen"}}
			p.StmF, p.StrF = StandardCryptFilter, StandardCryptFilter
		}
		user := pdfDocPassword(userPassword)
		p.O = computeOMD5(r, n, pdfDocPassword(ownerPassword), user)
		key := fileKeyMD5(r, n, user, p.O, p.P, p.ID0, p.EncryptMetadata)
		p.U = computeUMD5(r, key, p.ID0)
	case 5, 6:
		p.V, p.Length = 5, 256
		p.CF = map[string]CryptFilter{StandardCryptFilter: {CFM: MethodAESV3, Length: 32, AuthEvent: "DocOpen"}}
		p.StmF, p.StrF = StandardCryptFilter, StandardCryptFilter
		random := make([]byte, 32+16+16+4)
		if _, err := rand.Read(random); err != nil {
			return Params{}, fmt.Errorf("crypt: reading random bytes: %w", err)
		}
		key := random[:32]
		user := passwordsAES256(userPassword)[0]
		owner := passwordsAES256(ownerPassword)[0]
		p.U, p.UE = computeUAES256(r, user, key, random[32:48])
		p.O, p.OE = computeOAES256(r, owner, p.U, key, random[48:64])
		p.Perms = encryptPerms(key, p.P, p.EncryptMetadata, random[64:68])
	default:
		return Params{}, &UnsupportedError{Entry: "/R", Value: strconv.Itoa(r), Reason: "NewParams writes revisions 2 to 6"}
	}
	return p, nil
}
