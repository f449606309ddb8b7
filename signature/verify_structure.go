package signature

import (
	"fmt"
	"strings"

	"github.com/kyso-go/kyso/internal/pdf"
)

// anomalyLines says, in Vietnamese and English, what the revisions' cross-reference
// structure does that a viewer may read otherwise (the modification analysis's
// anomalies: an entry pointing a signed object number at another object — shadow
// hide —, a definition switched on from signed bytes, a section hidden in an earlier
// revision, an %%EOF marker before a startxref, an appended linearization
// dictionary), at most three of them. The analysis of the changes themselves cannot be
// trusted then: the modifications check fails with this one message.
func anomalyLines(an []revAnomaly) (vi, en string) {
	var vis, ens []string
	for _, x := range an {
		if x.err != nil {
			vis = append(vis, fmt.Sprintf("phiên bản %d không đọc được: %v", x.rev, x.err))
			ens = append(ens, fmt.Sprintf("revision %d cannot be read: %v", x.rev, x.err))
			continue
		}
		vis = append(vis, fmt.Sprintf("phiên bản %d: %s", x.rev, anomalyVI(x.a)))
		ens = append(ens, fmt.Sprintf("revision %d: %s", x.rev, x.a))
	}
	if len(ens) > 3 {
		vis = append(vis[:3], fmt.Sprintf("và %d điểm khác", len(ens)-3))
		ens = append(ens[:3], fmt.Sprintf("and %d more", len(ens)-3))
	}
	return strings.Join(vis, "; "), strings.Join(ens, "; ")
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
