package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// Error codes of the JSON API. They are stable: a portal's front end may switch on
// them.
const (
	codeBadRequest        = "bad_request"
	codeTooLarge          = "too_large"
	codeNotPDF            = "not_pdf"
	codeNoSignatures      = "no_signatures"
	codeBadChain          = "bad_chain"
	codeCertificate       = "certificate_invalid"
	codeStateInvalid      = "state_invalid"
	codeStateMismatch     = "state_mismatch"
	codeStateExpired      = "state_expired"
	codeBadSignature      = "bad_signature_value"
	codeRefused           = "refused"
	codePolicyRefused     = "policy_refused"
	codeUpstream          = "upstream_unavailable"
	codeBusy              = "busy"
	codeTimeout           = "timeout"
	codeInternal          = "internal"
	codeMethodNotAllowed  = "method_not_allowed"
	codeNotFound          = "not_found"
	codeUnsupportedFormat = "unsupported_media_type"
)

// apiError is what a handler answers when a request cannot be served: an HTTP status,
// a stable code and a message in Vietnamese and English. Detail carries the library's
// own explanation (English) for developers.
type apiError struct {
	Status    int    `json:"-"`
	Code      string `json:"code"`
	MessageVI string `json:"message_vi"`
	MessageEN string `json:"message_en"`
	Detail    string `json:"detail,omitempty"`
	// Policy is the signing policy's decision when it refused the signature: every
	// reason with its legal citation.
	Policy *policy.Decision `json:"policy,omitempty"`
	Err    error            `json:"-"`
}

// Error returns the English message and the detail.
func (e *apiError) Error() string {
	if e.Detail != "" {
		return e.MessageEN + ": " + e.Detail
	}
	return e.MessageEN
}

// Unwrap returns the underlying error.
func (e *apiError) Unwrap() error { return e.Err }

func newAPIError(status int, code, vi, en string, err error) *apiError {
	e := &apiError{Status: status, Code: code, MessageVI: vi, MessageEN: en, Err: err}
	if err != nil {
		e.Detail = err.Error()
	}
	return e
}

func badRequest(vi, en string, err error) *apiError {
	return newAPIError(http.StatusBadRequest, codeBadRequest, vi, en, err)
}

// bodyError maps an error met while reading the request body: over the limit is 413,
// anything else 400.
func bodyError(err error) *apiError {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return newAPIError(http.StatusRequestEntityTooLarge, codeTooLarge,
			"Dữ liệu gửi lên vượt quá giới hạn cho phép của máy chủ",
			"The request body exceeds the server's limit", err)
	}
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	return badRequest("Không đọc được dữ liệu gửi lên", "The request body cannot be read", err)
}

