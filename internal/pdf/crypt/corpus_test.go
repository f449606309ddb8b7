package crypt_test

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/kyso-go/kyso/internal/pdf/crypt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusPasswords are the user and owner passwords pyHanko's test documents use.
var corpusPasswords = map[string][2]string{
	"":                            {"usersecret", "ownersecret"},
	"embedded-encrypted-nocf.pdf": {"secret", "secret"},
	"minimal-aes256-empty-encrypted-string.pdf": {"secret", "secret"},
}

var (
	reEncryptRef    = regexp.MustCompile(`/Encrypt\s+(\d+)\s+(\d+)\s+R`)
	reEncryptDirect = regexp.MustCompile(`/Encrypt\s*<<`)
)

// dictAt returns the dictionary starting at b[0] ("<<"), skipping strings, or nil.
func dictAt(b []byte) []byte {
	depth := 0
	for i := 0; i < len(b); i++ {
		switch {
		case bytes.HasPrefix(b[i:], []byte("<<")):
			depth++
			i++
		case bytes.HasPrefix(b[i:], []byte(">>")):
			depth--
			i++
			if depth == 0 {
				return b[:i+1]
			}
		case b[i] == '<': // hex string
			j := bytes.IndexByte(b[i:], '>')
			if j < 0 {
				return nil
			}
			i += j
		case b[i] == '(': // literal string
			n := 0
			for ; i < len(b); i++ {
				if b[i] == '\\' {
					i++
				} else if b[i] == '(' {
					n++
				} else if b[i] == ')' {
					if n--; n == 0 {
						break
					}
				}
			}
		}
	}
	return nil
}

// corpusEncryptDict finds the newest /Encrypt dictionary of a file and the first /ID
// element, without a PDF parser: direct or indirect, in a classic trailer or an xref
// stream. ok is false when it cannot.
func corpusEncryptDict(file []byte) (dict, id0 []byte, ok bool) {
	if locs := reEncryptRef.FindAllSubmatchIndex(file, -1); len(locs) > 0 {
		m := locs[len(locs)-1]
		num, gen := string(file[m[2]:m[3]]), string(file[m[4]:m[5]])
		objs := regexp.MustCompile(`(?:^|[\r\n\s])`+num+`\s+`+gen+`\s+obj\s*<<`).FindAllIndex(file, -1)
		if len(objs) == 0 {
			return nil, nil, false
		}
		start := objs[len(objs)-1][1] - 2
		dict = dictAt(file[start:])
	} else if locs := reEncryptDirect.FindAllIndex(file, -1); len(locs) > 0 {
		dict = dictAt(file[locs[len(locs)-1][1]-2:])
	}
	ids := reIDStart.FindAllIndex(file, -1)
	if dict == nil || len(ids) == 0 {
		return nil, nil, false
	}
	s := file[ids[len(ids)-1][1]-1:]
	if s[0] == '<' {
		end := bytes.IndexByte(s, '>')
		if end < 0 {
			return nil, nil, false
		}
	}
	return dict, s, true
}

