package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxJSONSize bounds a form-data JSON document.
const MaxJSONSize = 16 << 20

// UnmarshalData parses a form-data JSON document (the format MarshalData writes):
//
//	{"form": "tt185/mau-01", "header": {...}, "fields": {"fullName": "…"},
//	 "tables": {"subscribers": [{"fullName": "…"}]}}
//
// Unknown keys and non-string values are errors (wrapping ErrMalformedInput, with the
// line). It does not validate the values against a definition; see Definition.Validate.
func UnmarshalData(b []byte) (*Data, error) {
	if len(b) > MaxJSONSize {
		return nil, &InputError{Detail: fmt.Sprintf("JSON document is %d bytes, at most %d", len(b), MaxJSONSize), Err: ErrInputTooLarge}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var d Data
	if err := dec.Decode(&d); err != nil {
		return nil, jsonError(b, err)
	}
	if dec.More() {
		return nil, &InputError{Detail: "JSON: more than one value in the document", Err: ErrMalformedInput}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &InputError{Detail: "JSON: trailing data after the document", Err: ErrMalformedInput}
	}
	return &d, nil
}

// ReadData reads and parses a form-data JSON document of at most MaxJSONSize bytes.
func ReadData(r io.Reader) (*Data, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxJSONSize+1))
	if err != nil {
		return nil, err
	}
	return UnmarshalData(b)
}

// MarshalData writes data as indented JSON, the exchange format UnmarshalData reads.
func MarshalData(d *Data) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func lineAt(b []byte, off int64) int {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	return bytes.Count(b[:off], []byte("\n")) + 1
}

func jsonError(b []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return &InputError{Line: lineAt(b, se.Offset), Detail: "JSON syntax: " + se.Error(), Err: ErrMalformedInput}
	case errors.As(err, &te):
		return &InputError{Line: lineAt(b, te.Offset), Detail: fmt.Sprintf("JSON: %q must be a %s (got %s); write every value as a string", te.Field, te.Type, te.Value), Err: ErrMalformedInput}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &InputError{Detail: "JSON: document is empty or truncated", Err: ErrMalformedInput}
	}
	return &InputError{Detail: "JSON: " + err.Error(), Err: ErrMalformedInput}
}
