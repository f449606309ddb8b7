package signature

import (
	"strings"

	"github.com/kyso-go/kyso/internal/pdf"
)

// fieldLock is a FieldMDP lock: which fields a signature forbids changing afterwards
// (ISO 32000-1 §12.8.2.4, and a signature field's /Lock dictionary).
type fieldLock struct {
	action string // All, Include, Exclude
	fields []string
}

// locks reports whether the lock covers the field with the given full name (a lock on
// "a" covers "a.b" too).
func (l fieldLock) locks(name string) bool {
	in := false
	for _, f := range l.fields {
		if name == f || strings.HasPrefix(name, f+".") {
			in = true
			break
		}
	}
	switch l.action {
	case "All":
		return true
	case "Include":
		return in
	case "Exclude":
		return !in
	}
	return false
}

// parseLock reads a FieldMDP transform parameters or /Lock dictionary.
func parseLock(doc *pdf.Document, o pdf.Object) (fieldLock, bool) {
	d, ok := asDict(resolveQuiet(doc, o))
	if !ok {
		return fieldLock{}, false
	}
	a, _ := d.Get("Action").(pdf.Name)
	l := fieldLock{action: string(a)}
	if arr, ok := resolveQuiet(doc, d.Get("Fields")).(pdf.Array); ok {
		for _, e := range arr {
			if s, ok := pdf.Text(resolveQuiet(doc, e)); ok {
				l.fields = append(l.fields, s)
			}
		}
	}
	return l, l.action != ""
}

// mdpOf reads a signature's DocMDP permission level P (0 when it is not a
// certification signature) and its FieldMDP locks, from the signature dictionary's
// /Reference and the signature field's /Lock.
func mdpOf(doc *pdf.Document, sig, field pdf.Dict) (p int, locks []fieldLock) {
	refs, _ := resolveQuiet(doc, sig.Get("Reference")).(pdf.Array)
	for _, e := range refs {
		rd, ok := asDict(resolveQuiet(doc, e))
		if !ok {
			continue
		}
		tm, _ := rd.Get("TransformMethod").(pdf.Name)
		switch tm {
		case "DocMDP":
			p = 2
			if params, ok := asDict(resolveQuiet(doc, rd.Get("TransformParams"))); ok {
				if v, ok := resolveQuiet(doc, params.Get("P")).(pdf.Integer); ok && v >= 1 && v <= 3 {
					p = int(v)
				}
			}
		case "FieldMDP":
			if l, ok := parseLock(doc, rd.Get("TransformParams")); ok {
				locks = append(locks, l)
			}
		}
	}
	if field != nil {
		if l, ok := parseLock(doc, field.Get("Lock")); ok {
			locks = append(locks, l)
		}
	}
	return p, locks
}

// allowedBy is the most serious modification class a DocMDP level allows after the
// signature (PAdES always allows DSS and document time-stamps; "other" is never
// allowed: kyso refuses changes to content under any signature).
func allowedBy(p int) Modification {
	switch p {
	case 1:
		return ModLTAUpdates
	case 2:
		return ModFormFilling
	default:
		return ModAnnotations
	}
}
