package certstatus

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	"github.com/kyso-go/kyso/internal/evidence"
)

// Sentinel errors. Every error this package returns wraps one of them, so callers can
// branch with errors.Is; the detail types below carry the context (errors.As).
var (
	// Certificate and chain validation.

	// ErrNoChain: no path from the certificate to a trusted root
	// (ETSI sub-indication NO_CERTIFICATE_CHAIN_FOUND).
	ErrNoChain = evidence.ErrNoChain
	// ErrExpired: the time of interest is after a certificate's NotAfter
	// (OUT_OF_BOUNDS_NO_POE / EXPIRED).
	ErrExpired = evidence.ErrExpired
	// ErrNotYetValid: the time of interest is before a certificate's NotBefore
	// (NOT_YET_VALID).
	ErrNotYetValid = evidence.ErrNotYetValid
	// ErrKeyUsage: key usage or extended key usage does not allow the operation.
	ErrKeyUsage = evidence.ErrKeyUsage
	// ErrWeakAlgorithm: a key size or signature algorithm below the policy
	// (RSA < 2048, ECDSA < 256, MD5, SHA-1 after its sunset).
	ErrWeakAlgorithm = evidence.ErrWeakAlgorithm
	// ErrBasicConstraints: a CA certificate without CA rights or beyond its path length.
	ErrBasicConstraints = evidence.ErrBasicConstraints

	// Revocation.

	// ErrRevoked: the certificate is revoked (or suspended) at the time of interest.
	ErrRevoked = evidence.ErrRevoked
	// ErrTryLater: the OCSP responder answered tryLater (TRY_LATER).
	ErrTryLater = evidence.ErrTryLater
	// ErrResponderError: the OCSP responder answered with an error status other than
	// tryLater (malformedRequest, internalError, sigRequired, unauthorized).
	ErrResponderError = evidence.ErrResponderError
	// ErrMalformed: a response, CRL or token could not be parsed (FORMAT_FAILURE).
	ErrMalformed = evidence.ErrMalformed
	// ErrWrongResponder: an OCSP response or CRL is not signed by the certificate's
	// issuer or by a responder the issuer authorised.
	ErrWrongResponder = evidence.ErrWrongResponder
	// ErrResponderRevoked: an OCSP response is signed by a delegated responder without
	// id-pkix-ocsp-nocheck whose own certificate a CRL lists as revoked (or on hold)
	// when the response was produced, or revoked for a key compromise. It wraps
	// ErrWrongResponder; it says nothing about the certificate asked about.
	ErrResponderRevoked = evidence.ErrResponderRevoked
	// ErrBadNonce: the OCSP or time-stamp response does not echo the request's nonce.
	ErrBadNonce = evidence.ErrBadNonce
	// ErrStale: thisUpdate/nextUpdate do not cover the time of interest.
	ErrStale = evidence.ErrStale
	// ErrUnknownCertificate: the responder does not know the certificate (OCSP unknown).
	ErrUnknownCertificate = evidence.ErrUnknownCertificate
	// ErrNoRevocationSource: the certificate names no OCSP responder or CRL
	// distribution point and none was configured.
	ErrNoRevocationSource = evidence.ErrNoRevocationSource
	// ErrNoRevocationData: offline checking found no data about this certificate.
	ErrNoRevocationData = evidence.ErrNoRevocationData
	// ErrOffline: the Checker is offline and would have needed the network.
	ErrOffline = evidence.ErrOffline
	// ErrUnsupported: data uses a feature this package does not implement (an unknown
	// critical extension, an indirect CRL, an unknown algorithm).
	ErrUnsupported = evidence.ErrUnsupported

	// Transport.

	// ErrUnreachable: the server could not be reached or did not answer in time.
	ErrUnreachable = evidence.ErrUnreachable
	// ErrHTTPStatus: the server answered with an HTTP status other than 200.
	ErrHTTPStatus = evidence.ErrHTTPStatus
	// ErrTooLarge: a response exceeded the configured size limit.
	ErrTooLarge = evidence.ErrTooLarge

	// Time-stamps.

	// ErrTSARejected: the TSA answered with a status other than granted.
	ErrTSARejected = evidence.ErrTSARejected
	// ErrImprintMismatch: the token's message imprint differs from the digest.
	ErrImprintMismatch = evidence.ErrImprintMismatch
	// ErrBadSignature: a signature (of a token, response or CRL) does not verify
	// (SIG_CRYPTO_FAILURE).
	ErrBadSignature = evidence.ErrBadSignature
	// ErrTSACertificate: the TSA certificate lacks a critical, sole timeStamping
	// extended key usage.
	ErrTSACertificate = evidence.ErrTSACertificate
)

