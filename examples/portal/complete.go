package main

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"

	"github.com/kyso-go/kyso/signature"
)

// maxExternalCMS bounds the "cms" field: a whole CMS SignedData made by a signing
// service (with its certificates, perhaps a time-stamp token) instead of a raw value.
const maxExternalCMS = 256 << 10

// handleComplete is POST /api/complete: the state from /api/prepare, the signature
// value (base64) — or, from services that return one, a whole CMS SignedData in the
// "cms" field — and the same PDF; it answers the signed PDF, extended as Config.Level
// says.
// The answer is written only once the whole document is ready, so a failure never
// sends a partial PDF.
func (s *Server) handleComplete(w http.ResponseWriter, r *http.Request) {
	f, err := readForm(r, map[string]fieldSpec{
		"pdf":       {fieldFile, int(s.cfg.MaxBody)},
		"state":     {fieldBase64, int(s.cfg.MaxBody)},
		"signature": {fieldBase64, maxSigValue},
		"cms":       {fieldBase64, maxExternalCMS},
	})
	if err != nil {
		writeError(w, r, s.log, bodyError(err))
		return
	}
	value := f["signature"]
	switch {
	case len(f["cms"]) > 0 && len(value) > 0:
		writeError(w, r, s.log, badRequest("Chỉ gửi một trong hai trường \"signature\" hoặc \"cms\"", "Send either \"signature\" or \"cms\", not both", nil))
		return
	case len(f["cms"]) > 0:
		value = f["cms"]
		f["signature"] = value
	}
	for _, name := range []string{"pdf", "state", "signature"} {
		if len(f[name]) == 0 {
			writeError(w, r, s.log, badRequest(fmt.Sprintf("Thiếu trường %q", name), fmt.Sprintf("Field %q is missing", name), nil))
			return
		}
	}
	state, ae := s.openState(f["state"])
	if ae != nil {
		writeError(w, r, s.log, ae)
		return
	}
	ctx := r.Context()
	pdf := f["pdf"]
	var signed bytes.Buffer
	signed.Grow(len(pdf) + len(f["state"]))
	res, err := signature.Complete(ctx, &signed, bytes.NewReader(pdf), int64(len(pdf)), state, value,
		&signature.CompleteOptions{StateKey: s.cfg.StateKey})
	if err != nil {
		if errors.Is(err, signature.ErrExternalCMS) && !errors.Is(err, signature.ErrBadSignatureValue) {
			writeError(w, r, s.log, newAPIError(http.StatusUnprocessableEntity, "external_cms_mismatch",
				"CMS gửi lên không khớp với chữ ký đã chuẩn bị (tài liệu, chứng thư số, thuộc tính PAdES hoặc kích thước)",
				"The CMS does not fit the prepared signature (document, certificate, PAdES attributes or size)", err))
			return
		}
		writeError(w, r, s.log, signError(err))
		return
	}
	out := signed.Bytes()
	added := "none"
	if s.cfg.Level != signature.LevelBB {
		var ext bytes.Buffer
		opts := s.services.Extend(s.cfg.Level == signature.LevelBLTA)
		if _, err := signature.Extend(ctx, &ext, bytes.NewReader(out), int64(len(out)), opts); err != nil {
			writeError(w, r, s.log, signError(err))
			return
		}
		out, added = ext.Bytes(), "dss"
		if !opts.NoDocTimestamp {
			added = "dss,doc-timestamp"
		}
	}
	s.log.Info("completed", "field", res.Field, "added", added, "size", len(out))
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "signed.pdf"}))
	h.Set("X-Kyso-Field", mime.QEncoding.Encode("utf-8", res.Field))
	h.Set("X-Kyso-Added", added) // what Extend added after Complete
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
}
