package forms

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/kyso-go/kyso/internal/identity"
)

// TypedForm is implemented by the typed views of the common forms. ToData and FromData
// convert between a typed view and the generic Data model; the conversion is driven by
// `form:"fieldID"` struct tags (`form:"table:ID"` on a slice of structs for a list
// table), so fields an agency added through an extension travel in Extra.
type TypedForm interface {
	// FormID returns the definition ID the view belongs to.
	FormID() string
}

// DeviceType is the kind of key storage device (thiết bị lưu khóa bí mật).
type DeviceType string

// Device types.
const (
	USBToken DeviceType = "usb-token"
	SIMPKI   DeviceType = "sim-pki"
)

// Carrier is the mobile network of a SIM PKI.
type Carrier string

// Carriers.
const (
	Viettel   Carrier = "viettel"
	VinaPhone Carrier = "vinaphone"
	MobiFone  Carrier = "mobifone"
)

// CertificateKind is the kind of certificate. Its values are the module's one
// vocabulary of kinds (certstatus.Kind's names, signature.Signer.Kind).
type CertificateKind string

// Certificate kinds.
const (
	KindIndividual   CertificateKind = identity.NameIndividual
	KindOrganisation CertificateKind = identity.NameOrganisation
	KindDevice       CertificateKind = identity.NameDevice
)

// RevocationReason is why a certificate is revoked.
type RevocationReason string

// Revocation reasons.
const (
	ReasonLost        RevocationReason = "lost"
	ReasonCompromised RevocationReason = "compromised"
	ReasonJobChange   RevocationReason = "job-change"
	ReasonInfoChange  RevocationReason = "info-change"
	ReasonDamaged     RevocationReason = "damaged"
	ReasonDissolved   RevocationReason = "dissolved"
	ReasonOther       RevocationReason = "other"
)

// Person is an individual subscriber's identity as the request forms ask for it.
type Person struct {
	FullName     string    `form:"fullName"`
	BirthDate    time.Time `form:"birthDate"`
	IDNumber     string    `form:"idNumber"` // CCCD, CMND or passport
	IDIssueDate  time.Time `form:"idIssueDate"`
	IDIssuePlace string    `form:"idIssuePlace"`
	Position     string    `form:"position"`     // chức vụ
	Organisation string    `form:"organisation"` // cơ quan, tổ chức công tác
	Province     string    `form:"province"`
	Phone        string    `form:"phone"`
	Email        string    `form:"email"` // địa chỉ thư điện tử công vụ
}

// IndividualRequest is TT 185/2019 Mẫu 01: an individual asks the managing organisation
// for a certificate.
type IndividualRequest struct {
	Header     Header
	Person     Person
	DeviceType DeviceType `form:"deviceType"`
	SIMCarrier Carrier    `form:"simCarrier"`
	SIMPhone   string     `form:"simPhone"`
	Extra      map[string]string
}

// FormID returns "tt185/mau-01".
func (*IndividualRequest) FormID() string { return "tt185/mau-01" }

// Receiver is the person who receives key storage devices for an organisation
// (người tiếp nhận thiết bị lưu khóa bí mật).
type Receiver struct {
	Name          string    `form:"receiverName"`
	IDNumber      string    `form:"receiverIdNumber"`
	IDIssueDate   time.Time `form:"receiverIdIssueDate"`
	IDIssuePlace  string    `form:"receiverIdIssuePlace"`
	Position      string    `form:"receiverPosition"`
	Phone         string    `form:"receiverPhone"`
	Email         string    `form:"receiverEmail"`
	DeliveryPlace string    `form:"receiverAddress"`
}

// Subscriber is one row of the list of individuals in TT 185 Mẫu 02.
type Subscriber struct {
	Person
	OldSerial  string  `form:"oldSerial"`
	SIMCarrier Carrier `form:"simCarrier"`
}

// IndividualListRequest is TT 185/2019 Mẫu 02: the managing organisation asks the CA for
// certificates for a list of individuals.
type IndividualListRequest struct {
	Header      Header
	Receiver    Receiver
	Subscribers []Subscriber `form:"table:subscribers"`
	Extra       map[string]string
}

// FormID returns "tt185/mau-02".
func (*IndividualListRequest) FormID() string { return "tt185/mau-02" }

// Organisation identifies an organisation subscriber.
type Organisation struct {
	Name       string `form:"orgName"`
	Address    string `form:"orgAddress"`
	TaxCode    string `form:"taxCode"`
	BudgetCode string `form:"budgetCode"` // mã quan hệ ngân sách
	Province   string `form:"province"`
	Email      string `form:"orgEmail"`
}

// Manager is the person assigned to keep an organisation's device (usually the clerk,
// văn thư).
type Manager struct {
	Name     string `form:"managerName"`
	IDNumber string `form:"managerIdNumber"`
	Position string `form:"managerPosition"`
	Phone    string `form:"managerPhone"`
	Email    string `form:"managerEmail"`
}

