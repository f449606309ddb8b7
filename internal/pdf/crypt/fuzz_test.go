package crypt_test

import (
	"testing"

	"github.com/kyso-go/kyso/internal/pdf/crypt"
)

// FuzzNew feeds New arbitrary encryption parameters and passwords, and the handler it
// returns arbitrary ciphertexts: errors are fine, panics and hangs are not.
func FuzzNew(f *testing.F) {
	for _, r := range []int{2, 3, 4, 5, 6} {
		p, err := crypt.NewParams(r, []byte("user"), []byte("owner"), -4, []byte("0123456789abcdef"))
		if err != nil {
			f.Fatal(err)
		}
		cfm := ""
		if cf, ok := p.CF[crypt.StandardCryptFilter]; ok {
			cfm = cf.CFM
		}
		f.Add(p.Filter, p.V, p.R, p.Length, p.O, p.U, p.OE, p.UE, p.Perms, p.P, true, cfm, 16, p.ID0,
			[]byte("user"), []byte("0123456789abcdef0123456789abcdef"))
		f.Add(p.Filter, p.V, p.R, p.Length, p.O, p.U, p.OE, p.UE, p.Perms, p.P, true, cfm, 0, p.ID0,
			[]byte("owner"), []byte{})
	}
	f.Add("Adobe.PubSec", 4, 4, 128, []byte{}, []byte{}, []byte{}, []byte{}, []byte{}, int32(-1), false, "None", 5,
		[]byte{}, []byte{}, []byte{1, 2, 3})

	f.Fuzz(func(t *testing.T, filter string, v, r, length int, o, u, oe, ue, perms []byte, pv int32,
		encryptMetadata bool, cfm string, cfLength int, id0, password, data []byte) {
		p := crypt.Params{
			Filter: filter, V: v, R: r, Length: length, O: o, U: u, OE: oe, UE: ue, Perms: perms, P: pv,
			EncryptMetadata: encryptMetadata, ID0: id0,
		}
		if cfm != "" {
			p.CF = map[string]crypt.CryptFilter{crypt.StandardCryptFilter: {CFM: cfm, Length: cfLength}}
			p.StmF, p.StrF = crypt.StandardCryptFilter, crypt.StandardCryptFilter
		}
		h, err := crypt.New(p, password)
		if err != nil {
			return
		}
		_, _ = h.DecryptString(1, 0, data)
		_, _ = h.DecryptStream(1<<24+7, 70000, data)
		if enc, err := h.EncryptString(3, 0, data); err == nil {
			if dec, err := h.DecryptString(3, 0, enc); err != nil || string(dec) != string(data) {
				t.Fatalf("round trip failed: %v", err)
			}
		}
		if f, err := h.Filter(cfm); err == nil {
			_, _ = f.Decrypt(2, 0, data)
		}
	})
}
