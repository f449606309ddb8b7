package crypt

import (
	"encoding/hex"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// Known-answer vectors: encryption dictionaries for documents with known passwords, as
// published in the pdf.js test suite, and the file keys the algorithms must derive
// from them. The published AES-256 dictionaries pair /P -1084 with /Perms that
// authenticate /P -4 (pdf.js does not check /Perms); /P is -4 here so that the /Perms
// check of algorithm 13 passes, and TestErrorsAreTyped shows a mismatch is refused.
func katParams(t testing.TB) map[string]Params {
	fileID1 := unhex(t, "f6c6af17f372528d524d9a80d1efdf18")
	fileID2 := unhex(t, "3c4c5f3a4496af409a9db33c781c76ac")
	return map[string]Params{
		"R3 RC4-128": {
			Filter: "Standard", V: 2, R: 3, Length: 128, P: -1028, EncryptMetadata: true, ID0: fileID1,
			O: unhex(t, "80c30496916f20736c3ae61b135491f20d5612e3ff5ebbe9564fd86b9aca7c5d"),
			U: unhex(t, "6a0c8d3e591900bc6a647d91bdaa001800000000000000000000000000000000"),
		},
		"R4 blank": {
			Filter: "Standard", V: 4, R: 4, Length: 128, P: -1084, EncryptMetadata: true, ID0: fileID2,
			O: unhex(t, "734614762e793527db970a3522b3e1d4adbd9b3cb4a5897515b259f168d9e9f4"),
			U: unhex(t, "930489a9bf8a45a688a2dbc2a0a8676e00000000000000000000000000000000"),
		},
		"R5": {
			Filter: "Standard", V: 5, R: 5, Length: 256, P: -4, EncryptMetadata: true, ID0: fileID1,
			O:     unhex(t, "3c6289233365c898d2b2e2e486cda318cc7eb1246a32247dd2acab78de6c8b73f37647998011653ec8f5f20cda7b1878"),
			U:     unhex(t, "83f28fa057028a864ffdbdade04990f1be51c50ff96991970fc24103017ebbdd75a904209f6516dca85ed7c06426bc28"),
			OE:    unhex(t, "d5ca0ebd6e4c46bf06c30abe9d649055083e7bb29ce53228e5d836de22266adf"),
			UE:    unhex(t, "2396c3a9f53333ff9e9e21f2e74b7dbe197eac72c3f489f5eaa52a4a3c261111"),
			Perms: unhex(t, "d8fc8434e5650d425d7f66fd3c4f4d4d"),
		},
		"R6": {
			Filter: "Standard", V: 5, R: 6, Length: 256, P: -4, EncryptMetadata: true, ID0: fileID1,
			O:     unhex(t, "58e83e36f51af5d1897bdd48c73125d91f4a73a77f9eb04d2da3572f275ad98d8ee8a9d0cad605b91dd0b92e0b4c8795"),
			U:     unhex(t, "5ee6cd4ba663fa4cdb801155391121a4962e67b0a09cbbe9a6dfa3fd93eb5fb853f59265c6f722c6bf0b105eedd814af"),
			OE:    unhex(t, "d149e04d679bc9b5be44df143e5a38d205f0b280ee7c44fefdf43e6cd0870afb"),
			UE:    unhex(t, "79d002b5e6599c3cfd8fd41c54b4c4b1ad80dd6b2e145eba87335f1814dffe24"),
			Perms: unhex(t, "6cad0fa0eb4d86574d3ecbb5e058c937"),
		},
		"R5 blank": {
			Filter: "Standard", V: 5, R: 5, Length: 256, P: -4, EncryptMetadata: true, ID0: fileID1,
			O:     unhex(t, "b87004c36726fc57cc4ed416a1e89530595ac99eb12d97f3fe03131966665a6e8ff5ebeccc3573561065ce6cb5e947c1"),
			U:     unhex(t, "83d47a69f14f30963112cc82cbcabf3579fd21ebe4d1b51dd6fa14f3be8f7173ef88dee2e8dcf535e4b816c8148d651e"),
			OE:    unhex(t, "8f19e8d427d507cac6a111a6615b74f4df0f84290fe4ef46375b5b11a08f1765"),
			UE:    unhex(t, "81f55db02881e47f5f7c8f8562a07e10d0886c787b7e4a5e9132b664122705f6"),
			Perms: unhex(t, "861536320daea2fb5d3b223d7112b248"),
		},
		"R6 blank": {
			Filter: "Standard", V: 5, R: 6, Length: 256, P: -4, EncryptMetadata: true, ID0: fileID1,
			O:     unhex(t, "f7db9955a64dac6bafcfd7414677e9c191cb4467492352cf0c1572d7340dcee99140e4985146bf887e6adead8ff440c1"),
			U:     unhex(t, "1aa9dc913883936b295b1137b136dbe88efe28e589d40ead123b7d4e5f3666657a8b471805594f687d5a48a35a87172a"),
			OE:    unhex(t, "a4618820681b7fcdd5ca63d85283e5d61cd298079834baaf1bb47f51f81e557d"),
			UE:    unhex(t, "a00a5a55271d272c0bfe0ea24cf9625ea1b9d6763762b236a94e99f1a4446571"),
			Perms: unhex(t, "03f269070dc3f9f22880b7f5ddd163eb"),
		},
	}
}

func TestKnownAnswers(t *testing.T) {
	params := katParams(t)
	r5Key := "3f7288d1573d0c1ef901ba90fef8a3999733850a5098ce0f48bbe721e0ef0dd5"
	r6Key := "2adad527495b484f4326f88512bd3d226b4f1d383bb5d576712241d257ae16ef"
	tests := []struct {
		params   string
		password string
		owner    bool
		wantErr  error
		wantKey  string // hex; "" = not checked
	}{
		{"R3 RC4-128", "123456", false, nil, ""},
		{"R3 RC4-128", "654321", true, nil, ""},
		{"R3 RC4-128", "", false, ErrWrongPassword, ""},
		{"R3 RC4-128", "wrong", false, ErrWrongPassword, ""},
		{"R4 blank", "", false, nil, ""},
		{"R4 blank", "wrong", false, ErrWrongPassword, ""},
		{"R5", "user", false, nil, r5Key},
		{"R5", "owner", true, nil, r5Key},
		{"R5", "", false, ErrWrongPassword, ""},
		{"R5", "wrong", false, ErrWrongPassword, ""},
		{"R6", "user", false, nil, r6Key},
		{"R6", "owner", true, nil, r6Key},
		{"R6", "", false, ErrWrongPassword, ""},
		{"R6", "wrong", false, ErrWrongPassword, ""},
		{"R5 blank", "", false, nil, ""},
		{"R6 blank", "", false, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.params+"/"+tc.password, func(t *testing.T) {
			h, err := New(params[tc.params], []byte(tc.password))
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.owner, h.IsOwner())
			assert.Equal(t, Permissions(uint32(params[tc.params].P)), h.Permissions())
			if tc.wantKey != "" {
				assert.Equal(t, tc.wantKey, hex.EncodeToString(h.key))
			}
		})
	}
}

