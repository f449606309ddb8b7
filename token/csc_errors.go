package token

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Errors of the CSC (Cloud Signature Consortium API v2) client. Every failure of a
// request to the service is a [*CSCError], which matches ErrCSC and the sentinel of its
// reason with errors.Is (a wrong PIN also matches ErrPINIncorrect, a locked credential
// ErrPINLocked).
var (
	// ErrCSC: the remote signing service failed or refused a request.
	ErrCSC = errors.New("token: remote signing service (CSC) error")
	// ErrCSCUnauthorized: the access token is missing, invalid or expired (HTTP 401,
	// 403). Obtain a new one; the client runs no OAuth flow itself.
	ErrCSCUnauthorized = errors.New("token: the CSC access token was refused")
	// ErrCSCOTPIncorrect: the one-time password was wrong or expired.
	ErrCSCOTPIncorrect = errors.New("token: incorrect OTP")
	// ErrCSCCredentialLocked: the credential (or its PIN) is locked after too many
	// wrong authorisations.
	ErrCSCCredentialLocked = errors.New("token: CSC credential locked")
	// ErrCSCCredentialDisabled: the signing key is disabled, or its certificate expired
	// or revoked, on the service.
	ErrCSCCredentialDisabled = errors.New("token: CSC credential disabled")
	// ErrCSCSADExpired: the signature activation data (SAD) expired or was used up;
	// authorise again.
	ErrCSCSADExpired = errors.New("token: CSC authorisation (SAD) expired")
	// ErrCSCRateLimited: the service answered 429 Too Many Requests and the retries
	// (or the Retry-After it asked for) ran out.
	ErrCSCRateLimited = errors.New("token: CSC service rate limit")
	// ErrCSCUnavailable: the service failed (HTTP 5xx) or could not be reached, after
	// the retries.
	ErrCSCUnavailable = errors.New("token: CSC service unavailable")
	// ErrCSCBadResponse: the service's answer is malformed or does not fit the request.
	ErrCSCBadResponse = errors.New("token: malformed CSC response")
	// ErrCSCBadSignature: a signature returned by the service does not verify with the
	// credential's certificate over the hash sent (wrong hash, wrong key, corrupted).
	ErrCSCBadSignature = errors.New("token: the CSC service returned a signature that does not verify")
	// ErrCSCUnsupported: the service or credential needs something this client does
	// not do (asynchronous operation, HTTP 202; an algorithm the credential does not
	// offer; credentials/authorize for an oauth2code credential, which signs with a
	// credential-scope access token instead).
	ErrCSCUnsupported = errors.New("token: unsupported CSC feature")
	// ErrCSCInvalidRequest: the service refused the request's parameters (unknown
	// credential, too many signatures, hash not authorised, …).
	ErrCSCInvalidRequest = errors.New("token: the CSC service refused the request")
)

// CSCReason classifies a [CSCError].
type CSCReason int

// The reasons a CSC request fails.
const (
	CSCInvalidRequest CSCReason = iota + 1 // parameters refused (HTTP 400 invalid_request)
	CSCUnauthorized                        // access token refused (HTTP 401/403)
	CSCPINIncorrect                        // wrong PIN / authentication data
	CSCOTPIncorrect                        // wrong OTP
	CSCLocked                              // credential or PIN locked
	CSCDisabled                            // key disabled, certificate expired
	CSCSADExpired                          // SAD expired or used up
	CSCRateLimited                         // HTTP 429
	CSCUnavailable                         // HTTP 5xx, network failure
	CSCBadResponse                         // malformed answer
	CSCBadSignature                        // returned signature does not verify
	CSCUnsupported                         // feature not supported by the client
)

