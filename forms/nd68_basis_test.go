package forms

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The NĐ 68/2024 request forms name the article that prescribes them, checked
// against the decree's text (Điều 11 khoản 1: Mẫu số 01 for individuals, 02 for
// agencies and organisations, 03 for devices, services and software, each sent by the
// managing organisation to the CA); the pages are recorded in the provenance. The
// placeholders Mẫu 08 and 09 say that the decree's list of services has no suspension.
func TestND68FormsLegalBasis(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	for id, point := range map[string]string{"nd68/mau-01": "a", "nd68/mau-02": "b", "nd68/mau-03": "c"} {
		d, err := reg.Definition(id)
		require.NoError(t, err, id)
		loc := "Nghị định 68/2024/NĐ-CP, Điều 11 khoản 1 điểm " + point
		assert.Equal(t, loc, d.LegalBasis[0], id)
		assert.Equal(t, loc+"; Mẫu số 0"+id[len(id)-1:], d.Procedure.Article, id)
		assert.Equal(t, "Cơ quan, tổ chức quản lý trực tiếp", d.Procedure.From, id)
		assert.Contains(t, strings.Join(d.Provenance.Sources, "\n"), "http://hethongphapluat.vn/nghi-dinh-68-2024-nd-cp-quy-dinh-ve-chu-ky-so-chuyen-dung-cong-vu/dieu-11", id)
		assert.Contains(t, d.Provenance.Notes, "03 working days", id)
		assert.Contains(t, d.Provenance.Notes, "was not read", id)
	}
	d, err := reg.Definition("nd68/mau-04")
	require.NoError(t, err)
	assert.Contains(t, d.Provenance.Notes, "Điều 9 khoản 3, verified")
	for _, id := range []string{"nd68/mau-08", "nd68/mau-09"} {
		d, err := reg.Definition(id)
		require.NoError(t, err, id)
		assert.Contains(t, d.Provenance.Notes, "Điều 6 of NĐ 68/2024 lists the CA's services", id)
		assert.Contains(t, d.Provenance.Notes, "do not use this definition", id)
	}
}