// The R3 vector again, step by step: algorithm 3 must reproduce /O from the two
// passwords, and algorithms 2 and 5 /U's first 16 bytes from the user password.
func TestKnownAnswersMD5Steps(t *testing.T) {
	p := katParams(t)["R3 RC4-128"]
	assert.Equal(t, hex.EncodeToString(p.O), hex.EncodeToString(computeOMD5(3, 16, []byte("654321"), []byte("123456"))))
	key := fileKeyMD5(3, 16, []byte("123456"), p.O, p.P, p.ID0, true)
	assert.Equal(t, hex.EncodeToString(p.U[:16]), hex.EncodeToString(computeUMD5(3, key, p.ID0)[:16]))
	assert.Equal(t, hex.EncodeToString(padPassword([]byte("123456"))),
		hex.EncodeToString(userPasswordFromO(3, 16, []byte("654321"), p.O)))
}

// Algorithm 2.B and the revision 5 hash on the vectors' own salts, as separate steps.
func TestKnownAnswersAES256Steps(t *testing.T) {
	for _, name := range []string{"R5", "R6"} {
		p := katParams(t)[name]
		r := p.R
		assert.Equal(t, p.U[:32], hashAES256(r, []byte("user"), p.U[32:40], nil), name+" user validation hash")
		assert.Equal(t, p.O[:32], hashAES256(r, []byte("owner"), p.O[32:40], p.U[:48]), name+" owner validation hash")
	}
}