// OrganisationRequest is TT 185/2019 Mẫu 03: an organisation asks for its certificate
// (Purpose "first", or "second" for a public administrative service centre).
type OrganisationRequest struct {
	Header       Header
	Organisation Organisation
	Purpose      string `form:"certPurpose"`
	Manager      Manager
	Extra        map[string]string
}

// FormID returns "tt185/mau-03".
func (*OrganisationRequest) FormID() string { return "tt185/mau-03" }

// RenewalRequest is TT 185/2019 Mẫu 07: a subscriber asks to renew a certificate or
// change its information.
type RenewalRequest struct {
	Header      Header
	Person      Person
	Serial      string          `form:"serial"`
	Kind        CertificateKind `form:"certKind"`
	RequestType string          `form:"requestType"` // renew, change, supplement
	ValidUntil  time.Time       `form:"validUntil"`
	Changes     string          `form:"changes"`
	Extra       map[string]string
}

// FormID returns "tt185/mau-07".
func (*RenewalRequest) FormID() string { return "tt185/mau-07" }

// RevocationRequest is TT 185/2019 Mẫu 09: a subscriber asks to revoke a certificate and
// hands the device back (or reports it lost, with the Mẫu 15 minutes).
type RevocationRequest struct {
	Header         Header
	Person         Person
	Serial         string           `form:"serial"`
	Kind           CertificateKind  `form:"certKind"`
	Reason         RevocationReason `form:"reason"`
	ReasonDetail   string           `form:"reasonDetail"`
	DeviceReturned string           `form:"deviceReturned"` // returned, lost
	Extra          map[string]string
}

// FormID returns "tt185/mau-09".
func (*RevocationRequest) FormID() string { return "tt185/mau-09" }

// RecoveryRequest is TT 185/2019 Mẫu 11: a subscriber asks to unlock a key storage
// device (locked after wrong PINs, or PIN forgotten).
type RecoveryRequest struct {
	Header       Header
	Person       Person
	DeviceType   DeviceType `form:"deviceType"`
	DeviceSerial string     `form:"deviceSerial"`
	Serial       string     `form:"serial"`
	Problem      string     `form:"problem"` // locked, forgotten-pin
	Extra        map[string]string
}

// FormID returns "tt185/mau-11".
func (*RecoveryRequest) FormID() string { return "tt185/mau-11" }

// HandoverMinutes is TT 185/2019 Mẫu 14: minutes of handing over a key storage device
// (biên bản bàn giao).
type HandoverMinutes struct {
	Header            Header
	GiverName         string     `form:"giverName"`
	GiverPosition     string     `form:"giverPosition"`
	GiverOrganisation string     `form:"giverOrganisation"`
	TakerName         string     `form:"takerName"`
	TakerPosition     string     `form:"takerPosition"`
	TakerOrganisation string     `form:"takerOrganisation"`
	DeviceType        DeviceType `form:"deviceType"`
	DeviceSerial      string     `form:"deviceSerial"`
	Serial            string     `form:"serial"`
	CertHolder        string     `form:"certHolder"`
	HandoverDate      time.Time  `form:"handoverDate"`
	Condition         string     `form:"condition"`
	PINDelivery       string     `form:"pinDelivery"`
	Extra             map[string]string
}

// FormID returns "tt185/mau-14".
func (*HandoverMinutes) FormID() string { return "tt185/mau-14" }

// LostDeviceMinutes is TT 185/2019 Mẫu 15: minutes confirming a lost key storage device
// (biên bản xác nhận thất lạc).
type LostDeviceMinutes struct {
	Header          Header
	FullName        string     `form:"fullName"`
	IDNumber        string     `form:"idNumber"`
	Position        string     `form:"position"`
	Organisation    string     `form:"organisation"`
	Phone           string     `form:"phone"`
	DeviceType      DeviceType `form:"deviceType"`
	DeviceSerial    string     `form:"deviceSerial"`
	Serial          string     `form:"serial"`
	LostDate        time.Time  `form:"lostDate"`
	Circumstances   string     `form:"circumstances"`
	WitnessName     string     `form:"witnessName"`
	WitnessPosition string     `form:"witnessPosition"`
	Extra           map[string]string
}

// FormID returns "tt185/mau-15".
func (*LostDeviceMinutes) FormID() string { return "tt185/mau-15" }

var (
	timeType   = reflect.TypeFor[time.Time]()
	headerType = reflect.TypeFor[Header]()
)

// ToData converts a typed view (a pointer to one of the structs above, or any struct
// tagged the same way) to the generic model. Dates become dd/mm/yyyy; zero values
// become absent fields.
func ToData(v TypedForm) *Data {
	d := &Data{Form: v.FormID(), Fields: map[string]string{}}
	rv := reflect.ValueOf(v).Elem()
	putStruct(rv, d.Fields, d)
	return d
}

