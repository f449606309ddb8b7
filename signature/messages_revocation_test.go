package signature

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The Vietnamese warning says what went wrong in words a reader can act on, never the
// chain of Go errors (which stays in the English text for whoever debugs it).
func TestRevocationUnknownMessageIsReadable(t *testing.T) {
	cases := []struct{ why, vi string }{
		{"OCSP: OCSP: certstatus: fetch http://127.0.0.1:8790/ocsp: server unreachable: dial tcp 127.0.0.1:8790: connect: connection refused; no OCSP response or CRL for the certificate (online)",
			"không kết nối được máy chủ OCSP/CRL của tổ chức cung cấp dịch vụ chứng thực; hãy thử lại sau; không có phản hồi OCSP hay danh sách thu hồi (CRL) cho chứng thư số"},
		{"no OCSP response or CRL for the certificate (embedded); offline",
			"không có phản hồi OCSP hay danh sách thu hồi (CRL) cho chứng thư số; đang kiểm tra ngoại tuyến: chỉ dùng dữ liệu có trong tài liệu"},
		{"the issuer certificate is not available", "thiếu chứng thư số của tổ chức cấp"},
		{"context deadline exceeded", "máy chủ OCSP/CRL không trả lời kịp; hãy thử lại sau"},
		{"something new", "không có dữ liệu OCSP/CRL dùng được"},
		// pdfcpu's testPAdES_BLT with RequireResponderStatus: a delegated responder
		// without id-pkix-ocsp-nocheck whose own status is nowhere.
		{`not signed by the issuer or an authorised responder (OCSP): responder certificate "OCSP-server" lacks id-pkix-ocsp-nocheck and its own status could not be established (no revocation data for this certificate) (DSS); offline`,
			"phản hồi OCSP do máy chủ OCSP được ủy quyền ký, nhưng chứng thư số của máy chủ đó không có phần mở rộng id-pkix-ocsp-nocheck và không có dữ liệu thu hồi cho chính chứng thư số ấy; đang kiểm tra ngoại tuyến: chỉ dùng dữ liệu có trong tài liệu"},
		// A delegated responder whose own certificate the CA's CRL lists as revoked.
		{`not signed by the issuer or an authorised responder: the OCSP responder's own certificate is revoked (OCSP): responder certificate "OCSP" revoked since 2026-12-07T03:00:00Z (superseded, CRL) (DSS)`,
			"phản hồi OCSP do máy chủ OCSP được ủy quyền ký, nhưng chứng thư số của chính máy chủ đó đã bị thu hồi"},
		// The same, as the text was before RFC 6960 §4.2.2.2.1 was read as "check by
		// other means": still worded.
		{`not signed by the issuer or an authorised responder (OCSP): responder certificate "OCSP-server" lacks id-pkix-ocsp-nocheck (DSS); offline`,
			"phản hồi OCSP do máy chủ OCSP được ủy quyền ký, nhưng chứng thư số của máy chủ đó không có phần mở rộng id-pkix-ocsp-nocheck và không có dữ liệu thu hồi cho chính chứng thư số ấy; đang kiểm tra ngoại tuyến: chỉ dùng dữ liệu có trong tài liệu"},
	}
	for _, c := range cases {
		m := msgRevocationUnknown(c.why)
		assert.Equal(t, "CẢNH BÁO: không kiểm tra được trạng thái thu hồi của chứng thư số ("+c.vi+").", m.VI)
		assert.NotContains(t, m.VI, "certstatus:")
		assert.NotContains(t, m.VI, "dial tcp")
		assert.Contains(t, m.EN, c.why, "the English text keeps the detail")
	}
}
