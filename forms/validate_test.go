package forms

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckValueByType(t *testing.T) {
	enum := Field{ID: "deviceType", Label: "Loại thiết bị", Type: TypeEnum,
		Options: []Option{{Value: "usb-token", Label: "USB Token"}, {Value: "sim-pki", Label: "SIM PKI"}}}
	cases := []struct {
		name  string
		field Field
		value string
		want  error // nil: valid
	}{
		{"required missing", Field{Type: TypeText, Required: true}, "", ErrRequired},
		{"optional empty", Field{Type: TypeCCCD}, "", nil},
		{"text ok", Field{Type: TypeText}, "Nguyễn Thị Thu Hương", nil},
		{"text too long", Field{Type: TypeText, MaxLength: 5}, "Nguyễn", ErrTooLong},
		{"text control char", Field{Type: TypeText}, "a\x00b", ErrBadCharacters},
		{"text newline", Field{Type: TypeText}, "a\nb", ErrBadCharacters},
		{"paragraph newline", Field{Type: TypeParagraph}, "dòng 1\ndòng 2", nil},

		{"date ok", Field{Type: TypeDate}, "05/11/2026", nil},
		{"date no zeros", Field{Type: TypeDate}, "5/1/2026", nil},
		{"date 29 Feb leap", Field{Type: TypeDate}, "29/02/2024", nil},
		{"date 29 Feb common", Field{Type: TypeDate}, "29/02/2026", ErrInvalidDate},
		{"date iso", Field{Type: TypeDate}, "2026-11-05", ErrInvalidDate},
		{"date month 13", Field{Type: TypeDate}, "01/13/2026", ErrInvalidDate},
		{"date future allowed", Field{Type: TypeDate}, "01/01/2030", nil},
		{"date future refused", Field{Type: TypeDate, NotFuture: true}, "24/11/2026", ErrFutureDate},
		{"date today ok", Field{Type: TypeDate, NotFuture: true}, "23/11/2026", nil},

		{"enum ok", enum, "sim-pki", nil},
		{"enum bad", enum, "smartcard", ErrNotAnOption},

		{"phone ok", Field{Type: TypePhone}, "0912345678", nil},
		{"phone spaced", Field{Type: TypePhone}, "0912 345 678", nil},
		{"phone +84", Field{Type: TypePhone}, "+84912345678", nil},
		{"phone 03", Field{Type: TypePhone}, "0367888999", nil},
		{"phone landline", Field{Type: TypePhone}, "02033123456", ErrInvalidPhone},
		{"phone 04 prefix", Field{Type: TypePhone}, "0412345678", ErrInvalidPhone},
		{"phone short", Field{Type: TypePhone}, "091234567", ErrInvalidPhone},
		{"phone letters", Field{Type: TypePhone}, "09123456ab", ErrInvalidPhone},

		{"email ok", Field{Type: TypeEmail}, "huongntt@quangninh.gov.vn", nil},
		{"email official suffix", Field{Type: TypeEmail, DomainSuffix: "gov.vn"}, "huongntt@quangninh.gov.vn", nil},
		{"email not official", Field{Type: TypeEmail, DomainSuffix: "gov.vn"}, "huong@gmail.com", ErrInvalidEmail},
		{"email lookalike", Field{Type: TypeEmail, DomainSuffix: "gov.vn"}, "a@evilgov.vn", ErrInvalidEmail},
		{"email display name", Field{Type: TypeEmail}, "Hương <h@quangninh.gov.vn>", ErrInvalidEmail},
		{"email no at", Field{Type: TypeEmail}, "huong.quangninh.gov.vn", ErrInvalidEmail},
		{"email double dot", Field{Type: TypeEmail}, "a..b@quangninh.gov.vn", ErrInvalidEmail},
		{"email unicode local", Field{Type: TypeEmail}, "hương@quangninh.gov.vn", ErrInvalidEmail},

		{"cccd ok", Field{Type: TypeCCCD}, "022185001234", nil},
		{"cccd 11 digits", Field{Type: TypeCCCD}, "22185001234", ErrInvalidCCCD},
		{"cccd province 000", Field{Type: TypeCCCD}, "000185001234", ErrInvalidCCCD},
		{"cccd province 097", Field{Type: TypeCCCD}, "097185001234", ErrInvalidCCCD},
		{"cccd cmnd 9", Field{Type: TypeCCCD}, "123456789", ErrInvalidCCCD},

		{"id cmnd 9", Field{Type: TypeIDNumber}, "123456789", nil},
		{"id cccd 12", Field{Type: TypeIDNumber}, "022185001234", nil},
		{"id passport", Field{Type: TypeIDNumber}, "C1234567", nil},
		{"id 10 digits", Field{Type: TypeIDNumber}, "1234567890", ErrInvalidIDNumber},
		{"id 12 bad province", Field{Type: TypeIDNumber}, "999185001234", ErrInvalidIDNumber},

		{"tax 10", Field{Type: TypeTaxCode}, "5700100256", nil},
		{"tax branch", Field{Type: TypeTaxCode}, "5700100256-001", nil},
		{"tax 9", Field{Type: TypeTaxCode}, "570010025", ErrInvalidTaxCode},
		{"tax branch 2", Field{Type: TypeTaxCode}, "5700100256-01", ErrInvalidTaxCode},

		{"budget ok", Field{Type: TypeBudgetCode}, "1012345", nil},
		{"budget 6", Field{Type: TypeBudgetCode}, "101234", ErrInvalidBudget},
		{"integer ok", Field{Type: TypeInteger}, "1284", nil},
		{"integer negative", Field{Type: TypeInteger}, "-3", ErrInvalidInteger},
		{"integer decimal", Field{Type: TypeInteger}, "1.284", ErrInvalidInteger},
		{"serial ok", Field{Type: TypeSerial}, "54020B3C9A1D7E220001", nil},
		{"serial spaced", Field{Type: TypeSerial}, "5402 0B3C 9A1D", nil},
		{"serial not hex", Field{Type: TypeSerial}, "5402-XYZ", ErrInvalidSerial},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.field.Label == "" {
				c.field.Label = "Trường"
			}
			p := checkValue(c.field, c.value, testNow)
			if c.want == nil {
				assert.Nil(t, p)
				return
			}
			require.NotNil(t, p)
			assert.ErrorIs(t, p, c.want)
			assert.NotEmpty(t, p.Vi)
			assert.NotEmpty(t, p.En)
		})
	}
}

