package signature_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

func TestReportWriteText(t *testing.T) {
	now := time.Now()
	p := newVTPKI(t, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	signed := vtSign(t, p, pdftest.Classic(), nil)
	rep := vtVerify(t, p, signed, now, nil)
	require.True(t, rep.AllPassed())
	require.False(t, rep.AnyFailed())

	var vi, en bytes.Buffer
	require.NoError(t, rep.WriteText(&vi, "vi"))
	require.NoError(t, rep.WriteText(&en, "en"))
	for _, want := range []string{"HỢP LỆ", "Người ký: Nguyễn Văn Lĩnh", "Đơn vị quản lý", "Thời hạn hiệu lực",
		"chưa được chứng minh", "Toàn vẹn", "CA phục vụ các cơ quan Nhà nước Test", "không có",
		"theo Thông tư 15/2025/TT-BKHCN, áp dụng như thực tiễn tốt"} {
		assert.Contains(t, vi.String(), want)
	}
	for _, want := range []string{"VALID", "Signer: Nguyễn Văn Lĩnh", "Managing unit", "validity period", "not proven", "Integrity",
		"followed as good practice", "governed by Nghị định 68/2024/NĐ-CP"} {
		assert.Contains(t, en.String(), want)
	}
	assert.False(t, (&signature.Report{}).AllPassed(), "no signature is not 'all passed'")
}
