package crypt_test

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kyso-go/kyso/internal/pdf/crypt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

// For every revision NewParams writes: the user and owner passwords open the document
// with the right role, a wrong one is refused, and what one handler encrypts another
// decrypts.
func TestRoundTrip(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef q Q BT ET\n"), 40_000) // ~1 MiB stream
	tests := []struct {
		r           int
		user, owner string
		method      string
	}{
		{2, "user", "owner", crypt.MethodRC4},
		{3, "user", "owner", crypt.MethodRC4},
		{3, "", "", crypt.MethodRC4},
		{4, "user", "owner", crypt.MethodAESV2},
		{4, "", "owner", crypt.MethodAESV2},
		{5, "user", "owner", crypt.MethodAESV3},
		{6, "user", "owner", crypt.MethodAESV3},
		{6, "", "owner", crypt.MethodAESV3},
		{6, "một mật khẩu rất dài " + string(bytes.Repeat([]byte("ư"), 80)), "owner", crypt.MethodAESV3},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("R%d user %.12q", tc.r, tc.user), func(t *testing.T) {
			p, err := crypt.NewParams(tc.r, []byte(tc.user), []byte(tc.owner), -4, sampleID0)
			require.NoError(t, err)
			assert.Equal(t, tc.r, p.R)
			assert.Equal(t, crypt.StandardFilter, p.Filter)

			user, err := crypt.New(p, []byte(tc.user))
			require.NoError(t, err)
			owner, err := crypt.New(p, []byte(tc.owner))
			require.NoError(t, err)
			// With an empty owner password NewParams uses the user password for both.
			assert.Equal(t, tc.owner == "" || tc.owner == tc.user, user.IsOwner())
			assert.True(t, owner.IsOwner())
			assert.Equal(t, tc.r, owner.Revision())
			assert.Equal(t, tc.method, owner.StreamFilter().Method())
			assert.Equal(t, tc.method, owner.StringFilter().Method())
			assert.Equal(t, tc.method, owner.EmbeddedFileFilter().Method())
			assert.True(t, owner.EncryptsMetadata())
			assert.Equal(t, crypt.PermAll, owner.Permissions()&crypt.PermAll)

			if tc.user != "wrong" {
				_, err = crypt.New(p, []byte("wrong"))
				assert.ErrorIs(t, err, crypt.ErrWrongPassword)
			}

			for _, data := range [][]byte{nil, {}, []byte("x"), []byte("exactly sixteen!"), sampleTitle, big} {
				enc, err := owner.EncryptString(7, 0, data)
				require.NoError(t, err)
				if len(data) > 0 {
					assert.NotEqual(t, data, enc)
				}
				dec, err := user.DecryptString(7, 0, enc)
				require.NoError(t, err)
				assert.Empty(t, cmp.Diff(string(data), string(dec)))

				enc, err = user.EncryptStream(12, 3, data)
				require.NoError(t, err)
				dec, err = owner.DecryptStream(12, 3, enc)
				require.NoError(t, err)
				assert.Empty(t, cmp.Diff(string(data), string(dec)))

				if tc.r < 5 && len(data) > 0 {
					// Keys per object: another object number does not decrypt it.
					other, err := owner.DecryptStream(13, 3, enc)
					if err == nil {
						assert.NotEqual(t, data, other)
					}
				}
			}
		})
	}
}

func TestEncryptDoesNotModifyInputAndUsesFreshIVs(t *testing.T) {
	p, err := crypt.NewParams(6, nil, []byte("owner"), -4, sampleID0)
	require.NoError(t, err)
	h, err := crypt.New(p, nil)
	require.NoError(t, err)
	data := []byte("dữ liệu")
	keep := bytes.Clone(data)
	a, err := h.EncryptString(1, 0, data)
	require.NoError(t, err)
	b, err := h.EncryptString(1, 0, data)
	require.NoError(t, err)
	assert.Equal(t, keep, data)
	assert.NotEqual(t, a, b, "two AES encryptions share an IV")
	keepA := bytes.Clone(a)
	_, err = h.DecryptString(1, 0, a)
	require.NoError(t, err)
	assert.Equal(t, keepA, a)
}

