package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on what a request may hold; larger input is refused with a RequestError.
const (
	// MaxRequestSize is the largest JSON request DecodeRequest reads.
	MaxRequestSize = 1 << 20
	// MaxExistingSignatures is the most existing signatures a request may list.
	MaxExistingSignatures = 1000
	// MaxMarkers is the most authority markers one signature block may hold.
	MaxMarkers = 8
	// MaxTextLength is the longest title or other free text, in bytes.
	MaxTextLength = 1024
)

// Request asks: may this signer apply this signature to this document now? Every field
// is a fact the caller supplies; policy reads no certificate or file itself.
type Request struct {
	// Role is the capacity in which the signer acts on this document.
	Role Role `json:"role"`
	// Certificate describes the certificate the signature would be made with.
	Certificate Certificate `json:"certificate"`
	// Document describes what is signed.
	Document Document `json:"document"`
	// Markers are the authority markers written in the signature block (ô 7a), e.g.
	// [TM., KT.] for "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH".
	Markers []AuthorityMarker `json:"markers,omitempty"`
	// PrintedTitle is the signer's position printed in the signature block, when
	// known (e.g. "PHÓ CHỦ TỊCH"); it must be the title on the certificate.
	PrintedTitle string `json:"printed_title,omitempty"`
	// AtServiceCentre says the signature is made at a public administrative service
	// centre (Trung tâm Phục vụ Hành chính công, Bộ phận tiếp nhận và trả kết quả).
	AtServiceCentre bool `json:"at_service_centre,omitempty"`
	// KeyUsedByOther says the key is used by someone other than the subscriber or the
	// keeper it was assigned to: a lent token or a disclosed PIN.
	KeyUsedByOther bool `json:"key_used_by_other,omitempty"`
	// KeeperPermitted says the signer, not a role the profile lets apply the
	// organisation signature, keeps the organisation's key device in the clerk's
	// absence with the head's written permission and hand-over minutes (NĐ 30/2020
	// Điều 32 k2 b): a warning instead of a refusal.
	KeeperPermitted bool `json:"keeper_permitted,omitempty"`
	// Time is the signing time; zero means the time of the decision.
	Time time.Time `json:"time,omitzero"`
	// Existing lists the signatures already in the document.
	Existing []ExistingSignature `json:"existing,omitempty"`
}

// SignatureKind tells a signature from a document time-stamp.
type SignatureKind string

// Kinds of existing signature.
const (
	// KindSignature is an ordinary signature (the default).
	KindSignature SignatureKind = "signature"
	// KindDocTimestamp is a document time-stamp (RFC 3161, PAdES B-LTA); the rules
	// of who may sign what do not apply to it.
	KindDocTimestamp SignatureKind = "doc-timestamp"
)

// Indication is the outcome of verifying an existing signature, in the ETSI EN 319
// 102-1 vocabulary the signature package reports.
type Indication string

// Indications. The zero value means the caller did not verify the signature.
const (
	IndicationNotChecked    Indication = ""
	IndicationTotalPassed   Indication = "TOTAL_PASSED"
	IndicationTotalFailed   Indication = "TOTAL_FAILED"
	IndicationIndeterminate Indication = "INDETERMINATE"
)

// ExistingSignature is a signature already in the document, as the caller's
// verification found it.
type ExistingSignature struct {
	// Kind is KindSignature (the default when empty) or KindDocTimestamp.
	Kind SignatureKind `json:"kind,omitempty"`
	// Certificate is the signer's certificate: its kind is the signer kind; its
	// validity facts are those at Time.
	Certificate Certificate `json:"certificate"`
	// Order is the signature's position in the document, 1 for the first revision
	// signed; orders must be distinct.
	Order int `json:"order"`
	// Time is the signing time (from a time-stamp when there is one).
	Time time.Time `json:"time,omitzero"`
	// Indication is the result of cryptographic verification.
	Indication Indication `json:"indication,omitempty"`
	// Markers are the authority markers printed with the signature, when known.
	Markers []AuthorityMarker `json:"markers,omitempty"`
}

// DecodeRequest reads one JSON request. Unknown fields, values outside the
// vocabulary, a key given twice in one object, nesting deeper than 16 levels, more
// than MaxRequestSize bytes, and trailing data are errors matching ErrInvalidRequest.
func DecodeRequest(r io.Reader) (Request, error) {
	var req Request
	if err := decodeStrictJSON(r, MaxRequestSize, &req); err != nil {
		return Request{}, err
	}
	if err := req.Validate(); err != nil {
		return Request{}, err
	}
	return req, nil
}