// TestCorpus authenticates every encrypted document of $KYSO_CORPUS/pyhanko with
// pyHanko's test passwords: standard-handler documents open with the user and owner
// passwords and refuse the empty one, public-key ones are ErrUnsupported, and the
// deliberately malformed ones are ErrMalformed. Opt-in: set KYSO_CORPUS.
func TestCorpus(t *testing.T) {
	root := os.Getenv("KYSO_CORPUS")
	if root == "" {
		t.Skip("KYSO_CORPUS is not set")
	}
	if !filepath.IsAbs(root) {
		// .ci/run gives the corpus relative to the repository root, while tests run in
		// the package directory.
		root = filepath.Join(moduleRoot(t), root)
	}
	files, err := filepath.Glob(filepath.Join(root, "pyhanko", "*.pdf"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no PDF in %s/pyhanko", root)

	tally := map[string]int{}
	for _, path := range files {
		file, err := os.ReadFile(path)
		require.NoError(t, err)
		if !bytes.Contains(file, []byte("/Encrypt")) {
			continue
		}
		name := filepath.Base(path)
		if i := strings.LastIndex(name, "__"); i >= 0 {
			name = name[i+2:]
		}
		t.Run(name, func(t *testing.T) {
			dict, idStart, ok := corpusEncryptDict(file)
			if !ok {
				tally["not found by the test's scanner"]++
				t.Skip("the test's regexp scanner cannot find the /Encrypt dictionary (not a crypt test)")
			}
			p := paramsFromEncryptDict(t, dict)
			p.ID0 = readString(t, idStart)

			pw, ok := corpusPasswords[name]
			if !ok {
				pw = corpusPasswords[""]
			}
			h, err := crypt.New(p, []byte(pw[0]))
			switch {
			case p.Filter == "Adobe.PubSec":
				require.ErrorIs(t, err, crypt.ErrUnsupported)
				tally["public-key: ErrUnsupported"]++
			case strings.Contains(name, "malformed") && err != nil:
				require.ErrorIs(t, err, crypt.ErrMalformed)
				var m *crypt.MalformedError
				require.True(t, errors.As(err, &m))
				tally[fmt.Sprintf("malformed: %s", m.Entry)]++
				t.Log(err)
			default:
				require.NoError(t, err)
				assert.Equal(t, pw[0] == pw[1], h.IsOwner())
				owner, err := crypt.New(p, []byte(pw[1]))
				require.NoError(t, err)
				assert.True(t, owner.IsOwner())
				_, err = crypt.New(p, nil)
				assert.ErrorIs(t, err, crypt.ErrWrongPassword)
				tally[fmt.Sprintf("opened R%d", p.R)]++
				checkStreams(t, h, file)
			}
		})
	}
	keys := make([]string, 0, len(tally))
	for k := range tally {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, tally[k]))
	}
	t.Logf("pyHanko corpus, encrypted documents: %s", strings.Join(parts, ", "))
}

var (
	reObjectStart = regexp.MustCompile(`(\d+)\s+(\d+)\s+obj\s*<<`)
	reStreamKw    = regexp.MustCompile(`^\s*stream\r?\n`)
	reIndirectLen = regexp.MustCompile(`/Length\s+\d+\s+\d+\s+R`)
	reFlateFirst  = regexp.MustCompile(`/Filter\s*(\[\s*)?/FlateDecode`)
)

// checkStreams decrypts every stream of the file that has a direct /Length with the
// filter the standard prescribes for it (none for xref streams and, when metadata is
// in clear, metadata streams; /EFF for embedded files; /StmF for the rest) and checks
// that Flate-encoded ones inflate.
func checkStreams(t *testing.T, h *crypt.Handler, file []byte) {
	checked := 0
	for _, m := range reObjectStart.FindAllSubmatchIndex(file, -1) {
		var num, gen int
		fmt.Sscan(string(file[m[2]:m[3]]), &num)
		fmt.Sscan(string(file[m[4]:m[5]]), &gen)
		dict := dictAt(file[m[1]-2:])
		if dict == nil {
			continue
		}
		kw := reStreamKw.FindIndex(file[m[1]-2+len(dict):])
		if kw == nil {
			continue // not a stream
		}
		start := m[1] - 2 + len(dict) + kw[1]
		n, ok := intValue(t, dict, "Length")
		if !ok || reIndirectLen.Match(dict) || start+n > len(file) {
			continue
		}
		f := h.StreamFilter()
		switch {
		case nameValue(dict, "Type") == "XRef", bytes.Contains(dict, []byte("/Crypt")):
			continue
		case nameValue(dict, "Type") == "Metadata" && !h.EncryptsMetadata():
			continue
		case nameValue(dict, "Type") == "EmbeddedFile":
			f = h.EmbeddedFileFilter()
		}
		plain, err := f.Decrypt(num, gen, file[start:start+n])
		require.NoError(t, err, "stream %d %d", num, gen)
		if reFlateFirst.Match(dict) {
			r, err := zlib.NewReader(bytes.NewReader(plain))
			require.NoError(t, err, "stream %d %d does not inflate after decryption", num, gen)
			_, err = io.ReadAll(r)
			require.NoError(t, err, "stream %d %d does not inflate after decryption", num, gen)
		}
		checked++
	}
	t.Logf("%d streams decrypted", checked)
}

// moduleRoot returns the directory holding go.mod, above the test's directory.
func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "no go.mod above the test directory")
		dir = parent
	}
}
