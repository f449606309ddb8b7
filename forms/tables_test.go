package forms

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// subscriberRows makes n valid rows for tt185/mau-02's list.
func subscriberRows(n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		rows[i] = Row{
			"fullName": fmt.Sprintf("Nguyễn Văn Thuê Bao %03d", i+1), "birthDate": "14/03/1985",
			"idNumber": fmt.Sprintf("022185%06d", i+1), "idIssueDate": "10/08/2021",
			"idIssuePlace": "Cục CSQLHC về TTXH", "email": fmt.Sprintf("tb%03d@quangninh.gov.vn", i+1),
			"organisation": "Sở Tài chính tỉnh Quảng Ninh", "province": "Quảng Ninh", "position": "Chuyên viên",
			"phone": fmt.Sprintf("0912%06d", i+1), "oldSerial": "", "simCarrier": "",
		}
	}
	return rows
}

func mau02(t *testing.T) *Definition {
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-02")
	require.NoError(t, err)
	return d
}

// spoil breaks rows 17, 256 and 480 (0-based 16, 255, 479): file rows 18, 257, 481.
func spoil(rows []Row) {
	rows[16]["idNumber"] = "22185000017"        // CCCD missing a digit (typed as text)
	rows[255]["phone"] = "0412345678"           // not a mobile prefix
	rows[479]["email"] = "tb480@gmail.com"      // not an official address
	rows[479]["simCarrier"] = "VinaPhone"       // label: accepted, mapped to the value
	rows[100]["idNumber"] = "  022185000101   " // spaces are trimmed
}

func problemRows(probs []*Problem) []int {
	var rs []int
	for _, p := range probs {
		rs = append(rs, p.Row)
	}
	sort.Ints(rs)
	return rs
}

func TestCSVImportOf500RowsReportsExactlyTheBadOnes(t *testing.T) {
	d := mau02(t)
	rows := subscriberRows(500)
	spoil(rows)
	var csvBuf bytes.Buffer
	require.NoError(t, d.ExportCSV("subscribers", &csvBuf, rows))
	assert.True(t, bytes.HasPrefix(csvBuf.Bytes(), []byte("\xEF\xBB\xBF")))

	res, err := d.ImportCSV("subscribers", bytes.NewReader(csvBuf.Bytes()), ImportOptions{Now: testNow})
	require.NoError(t, err)
	require.Len(t, res.Rows, 500)
	assert.Equal(t, []int{18, 257, 481}, problemRows(res.Problems))
	assert.ErrorIs(t, res.Problems[0], ErrInvalidIDNumber)
	assert.Contains(t, res.Problems[0].Error(), "dòng 18")
	assert.Equal(t, "vinaphone", res.Rows[479]["simCarrier"])
	assert.Equal(t, "022185000101", res.Rows[100]["idNumber"])
}

func TestXLSXImportOf500RowsReportsExactlyTheBadOnes(t *testing.T) {
	d := mau02(t)
	rows := subscriberRows(500)
	spoil(rows)
	var x bytes.Buffer
	require.NoError(t, d.ExportXLSX("subscribers", &x, rows))
	res, err := d.ImportXLSX("subscribers", bytes.NewReader(x.Bytes()), ImportOptions{Now: testNow})
	require.NoError(t, err)
	require.Len(t, res.Rows, 500)
	assert.Equal(t, []int{18, 257, 481}, problemRows(res.Problems))
	// Text cells keep leading zeros.
	assert.Equal(t, "0912000001", res.Rows[0]["phone"])
	assert.Equal(t, "022185000001", res.Rows[0]["idNumber"])
}

func TestXLSXRepairsNumbersAndDatesTypedByHand(t *testing.T) {
	d := mau02(t)
	f := excelize.NewFile()
	defer f.Close()
	hdr := []any{"STT", "Họ và tên", "Ngày sinh", "Số CMND/CCCD/Hộ chiếu", "Ngày cấp", "Nơi cấp",
		"Địa chỉ thư điện tử công vụ", "Tên cơ quan, tổ chức công tác", "Tỉnh/Thành phố", "Số điện thoại di động"}
	require.NoError(t, f.SetSheetRow("Sheet1", "A1", &hdr))
	require.NoError(t, f.SetSheetRow("Sheet1", "A2", &[]any{1, "Lê Văn Tám", "", 22185001234, "", "Cục CSQLHC về TTXH",
		"tamlv@quangninh.gov.vn", "UBND huyện Tiên Yên", "Quảng Ninh", 912345678}))
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	require.NoError(t, err)
	require.NoError(t, f.SetCellValue("Sheet1", "C2", 31120.0)) // 14/03/1985 as an Excel serial
	require.NoError(t, f.SetCellValue("Sheet1", "E2", 44418.0)) // 10/08/2021
	require.NoError(t, f.SetCellStyle("Sheet1", "C2", "C2", dateStyle))
	require.NoError(t, f.SetCellStyle("Sheet1", "E2", "E2", dateStyle))
	var b bytes.Buffer
	_, err = f.WriteTo(&b)
	require.NoError(t, err)
	res, err := d.ImportXLSX("subscribers", &b, ImportOptions{Now: testNow})
	require.NoError(t, err)
	require.Empty(t, res.Problems)
	want := Row{"fullName": "Lê Văn Tám", "birthDate": "14/03/1985", "idNumber": "022185001234",
		"idIssueDate": "10/08/2021", "idIssuePlace": "Cục CSQLHC về TTXH", "email": "tamlv@quangninh.gov.vn",
		"organisation": "UBND huyện Tiên Yên", "province": "Quảng Ninh", "phone": "0912345678"}
	assert.Empty(t, cmp.Diff(want, res.Rows[0]))
}

