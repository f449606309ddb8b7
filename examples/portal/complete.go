package main

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"strconv"

	"github.com/kyso-go/kyso/signature"
)

// handleComplete is POST /api/complete: the state from /api/prepare, the signature
// value (base64) and the same PDF; it answers the signed PDF, extended as Config.Level says.
// The answer is written only once the whole document is ready, so a failure never
// sends a partial PDF.
func (s *Server) handleComplete(w http.ResponseWriter, r *http.Request) {
	f, err := readForm(r, map[string]fieldSpec{
		"pdf":       {fieldFile, int(s.cfg.MaxBody)},
		"state":     {fieldBase64, int(s.cfg.MaxBody)},
		"signature": {fieldBase64, maxSigValue},
	})
	if err != nil {
		writeError(w, r, s.log, bodyError(err))
		return
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
	res, err := signature.Complete(ctx, &signed, bytes.NewReader(pdf), int64(len(pdf)), state, f["signature"],
		&signature.CompleteOptions{StateKey: s.cfg.StateKey})
	if err != nil {
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