func TestErrorsAreTyped(t *testing.T) {
	good := katParams(t)["R6"]
	tests := []struct {
		name   string
		modify func(p *Params)
		want   error
		entry  string
	}{
		{"public key handler", func(p *Params) { p.Filter = "Adobe.PubSec" }, ErrUnsupported, "/Filter"},
		{"unknown handler", func(p *Params) { p.Filter = "FOPN_foweb" }, ErrUnsupported, "/Filter"},
		{"no handler", func(p *Params) { p.Filter = "" }, ErrMalformed, "/Filter"},
		{"V 3", func(p *Params) { p.V = 3 }, ErrUnsupported, "/V"},
		{"R 7", func(p *Params) { p.R = 7 }, ErrUnsupported, "/R"},
		{"V 5 with R 4", func(p *Params) { p.R = 4 }, ErrMalformed, "/V"},
		{"short O", func(p *Params) { p.O = p.O[:40] }, ErrMalformed, "/O"},
		{"short U", func(p *Params) { p.U = p.U[:20] }, ErrMalformed, "/U"},
		{"short UE", func(p *Params) { p.UE = nil }, ErrMalformed, "/UE"},
		{"short Perms", func(p *Params) { p.Perms = p.Perms[:8] }, ErrMalformed, "/Perms"},
		{"P tampered", func(p *Params) { p.P = -1084 }, ErrMalformed, "/Perms"},
		{"metadata flag tampered", func(p *Params) { p.EncryptMetadata = false }, ErrMalformed, "/Perms"},
		{"Perms damaged", func(p *Params) { p.Perms = append([]byte{p.Perms[0] ^ 1}, p.Perms[1:]...) }, ErrMalformed, "/Perms"},
		{"unknown CFM", func(p *Params) {
			p.CF = map[string]CryptFilter{"StdCF": {CFM: "FancyCipher"}}
			p.StmF, p.StrF = "StdCF", "StdCF"
		}, ErrUnsupported, "/CFM"},
		{"undefined StmF", func(p *Params) { p.StmF = "Nope" }, ErrMalformed, "/StmF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := good
			tc.modify(&p)
			_, err := New(p, []byte("user"))
			require.ErrorIs(t, err, tc.want)
			var u *UnsupportedError
			var m *MalformedError
			switch {
			case errors.As(err, &u):
				assert.Equal(t, tc.entry, u.Entry)
			case errors.As(err, &m):
				assert.Equal(t, tc.entry, m.Entry)
			default:
				t.Fatalf("error %v has no detail type", err)
			}
			t.Log(err)
		})
	}
}

func TestKeyLengthErrors(t *testing.T) {
	r3 := katParams(t)["R3 RC4-128"]
	tests := []struct {
		name   string
		modify func(p *Params)
		entry  string
	}{
		{"Length below 40", func(p *Params) { p.Length = 32 }, "/Length"},
		{"Length above 128", func(p *Params) { p.Length = 256 }, "/Length"},
		{"Length not whole bytes", func(p *Params) { p.Length = 60 }, "/Length"},
		{"AESV2 with a 40-bit key", func(p *Params) {
			p.V, p.R, p.Length = 4, 4, 40
			p.CF = map[string]CryptFilter{"StdCF": {CFM: MethodAESV2}}
			p.StmF, p.StrF = "StdCF", "StdCF"
			n := 5
			p.O = computeOMD5(4, n, []byte("o"), []byte("u"))
			p.U = computeUMD5(4, fileKeyMD5(4, n, []byte("u"), p.O, p.P, p.ID0, true), p.ID0)
		}, "/CF"},
		{"AESV3 in revision 4", func(p *Params) {
			p.V, p.R = 4, 4
			p.CF = map[string]CryptFilter{"StdCF": {CFM: MethodAESV3}}
			p.StmF, p.StrF = "StdCF", "StdCF"
			p.O = computeOMD5(4, 16, []byte("o"), []byte("u"))
			p.U = computeUMD5(4, fileKeyMD5(4, 16, []byte("u"), p.O, p.P, p.ID0, true), p.ID0)
		}, "/CF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := r3
			tc.modify(&p)
			_, err := New(p, []byte("u"))
			var m *MalformedError
			require.ErrorAs(t, err, &m)
			assert.Equal(t, tc.entry, m.Entry)
			t.Log(err)
		})
	}
}