func putStruct(rv reflect.Value, out map[string]string, d *Data) {
	rt := rv.Type()
	for i := range rt.NumField() {
		sf, fv := rt.Field(i), rv.Field(i)
		tag := sf.Tag.Get("form")
		switch {
		case sf.Type == headerType && d != nil:
			d.Header = fv.Interface().(Header)
		case sf.Name == "Extra" && sf.Type.Kind() == reflect.Map:
			for k, v := range fv.Interface().(map[string]string) {
				out[k] = v
			}
		case strings.HasPrefix(tag, "table:") && d != nil:
			var rows []Row
			for j := range fv.Len() {
				row := Row{}
				putStruct(fv.Index(j), row, nil)
				rows = append(rows, row)
			}
			if d.Tables == nil {
				d.Tables = map[string][]Row{}
			}
			d.Tables[strings.TrimPrefix(tag, "table:")] = rows
		case tag == "" && sf.Type.Kind() == reflect.Struct && sf.Type != timeType:
			putStruct(fv, out, d)
		case tag != "" && sf.Type == timeType:
			if t := fv.Interface().(time.Time); !t.IsZero() {
				out[tag] = FormatDate(t)
			}
		case tag != "" && sf.Type.Kind() == reflect.String:
			if s := fv.String(); s != "" {
				out[tag] = s
			}
		}
	}
}

// FromData fills a typed view from the generic model. Fields the view has no place for
// go to its Extra map; a date that does not parse is an error naming the field (run
// Validate first for the full list of problems).
func FromData(d *Data, v TypedForm) error {
	if d.Form != "" && d.Form != v.FormID() {
		return fmt.Errorf("%w: data is for form %q, the view for %q", ErrInvalidData, d.Form, v.FormID())
	}
	rv := reflect.ValueOf(v).Elem()
	used := map[string]bool{}
	if err := getStruct(rv, d.Fields, d, used); err != nil {
		return err
	}
	var extra []string
	for k := range d.Fields {
		if !used[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	if ef := rv.FieldByName("Extra"); ef.IsValid() && len(extra) > 0 {
		m := map[string]string{}
		for _, k := range extra {
			m[k] = d.Fields[k]
		}
		ef.Set(reflect.ValueOf(m))
	}
	return nil
}

func getStruct(rv reflect.Value, in map[string]string, d *Data, used map[string]bool) error {
	rt := rv.Type()
	for i := range rt.NumField() {
		sf, fv := rt.Field(i), rv.Field(i)
		tag := sf.Tag.Get("form")
		switch {
		case sf.Type == headerType && d != nil:
			fv.Set(reflect.ValueOf(d.Header))
		case strings.HasPrefix(tag, "table:") && d != nil:
			rows := d.Tables[strings.TrimPrefix(tag, "table:")]
			s := reflect.MakeSlice(sf.Type, len(rows), len(rows))
			for j, row := range rows {
				if err := getStruct(s.Index(j), row, nil, map[string]bool{}); err != nil {
					return fmt.Errorf("%s row %d: %w", tag, j+1, err)
				}
			}
			if len(rows) > 0 {
				fv.Set(s)
			}
		case tag == "" && sf.Type.Kind() == reflect.Struct && sf.Type != timeType:
			if err := getStruct(fv, in, d, used); err != nil {
				return err
			}
		case tag != "" && sf.Type == timeType:
			used[tag] = true
			if s := in[tag]; s != "" {
				t, ok := ParseDate(s)
				if !ok {
					return fmt.Errorf("%w: field %q: %q is not a date (dd/mm/yyyy)", ErrInvalidData, tag, s)
				}
				fv.Set(reflect.ValueOf(t))
			}
		case tag != "" && sf.Type.Kind() == reflect.String:
			used[tag] = true
			fv.SetString(in[tag])
		}
	}
	return nil
}

// Figure is one row of the usage report's annex (Phụ biểu).
type Figure struct {
	Indicator  string `form:"indicator"`  // chỉ tiêu
	Unit       string `form:"unit"`       // đơn vị tính
	Period     string `form:"period"`     // in the period (whole number)
	Cumulative string `form:"cumulative"` // lũy kế (whole number)
	Note       string `form:"note"`
}

// UsageReport is the periodic report on certificate use ("report/usage", Quảng Ninh
// 41/2022 Phụ lục: sections I–IV and the annex of figures).
type UsageReport struct {
	Header       Header
	Period       string   `form:"period"`     // e.g. "tháng 11/2026"
	ReportKind   string   `form:"reportKind"` // monthly, half-year, yearly, ad-hoc
	DataWindow   string   `form:"dataWindow"`
	Situation    string   `form:"situation"`
	Results      string   `form:"results"`
	Difficulties string   `form:"difficulties"`
	Causes       string   `form:"causes"`
	PlannedTasks string   `form:"plannedTasks"`
	Solutions    string   `form:"solutions"`
	ITProjects   string   `form:"itProjects"`
	Demand       string   `form:"demand"`
	Proposals    string   `form:"proposals"`
	Figures      []Figure `form:"table:figures"`
	Extra        map[string]string
}

// FormID returns "report/usage".
func (*UsageReport) FormID() string { return "report/usage" }
