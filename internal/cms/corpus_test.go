package cms

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// contentsRE finds a signature dictionary's /ByteRange and the hex /Contents after it
// (the layout pyHanko and most tools write; unencrypted files only).
var contentsRE = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)

// TestParseCorpus (opt-in, $KYSO_CORPUS) parses every CMS signature found in the
// pyHanko corpus — other tools' encodings — and checks message digests and signature
// values. Failures must be typed; the tally is printed.
func TestParseCorpus(t *testing.T) {
	root := corpusRoot()
	if root == "" {
		t.Skip("KYSO_CORPUS not set")
	}
	files, err := filepath.Glob(filepath.Join(root, "pyhanko", "*.pdf"))
	require.NoError(t, err)
	checked, failures := 0, map[string]int{}
	for _, path := range files {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		for _, m := range contentsRE.FindAllSubmatchIndex(data, -1) {
			var br [4]int
			for i := range br {
				br[i], _ = strconv.Atoi(string(data[m[2+2*i]:m[3+2*i]]))
			}
			if br[1] <= 0 || br[2] > len(data) || br[1] >= br[2] || br[2]+br[3] > len(data) || data[br[1]] != '<' || data[br[2]-1] != '>' {
				continue // an anomaly the verifier reports; nothing to parse here
			}
			der := make([]byte, (br[2]-br[1]-2)/2)
			if _, err := hex.Decode(der, data[br[1]+1:br[2]-1]); err != nil {
				continue // encrypted or odd-length: not this test's business
			}
			name := filepath.Base(path)
			err := checkCorpusSignature(der, data, br)
			if err != nil {
				var se *SyntaxError
				var ae *AlgorithmError
				var at *AttributeError
				typed := errors.As(err, &se) || errors.As(err, &ae) || errors.As(err, &at) ||
					errors.Is(err, ErrBadSignature) || errors.Is(err, ErrSignerNotFound) || errors.Is(err, errDigestMismatch) ||
					errors.Is(err, ErrNoSignedAttributes)
				assert.True(t, typed, "%s: untyped error %v", name, err)
				key := err.Error()
				if len(key) > 70 {
					key = key[:70]
				}
				failures[key]++
				t.Logf("%s: %v", name, err)
				continue
			}
			checked++
		}
	}
	var parts []string
	total := 0
	for k, n := range failures {
		parts = append(parts, fmt.Sprintf("%s ×%d", k, n))
		total += n
	}
	sort.Strings(parts)
	t.Logf("cms corpus: %d signatures checked, %d not: %s", checked, total, strings.Join(parts, "; "))
	assert.Greater(t, checked, 20)
}

var errDigestMismatch = errors.New("message digest does not match the byte ranges (a deliberately modified file?)")

func checkCorpusSignature(der, data []byte, br [4]int) error {
	sd, err := Parse(der)
	if err != nil {
		return err
	}
	for _, si := range sd.Signers {
		cert, err := sd.SignerCertificate(si)
		if err != nil {
			return err
		}
		if err := si.CheckSignature(cert.PublicKey, &CheckOptions{AllowWeakHash: true}); err != nil {
			return err
		}
		md, err := si.MessageDigest()
		if err != nil {
			return err
		}
		if !si.Hash.Available() {
			return &AlgorithmError{Algorithm: si.Hash.String(), Err: ErrUnsupportedAlgorithm}
		}
		h := si.Hash.New()
		if sd.Content != nil { // a document time-stamp: the digest covers the TSTInfo
			h.Write(sd.Content)
		} else {
			h.Write(data[br[0] : br[0]+br[1]])
			h.Write(data[br[2] : br[2]+br[3]])
		}
		if !bytes.Equal(h.Sum(nil), md) {
			return errDigestMismatch
		}
	}
	return nil
}

// corpusRoot resolves $KYSO_CORPUS: CI passes a path relative to the repository root
// ("../shared/corpus") while go test runs in the package directory, so a relative path
// that does not exist here is taken from the module root (where go.mod is).
func corpusRoot() string {
	dir := os.Getenv("KYSO_CORPUS")
	if dir == "" || filepath.IsAbs(dir) {
		return dir
	}
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	wd, err := os.Getwd()
	if err != nil {
		return dir
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, dir)
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}