func TestNewParamsNormalizesPermissions(t *testing.T) {
	p, err := crypt.NewParams(4, []byte("u"), []byte("o"), int32(crypt.PermPrint|crypt.PermFillForms)|3, sampleID0)
	require.NoError(t, err)
	// Bits 1, 2 cleared; 7, 8 and 13 to 32 set.
	assert.Equal(t, int32(-3644), p.P) // 0xFFFFF1C4
	h, err := crypt.New(p, []byte("u"))
	require.NoError(t, err)
	assert.True(t, h.Permissions().Has(crypt.PermPrint|crypt.PermFillForms))
	assert.False(t, h.Permissions().Has(crypt.PermModify))
	assert.False(t, h.Permissions().Has(crypt.PermCopy))

	_, err = crypt.NewParams(7, nil, nil, -4, sampleID0)
	assert.ErrorIs(t, err, crypt.ErrUnsupported)
}

// Passwords are compared after SASLprep for revisions 5 and 6, so every Unicode
// spelling of a Vietnamese password opens the document; revisions 2 to 4 also try the
// PDFDocEncoding form of a UTF-8 password.
func TestPasswordForms(t *testing.T) {
	pw := "Nguyễn Thị Hoà ĩ"
	for _, r := range []int{5, 6} {
		p, err := crypt.NewParams(r, []byte(norm.NFD.String(pw)), []byte("owner"), -4, sampleID0)
		require.NoError(t, err)
		for _, form := range []norm.Form{norm.NFC, norm.NFD, norm.NFKC, norm.NFKD} {
			_, err := crypt.New(p, []byte(form.String(pw)))
			assert.NoError(t, err, "R%d, form %v", r, form)
		}
		// Non-ASCII spaces map to a space, soft hyphens to nothing.
		_, err = crypt.New(p, []byte("Nguyen Thi Hoa i"))
		assert.ErrorIs(t, err, crypt.ErrWrongPassword)
		_, err = crypt.New(p, []byte(norm.NFC.String("Nguyễn\u00a0Thị Ho\u00adà ĩ")))
		assert.NoError(t, err, "R%d with NBSP and soft hyphen", r)
	}

	// "café" in PDFDocEncoding (é is 0xE9) opens with its UTF-8 spelling.
	p, err := crypt.NewParams(4, []byte("caf\xe9"), []byte("owner"), -4, sampleID0)
	require.NoError(t, err)
	_, err = crypt.New(p, []byte("café"))
	assert.NoError(t, err)
	_, err = crypt.New(p, []byte("cafe"))
	assert.ErrorIs(t, err, crypt.ErrWrongPassword)
	// NewParams stores a UTF-8 password that PDFDocEncoding can hold in that encoding.
	q, err := crypt.NewParams(4, []byte("café"), []byte("owner"), -4, sampleID0)
	require.NoError(t, err)
	assert.Equal(t, p.O, q.O)
	assert.Equal(t, p.U, q.U)
}

func TestDecryptErrors(t *testing.T) {
	p, err := crypt.NewParams(4, nil, []byte("owner"), -4, sampleID0)
	require.NoError(t, err)
	h, err := crypt.New(p, nil)
	require.NoError(t, err)
	good, err := h.EncryptString(5, 0, []byte("hello"))
	require.NoError(t, err)

	tests := []struct {
		name string
		data []byte
	}{
		{"not whole blocks", good[:len(good)-1]},
		{"IV and a partial block", good[:20]},
		{"wrong object", good}, // decrypts with another key: the padding is garbage
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			num := 5
			if tc.name == "wrong object" {
				num = 6
			}
			out, err := h.DecryptString(num, 0, tc.data)
			if tc.name == "wrong object" && err == nil {
				// 1 in 256 keys gives valid-looking padding; the bytes still differ.
				assert.NotEqual(t, "hello", string(out))
				return
			}
			require.ErrorIs(t, err, crypt.ErrMalformed)
			var m *crypt.MalformedError
			require.True(t, errors.As(err, &m))
			assert.Equal(t, fmt.Sprintf("string in object %d 0", num), m.Entry)
			t.Log(err)
		})
	}
	out, err := h.DecryptString(5, 0, nil)
	require.NoError(t, err)
	assert.Empty(t, out)
	// An IV alone, as some writers store empty strings, is an empty string.
	out, err = h.DecryptString(5, 0, make([]byte, 16))
	require.NoError(t, err)
	assert.Empty(t, out)
}

