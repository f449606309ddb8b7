package layout

// checkRule is one rule of the catalogue: its citation and the severity of a failure.
type checkRule struct {
	cite     Citation
	severity Severity
}

const (
	checkND30 = "Nghị định 30/2020/NĐ-CP"
	checkPL1  = "Phụ lục I"
)

func checkCite(clause string) Citation {
	return Citation{Instrument: checkND30, Article: checkPL1, Clause: clause}
}

// checkRules is the catalogue of rules Check evaluates, by identifier. The clauses are
// those of ../shared/docs/rules.md §3.
var checkRules = map[string]checkRule{
	// Thể thức of the pages (Phụ lục I Phần I).
	"page.a4":          {checkCite("Phần I: khổ giấy A4 (210 × 297 mm)"), SeverityError},
	"page.orientation": {checkCite("Phần I: trình bày theo chiều dài khổ A4"), SeverityWarning},
	"page.margins":     {checkCite("Phần I: định lề trang (trên, dưới 20–25 mm; trái 30–35 mm; phải 15–20 mm)"), SeverityError},
	"font.embedded":    {checkCite("Phần I: phông chữ tiếng Việt Unicode (TCVN 6909:2001)"), SeverityError},
	"font.family":      {checkCite("Phần I: phông chữ Times New Roman"), SeverityError},
	"text.colour":      {checkCite("Phần I: màu mực đen"), SeverityWarning},
	"body.size":        {checkCite("Phần I: nội dung văn bản (ô 6) cỡ chữ 13–14"), SeverityError},
	"page.number":      {checkCite("Phần I: số trang — không hiển thị số trang thứ nhất; các trang khác ở lề trên, canh giữa, cỡ chữ 13–14"), SeverityError},
	"footer.line":      {checkCite("Phần I: ô 13 — địa chỉ, thư điện tử, điện thoại … dưới một đường kẻ nét liền suốt chiều ngang vùng trình bày"), SeverityError},
	"urgency.box":      {checkCite("Phần I: ô 10b — dấu chỉ mức độ khẩn trong khung 30 × 8 mm (HỎA TỐC), 40 × 8 mm (THƯỢNG KHẨN), 20 × 8 mm (KHẨN)"), SeverityWarning},
	"secrecy.signed": {Citation{Instrument: "Quyết định 41/2022/QĐ-UBND tỉnh Quảng Ninh", Article: "Điều 5", Clause: "khoản 7 (và Nghị định 30/2020/NĐ-CP Phụ lục I ô 10a): văn bản mật không ký số"},
		SeverityError},
	"scan.version": {checkCite("Phần II mục I: bản sao số hóa — định dạng PDF phiên bản 1.4 trở lên"), SeverityError},
	"scan.colour":  {checkCite("Phần II mục I: bản sao số hóa — ảnh màu"), SeverityError},
	"scan.dpi":     {checkCite("Phần II mục I: bản sao số hóa — độ phân giải tối thiểu 200 dpi"), SeverityError},
	"scan.scale":   {checkCite("Phần II mục I: bản sao số hóa — tỷ lệ số hóa 100 %"), SeverityError},

	// Visible signatures.
	"signature.kind":     {checkCite("mục II khoản 7 điểm d, khoản 8 điểm a–b: chữ ký số của người có thẩm quyền (chứng thư cá nhân) và của cơ quan, tổ chức (chứng thư cơ quan)"), SeverityError},
	"signer.image":       {checkCite("mục II khoản 7 điểm d: hình ảnh chữ ký của người có thẩm quyền, định dạng .png nền trong suốt"), SeverityError},
	"signer.colour":      {checkCite("mục II khoản 7 điểm d: hình ảnh chữ ký màu xanh"), SeverityError},
	"signer.position":    {checkCite("mục II khoản 7 điểm d: đặt canh giữa chức vụ (ô 7a) và họ tên người ký (ô 7b)"), SeverityError},
	"seal.image":         {checkCite("mục II khoản 8 điểm a: hình ảnh dấu, định dạng .png nền trong suốt"), SeverityError},
	"seal.colour":        {checkCite("mục II khoản 8 điểm a: hình ảnh dấu màu đỏ"), SeverityError},
	"seal.size":          {checkCite("mục II khoản 8 điểm a: kích thước bằng kích thước thực tế của dấu"), SeverityError},
	"seal.overlap":       {checkCite("mục II khoản 8 điểm a: trùm lên khoảng 1/3 hình ảnh chữ ký số của người có thẩm quyền về bên trái"), SeverityError},
	"seal.side":          {checkCite("mục II khoản 8 điểm a: trùm lên hình ảnh chữ ký … về bên trái"), SeverityError},
	"stamp.place":        {checkCite("mục II khoản 8 điểm b; Phần II mục I (ô 14): góc trên, bên phải, trang đầu"), SeverityError},
	"stamp.image":        {checkCite("mục II khoản 8 điểm b; Phần II mục I: không hiển thị hình ảnh chữ ký số"), SeverityError},
	"stamp.content":      {checkCite("mục II khoản 8 điểm b (Số và ký hiệu văn bản; thời gian ký); Phần II mục I (hình thức sao; tên cơ quan sao; thời gian ký)"), SeverityError},
	"stamp.typography":   {checkCite("mục II khoản 8 điểm b: phông chữ Times New Roman, chữ in thường, kiểu chữ đứng, cỡ chữ 10, màu đen"), SeverityError},
	"stamp.time.format":  {checkCite("mục II khoản 8 điểm b: thời gian ký (ngày tháng năm; giờ phút giây; múi giờ Việt Nam theo tiêu chuẩn ISO 8601)"), SeverityError},
	"stamp.time.value":   {checkCite("mục II khoản 8 điểm b: thời gian ký"), SeverityError},
	"appendix.same-file": {checkCite("mục II khoản 8 điểm b, mục III khoản 1 điểm d: phụ lục cùng tệp tin với văn bản không ký số riêng"), SeverityError},
}
