package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"net/http"
	"time"
)

// The portal wraps the library's deferred-signing state in an envelope that adds an
// expiry: the signer's certificate was checked when the state was made, and a
// signature completed days later would carry a stale signing time (/M) and a stale
// check. Layout: magic, expiry (Unix seconds, 8 bytes big-endian), the library's
// state, HMAC-SHA256 over all of it under a key derived from the state key.
const (
	envelopeMagic = "KYSO-PORTAL-1\n"
	envelopeMAC   = sha256.Size
)

// envelopeKey derives the envelope's MAC key from the state key, so the two MACs
// (the library's and the portal's) never share a key.
func envelopeKey(stateKey []byte) []byte {
	m := hmac.New(sha256.New, stateKey)
	m.Write([]byte("kyso examples/portal state envelope v1"))
	return m.Sum(nil)
}

// sealState wraps the library's state with its expiry.
func (s *Server) sealState(lib []byte, expires time.Time) []byte {
	out := make([]byte, 0, len(envelopeMagic)+8+len(lib)+envelopeMAC)
	out = append(out, envelopeMagic...)
	out = binary.BigEndian.AppendUint64(out, uint64(expires.Unix()))
	out = append(out, lib...)
	m := hmac.New(sha256.New, s.envKey)
	m.Write(out)
	return m.Sum(out)
}

// openState checks the envelope's MAC and expiry and returns the library's state.
func (s *Server) openState(env []byte) ([]byte, *apiError) {
	invalid := newAPIError(http.StatusBadRequest, codeStateInvalid,
		"Trạng thái ký (state) không hợp lệ, đã bị sửa đổi hoặc không do máy chủ này cấp; hãy thực hiện lại bước chuẩn bị",
		"The signing state is invalid, was tampered with or was not issued by this service; prepare again", nil)
	if len(env) < len(envelopeMagic)+8+envelopeMAC || string(env[:len(envelopeMagic)]) != envelopeMagic {
		return nil, invalid
	}
	body, tag := env[:len(env)-envelopeMAC], env[len(env)-envelopeMAC:]
	m := hmac.New(sha256.New, s.envKey)
	m.Write(body)
	if !hmac.Equal(tag, m.Sum(nil)) {
		return nil, invalid
	}
	expires := time.Unix(int64(binary.BigEndian.Uint64(body[len(envelopeMagic):])), 0)
	if s.cfg.Now().After(expires) {
		return nil, newAPIError(http.StatusConflict, codeStateExpired,
			"Trạng thái ký đã hết hạn lúc "+fmtTime(expires)+"; hãy thực hiện lại bước chuẩn bị và ký lại",
			"The signing state expired at "+expires.UTC().Format(time.RFC3339)+"; prepare and sign again", nil)
	}
	return body[len(envelopeMagic)+8:], nil
}