// CertificateInvalidError reports why a certificate failed validation. Reason is one
// of the sentinel errors above (ErrExpired, ErrKeyUsage, ErrNoChain, …).
type CertificateInvalidError struct {
	Cert   *x509.Certificate
	Reason error
	Detail string
}

// Error describes the certificate and the reason.
func (e *CertificateInvalidError) Error() string {
	name := "<no certificate>"
	if e.Cert != nil {
		name = fmt.Sprintf("%q (serial %X)", e.Cert.Subject.CommonName, e.Cert.SerialNumber)
		if e.Cert.Subject.CommonName == "" {
			name = e.Cert.Subject.String()
		}
	}
	if e.Detail == "" {
		return fmt.Sprintf("%v: %s", e.Reason, name)
	}
	return fmt.Sprintf("%v: %s: %s", e.Reason, name, e.Detail)
}

// Unwrap returns Reason.
func (e *CertificateInvalidError) Unwrap() error { return e.Reason }

// FetchError reports a failed network fetch: which URL and why (ErrUnreachable,
// ErrHTTPStatus, ErrTooLarge, ErrOffline or a context error).
type FetchError struct {
	URL        string
	StatusCode int // HTTP status when Err is ErrHTTPStatus
	Err        error
}

// Error names the URL and the failure.
func (e *FetchError) Error() string {
	msg := "<nil>"
	if e.Err != nil {
		msg = strings.TrimPrefix(e.Err.Error(), "certstatus: ")
	}
	if e.StatusCode != 0 {
		return fmt.Sprintf("certstatus: fetch %s: %s %d", e.URL, msg, e.StatusCode)
	}
	return fmt.Sprintf("certstatus: fetch %s: %s", e.URL, msg)
}

// Unwrap returns Err.
func (e *FetchError) Unwrap() error { return e.Err }

// ResponseError reports an OCSP response or CRL that could not be used. Reason is a
// sentinel (ErrMalformed, ErrWrongResponder, ErrBadNonce, ErrStale, ErrTryLater, …).
// The type is shared with the verifier's evidence core, so a verdict reached online
// and one reached from a PDF's DSS carry the same error; its SubIndication method
// names the ETSI sub-indication.
type ResponseError = evidence.ResponseError

// TimestampError reports why a time-stamp request or token failed. Reason is a
// sentinel (ErrTSARejected, ErrImprintMismatch, ErrBadNonce, ErrBadSignature,
// ErrTSACertificate, ErrMalformed, ErrNoChain, …).
type TimestampError struct {
	URL    string // the TSA, when the error came from a request
	Reason error
	Detail string
}

// Error names the reason and the TSA.
func (e *TimestampError) Error() string {
	s := e.Reason.Error()
	if e.URL != "" {
		s += " (" + e.URL + ")"
	}
	if d := evidence.WithoutReason(e.Detail, e.Reason); d != "" {
		s += ": " + d
	}
	return s
}

// Unwrap returns Reason.
func (e *TimestampError) Unwrap() error { return e.Reason }