func decodeStrictJSON(r io.Reader, limit int64, v any) error {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return fmt.Errorf("policy: read request: %w", err)
	}
	if int64(len(data)) > limit {
		return &RequestError{Field: "(input)", Reason: fmt.Sprintf("larger than %d bytes", limit)}
	}
	if err := checkJSONShape(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var re *RequestError
		if errors.As(err, &re) {
			return re
		}
		return jsonError(err)
	}
	if dec.More() {
		return &RequestError{Field: "(input)", Reason: "trailing data after the JSON object"}
	}
	return nil
}

// jsonError turns a decoding error into a RequestError that names the field and says
// what was expected in JSON terms rather than Go types.
func jsonError(err error) *RequestError {
	var (
		typ *json.UnmarshalTypeError
		syn *json.SyntaxError
		tpe *time.ParseError
	)
	switch {
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(input)"
		}
		return &RequestError{Field: field, Reason: fmt.Sprintf("expected %s, found a JSON %s", jsonKind(typ.Type), typ.Value)}
	case errors.As(err, &syn):
		return &RequestError{Field: "(input)", Reason: fmt.Sprintf("not valid JSON at byte %d: %v", syn.Offset, syn)}
	case errors.As(err, &tpe):
		return &RequestError{Field: "(input)", Value: tpe.Value, Reason: "a time must be written in RFC 3339 form with its zone, e.g. 2026-11-22T14:05:09+07:00"}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &RequestError{Field: "(input)", Reason: "empty or truncated: expected one JSON object"}
	}
	// encoding/json reports an unknown key only in its message: name the key as the
	// field, so the author sees which one to fix.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if f, uerr := strconv.Unquote(name); uerr == nil {
			name = f
		}
		return &RequestError{Field: truncate(name, 80), Reason: "unknown field: not part of the schema (check its spelling and where it is nested)"}
	}
	return &RequestError{Field: "(input)", Reason: "not a valid JSON request: " + err.Error()}
}

// jsonKind names what a JSON value for a Go type looks like.
func jsonKind(t reflect.Type) string {
	if t == reflect.TypeFor[time.Time]() {
		return "a time in RFC 3339 form (2026-11-22T14:05:09+07:00)"
	}
	switch t.Kind() {
	case reflect.String:
		return "a text in quotes"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Slice, reflect.Array:
		return "a list [...]"
	case reflect.Struct, reflect.Map:
		return "an object {...}"
	}
	return "a value of another type"
}

// maxJSONDepth bounds the nesting of objects and arrays in a request or profile file;
// the deepest legitimate path (a profile's instruments[].match[]) has depth 3.
const maxJSONDepth = 16

// checkJSONShape refuses what encoding/json would silently accept: an object naming
// the same key twice (the last would win, so two readers of one request could see two
// different signers) and nesting deeper than maxJSONDepth. Syntax errors are left to
// the decoder, which reports them with their offset.
func checkJSONShape(data []byte) error {
	type frame struct {
		name    string          // where the container sits: "certificate" or "[2]"
		n       int             // in an array, the elements seen
		keys    map[string]bool // nil for an array
		wantKey bool            // in an object, the next token is a key
		key     string          // in an object, the current key
	}
	var stack []*frame
	names := func() []string {
		out := make([]string, len(stack))
		for i, f := range stack {
			out[i] = f.name
		}
		return out
	}
	where := func(key string) string {
		var b strings.Builder
		for _, name := range append(names(), key) {
			if name != "" && !strings.HasPrefix(name, "[") && b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(name)
		}
		if b.Len() == 0 {
			return "(input)"
		}
		return b.String()
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // io.EOF, or a syntax error the decoder reports better
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.keys != nil && top.wantKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				continue
			}
			k, _ := tok.(string)
			if top.keys[k] {
				return &RequestError{Field: where(k), Reason: "the key appears twice in the same object"}
			}
			top.keys[k], top.key, top.wantKey = true, k, false
			continue
		}
		element := ""
		switch {
		case top != nil && top.keys != nil:
			top.wantKey = true // this token is the value; a key comes next
			element = top.key
		case top != nil && tok != json.Delim(']'):
			element = "[" + strconv.Itoa(top.n) + "]"
			top.n++
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(stack) >= maxJSONDepth {
				return &RequestError{Field: where(""), Reason: fmt.Sprintf("nested deeper than %d levels", maxJSONDepth)}
			}
			f := &frame{name: element}
			if tok == json.Delim('{') {
				f.keys, f.wantKey = map[string]bool{}, true
			}
			stack = append(stack, f)
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
	}
}

