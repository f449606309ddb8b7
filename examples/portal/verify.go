package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/signature"
)

// verifyOptions are the server's trust and revocation settings, with its checker
// (and its caches).
func (s *Server) verifyOptions() *kyso.VerifyOptions {
	return &kyso.VerifyOptions{Checker: s.checker, Offline: s.cfg.Offline,
		AllowMissingRevocation: !s.cfg.StrictRevocation, Time: s.cfg.Now()}
}

// verify runs kyso.Verify with the server's trust and revocation settings.
func (s *Server) verify(ctx context.Context, pdf []byte) (*signature.Report, *apiError) {
	rep, err := kyso.Verify(ctx, bytes.NewReader(pdf), int64(len(pdf)), s.verifyOptions())
	switch {
	case errors.Is(err, signature.ErrNoSignatures):
		return rep, newAPIError(http.StatusUnprocessableEntity, codeNoSignatures,
			"Tài liệu không có chữ ký số", "The document has no signature", nil)
	case errors.Is(err, signature.ErrWrongPassword), errors.Is(err, signature.ErrUnsupportedEncryption):
		return nil, newAPIError(http.StatusUnprocessableEntity, codeNotPDF,
			"Tệp PDF được mã hóa bằng mật khẩu; không kiểm tra được", "The PDF is encrypted; it cannot be verified here", err)
	case errors.Is(err, signature.ErrNotPDF):
		return nil, newAPIError(http.StatusBadRequest, codeNotPDF,
			"Tệp gửi lên không phải tệp PDF đọc được", "The file is not a readable PDF", err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return nil, timeoutError(err)
	case err != nil:
		return nil, newAPIError(http.StatusInternalServerError, codeInternal, "Lỗi nội bộ của máy chủ", "Internal server error", err)
	}
	return rep, nil
}

// handleVerifyAPI is POST /api/verify: the PDF (raw body, or the "pdf" part of a
// multipart form); it answers signature.Report as JSON.
func (s *Server) handleVerifyAPI(w http.ResponseWriter, r *http.Request) {
	pdf, err := readPDFBody(r, int(s.cfg.MaxBody))
	if err != nil {
		writeError(w, r, s.log, bodyError(err))
		return
	}
	rep, ae := s.verify(r.Context(), pdf)
	if ae != nil {
		writeError(w, r, s.log, ae)
		return
	}
	s.log.Info("verified", "signatures", len(rep.Signatures), "allPassed", rep.AllPassed())
	writeJSON(w, http.StatusOK, rep)
}