// vietnamese explains each sentinel to a user, in Vietnamese.
var vietnamese = []struct {
	err error
	msg string
}{
	{ErrRevoked, "chứng thư số đã bị thu hồi hoặc tạm dừng"},
	{ErrExpired, "chứng thư số đã hết hạn tại thời điểm kiểm tra"},
	{ErrNotYetValid, "chứng thư số chưa có hiệu lực tại thời điểm kiểm tra"},
	{ErrNoChain, "không xây dựng được đường dẫn tin cậy tới chứng thư gốc"},
	{ErrKeyUsage, "mục đích sử dụng khóa của chứng thư số không cho phép thao tác này"},
	{ErrWeakAlgorithm, "thuật toán hoặc độ dài khóa không đạt yêu cầu"},
	{ErrBasicConstraints, "ràng buộc cơ bản của chứng thư CA bị vi phạm"},
	{ErrTryLater, "máy chủ OCSP yêu cầu thử lại sau"},
	{ErrResponderError, "máy chủ OCSP trả về lỗi"},
	{ErrWrongResponder, "phản hồi không do CA phát hành hoặc máy chủ được ủy quyền ký"},
	{ErrBadNonce, "giá trị nonce trong phản hồi không khớp với yêu cầu"},
	{ErrStale, "dữ liệu trạng thái chứng thư không còn cập nhật cho thời điểm kiểm tra"},
	{ErrUnknownCertificate, "máy chủ OCSP không biết chứng thư số này"},
	{ErrNoRevocationSource, "chứng thư số không chỉ ra máy chủ OCSP hay danh sách thu hồi (CRL)"},
	{ErrNoRevocationData, "không có dữ liệu trạng thái thu hồi cho chứng thư số này"},
	{ErrOffline, "đang ở chế độ ngoại tuyến, không truy cập mạng"},
	{ErrUnsupported, "dữ liệu dùng tính năng chưa được hỗ trợ"},
	{ErrUnreachable, "không kết nối được tới máy chủ"},
	{ErrHTTPStatus, "máy chủ trả về mã trạng thái HTTP không mong đợi"},
	{ErrTooLarge, "phản hồi vượt quá giới hạn kích thước"},
	{ErrTSARejected, "máy chủ cấp dấu thời gian từ chối yêu cầu"},
	{ErrImprintMismatch, "dấu thời gian không khớp với dữ liệu"},
	{ErrBadSignature, "chữ ký không hợp lệ"},
	{ErrTSACertificate, "chứng thư của máy chủ cấp dấu thời gian không hợp lệ cho việc cấp dấu thời gian"},
	{ErrMalformed, "dữ liệu sai định dạng"},
}

// Vietnamese explains err to a user in Vietnamese, from the first sentinel of this
// package it wraps (in the order of the list above: the most specific first). It
// returns "" for an error this package did not produce.
func Vietnamese(err error) string {
	if err == nil {
		return ""
	}
	for _, v := range vietnamese {
		if errors.Is(err, v.err) {
			return v.msg
		}
	}
	return ""
}

// SubIndication names the ETSI EN 319 102-1 sub-indication an error of this package
// deserves (NO_CERTIFICATE_CHAIN_FOUND, OUT_OF_BOUNDS_NO_POE, REVOKED, TRY_LATER,
// CRYPTO_CONSTRAINTS_FAILURE, HASH_FAILURE, FORMAT_FAILURE, …), or "" for nil.
// Anything else is CERTIFICATE_CHAIN_GENERAL_FAILURE. The error types of this package
// also answer it as a method, SubIndication() string, which is how signature reads it.
func SubIndication(err error) string { return evidence.SubIndication(err) }

// SubIndication names the ETSI sub-indication of the failure (see the function
// SubIndication).
func (e *CertificateInvalidError) SubIndication() string { return SubIndication(e) }

// SubIndication names the ETSI sub-indication of the failure (see the function
// SubIndication).
func (e *TimestampError) SubIndication() string { return SubIndication(e) }

// SubIndication names the ETSI sub-indication of the failure: TRY_LATER for a fetch.
func (e *FetchError) SubIndication() string { return SubIndication(e) }
