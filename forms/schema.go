package forms

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
)

// Patterns used in generated JSON Schemas; they mirror Validate (which is a little more
// lenient: it also accepts separators in phone numbers and serials).
var schemaPatterns = map[FieldType]string{
	TypeDate:       `^(0?[1-9]|[12][0-9]|3[01])/(0?[1-9]|1[0-2])/(19|20|21)[0-9]{2}$`,
	TypePhone:      `^(\+84|0)[35789][0-9]{8}$`,
	TypeCCCD:       `^(00[1-9]|0[1-8][0-9]|09[0-6])[0-9]{9}$`,
	TypeIDNumber:   `^([0-9]{9}|(00[1-9]|0[1-8][0-9]|09[0-6])[0-9]{9}|[A-Z][0-9]{7})$`,
	TypeTaxCode:    `^[0-9]{10}(-[0-9]{3})?$`,
	TypeBudgetCode: `^[0-9]{7}$`,
	TypeInteger:    `^[0-9]{1,9}$`,
	TypeSerial:     `^[0-9A-Fa-f :]{1,80}$`,
}

// JSONSchema returns a JSON Schema (draft 2020-12) describing this form's data
// document, for portals' front ends: field labels as titles, help as descriptions,
// required fields, enum options (oneOf with const and title), formats and patterns for
// dates, phone numbers, CCCD, tax codes and e-mail addresses, and conditional
// requirements (requiredIf) as if/then clauses. Validate remains the authority: it
// also checks things a schema cannot (dates that exist, dates not in the future).
func (d *Definition) JSONSchema() ([]byte, error) {
	str := func(title string) map[string]any { return map[string]any{"type": "string", "title": title} }
	strArr := func(title string) map[string]any {
		return map[string]any{"type": "array", "title": title, "items": map[string]any{"type": "string"}}
	}
	header := map[string]any{
		"type": "object", "title": "Thông tin văn bản / Letter header", "additionalProperties": false,
		"properties": map[string]any{
			"parentBody":      str("Cơ quan chủ quản / Parent body"),
			"issuingBody":     str("Cơ quan ban hành / Issuing body"),
			"number":          str("Số, ký hiệu / Number and symbol"),
			"place":           str("Địa danh / Place"),
			"date":            withPattern(str("Ngày ban hành / Date (dd/mm/yyyy)"), schemaPatterns[TypeDate]),
			"recipients":      strArr("Kính gửi / Recipients"),
			"distribution":    strArr("Nơi nhận / Distribution"),
			"signerAuthority": str("Quyền hạn ký / Signing authority (e.g. KT. GIÁM ĐỐC)"),
			"signerTitle":     str("Chức vụ người ký / Signer's title"),
			"signerName":      str("Họ tên người ký / Signer's name"),
		},
	}
	fields, required := fieldSchemas(d.Fields())
	fieldsObj := map[string]any{"type": "object", "title": "Các trường / Fields", "additionalProperties": false,
		"properties": fields}
	if len(required) > 0 {
		fieldsObj["required"] = required
	}
	if c := conditionals(d.Fields()); len(c) > 0 {
		fieldsObj["allOf"] = c
	}
	props := map[string]any{
		"form":   map[string]any{"const": d.ID, "title": "Mã biểu mẫu / Form identifier"},
		"header": header,
		"fields": fieldsObj,
	}
	// "fields" and "tables" are required only when something in them is: MarshalData
	// omits them when empty.
	top := []string{"form"}
	if len(required) > 0 || len(conditionals(d.Fields())) > 0 {
		top = append(top, "fields")
	}
	if ts := d.Tables(); len(ts) > 0 {
		tprops := map[string]any{}
		var treq []string
		for _, t := range ts {
			cols, creq := fieldSchemas(t.Columns)
			item := map[string]any{"type": "object", "additionalProperties": false, "properties": cols}
			if len(creq) > 0 {
				item["required"] = creq
			}
			if c := conditionals(t.Columns); len(c) > 0 {
				item["allOf"] = c
			}
			maxRows := t.MaxRows
			if maxRows <= 0 {
				maxRows = DefaultMaxRows
			}
			arr := map[string]any{"type": "array", "title": firstNonEmpty(t.Title, t.ID), "items": item,
				"minItems": t.MinRows, "maxItems": maxRows}
			tprops[t.ID] = arr
			if t.MinRows > 0 {
				treq = append(treq, t.ID)
			}
		}
		tobj := map[string]any{"type": "object", "title": "Danh sách / Lists", "additionalProperties": false,
			"properties": tprops}
		if len(treq) > 0 {
			tobj["required"] = treq
			top = append(top, "tables")
		}
		props["tables"] = tobj
	}
	desc := d.Title
	if d.TitleEn != "" {
		desc += " / " + d.TitleEn
	}
	schema := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  "urn:kyso:forms:" + d.ID,
		"title":                d.Title,
		"description":          desc + ". Provenance: " + d.Provenance.Confidence + ".",
		"type":                 "object",
		"additionalProperties": false,
		"required":             top,
		"properties":           props,
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(schema); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// conditionals expresses the fields' requiredIf conditions ("deviceType=sim-pki") as
// JSON Schema if/then clauses, so a front end asks for the value when it is needed.
func conditionals(fs []Field) []any {
	var out []any
	for _, f := range fs {
		other, val, ok := strings.Cut(f.RequiredIf, "=")
		if !ok {
			continue
		}
		out = append(out, map[string]any{
			"if": map[string]any{"properties": map[string]any{other: map[string]any{"const": val}},
				"required": []string{other}},
			"then": map[string]any{"properties": map[string]any{f.ID: map[string]any{"minLength": 1}},
				"required": []string{f.ID}},
		})
	}
	return out
}

func withPattern(m map[string]any, p string) map[string]any {
	m["pattern"] = p
	return m
}

func fieldSchemas(fs []Field) (map[string]any, []string) {
	props := map[string]any{}
	var req []string
	for _, f := range fs {
		title := f.Label
		if f.LabelEn != "" {
			title += " / " + f.LabelEn
		}
		s := map[string]any{"type": "string", "title": title}
		var desc []string
		if f.Help != "" {
			desc = append(desc, f.Help)
		}
		if f.HelpEn != "" {
			desc = append(desc, f.HelpEn)
		}
		if f.RequiredIf != "" {
			desc = append(desc, "Bắt buộc khi / required when "+f.RequiredIf)
		}
		if len(desc) > 0 {
			s["description"] = strings.Join(desc, " ")
		}
		maxLen := f.MaxLength
		if maxLen <= 0 {
			maxLen = DefaultMaxLength
			if f.Type == TypeParagraph {
				maxLen = 4 * DefaultMaxLength
			}
		}
		s["maxLength"] = maxLen
		if p, ok := schemaPatterns[f.Type]; ok {
			s["pattern"] = p
		}
		switch f.Type {
		case TypeEnum:
			var one []any
			for _, o := range f.Options {
				t := o.Label
				if o.LabelEn != "" && o.LabelEn != o.Label {
					t += " / " + o.LabelEn
				}
				one = append(one, map[string]any{"const": o.Value, "title": t})
			}
			if !f.Required {
				one = append(one, map[string]any{"const": "", "title": "(không chọn / none)"})
			}
			s["oneOf"] = one
		case TypeEmail:
			s["format"] = "email"
			if f.DomainSuffix != "" {
				s["pattern"] = `(@|\.)` + regexp.QuoteMeta(f.DomainSuffix) + `$`
			}
		case TypeDate:
			s["x-format"] = "dd/mm/yyyy"
		case TypeParagraph:
			s["x-multiline"] = true
		}
		if f.Required {
			s["minLength"] = 1
			req = append(req, f.ID)
		} else if p, ok := s["pattern"].(string); ok {
			s["pattern"] = "^$|" + p
		}
		props[f.ID] = s
	}
	return props, req
}