// signError maps an error of signature.Prepare, Complete or Extend to an HTTP answer.
func signError(err error) *apiError {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		return ae
	}
	if pe, ok := policyError(err); ok {
		return pe
	}
	switch {
	case errors.Is(err, signature.ErrStateInvalid):
		return newAPIError(http.StatusBadRequest, codeStateInvalid,
			"Trạng thái ký (state) không hợp lệ, đã bị sửa đổi hoặc không do máy chủ này cấp; hãy thực hiện lại bước chuẩn bị",
			"The signing state is invalid, was tampered with or was not issued by this service; prepare again", err)
	case errors.Is(err, signature.ErrStateMismatch):
		return newAPIError(http.StatusConflict, codeStateMismatch,
			"Tệp PDF gửi lên không phải tệp đã dùng ở bước chuẩn bị; hãy gửi đúng tệp đó",
			"The PDF is not the one the state was prepared for; send that exact file", err)
	case errors.Is(err, signature.ErrBadSignatureValue):
		return newAPIError(http.StatusUnprocessableEntity, codeBadSignature,
			"Giá trị chữ ký không khớp với chứng thư số của người ký (sai khóa, sai thuật toán hoặc ký sai dữ liệu)",
			"The signature value does not verify with the signer's certificate (wrong key, algorithm or data)", err)
	case errors.Is(err, signature.ErrAlgorithm), errors.Is(err, signature.ErrNoCertificate):
		return newAPIError(http.StatusUnprocessableEntity, codeCertificate,
			"Chứng thư số hoặc thuật toán không được phép dùng để ký (chính sách thuật toán của kyso: SHA-2/SHA-3, RSA ≥ 2048 bit, ECDSA ≥ 256 bit; Thông tư 39/2017/TT-BTTTT chỉ khuyến nghị SHA-2)",
			"The certificate or algorithm may not be used for signing (kyso's algorithm policy: SHA-2/SHA-3, RSA ≥ 2048 bits, ECDSA ≥ 256 bits; Thông tư 39/2017/TT-BTTTT only recommends SHA-2)", err)
	case errors.Is(err, signature.ErrPolicyRefused), errors.Is(err, signature.ErrCertifiedNoChanges),
		errors.Is(err, signature.ErrFieldSigned), errors.Is(err, signature.ErrCertifyNotFirst):
		return newAPIError(http.StatusUnprocessableEntity, codeRefused,
			"Không thể ký tài liệu này như yêu cầu",
			"This document cannot be signed as requested", err)
	case errors.Is(err, signature.ErrWrongPassword), errors.Is(err, signature.ErrUnsupportedEncryption):
		return newAPIError(http.StatusUnprocessableEntity, codeNotPDF,
			"Tệp PDF được mã hóa; hãy gửi bản không mã hóa",
			"The PDF is encrypted; send an unencrypted copy", err)
	case errors.Is(err, signature.ErrDocument), errors.Is(err, signature.ErrNotPDF):
		return newAPIError(http.StatusBadRequest, codeNotPDF,
			"Tệp gửi lên không phải tệp PDF đọc được",
			"The file is not a readable PDF", err)
	case errors.Is(err, signature.ErrInvalidOptions), errors.Is(err, signature.ErrFieldNotFound),
		errors.Is(err, signature.ErrNotSignatureField), errors.Is(err, signature.ErrFieldExists):
		return badRequest("Tham số ký không hợp lệ (tên trường chữ ký, lý do, địa điểm)",
			"Invalid signing parameters (field name, reason, location)", err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return timeoutError(err)
	case errors.Is(err, signature.ErrTimestamp), errors.Is(err, signature.ErrRevocationUnavailable):
		return newAPIError(http.StatusBadGateway, codeUpstream,
			"Không lấy được dấu thời gian hoặc dữ liệu trạng thái chứng thư số; hãy gửi lại cùng yêu cầu sau ít phút",
			"The time-stamp or revocation data could not be obtained; retry the same request in a few minutes", err)
	}
	return newAPIError(http.StatusInternalServerError, codeInternal,
		"Lỗi nội bộ của máy chủ", "Internal server error", err)
}

// timeoutError answers a request whose context ended: the client went away or a
// deadline passed.
func timeoutError(err error) *apiError {
	return newAPIError(http.StatusGatewayTimeout, codeTimeout,
		"Hết thời gian xử lý yêu cầu; hãy thử lại", "The request timed out or was cancelled; retry", err)
}

// certificateError explains why the signer's certificate was refused before preparing.
func certificateError(err error) *apiError {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return timeoutError(err)
	}
	vi := certstatus.Vietnamese(err)
	if vi == "" {
		vi = "chứng thư số không hợp lệ"
	}
	return newAPIError(http.StatusUnprocessableEntity, codeCertificate,
		"Chứng thư số của người ký không dùng được để ký: "+vi,
		"The signer's certificate cannot be used for signing", err)
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// writeError answers e as JSON and logs it.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, e *apiError) {
	level := slog.LevelInfo
	if e.Status >= 500 {
		level = slog.LevelError
	}
	log.Log(r.Context(), level, "request refused", "path", r.URL.Path, "status", e.Status, "code", e.Code, "detail", e.Detail)
	writeJSON(w, e.Status, struct {
		Error *apiError `json:"error"`
	}{e})
}