func TestImportRejectsUnreadableTables(t *testing.T) {
	d := mau02(t)
	cases := map[string]string{
		"unknown column":  "Họ và tên,Màu mắt\nA,B\n",
		"missing column":  "Họ và tên\nA\n",
		"broken quotes":   "Họ và tên,\"Ngày sinh\nA\n",
		"empty":           "",
		"value no header": strings.Join(d.Table("subscribers").columnIDs(), ",") + "\n" + strings.Repeat("x,", 13) + "x\n",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := d.ImportCSV("subscribers", strings.NewReader(in), ImportOptions{Now: testNow})
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			assert.ErrorIs(t, err, ErrMalformedInput)
		})
	}
	_, err := d.ImportXLSX("subscribers", strings.NewReader("PK not a zip"), ImportOptions{})
	assert.ErrorIs(t, err, ErrMalformedInput)
	_, err = d.ImportCSV("nope", strings.NewReader("a\n"), ImportOptions{})
	assert.ErrorIs(t, err, ErrUnknownList)
}

func (t *Table) columnIDs() []string {
	var ids []string
	for _, c := range t.Columns {
		ids = append(ids, c.ID)
	}
	return ids
}

func TestSemicolonCSVWithEnglishHeaders(t *testing.T) {
	d := mau02(t)
	in := "No.;Full name;Date of birth;ID number;Date of issue;Place of issue;Official e-mail;Organisation;Province or city;Mobile phone\n" +
		"1;Trần Văn An;01/02/1990;022090001111;02/03/2021;Cục CSQLHC về TTXH;antv@quangninh.gov.vn;Sở Y tế;Quảng Ninh;0988777666\n\n"
	res, err := d.ImportCSV("subscribers", strings.NewReader(in), ImportOptions{Now: testNow})
	require.NoError(t, err)
	assert.Empty(t, res.Problems)
	require.Len(t, res.Rows, 1)
	assert.Equal(t, "Sở Y tế", res.Rows[0]["organisation"])
}

func TestImportFindsTheHeaderBelowATitle(t *testing.T) {
	d := mau02(t)
	in := "DANH SÁCH CÁ NHÂN ĐỀ NGHỊ CẤP CHỨNG THƯ SỐ,,,\n(Kèm theo Công văn số 125/STTTT-CĐS),,,\n,,,\n" +
		"STT,Họ và tên,Ngày sinh,Số CMND/CCCD/Hộ chiếu,Ngày cấp,Nơi cấp,Địa chỉ thư điện tử công vụ,\"Tên cơ quan, tổ chức công tác\",Tỉnh/Thành phố,Số điện thoại di động\n" +
		"1,Trần Văn An,01/02/1990,022090001111,02/03/2021,Cục CSQLHC về TTXH,antv@quangninh.gov.vn,Sở Y tế,Quảng Ninh,0988777666\n" +
		"2,Lê Bình,01/02/1990,022090001112,02/03/2021,Cục CSQLHC về TTXH,binh@gmail.com,Sở Y tế,Quảng Ninh,0988777667\n"
	res, err := d.ImportCSV("subscribers", strings.NewReader(in), ImportOptions{Now: testNow})
	require.NoError(t, err)
	require.Len(t, res.Rows, 2)
	assert.Equal(t, []int{5, 6}, res.RowNumbers)
	assert.Equal(t, []int{6}, problemRows(res.Problems), "row numbers are the spreadsheet's")
}

func FuzzImportCSV(f *testing.F) {
	f.Add([]byte("Họ và tên,Ngày sinh,Số CMND/CCCD/Hộ chiếu,Ngày cấp,Nơi cấp,Địa chỉ thư điện tử công vụ,Tên cơ quan, tổ chức công tác,Tỉnh/Thành phố,Số điện thoại di động\nA,01/01/1990,022090001111,01/01/2020,X,a@b.gov.vn,Y,Z,0912345678\n"))
	f.Add([]byte("fullName;phone\n\"a;b\";1\n"))
	reg, err := NewRegistry()
	if err != nil {
		f.Fatal(err)
	}
	d, _ := reg.Definition("tt185/mau-02")
	f.Fuzz(func(t *testing.T, in []byte) {
		res, err := d.ImportCSV("subscribers", bytes.NewReader(in), ImportOptions{Now: testNow})
		if err != nil {
			return
		}
		if len(res.Rows) != len(res.RowNumbers) {
			t.Fatalf("%d rows, %d row numbers", len(res.Rows), len(res.RowNumbers))
		}
	})
}

