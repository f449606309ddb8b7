package signature

import (
	"crypto/x509"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The Vietnamese reason for a failed certification path says what is wrong in words,
// never the chain of Go errors (which stays in the English text).
func TestChainFailMessageIsReadable(t *testing.T) {
	cases := []struct {
		err error
		vi  string
	}{
		{errors.New(`certstatus: no certificate chain to a trusted root: "Nguyễn Văn Thắng" (serial 36EE): x509: certificate signed by unknown authority`),
			"chứng thư số không do tổ chức cung cấp dịch vụ chứng thực nào có chứng thư gốc được tin cậy cấp"},
		{x509.UnknownAuthorityError{}, "chứng thư số không do tổ chức cung cấp dịch vụ chứng thực nào có chứng thư gốc được tin cậy cấp"},
		{fmt.Errorf("chain: %w", x509.CertificateInvalidError{Reason: x509.Expired}), "đã hết hạn tại thời điểm kiểm tra"},
		{errors.New(`certstatus: certificate expired at the time of interest: "CA": valid until 2020-01-01T00:00:00Z`), "đã hết hạn tại thời điểm kiểm tra"},
		{errors.New(`certstatus: certificate not yet valid at the time of interest: "A"`), "chưa có hiệu lực"},
		{errors.New(`certstatus: key usage does not allow this use: "A"`), "mục đích sử dụng khóa"},
		{x509.CertificateInvalidError{Reason: x509.NotAuthorizedToSign}, "không được phép cấp chứng thư số"},
		{errors.New(`certstatus: algorithm or key size below policy: "A": RSA 1024`), "độ dài khóa"},
		{errors.New("something new"), "chi tiết kỹ thuật ở bản tiếng Anh"},
	}
	for _, c := range cases {
		m := msgChainFail(c.err)
		assert.Contains(t, m.VI, "Không xây dựng được đường dẫn chứng thực đến chứng thư gốc tin cậy: ")
		assert.Contains(t, m.VI, c.vi, "%v", c.err)
		assert.NotContains(t, m.VI, "certstatus:")
		assert.NotContains(t, m.VI, "x509:")
		assert.Contains(t, m.EN, c.err.Error(), "the English text keeps the detail")
	}
}