func TestValidateNamesFieldRowAndColumn(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-02")
	require.NoError(t, err)
	data := d.Normalize(d.Sample)
	data.Fields["receiverPhone"] = "12345"
	data.Fields["nickname"] = "x"
	data.Tables["subscribers"][1]["email"] = "tuyet@gmail.com"
	data.Tables["subscribers"][2]["simCarrier"] = "beeline"
	err = d.Validate(data, ValidateOptions{Now: testNow})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.ErrorIs(t, err, ErrInvalidData)
	assert.ErrorIs(t, err, ErrInvalidPhone)
	assert.ErrorIs(t, err, ErrNotAnOption)
	var paths []string
	for _, p := range ve.Problems {
		paths = append(paths, p.Path())
	}
	assert.Equal(t, []string{"fields.receiverPhone", "fields.nickname", "tables.subscribers[2].email",
		"tables.subscribers[3].simCarrier"}, paths)
	msg := ve.Problems[2].Error()
	assert.Contains(t, msg, "dòng 2, cột «Địa chỉ thư điện tử công vụ»")
	assert.Contains(t, msg, `row 2, column "email"`)
	assert.Contains(t, msg, ".gov.vn")
}

func TestValidateHeader(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-02")
	require.NoError(t, err)
	data := d.Normalize(d.Sample)
	data.Header.Date = "31/11/2026"
	data.Header.SignerName = strings.Repeat("A", 301)
	data.Header.Recipients = []string{"Cục\x07"}
	err = d.Validate(data, ValidateOptions{Now: testNow})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	var paths []string
	for _, p := range ve.Problems {
		paths = append(paths, p.Path())
	}
	assert.Equal(t, []string{"header.signerName", "header.date", "header.recipients"}, paths)
}

func TestRequiredIf(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-01")
	require.NoError(t, err)
	data := d.Normalize(d.Sample)
	delete(data.Fields, "simCarrier")
	err = d.Validate(data, ValidateOptions{Now: testNow})
	require.ErrorIs(t, err, ErrRequired)
	assert.Contains(t, err.Error(), `deviceType là "sim-pki"`)
	data.Fields["deviceType"] = "usb-token"
	delete(data.Fields, "simPhone")
	assert.NoError(t, d.Validate(data, ValidateOptions{Now: testNow}))
}

func TestNormalizeNFCAndEnumLabels(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-01")
	require.NoError(t, err)
	decomposed := "Nguye\u0302\u0303n" // "Nguyễn" with combining marks
	data := d.Normalize(&Data{Fields: map[string]string{"fullName": "  " + decomposed + " ", "deviceType": "SIM PKI"}})
	assert.Equal(t, "Nguyễn", data.Fields["fullName"])
	assert.Equal(t, "sim-pki", data.Fields["deviceType"], "an enum given by its label maps to its value")
	assert.Equal(t, "tt185/mau-01", data.Form)
}