// Validate checks that every field holds a value of the vocabulary and that the
// limits hold. The zero Request is invalid (role and kinds are required).
func (req *Request) Validate() error {
	if !req.Role.Valid() || req.Role == "" {
		return &RequestError{Field: "role", Value: string(req.Role), Reason: "unknown or missing role; use one of " + enumValues(roleAliases)}
	}
	if err := validateCertificate("certificate", req.Certificate); err != nil {
		return err
	}
	if err := validateDocument(req.Document); err != nil {
		return err
	}
	if err := validateMarkers("markers", req.Markers); err != nil {
		return err
	}
	if err := validateText("printed_title", req.PrintedTitle); err != nil {
		return err
	}
	return validateExisting("existing", req.Existing)
}

func validateCertificate(field string, c Certificate) error {
	if c.Kind == "" || !c.Kind.Valid() {
		return &RequestError{Field: field + ".kind", Value: string(c.Kind), Reason: "unknown or missing certificate kind; use one of " + enumValues(certKindAliases)}
	}
	if !c.Status.Valid() {
		return &RequestError{Field: field + ".status", Value: string(c.Status), Reason: "unknown certificate status; use good, revoked or suspended, or leave it out"}
	}
	if !c.NotBefore.IsZero() && !c.NotAfter.IsZero() && c.NotAfter.Before(c.NotBefore) {
		return &RequestError{Field: field + ".not_after", Reason: "the validity period ends before it begins"}
	}
	return validateText(field+".title", c.Title)
}

func validateDocument(d Document) error {
	if d.Kind == "" || !d.Kind.Valid() {
		return &RequestError{Field: "document.kind", Value: string(d.Kind), Reason: "unknown or missing document kind; use one of " + enumValues(docKindAliases)}
	}
	if !d.Classification.Valid() {
		return &RequestError{Field: "document.classification", Value: string(d.Classification), Reason: "unknown classification; use thuong, mat, toi-mat or tuyet-mat"}
	}
	if !d.CopyForm.Valid() {
		return &RequestError{Field: "document.copy_form", Value: string(d.CopyForm), Reason: `unknown copy form; use "SAO Y", "SAO LỤC" or "TRÍCH SAO"`}
	}
	return nil
}

func validateMarkers(field string, ms []AuthorityMarker) error {
	if len(ms) > MaxMarkers {
		return &RequestError{Field: field, Reason: fmt.Sprintf("more than %d authority markers", MaxMarkers)}
	}
	for i, m := range ms {
		if !m.Valid() {
			return &RequestError{Field: field + "[" + strconv.Itoa(i) + "]", Value: string(m), Reason: "unknown authority marker; use TM., KT., TL., TUQ. or Q."}
		}
	}
	return nil
}

func validateText(field, s string) error {
	if len(s) > MaxTextLength {
		return &RequestError{Field: field, Reason: fmt.Sprintf("longer than %d bytes", MaxTextLength)}
	}
	if !utf8.ValidString(s) {
		return &RequestError{Field: field, Reason: "not valid UTF-8"}
	}
	return nil
}

func validateExisting(name string, sigs []ExistingSignature) error {
	if len(sigs) > MaxExistingSignatures {
		return &RequestError{Field: name, Reason: fmt.Sprintf("more than %d existing signatures", MaxExistingSignatures)}
	}
	seen := make(map[int]bool, len(sigs))
	for i, s := range sigs {
		field := name + "[" + strconv.Itoa(i) + "]"
		if s.Kind != "" && s.Kind != KindSignature && s.Kind != KindDocTimestamp {
			return &RequestError{Field: field + ".kind", Value: string(s.Kind), Reason: `use "signature" or "doc-timestamp"`}
		}
		if s.Order < 1 {
			return &RequestError{Field: field + ".order", Value: strconv.Itoa(s.Order), Reason: "orders start at 1"}
		}
		if seen[s.Order] {
			return &RequestError{Field: field + ".order", Value: strconv.Itoa(s.Order), Reason: "two existing signatures have the same order"}
		}
		seen[s.Order] = true
		switch s.Indication {
		case IndicationNotChecked, IndicationTotalPassed, IndicationTotalFailed, IndicationIndeterminate:
		default:
			return &RequestError{Field: field + ".indication", Value: string(s.Indication), Reason: "use TOTAL_PASSED, TOTAL_FAILED or INDETERMINATE, or leave it out"}
		}
		if s.Kind == KindDocTimestamp {
			continue // the certificate of a time-stamping authority is outside the vocabulary
		}
		if err := validateCertificate(field+".certificate", s.Certificate); err != nil {
			return err
		}
		if err := validateMarkers(field+".markers", s.Markers); err != nil {
			return err
		}
	}
	return nil
}
