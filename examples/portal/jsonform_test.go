package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var jsonSpec = map[string]fieldSpec{
	"pdf":    {kind: fieldFile, max: 64},
	"state":  {kind: fieldBase64, max: 64},
	"reason": {kind: fieldText, max: 16},
}

func TestReadJSONFormStreams(t *testing.T) {
	doc := []byte("%PDF-1.7 hello \xff\xfe world")
	std := base64.StdEncoding.EncodeToString(doc)
	url := base64.RawURLEncoding.EncodeToString(doc)
	wrapped := std[:10] + `\n` + std[10:20] + "\r\n " + strings.ReplaceAll(std[20:], "/", `\/`)
	cases := []struct {
		name, body string
		want       map[string][]byte
	}{
		{"standard", `{"pdf":"` + std + `"}`, map[string][]byte{"pdf": doc}},
		{"URL-safe, unpadded", `{"pdf":"` + url + `"}`, map[string][]byte{"pdf": doc}},
		{"white space, escaped newline and solidus", " {\n \"pdf\" : \"" + wrapped + "\" }\n", map[string][]byte{"pdf": doc}},
		{"text with escapes", `{"reason":"Ph\u00ea duy\u1ec7t \"A\"","state":""}`, map[string][]byte{"reason": []byte(`Phê duyệt "A"`), "state": {}}},
		{"empty object", `{}`, map[string][]byte{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := readJSONForm(strings.NewReader(c.body), jsonSpec)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestReadJSONFormRefuses(t *testing.T) {
	big := base64.StdEncoding.EncodeToString(make([]byte, 65))
	cases := []struct {
		name, body, detail string
		status             int
	}{
		{"not an object", `["a"]`, "Malformed JSON", http.StatusBadRequest},
		{"unknown field", `{"x":"1"}`, `Unknown field "x"`, http.StatusBadRequest},
		{"repeated field", `{"reason":"a","reason":"b"}`, `Field "reason" is repeated`, http.StatusBadRequest},
		{"number value", `{"reason":1}`, `Field "reason" must be a string`, http.StatusBadRequest},
		{"bad base64", `{"pdf":"@@@@"}`, `Field "pdf" is not valid base64`, http.StatusBadRequest},
		{"data after padding", `{"pdf":"QQ==QQ"}`, `Field "pdf" is not valid base64`, http.StatusBadRequest},
		{"escape in base64", `{"pdf":"QU\u0041="}`, `Field "pdf" is not valid base64`, http.StatusBadRequest},
		{"file too large", `{"pdf":"` + big + `"}`, `Field "pdf" exceeds 64 bytes`, http.StatusRequestEntityTooLarge},
		{"text too large", `{"reason":"` + strings.Repeat("a", 17) + `"}`, `Field "reason" exceeds 16 bytes`, http.StatusRequestEntityTooLarge},
		{"escaped text too large", `{"reason":"` + strings.Repeat(`\u0061`, 17) + `"}`, `Field "reason" exceeds 16 bytes`, http.StatusRequestEntityTooLarge},
		{"truncated", `{"pdf":"QUJD`, "Malformed JSON", http.StatusBadRequest},
		{"trailing comma", `{"reason":"a",}`, "Malformed JSON", http.StatusBadRequest},
		{"trailing data", `{"reason":"a"} {}`, "Trailing data", http.StatusBadRequest},
		{"invalid UTF-8 text", "{\"reason\":\"\xff\"}", "not UTF-8", http.StatusBadRequest},
		{"empty body", ``, "Malformed JSON", http.StatusBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readJSONForm(strings.NewReader(c.body), jsonSpec)
			var ae *apiError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, c.status, ae.Status)
			assert.Contains(t, ae.MessageEN, c.detail)
		})
	}
}

// A body over the server's limit stays a *http.MaxBytesError (a 413), wherever the
// limit falls.
func TestReadJSONFormBodyLimit(t *testing.T) {
	body := `{"pdf":"` + base64.StdEncoding.EncodeToString(make([]byte, 48)) + `"}`
	for limit := 1; limit < len(body); limit += 7 {
		r := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(strings.NewReader(body)), int64(limit))
		_, err := readJSONForm(r, jsonSpec)
		var mbe *http.MaxBytesError
		assert.True(t, errors.As(err, &mbe), "limit %d: %v", limit, err)
	}
}

// BenchmarkReadForm compares the two upload encodings of a 10 MB document, as the
// complete endpoint reads them (see BENCHMARKS.md).
func BenchmarkReadForm(b *testing.B) {
	doc := make([]byte, 10<<20)
	_, _ = rand.Read(doc)
	spec := map[string]fieldSpec{"pdf": {kind: fieldFile, max: 32 << 20}, "state": {kind: fieldBase64, max: 4096}}
	jsonBody := []byte(`{"state":"c3RhdGU=","pdf":"` + base64.StdEncoding.EncodeToString(doc) + `"}`)
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("pdf", "doc.pdf")
	_, _ = fw.Write(doc)
	_ = mw.WriteField("state", "c3RhdGU=")
	_ = mw.Close()
	b.Run("json", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			r := httptest.NewRequest(http.MethodPost, "/api/complete", bytes.NewReader(jsonBody))
			r.Header.Set("Content-Type", "application/json")
			if _, err := readForm(r, spec); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("multipart", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			r := httptest.NewRequest(http.MethodPost, "/api/complete", bytes.NewReader(mp.Bytes()))
			r.Header.Set("Content-Type", mw.FormDataContentType())
			if _, err := readForm(r, spec); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestReadJSONFormLarge: a document of a few megabytes decodes exactly across the
// reader's buffer, the decoder's chunks and the output's growth, plain or wrapped in
// MIME lines of 76 symbols, and one byte over the field's limit is refused.
func TestReadJSONFormLarge(t *testing.T) {
	doc := make([]byte, 3<<20+7)
	_, _ = rand.Read(doc)
	std := base64.StdEncoding.EncodeToString(doc)
	var wrapped strings.Builder
	for i := 0; i < len(std); i += 76 {
		wrapped.WriteString(std[i:min(i+76, len(std))])
		wrapped.WriteString(`\r\n`)
	}
	spec := map[string]fieldSpec{"pdf": {kind: fieldFile, max: len(doc)}}
	for name, b64 := range map[string]string{"plain": std, "wrapped": wrapped.String()} {
		got, err := readJSONForm(strings.NewReader(`{"pdf":"`+b64+`"}`), spec)
		require.NoError(t, err, name)
		assert.True(t, bytes.Equal(doc, got["pdf"]), name)
	}
	spec["pdf"] = fieldSpec{kind: fieldFile, max: len(doc) - 1}
	_, err := readJSONForm(strings.NewReader(`{"pdf":"`+std+`"}`), spec)
	var ae *apiError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusRequestEntityTooLarge, ae.Status)
}
