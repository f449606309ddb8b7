package signature

import (
	"fmt"
	"strings"

	"github.com/kyso-go/kyso/internal/pdf"
)

// revisionStructure fails a signature when a revision after the one it signs has a
// cross-reference structure a viewer may read differently from the modification
// analysis (pdf.Document.Anomalies): an entry pointing a signed object number at
// another object (shadow hide), a definition switched on from signed bytes, a section
// hidden in an earlier revision, an %%EOF marker before a startxref, an appended
// linearization dictionary. The analysis of the changes themselves cannot be trusted
// then: the verdict is TOTAL_FAILED/FORMAT_FAILURE and the modification class "other".
// It reports whether it failed the signature.
func (v *verifier) revisionStructure(s *sigState) bool {
	if s.rev < 0 || v.doc.Recovered() {
		return false
	}
	var vi, en []string
	for t := s.rev + 1; t < len(v.revs); t++ {
		an, err := v.doc.Anomalies(t)
		if err != nil {
			vi = append(vi, fmt.Sprintf("phiên bản %d không đọc được: %v", t, err))
			en = append(en, fmt.Sprintf("revision %d cannot be read: %v", t, err))
			continue
		}
		for _, a := range an {
			vi = append(vi, fmt.Sprintf("phiên bản %d: %s", t, anomalyVI(a)))
			en = append(en, fmt.Sprintf("revision %d: %s", t, a))
		}
	}
	if len(en) == 0 {
		return false
	}
	if len(en) > 3 {
		vi = append(vi[:3], fmt.Sprintf("và %d điểm khác", len(en)-3))
		en = append(en[:3], fmt.Sprintf("and %d more", len(en)-3))
	}
	s.rep.Modification = ModOther
	s.rep.add(CheckModifications, CheckFailed, msgRevisionStructure(strings.Join(vi, "; "), strings.Join(en, "; ")))
	s.rep.fail(TotalFailed, FormatFailure)
	return true
}

// anomalyVI says what an anomaly is, in Vietnamese.
func anomalyVI(a pdf.Anomaly) string {
	obj := fmt.Sprintf("%d %d R", a.Ref.Num, a.Ref.Gen)
	switch a.Kind {
	case pdf.AnomalyWrongObject:
		return "mục xref của đối tượng " + obj + " trỏ tới một đối tượng khác"
	case pdf.AnomalyEarlierBytes:
		return "đối tượng " + obj + " được định nghĩa lại bằng dữ liệu nằm trong phần đã có của một phiên bản trước"
	case pdf.AnomalySectionInEarlierBytes:
		return "một bảng tham chiếu chéo (xref) nằm trong dữ liệu của một phiên bản trước"
	case pdf.AnomalyLinearization:
		return "bản cập nhật thêm một từ điển tuyến tính hoá (linearization)"
	case pdf.AnomalyEOFBeforeStartXRef:
		return "có dấu %%EOF nằm trước startxref của phiên bản"
	}
	return string(a.Kind)
}

func msgRevisionStructure(detailVI, detailEN string) msg {
	return msg{
		VI: "Cấu trúc tham chiếu chéo của các phiên bản sau chữ ký đáng ngờ: trình xem có thể hiển thị nội dung khác với nội dung đã được kiểm tra (" + detailVI + ").",
		EN: "The cross-reference structure of the revisions after the signature is suspicious: a viewer may show content other than what was checked (" + detailEN + ").",
	}
}
