package main

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzParseChain: any PEM input gives a chain or a 400 *apiError, never a panic.
func FuzzParseChain(f *testing.F) {
	f.Add([]byte(selfSignedPEMSeed))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		chain, err := parseChain(data)
		if err == nil && len(chain) == 0 {
			t.Fatal("no error and no certificate")
		}
		if ae, ok := err.(*apiError); err != nil && (!ok || ae.Status != http.StatusBadRequest) {
			t.Fatalf("error %v is not a 400 *apiError", err)
		}
		if len(chain) > maxChainCerts {
			t.Fatalf("%d certificates accepted", len(chain))
		}
	})
}

// FuzzAPI sends arbitrary bodies to every endpoint, as JSON, as multipart and raw:
// the answer is never a 5xx (an internal error or a panic).
func FuzzAPI(f *testing.F) {
	srv, err := NewServer(Config{StateKey: testKey, Offline: true, MaxBody: 1 << 20})
	if err != nil {
		f.Fatal(err)
	}
	// Small seeds: the fuzzer mutates them; the round-trip tests cover real documents.
	f.Add(uint8(0), []byte(`{"pdf":"JVBERi0xLjcKJSVFT0YK","chain":"`+jsonEscape(selfSignedPEMSeed)+`"}`))
	f.Add(uint8(1), []byte(`{"pdf":"JVBERi0xLjcK","state":"S0lTTy1ERUZFUlJFRC0xCgE=","signature":"AAAA"}`))
	f.Add(uint8(2), []byte("%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"))
	f.Add(uint8(3), []byte(`{"pdf":"JVBERi0xLjcK"}`))
	f.Add(uint8(4), []byte("--X\r\nContent-Disposition: form-data; name=\"pdf\"\r\n\r\n%PDF-1.7\r\n--X--\r\n"))
	paths := []string{"/api/prepare", "/api/complete", "/api/verify", "/verify"}
	f.Fuzz(func(t *testing.T, sel uint8, body []byte) {
		path := paths[int(sel)%len(paths)]
		ctype := "application/json"
		switch (sel / 4) % 3 {
		case 1:
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			w, _ := mw.CreateFormFile("pdf", "doc.pdf")
			_, _ = w.Write(body)
			_ = mw.Close()
			body, ctype = buf.Bytes(), mw.FormDataContentType()
		case 2:
			ctype = "multipart/form-data; boundary=X"
			if path == "/api/verify" {
				ctype = "application/pdf"
			}
		}
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s: status %d: %s", path, ctype, rec.Code, rec.Body.String())
		}
	})
}

func jsonEscape(s string) string {
	return string(bytes.ReplaceAll([]byte(s), []byte("\n"), []byte(`\n`)))
}

// selfSignedPEMSeed is an ECDSA P-256 self-signed certificate (CN=fuzz seed).
const selfSignedPEMSeed = `-----BEGIN CERTIFICATE-----
MIIBfTCCASOgAwIBAgIUMAy3RA4BEa1HHMaxJyJlv/SjpfYwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJZnV6eiBzZWVkMB4XDTI2MTEyMzE2NDUxMloXDTM2MTEyMDE2
NDUxMlowFDESMBAGA1UEAwwJZnV6eiBzZWVkMFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAE2Irno/bHasp9h+s2JlPb4dQkENMSzjP3G95ecmGswX3t5lxwGUHS84rw
7yjTI0hg+6bZqCiC0MGsmjLX8BlXm6NTMFEwHQYDVR0OBBYEFBRpp+QwYP68wCdX
uh8wzwrlk2IWMB8GA1UdIwQYMBaAFBRpp+QwYP68wCdXuh8wzwrlk2IWMA8GA1Ud
EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgNP7TdR5iggxJE7BD4yiqxFib
aHTNtWL16H/LuakQ+gQCIQCy8zP11LkPkUOKQLPddQZ82UYWCmdLss+3lFrU4nzX
kA==
-----END CERTIFICATE-----
`
