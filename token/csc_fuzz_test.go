package token

import (
	"crypto"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// FuzzCSCResponses feeds arbitrary service answers (status, body, Retry-After) to the
// client's decoding of credentials/info, credentials/authorize and signatures/signHash
// answers and of CSC error JSON: no panic, and a secret of the request never reaches an
// error message even when the service echoes it.
func FuzzCSCResponses(f *testing.F) {
	f.Add(uint16(200), []byte(`{"key":{"status":"enabled","algo":["1.2.840.113549.1.1.1"],"len":2048},"cert":{"certificates":["MAA="]},"authMode":"explicit","PIN":{"presence":"true"},"SCAL":"2","multisign":5}`), "")
	f.Add(uint16(200), []byte(`{"signatures":["AAEC","////"]}`), "")
	f.Add(uint16(200), []byte(`{"SAD":"abc","expiresIn":"3600"}`), "")
	f.Add(uint16(202), []byte(`{"handle":"h-1"}`), "")
	f.Add(uint16(400), []byte(`{"error":"invalid_pin","error_description":"The PIN is invalid: PIN-SECRET-1"}`), "")
	f.Add(uint16(429), []byte(`{"error":"too_many_requests"}`), "120")
	f.Add(uint16(503), []byte(`<html>down</html>`), "Wed, 21 Oct 2026 07:28:00 GMT")
	f.Add(uint16(200), []byte(`{"auth":{"mode":"explicit","objects":[{"type":"Password","id":"PIN"}]},"multisign":true,"SCAL":2.5}`), "")
	f.Add(uint16(200), []byte(`{"authDto":{"mode":"explicit","expression":"PIN OR OTP","objects":["PIN","OTP"]},"cert":{"certificates":["MA\r\nA"]}}`), "")
	f.Add(uint16(400), []byte(`{"status":400,"error":{"code":"invalid_pin","message":"PIN-SECRET-1 wrong"}}`), "")
	f.Add(uint16(200), []byte(`{"error":"invalid_request","error_description":"SAD expired"}`), "")
	f.Add(uint16(200), []byte(`{"signatures":["AAE_-w"]}`), "")
	const secret = "PIN-SECRET-1"
	c := &CSCClient{}
	f.Fuzz(func(t *testing.T, status uint16, body []byte, retryAfter string) {
		hdr := http.Header{}
		hdr.Set("Retry-After", retryAfter)
		check := func(e *CSCError) {
			if e == nil {
				return
			}
			if msg := e.Error(); strings.Contains(msg, secret) {
				t.Fatalf("the secret leaked into %q", msg)
			}
			if e.RetryAfter < 0 || e.RetryAfter > 24*time.Hour {
				t.Fatalf("Retry-After %v", e.RetryAfter)
			}
		}
		var raw json.RawMessage
		e := c.answer("credentials/info", int(status), body, hdr, nil, &raw, []string{secret})
		check(e)
		if e == nil {
			if info, err := parseCredentialInfo(raw); err == nil {
				if len(info.Certificates) == 0 || info.Multisign < 1 || (info.SCAL != 1 && info.SCAL != 2) {
					t.Fatalf("accepted an invalid credential: %+v", info)
				}
			}
		}
		var sh struct {
			Signatures []string `json:"signatures"`
		}
		if e := c.answer("signatures/signHash", int(status), body, hdr, nil, &sh, []string{secret}); e == nil {
			if sigs, err := decodeSignatures(sh.Signatures, len(sh.Signatures)); err == nil {
				for _, s := range sigs {
					if len(s) == 0 {
						t.Fatal("empty signature accepted")
					}
				}
			}
		} else {
			check(e)
		}
		var az cscAuthorizeAnswer
		if e := c.answer("credentials/authorize", int(status), body, hdr, nil, &az, []string{secret}); e != nil {
			check(e)
		} else if az.pending && az.Handle == "" {
			t.Fatal("a pending authorisation without a handle")
		}
		_ = parseRetryAfter(retryAfter, time.Now())
		_, _ = chooseAlgorithm(nil, strings.Fields(string(body)), crypto.SHA256)
	})
}