func FuzzImportXLSX(f *testing.F) {
	reg, err := NewRegistry()
	if err != nil {
		f.Fatal(err)
	}
	d, _ := reg.Definition("tt185/mau-02")
	var x bytes.Buffer
	if err := d.ExportXLSX("subscribers", &x, subscriberRows(3)); err != nil {
		f.Fatal(err)
	}
	f.Add(x.Bytes())
	f.Fuzz(func(t *testing.T, in []byte) {
		res, err := d.ImportXLSX("subscribers", bytes.NewReader(in), ImportOptions{Now: testNow})
		if err == nil && len(res.Rows) != len(res.RowNumbers) {
			t.Fatalf("%d rows, %d row numbers", len(res.Rows), len(res.RowNumbers))
		}
	})
}

// Blank rows in a spreadsheet (a clerk leaves a gap, or formats a whole column) do not
// hide the rows after them: nothing is dropped silently.
func TestXLSXRowsAfterAGapAreRead(t *testing.T) {
	d := mau02(t)
	rows := subscriberRows(3)
	var x bytes.Buffer
	require.NoError(t, d.ExportXLSX("subscribers", &x, rows))
	f, err := excelize.OpenReader(&x)
	require.NoError(t, err)
	defer f.Close()
	sheet := f.GetSheetList()[0]
	last := subscriberRows(1)[0]
	last["phone"] = "0412345678"
	vals := []any{4}
	for _, c := range d.Table("subscribers").Columns {
		vals = append(vals, last[c.ID])
	}
	const far = 7000 // beyond the list's 5000 rows, after a gap of blank rows
	require.NoError(t, f.SetSheetRow(sheet, fmt.Sprintf("A%d", far), &vals))
	var b bytes.Buffer
	_, err = f.WriteTo(&b)
	require.NoError(t, err)
	res, err := d.ImportXLSX("subscribers", &b, ImportOptions{Now: testNow})
	require.NoError(t, err)
	require.Len(t, res.Rows, 4)
	assert.Equal(t, far, res.RowNumbers[3])
	require.Len(t, res.Problems, 1)
	assert.Equal(t, far, res.Problems[0].Row)
	assert.ErrorIs(t, res.Problems[0], ErrInvalidPhone)
}

// A value a spreadsheet would run as a formula is exported with a leading apostrophe
// (CSV injection), and imported back as it was; phone numbers in +84 form stay plain.
func TestCSVExportDefusesFormulas(t *testing.T) {
	d := mau02(t)
	rows := subscriberRows(2)
	rows[0]["fullName"] = `=HYPERLINK("http://127.0.0.1/x","Bấm vào đây")`
	rows[0]["position"] = "@SUM(A1:A2)"
	rows[0]["organisation"] = "+cmd|' /C calc'!A0"
	rows[0]["phone"] = "+84912345678"
	rows[1]["province"] = "-2+3+cmd|x"
	var b bytes.Buffer
	require.NoError(t, d.ExportCSV("subscribers", &b, rows))
	out := b.String()
	for _, v := range []string{`"'=HYPERLINK(""http://127.0.0.1/x"",""Bấm vào đây"")"`, "'@SUM(A1:A2)", "'+cmd|' /C calc'!A0", "'-2+3+cmd|x"} {
		assert.Contains(t, out, v)
	}
	assert.Contains(t, out, ",+84912345678,")
	res, err := d.ImportCSV("subscribers", &b, ImportOptions{Now: testNow})
	require.NoError(t, err)
	require.Len(t, res.Rows, 2)
	for i := range rows {
		for k, v := range rows[i] {
			assert.Equal(t, v, res.Rows[i][k], "row %d %s", i+1, k)
		}
	}
}

// Identity numbers typed as numbers lose their leading zeros; the province code of a
// CCCD (001–096) says how many: Hà Nội's 001… loses two.
func TestXLSXRestoresLeadingZerosOfIdentityNumbers(t *testing.T) {
	cccd := Field{Type: TypeCCCD}
	id := Field{Type: TypeIDNumber}
	cases := []struct {
		f    Field
		in   string
		want string
	}{
		{cccd, "1090001234", "001090001234"},      // Hà Nội
		{cccd, "22185001234", "022185001234"},     // Quảng Ninh
		{id, "1090001234", "001090001234"},        // a CCCD in an ID column
		{id, "12345678", "012345678"},             // a CMND starting with 0
		{id, "123456789", "123456789"},            // a CMND as it is
		{cccd, "2.2185001234E10", "022185001234"}, // Excel's scientific notation
	}
	for _, c := range cases {
		assert.Equal(t, c.want, xlsxFixups(c.f, c.in), c.in)
	}
}
