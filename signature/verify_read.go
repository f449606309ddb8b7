package signature

import (
	"crypto"
	"crypto/x509"
	"io"

	"github.com/kyso-go/kyso/internal/pdf"
)

// This file holds the verifier's reading and hashing helpers: values read from the
// PDF, the document security store, and the one-pass hashing of every signature's
// ranges.

// intArray reads an array of integers, or nil.
func intArray(doc *pdf.Document, o pdf.Object) []int64 {
	a, ok := resolveQuiet(doc, o).(pdf.Array)
	if !ok {
		return nil
	}
	out := make([]int64, 0, len(a))
	for _, e := range a {
		n, ok := resolveQuiet(doc, e).(pdf.Integer)
		if !ok {
			return nil
		}
		out = append(out, int64(n))
	}
	return out
}

// readDSS reads the newest document security store.
func (v *verifier) readDSS() {
	cat, err := v.doc.Catalog()
	if err != nil {
		return
	}
	dss, ok := asDict(resolveQuiet(v.doc, cat.Get("DSS")))
	if !ok {
		return
	}
	total := 0
	streams := func(key pdf.Name) [][]byte {
		var out [][]byte
		arr, _ := resolveQuiet(v.doc, dss.Get(key)).(pdf.Array)
		for _, e := range arr {
			if data, ok := dssStreamData(v.doc, e, &total, maxDSSBytes); ok {
				out = append(out, data)
			}
		}
		return out
	}
	v.dss.certs = dssCertificates(v.doc, dss, &total, maxDSSBytes, 0)
	v.dss.ocsps = streams("OCSPs")
	v.dss.crls = streams("CRLs")
}

// tokenCandidates returns the certificates among which a time-stamp token's TSA
// certificate is looked up when the token does not carry it: extra (the certificate
// set of the CMS the token is attached to), the caller's VerifyOptions.Certificates,
// the DSS, and the certificate sets of every signature and document time-stamp of the
// document.
func (v *verifier) tokenCandidates(extra []*x509.Certificate) []*x509.Certificate {
	if v.known == nil {
		// Built once, each certificate once (the first of identical copies: every
		// signature of one signer carries the same ones), so that what a token's
		// lookup and path building go through grows with the distinct certificates,
		// not with the signatures.
		known := []*x509.Certificate{}
		seen := map[string]bool{}
		add := func(cs []*x509.Certificate) {
			for _, c := range cs {
				if c != nil && !seen[string(c.Raw)] {
					seen[string(c.Raw)] = true
					known = append(known, c)
				}
			}
		}
		add(v.opts.Certificates)
		add(v.dss.certs)
		for _, s := range v.sigs {
			switch {
			case s.sd != nil:
				add(s.sd.Certificates)
			case s.tok != nil:
				add(s.tok.Certs)
			}
		}
		v.known = known
	}
	return append(append([]*x509.Certificate(nil), extra...), v.known...)
}

// addHashJob adds the hashing of s's ranges to jobs when its structural checks
// passed and its digest algorithm is available.
func (v *verifier) addHashJob(jobs []hashJob, s *sigState) []hashJob {
	s.job = -1
	if s.broken || s.ranges == nil {
		return jobs
	}
	h := crypto.Hash(0)
	switch {
	case s.tok != nil:
		h = s.tok.Hash
	case s.rep.SubFilter == "adbe.pkcs7.sha1":
		h = crypto.SHA1 // the encapsulated digest of the byte ranges (verify_legacy.go)
	case s.si != nil:
		h = s.si.Hash
	}
	if h == 0 || !h.Available() {
		return jobs
	}
	s.job = len(jobs)
	return append(jobs, hashJob{Hash: h, Ranges: s.ranges})
}

// hashSignatures hashes every job in one pass over the file and gives each signature
// its digest. Unreadable signed bytes make every hashed signature INDETERMINATE
// (SIGNED_DATA_NOT_FOUND); only a cancelled context is an error.
func (v *verifier) hashSignatures(jobs []hashJob, census *pdf.RefCensus) error {
	// At most 64 passes' worth of hashing (plus 1 GiB): ordinary documents, whose
	// signatures share most of their ranges, need little more than one.
	var r io.ReaderAt = v.r
	if census != nil {
		r = censusReader{r: v.r, c: census}
	}
	digests, err := hashRangesLimited(v.ctx, r, jobs, 64*v.size+1<<30)
	if err != nil {
		if v.ctx.Err() != nil {
			return v.ctx.Err()
		}
		for _, s := range v.sigs {
			if s.job >= 0 {
				s.rep.fail(Indeterminate, SignedDataNotFound)
				s.rep.add(CheckMessageDigest, CheckIndeterminate, msgHashFail(err))
				s.broken = true
			}
		}
	}
	for _, s := range v.sigs {
		if s.job >= 0 && digests != nil {
			s.digest = digests[s.job]
		}
	}
	return nil
}

// censusReader gives what the hashing pass reads (in increasing offsets, from one
// goroutine) to the modification analysis's census of references as well.
type censusReader struct {
	r io.ReaderAt
	c *pdf.RefCensus
}

func (cr censusReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := cr.r.ReadAt(p, off)
	if n > 0 {
		cr.c.Feed(off, p[:n])
	}
	return n, err
}