func TestCryptFilters(t *testing.T) {
	p, err := crypt.NewParams(4, nil, []byte("owner"), -4, sampleID0)
	require.NoError(t, err)
	// Strings in clear, streams with RC4, embedded files with AES, one spare filter.
	p.CF = map[string]crypt.CryptFilter{
		"StdCF":  {CFM: crypt.MethodAESV2, Length: 16},
		"RC4":    {CFM: crypt.MethodRC4, Length: 128},
		"Clear":  {CFM: crypt.MethodNone},
		"Future": {CFM: "AESV9"},
	}
	p.StmF, p.StrF, p.EFF = "RC4", "Identity", "StdCF"
	h, err := crypt.New(p, nil)
	require.NoError(t, err, "an unused filter with an unknown method must not stop the document")
	assert.Equal(t, crypt.MethodIdentity, h.StringFilter().Method())
	assert.Equal(t, crypt.MethodRC4, h.StreamFilter().Method())
	assert.Equal(t, "RC4", h.StreamFilter().Name())
	assert.Equal(t, crypt.MethodAESV2, h.EmbeddedFileFilter().Method())

	s, err := h.EncryptString(3, 0, []byte("clear"))
	require.NoError(t, err)
	assert.Equal(t, "clear", string(s))

	for _, tc := range []struct {
		name   string
		method string
		err    error
	}{
		{"", crypt.MethodIdentity, nil},
		{"Identity", crypt.MethodIdentity, nil},
		{"Clear", crypt.MethodNone, nil},
		{"StdCF", crypt.MethodAESV2, nil},
		{"Future", "", crypt.ErrUnsupported},
		{"Missing", "", crypt.ErrMalformed},
	} {
		f, err := h.Filter(tc.name)
		if tc.err != nil {
			assert.ErrorIs(t, err, tc.err, tc.name)
			continue
		}
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.method, f.Method(), tc.name)
		enc, err := f.Encrypt(9, 0, []byte("abc"))
		require.NoError(t, err)
		dec, err := f.Decrypt(9, 0, enc)
		require.NoError(t, err)
		assert.Equal(t, "abc", string(dec))
	}

	// /V 2 documents have no named crypt filters.
	p2, err := crypt.NewParams(3, nil, []byte("owner"), -4, sampleID0)
	require.NoError(t, err)
	h2, err := crypt.New(p2, nil)
	require.NoError(t, err)
	_, err = h2.Filter("StdCF")
	assert.ErrorIs(t, err, crypt.ErrMalformed)
	f, err := h2.Filter("Identity")
	require.NoError(t, err)
	assert.Equal(t, crypt.MethodIdentity, f.Method())
}

// Revision 4 with /EncryptMetadata false feeds 0xFFFFFFFF into the key (algorithm 2
// step f): the flag must reach the key computation.
func TestEncryptMetadataChangesTheKey(t *testing.T) {
	p, err := crypt.NewParams(4, []byte("u"), []byte("o"), -4, sampleID0)
	require.NoError(t, err)
	p.EncryptMetadata = false
	_, err = crypt.New(p, []byte("u"))
	assert.ErrorIs(t, err, crypt.ErrWrongPassword)
}

// A Handler is shared by the goroutines of a reader and a writer; run with -race.
func TestConcurrentUse(t *testing.T) {
	p, err := crypt.NewParams(6, nil, []byte("owner"), -4, sampleID0)
	require.NoError(t, err)
	h, err := crypt.New(p, nil)
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			data := []byte(fmt.Sprintf("chuỗi số %d", i))
			for range 50 {
				enc, err := h.EncryptStream(i, 0, data)
				if err != nil {
					errs <- err
					return
				}
				dec, err := h.DecryptStream(i, 0, enc)
				if err != nil || !bytes.Equal(dec, data) {
					errs <- fmt.Errorf("goroutine %d: round trip failed: %v", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