func TestRenderRefusesInvalidDataAndUnknownCharacters(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-01")
	require.NoError(t, err)
	var out strings.Builder
	bad := d.Normalize(d.Sample)
	bad.Fields["idNumber"] = "12"
	err = d.Render(&out, bad, RenderOptions{Validate: &ValidateOptions{Now: testNow}})
	assert.ErrorIs(t, err, ErrInvalidIDNumber)
	assert.Zero(t, out.Len(), "nothing is written on error")

	emoji := d.Normalize(d.Sample)
	emoji.Fields["position"] = "Chuyên viên 🙂"
	err = d.Render(&out, emoji, RenderOptions{Validate: &ValidateOptions{Now: testNow}})
	assert.ErrorIs(t, err, ErrUnsupportedCharacter)
	assert.Contains(t, err.Error(), "U+1F642")
	assert.Zero(t, out.Len())

	// A draft renders whatever it holds.
	require.NoError(t, d.Render(&out, bad, RenderOptions{SkipValidation: true}))
	assert.True(t, strings.HasPrefix(out.String(), "%PDF-1.7"))
}

// The CLI prints one line per problem: keys taken from the data (unknown fields, lists
// and columns) must not break that, whatever they hold.
func TestProblemIsOneLineWhateverTheKeys(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-02")
	require.NoError(t, err)
	data := d.Normalize(d.Sample)
	data.Fields["ghi\nchú"] = "x"
	data.Tables["subscribers"][0]["cột\r\nlạ"] = "y"
	data.Tables["danh\nsách"] = []Row{{"a": "b"}}
	err = d.Validate(data, ValidateOptions{Now: testNow})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	var paths []string
	for _, p := range ve.Problems {
		assert.NotContains(t, p.Error(), "\n", p.Path())
		assert.NotContains(t, p.Error(), "\r", p.Path())
		assert.ErrorIs(t, p, ErrUnknownField)
		paths = append(paths, p.Path())
	}
	assert.Equal(t, []string{`fields."ghi\nchú"`, `tables.subscribers[1]."cột\r\nlạ"`, `tables."danh\nsách"`}, paths)
}

// Data of one form given to another is refused by name, even for a draft.
func TestDataOfAnotherFormIsRefused(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	m01, err := reg.Definition("tt185/mau-01")
	require.NoError(t, err)
	m02, err := reg.Definition("tt185/mau-02")
	require.NoError(t, err)
	data := m02.Normalize(m02.Sample)
	err = m01.Validate(data, ValidateOptions{Now: testNow})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.ErrorIs(t, err, ErrWrongForm)
	assert.Equal(t, "form", ve.Problems[0].Path())
	assert.Contains(t, ve.Problems[0].Error(), `the data is for form "tt185/mau-02", not "tt185/mau-01"`)
	var out strings.Builder
	err = m01.Render(&out, data, RenderOptions{SkipValidation: true})
	assert.ErrorIs(t, err, ErrWrongForm)
	assert.Zero(t, out.Len())
}

func TestNilDataIsAnEmptyForm(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-01")
	require.NoError(t, err)
	assert.ErrorIs(t, d.Validate(nil, ValidateOptions{Now: testNow}), ErrRequired)
	var out strings.Builder
	assert.ErrorIs(t, d.Render(&out, nil, RenderOptions{Validate: &ValidateOptions{Now: testNow}}), ErrRequired)
	assert.Zero(t, out.Len())
	require.NoError(t, d.Render(&out, nil, RenderOptions{SkipValidation: true}), "a blank form")
}

// TestValidateNotFutureAtVietnamsDayBoundary: "not in the future" is judged on
// Vietnam's calendar day (UTC+7), whatever the machine's zone. From 17:00 UTC Vietnam is
// already on the next day: an issue date of that next day is then today, not the
// future; one second before, it is still the future.
func TestValidateNotFutureAtVietnamsDayBoundary(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-01")
	require.NoError(t, err)
	validate := func(issued string, now time.Time) error {
		data := d.Normalize(d.Sample)
		data.Fields["idIssueDate"] = issued
		return d.Validate(data, ValidateOptions{Now: now})
	}
	midnightVN := time.Date(2026, 11, 23, 17, 0, 0, 0, time.UTC) // 24/11/2026 00:00 in Vietnam
	for _, zone := range []*time.Location{time.UTC, vietnam, time.FixedZone("UTC-11", -11*3600), time.FixedZone("UTC+14", 14*3600)} {
		t.Run(zone.String(), func(t *testing.T) {
			assert.NoError(t, validate("24/11/2026", midnightVN.In(zone)), "Vietnam's today")
			assert.NoError(t, validate("24/11/2026", midnightVN.Add(7*time.Hour-time.Second).In(zone)), "Vietnam's today, 23:59:59 UTC")
			assert.ErrorIs(t, validate("25/11/2026", midnightVN.In(zone)), ErrFutureDate, "Vietnam's tomorrow")
			assert.ErrorIs(t, validate("24/11/2026", midnightVN.Add(-time.Second).In(zone)), ErrFutureDate, "23:59:59 in Vietnam: tomorrow is the future")
		})
	}
}
