package crypt_test

import (
	"errors"
	"fmt"

	"github.com/kyso-go/kyso/internal/pdf/crypt"
)

// A document protected with AES-256 (revision 6): the writer builds its /Encrypt
// parameters with NewParams and encrypts a string; a reader authenticates with the user
// password and decrypts it.
func Example() {
	id0 := []byte("0123456789abcdef") // the first element of the trailer's /ID
	params, err := crypt.NewParams(6, []byte("mật khẩu"), []byte("chủ sở hữu"),
		int32(crypt.PermPrint|crypt.PermFillForms), id0)
	if err != nil {
		panic(err)
	}

	writer, err := crypt.New(params, []byte("chủ sở hữu"))
	if err != nil {
		panic(err)
	}
	ciphertext, err := writer.EncryptString(5, 0, []byte("Công văn số 12/UBND"))
	if err != nil {
		panic(err)
	}

	if _, err := crypt.New(params, []byte("sai")); errors.Is(err, crypt.ErrWrongPassword) {
		fmt.Println("wrong password refused")
	}
	reader, err := crypt.New(params, []byte("mật khẩu"))
	if err != nil {
		panic(err)
	}
	plain, err := reader.DecryptString(5, 0, ciphertext)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s (owner: %v, may print: %v, may modify: %v)\n", plain, reader.IsOwner(),
		reader.Permissions().Has(crypt.PermPrint), reader.Permissions().Has(crypt.PermModify))

	_, err = crypt.New(crypt.Params{Filter: "Adobe.PubSec", V: 4, R: 4}, nil)
	var unsupported *crypt.UnsupportedError
	if errors.As(err, &unsupported) {
		fmt.Println(unsupported.Entry, unsupported.Value)
	}
	// Output:
	// wrong password refused
	// Công văn số 12/UBND (owner: false, may print: true, may modify: false)
	// /Filter /Adobe.PubSec
}
