package signature

import (
	"crypto/x509"

	"github.com/kyso-go/kyso/internal/pdf"
)

// dssStreamData returns the data of the stream o refers to, counting its length in
// *total against limit: false for anything that is not a readable stream or would
// pass the limit.
func dssStreamData(doc *pdf.Document, o pdf.Object, total *int, limit int) ([]byte, bool) {
	st, ok := resolveQuiet(doc, o).(*pdf.Stream)
	if !ok {
		return nil, false
	}
	data, err := doc.StreamData(st)
	if err != nil || *total+len(data) > limit {
		return nil, false
	}
	*total += len(data)
	return data, true
}

// dssCertificates reads the certificates of a document security store: its /Certs,
// then the /Cert arrays of its /VRI dictionaries, which normally repeat /Certs but
// where a writer may have put a certificate (a TSA's, say) alone. Each certificate
// once, at most maxCerts of them (no bound when maxCerts is 0), the bytes read
// counted in *total against limit. The verifier and the B-LT/Extend lookup of a
// certificate a time-stamp token leaves out both read the store this way.
func dssCertificates(doc *pdf.Document, dss pdf.Dict, total *int, limit, maxCerts int) []*x509.Certificate {
	var out []*x509.Certificate
	seen := map[string]bool{}
	add := func(o pdf.Object) bool {
		if maxCerts > 0 && len(out) >= maxCerts {
			return false
		}
		der, ok := dssStreamData(doc, o, total, limit)
		if !ok || seen[string(der)] {
			return true
		}
		seen[string(der)] = true
		if c, err := x509.ParseCertificate(der); err == nil {
			out = append(out, c)
		}
		return true
	}
	arr, _ := resolveQuiet(doc, dss.Get("Certs")).(pdf.Array)
	for _, e := range arr {
		if !add(e) {
			return out
		}
	}
	vri, ok := asDict(resolveQuiet(doc, dss.Get("VRI")))
	if !ok {
		return out
	}
	for _, k := range vri.Keys() {
		entry, ok := asDict(resolveQuiet(doc, vri.Get(k)))
		if !ok {
			continue
		}
		arr, _ := resolveQuiet(doc, entry.Get("Cert")).(pdf.Array)
		for _, e := range arr {
			if !add(e) {
				return out
			}
		}
	}
	return out
}