// CSCError is a failed request to a CSC service. Its message, in Vietnamese and English,
// names the problem; it never holds the access token, a PIN, an OTP or a SAD (the
// service's error_description is cleaned of them).
type CSCError struct {
	Op          string        // the API method, e.g. "credentials/authorize"
	Reason      CSCReason     // what went wrong
	Status      int           // the HTTP status, 0 if no answer was received
	Code        string        // the CSC "error" field, e.g. "invalid_request"
	Description string        // the CSC "error_description", cleaned and shortened
	RetryAfter  time.Duration // for CSCRateLimited: what the service asked to wait
	Index       int           // for CSCBadSignature: the hash's position in the request
	Err         error         // the underlying error (network, JSON), if any
}

// Error describes the failure in Vietnamese and English with the service's own words.
func (e *CSCError) Error() string {
	var b strings.Builder
	b.WriteString("token: CSC")
	if e.Op != "" {
		b.WriteString(" " + e.Op)
	}
	b.WriteString(": ")
	switch e.Reason {
	case CSCUnauthorized:
		b.WriteString("dịch vụ ký số từ xa từ chối mã truy cập (hết hạn hoặc không hợp lệ) / the remote signing service refused the access token (expired or invalid)")
	case CSCPINIncorrect:
		b.WriteString("mã PIN không đúng / incorrect PIN")
	case CSCOTPIncorrect:
		b.WriteString("mã OTP không đúng hoặc đã hết hạn / incorrect or expired OTP")
	case CSCLocked:
		b.WriteString("khóa ký số từ xa đã bị khóa do xác thực sai quá số lần cho phép; liên hệ nhà cung cấp dịch vụ để mở khóa / the remote credential is locked after too many failed authorisations; ask the service provider to unlock it")
	case CSCDisabled:
		b.WriteString("khóa ký số từ xa không dùng được (bị vô hiệu hóa, bị khóa do nhập sai mã PIN, hoặc chứng thư số hết hạn); liên hệ nhà cung cấp dịch vụ / the remote credential is disabled (or locked after wrong PINs) or its certificate expired; ask the service provider")
	case CSCSADExpired:
		b.WriteString("phiên xác thực ký (SAD) đã hết hạn hoặc đã dùng hết; cần xác thực lại / the signature authorisation (SAD) expired or is used up; authorise again")
	case CSCRateLimited:
		b.WriteString("dịch vụ ký số từ xa đang giới hạn số yêu cầu; thử lại sau / the remote signing service is rate-limiting requests; try again later")
		if e.RetryAfter > 0 {
			fmt.Fprintf(&b, " (Retry-After %v)", e.RetryAfter)
		}
	case CSCUnavailable:
		b.WriteString("dịch vụ ký số từ xa tạm thời không phản hồi / the remote signing service is unavailable")
	case CSCBadResponse:
		b.WriteString("phản hồi của dịch vụ ký số từ xa không hợp lệ / the remote signing service sent a malformed answer")
	case CSCBadSignature:
		fmt.Fprintf(&b, "chữ ký do dịch vụ trả về không khớp với chứng thư số hoặc giá trị băm / the signature returned for hash %d does not verify with the credential's certificate", e.Index)
	case CSCUnsupported:
		b.WriteString("tính năng của dịch vụ ký số từ xa chưa được hỗ trợ / unsupported remote signing feature")
	default:
		b.WriteString("dịch vụ ký số từ xa từ chối yêu cầu / the remote signing service refused the request")
	}
	if e.Status != 0 || e.Code != "" || e.Description != "" {
		b.WriteString(" (")
		sep := ""
		if e.Status != 0 {
			fmt.Fprintf(&b, "HTTP %d", e.Status)
			sep = " "
		}
		if e.Code != "" {
			b.WriteString(sep + e.Code)
			sep = ": "
		}
		if e.Description != "" {
			if sep == " " {
				sep = ": "
			}
			b.WriteString(sep + e.Description)
		}
		b.WriteString(")")
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Is matches ErrCSC, the sentinel of the reason, and ErrPINIncorrect / ErrPINLocked for
// a wrong PIN and a locked credential.
func (e *CSCError) Is(target error) bool {
	if target == ErrCSC {
		return true
	}
	switch e.Reason {
	case CSCInvalidRequest:
		return target == ErrCSCInvalidRequest
	case CSCUnauthorized:
		return target == ErrCSCUnauthorized
	case CSCPINIncorrect:
		return target == ErrPINIncorrect
	case CSCOTPIncorrect:
		return target == ErrCSCOTPIncorrect
	case CSCLocked:
		return target == ErrCSCCredentialLocked || target == ErrPINLocked
	case CSCDisabled:
		return target == ErrCSCCredentialDisabled
	case CSCSADExpired:
		return target == ErrCSCSADExpired
	case CSCRateLimited:
		return target == ErrCSCRateLimited
	case CSCUnavailable:
		return target == ErrCSCUnavailable
	case CSCBadResponse:
		return target == ErrCSCBadResponse
	case CSCBadSignature:
		return target == ErrCSCBadSignature
	case CSCUnsupported:
		return target == ErrCSCUnsupported
	}
	return false
}

// Unwrap returns the underlying error.
func (e *CSCError) Unwrap() error { return e.Err }

// temporary reports whether a retry may succeed: the service is down, overloaded or
// rate-limiting.
func (e *CSCError) temporary() bool {
	return e.Reason == CSCUnavailable || e.Reason == CSCRateLimited
}

// classifyCSC decides the reason of an error answer from its HTTP status and the CSC
// error JSON. The CSC v2 error table mostly uses "invalid_request" with a description,
// so the description is read too.
func classifyCSC(op string, status int, code, desc string) CSCReason {
	c := strings.ToLower(code)
	d := strings.ToLower(desc)
	switch {
	case status == 429:
		return CSCRateLimited
	case status >= 500:
		return CSCUnavailable
	case status == 401 || status == 403 || c == "invalid_token" || c == "access_denied" || c == "unauthorized_client":
		return CSCUnauthorized
	case strings.Contains(d, "locked") || strings.Contains(c, "locked"):
		return CSCLocked
	case c == "invalid_otp" || strings.Contains(d, "otp is invalid"):
		return CSCOTPIncorrect
	case c == "invalid_pin" || c == "invalid_authentication_data" || strings.Contains(d, "pin is invalid") ||
		strings.Contains(d, "authentication data is invalid"):
		return CSCPINIncorrect
	case strings.Contains(d, "sad expired") || strings.Contains(d, "sad has expired") || c == "expired_sad":
		return CSCSADExpired
	case strings.Contains(d, "disabled") || strings.Contains(d, "certificate") && (strings.Contains(d, "expired") || strings.Contains(d, "revoked")):
		// "Signing certificate 'CN=…' is expired" (the EU reference signer's table)
		return CSCDisabled
	}
	_ = op
	return CSCInvalidRequest
}

// maxCSCDescription bounds the service's error_description kept in an error.
const maxCSCDescription = 200

// cleanDescription keeps a service's error_description printable and short, and removes
// every secret of the request from it (a service might echo a PIN or a SAD back).
func cleanDescription(s string, secrets []string) string {
	for _, sec := range secrets {
		switch {
		case len(sec) >= 3:
			s = strings.ReplaceAll(s, sec, "***")
		case sec != "" && strings.Contains(s, sec): // a 1–2 character PIN: replacing it would mangle the text and still hint at it
			return "(description withheld: it may echo a secret)"
		}
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if len([]rune(s)) > maxCSCDescription {
		s = string([]rune(s)[:maxCSCDescription]) + "…"
	}
	for _, sec := range secrets { // a secret cut by the truncation leaves no prefix either
		if len(sec) >= 3 && strings.Contains(s, sec[:len(sec)/2+1]) {
			return "(description withheld: it echoed a secret)"
		}
	}
	return strings.TrimSpace(s)
}
