package crypt_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/kyso-go/kyso/internal/pdf/crypt"
)

// BenchmarkNew measures password authentication, dominated by algorithm 2.B for R 6.
func BenchmarkNew(b *testing.B) {
	for _, r := range []int{3, 4, 6} {
		p, err := crypt.NewParams(r, []byte("user"), []byte("owner"), -4, sampleID0)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("R%d", r), func(b *testing.B) {
			for b.Loop() {
				if _, err := crypt.New(p, []byte("user")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecryptStream measures decrypting a 1 MiB stream.
func BenchmarkDecryptStream(b *testing.B) {
	data := bytes.Repeat([]byte{0x5a}, 1<<20)
	for _, r := range []int{3, 4, 6} {
		p, err := crypt.NewParams(r, nil, []byte("owner"), -4, sampleID0)
		if err != nil {
			b.Fatal(err)
		}
		h, err := crypt.New(p, nil)
		if err != nil {
			b.Fatal(err)
		}
		enc, err := h.EncryptStream(4, 0, data)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("R%d", r), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := h.DecryptStream(4, 0, enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
