package signature

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/evidence"
	"github.com/kyso-go/kyso/internal/pdf"
)

// Limits on the validation data gathered for a DSS.
const (
	maxLevelSubjects = 200 // signatures and document time-stamps
	maxChainLength   = 10
	maxPoolCerts     = 1000 // candidate certificates for chain building
	maxOCSPSize      = 1 << 20
	maxCRLSize       = 64 << 20
)

// dssSubject is a signature or document time-stamp of the document: its VRI key, the
// certificates whose chains must be validated (the signer's and each TSA's) and the
// certificates that came with it.
type dssSubject struct {
	field string
	vri   pdf.Name
	ends  []*x509.Certificate
	pool  []*x509.Certificate
	// warn says what of this signature's validation data cannot be added (a
	// time-stamp token that does not carry its TSA's certificate).
	warn string
}

// findDSSSubjects lists the document's signatures and document time-stamps. A
// signature whose CMS cannot be read is skipped with a warning: adding validation data
// does not judge signatures, Verify does. extra are candidates for a certificate a
// CMS leaves out (a TSA's, when the token was requested without certReq).
func findDSSSubjects(doc *pdf.Document, extra []*x509.Certificate) ([]dssSubject, []string, error) {
	fields, err := doc.Fields()
	if err != nil {
		return nil, nil, signErr(ErrDocument, err, "reading the form fields")
	}
	var subs []dssSubject
	var warns []string
	for _, f := range fields {
		if f.Type != "Sig" {
			continue
		}
		d, ok := resolveQuiet(doc, f.Dict.Get("V")).(pdf.Dict)
		if !ok {
			continue
		}
		contents, ok := pdf.Bytes(resolveQuiet(doc, d.Get("Contents")))
		if !ok || emptyContents(contents) {
			continue
		}
		if len(subs) >= maxLevelSubjects {
			return nil, nil, signErr(ErrDocument, nil, "more than %d signatures", maxLevelSubjects)
		}
		sub, err := dssSubjectOf(f.Name, contents, extra)
		if err != nil {
			warns = append(warns, fmt.Sprintf("signature field %q: %v; no validation data added for it", f.Name, err))
			continue
		}
		if sub.warn != "" {
			warns = append(warns, fmt.Sprintf("signature field %q: %s", f.Name, sub.warn))
		}
		subs = append(subs, sub)
	}
	return subs, warns, nil
}

// existingDSSCertificates returns the certificates already in the document's DSS,
// /Certs and /VRI /Cert (at most maxPoolCerts, within maxExistingDSSBytes): candidates for a
// certificate a time-stamp token leaves out, which another tool put there.
func existingDSSCertificates(doc *pdf.Document) []*x509.Certificate {
	cat, err := doc.Catalog()
	if err != nil {
		return nil
	}
	dss, ok := resolveQuiet(doc, cat.Get("DSS")).(pdf.Dict)
	if !ok {
		return nil
	}
	total := 0
	return dssCertificates(doc, dss, &total, maxExistingDSSBytes, maxPoolCerts)
}

// dssSubjectOf reads the certificates to validate from a /Contents value: a CMS
// signature (its signer and, for B-T, its time-stamp's TSA) or a document time-stamp
// token (its TSA). A certificate the CMS leaves out is looked up among extra (and,
// for a signature time-stamp's TSA, among the signature's certificates) and, found,
// goes into the DSS with its chain. A signature time-stamp whose TSA certificate is
// nowhere is a warning (sub.warn): the signature's own data is still gathered.
func dssSubjectOf(field string, contents []byte, extra []*x509.Certificate) (dssSubject, error) {
	sub := dssSubject{field: field, vri: vriKey(contents)}
	sd, err := cms.Parse(contents)
	if err != nil {
		return sub, fmt.Errorf("unreadable CMS: %v", err)
	}
	if len(sd.Signers) == 0 {
		return sub, errors.New("the CMS has no signer")
	}
	add := func(sd *cms.SignedData, more []*x509.Certificate) error {
		cert, err := sd.SignerCertificate(sd.Signers[0])
		if err != nil {
			cert, err = (&cms.SignedData{Certificates: append(append([]*x509.Certificate(nil), more...), extra...)}).SignerCertificate(sd.Signers[0])
		}
		if err != nil {
			return errors.New("the signer's certificate is neither in the CMS nor among the Certificates given")
		}
		sub.ends = append(sub.ends, cert)
		sub.pool = append(sub.pool, sd.Certificates...)
		return nil
	}
	if err := add(sd, nil); err != nil {
		return sub, err
	}
	if tok, ok := sd.Signers[0].SignatureTimeStampToken(); ok {
		if tsd, err := cms.Parse(tok); err == nil && len(tsd.Signers) > 0 {
			if err := add(tsd, sd.Certificates); err != nil {
				// A token requested with certReq false whose TSA certificate is
				// nowhere: the signer's own data is still added; the TSA's cannot be.
				sub.warn = fmt.Sprintf("signature time-stamp: %v; no validation data added for its TSA", err)
			}
		}
	}
	return sub, nil
}

// revocationInfo is the status data obtained for one certificate.
type revocationInfo struct {
	ocsps, crls [][]byte
	responders  []*x509.Certificate // OCSP responder certificates found in the responses
	missing     *MissingRevocation
	// warning is what the source said along with its data (for example that the
	// certificate is revoked); the data is still embedded, as evidence.
	warning string
}

// dssCollector fetches chains and revocation data, each certificate once.
type dssCollector struct {
	now   func() time.Time // the clock answers are judged by; time.Now
	src   RevocationSource
	pool  []*x509.Certificate
	cache map[string]*revocationInfo
	// responderOf maps a delegated OCSP responder certificate without
	// id-pkix-ocsp-nocheck (DER) to a certificate it answered about: its own status
	// comes from CRLs only (RFC 6960 §4.2.2.2.1; never from OCSP, so never from
	// itself), and the issuer's CRL of that certificate may cover it.
	responderOf map[string]*x509.Certificate
}

func newDSSCollector(src RevocationSource, extra []*x509.Certificate) *dssCollector {
	c := &dssCollector{now: time.Now, src: src, cache: map[string]*revocationInfo{}, responderOf: map[string]*x509.Certificate{}}
	c.addPool(extra)
	return c
}

func (c *dssCollector) addPool(certs []*x509.Certificate) {
	for _, cert := range certs {
		if cert == nil || len(c.pool) >= maxPoolCerts {
			continue
		}
		dup := false
		for _, p := range c.pool {
			if bytes.Equal(p.Raw, cert.Raw) {
				dup = true
				break
			}
		}
		if !dup {
			c.pool = append(c.pool, cert)
		}
	}
}

// chain returns cert followed by its issuers as far as they are known, ending at a
// self-signed certificate when the root is known.
func (c *dssCollector) chain(cert *x509.Certificate) []*x509.Certificate {
	return cms.IssuerChain(cert, c.pool, maxChainLength)
}

func selfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) && c.CheckSignatureFrom(c) == nil
}

// status fetches revocation data for cert issued by issuer: an OCSP response, or the
// CRLs when OCSP gives nothing. Answers that report a revocation are kept too (they are
// evidence; Verify judges them against the signing time).
func (c *dssCollector) status(ctx context.Context, cert, issuer *x509.Certificate) *revocationInfo {
	if ri, ok := c.cache[string(cert.Raw)]; ok {
		return ri
	}
	if subject, ok := c.responderOf[string(cert.Raw)]; ok && issuer != nil && c.src != nil {
		return c.responderStatus(ctx, cert, issuer, subject)
	}
	ri := &revocationInfo{}
	c.cache[string(cert.Raw)] = ri
	if issuer == nil {
		ri.missing = &MissingRevocation{Certificate: cert,
			Reason: "its issuer certificate is unknown (give it, and the root, in Certificates)"}
		return ri
	}
	if c.src == nil {
		ri.missing = &MissingRevocation{Certificate: cert, Issuer: issuer, Reason: "no RevocationSource given"}
		return ri
	}
	// Each answer is judged by the module's evidence core (internal/evidence) as
	// certstatus and Verify judge it, for the time it is collected: what goes into the
	// DSS is what the verifier will accept.
	ev := c.evaluator(ctx, cert)
	now := ev.Now()
	var whys []string
	der, err := c.src.OCSPResponse(ctx, cert, issuer)
	if len(der) > 0 {
		r, perr := ev.OCSP(der, "", cert, issuer, now, nil, false)
		if errors.Is(perr, evidence.ErrNotForThisCert) {
			perr = errors.New("the response is about another certificate")
		}
		if perr == nil {
			ri.ocsps = append(ri.ocsps, der)
			if r.Responder != nil && !bytes.Equal(r.Responder.Raw, issuer.Raw) {
				ri.responders = append(ri.responders, r.Responder)
			}
			ri.warning = statusWarning(cert, "OCSP", err)
			return ri
		}
		whys = append(whys, "OCSP: unusable response: "+strings.TrimPrefix(perr.Error(), "certstatus: "))
	} else if err != nil {
		whys = append(whys, "OCSP: "+err.Error())
	} else {
		whys = append(whys, "OCSP: empty response")
	}
	crls, err := c.src.CRLs(ctx, cert, issuer)
	var usable [][]byte
	for _, der := range crls {
		if len(der) > maxCRLSize {
			continue
		}
		if _, perr := evidence.ParseCRL(der, issuer); perr == nil {
			usable = append(usable, der)
		}
	}
	if len(usable) > 0 {
		if _, perr := ev.CRLSet(usable, cert, issuer, now); perr != nil {
			whys = append(whys, "CRL: unusable: "+strings.TrimPrefix(perr.Error(), "certstatus: "))
			usable = nil
		}
	}
	if len(usable) > 0 {
		ri.crls = usable
		ri.warning = statusWarning(cert, "CRL", err)
		return ri
	}
	switch {
	case err != nil:
		whys = append(whys, "CRL: "+err.Error())
	case len(crls) > 0 && len(whys) < 2:
		whys = append(whys, "CRL: no CRL signed by the issuer")
	case len(crls) == 0:
		whys = append(whys, "CRL: none")
	}
	ri.missing = &MissingRevocation{Certificate: cert, Issuer: issuer, Reason: joinWhys(whys)}
	return ri
}

// evaluator is the evidence core at the collector's clock, for answers about subject.
// The status of a delegated OCSP responder without id-pkix-ocsp-nocheck that signed
// an answer comes from its CRLs (responderStatus), fetched once: an answer whose
// responder is revoked is not embedded, and the CRL that vouches for the responder is
// embedded with it, so that Verify from the DSS reaches the same verdict.
func (c *dssCollector) evaluator(ctx context.Context, subject *x509.Certificate) *evidence.Evaluator {
	ev := &evidence.Evaluator{ClockSkew: revocationSkew, Now: c.now, MaxOCSPBytes: maxOCSPSize}
	ev.ResponderStatus = func(rc, issuer *x509.Certificate, at time.Time) evidence.Result {
		if _, ok := c.responderOf[string(rc.Raw)]; !ok {
			c.responderOf[string(rc.Raw)] = subject
		}
		ri := c.status(ctx, rc, issuer)
		if len(ri.crls) == 0 {
			return evidence.Result{At: at, Err: evidence.ErrNoRevocationData}
		}
		return ev.CRLStatus(ri.crls, rc, issuer, at)
	}
	return ev
}

// responderStatus fetches the CRLs that cover a delegated OCSP responder rc without
// id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): those at its own distribution points,
// else the issuer's CRL of subject (a certificate rc answered about) when it covers
// rc. It never asks OCSP (never rc about itself). When none establishes rc's status,
// rc's answers are still usable (Verify warns), so this is a warning, not missing
// data.
func (c *dssCollector) responderStatus(ctx context.Context, rc, issuer, subject *x509.Certificate) *revocationInfo {
	ri := &revocationInfo{}
	c.cache[string(rc.Raw)] = ri
	ev := &evidence.Evaluator{ClockSkew: revocationSkew, Now: c.now, MaxOCSPBytes: maxOCSPSize}
	now := ev.Now()
	var whys []string
	try := func(crls [][]byte, err error) bool {
		var usable [][]byte
		for _, der := range crls {
			if len(der) <= maxCRLSize {
				usable = append(usable, der)
			}
		}
		r := ev.CRLStatus(usable, rc, issuer, now)
		if r.Status == evidence.StatusUnknown {
			if err == nil {
				err = r.Err
			}
			whys = append(whys, strings.TrimPrefix(err.Error(), "certstatus: "))
			return false
		}
		ri.crls = r.Raw
		if r.Status != evidence.StatusGood {
			ri.warning = fmt.Sprintf("OCSP responder %q: %s since %s (%s, CRL): its answers are not used",
				rc.Subject.CommonName, r.Status, r.RevokedAt.UTC().Format(time.RFC3339), r.Reason)
		}
		return true
	}
	if try(c.src.CRLs(ctx, rc, issuer)) {
		return ri
	}
	if subject != nil && !bytes.Equal(subject.Raw, rc.Raw) && try(c.src.CRLs(ctx, subject, issuer)) {
		return ri
	}
	_, en := evidence.ResponderUncheckedWarning(rc)
	ri.warning = fmt.Sprintf("%s (%s)", en, joinWhys(whys))
	return ri
}

// statusWarning words an error a RevocationSource returned together with data.
func statusWarning(cert *x509.Certificate, kind string, err error) string {
	if err == nil {
		return ""
	}
	return fmt.Sprintf("%s for %q: %v (the answer is embedded as evidence)", kind, cert.Subject.CommonName, err)
}

// dssPlan is the validation data gathered for a set of subjects.
type dssPlan struct {
	subjects []dssSubject
	// per subject, the items of its VRI entry
	items    [][3][][]byte
	missing  []MissingRevocation
	warnings []string
	// needs holds, per subject, the certificates (DER) whose status it needs: its own
	// chains, its TSAs' and their responders'.
	needs []map[string]bool
}

// missingOf lists the missing revocation data that the subject of the signature field
// named field needs. When no subject has that name, everything missing is returned:
// nothing can be shown to concern only others.
func (p *dssPlan) missingOf(field string) []MissingRevocation {
	for i, s := range p.subjects {
		if s.field != field {
			continue
		}
		var out []MissingRevocation
		for _, m := range p.missing {
			if m.Certificate != nil && p.needs[i][string(m.Certificate.Raw)] {
				out = append(out, m)
			}
		}
		return out
	}
	return p.missing
}

// collect gathers, for each subject, the chains of its certificates and their
// revocation data. ctx bounds the online queries.
func (c *dssCollector) collect(ctx context.Context, subs []dssSubject) (*dssPlan, error) {
	for _, s := range subs {
		c.addPool(s.pool)
	}
	plan := &dssPlan{subjects: subs, items: make([][3][][]byte, len(subs)), needs: make([]map[string]bool, len(subs))}
	reported := map[string]bool{}
	for i, s := range subs {
		var items [3][][]byte
		seen := map[string]bool{}
		plan.needs[i] = map[string]bool{}
		addItem := func(kind dssKind, der []byte) {
			if k := fmt.Sprint(kind) + string(der); !seen[k] {
				seen[k] = true
				items[kind] = append(items[kind], der)
			}
		}
		var todo []*x509.Certificate
		todo = append(todo, s.ends...)
		for n := 0; n < len(todo) && n < 4*maxChainLength; n++ {
			ch := c.chain(todo[n])
			for k, cert := range ch {
				addItem(dssCerts, cert.Raw)
				if selfSigned(cert) || evidence.HasOCSPNoCheck(cert) {
					continue
				}
				var issuer *x509.Certificate
				if k+1 < len(ch) {
					issuer = ch[k+1]
				}
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				plan.needs[i][string(cert.Raw)] = true
				ri := c.status(ctx, cert, issuer)
				for _, d := range ri.ocsps {
					addItem(dssOCSPs, d)
				}
				for _, d := range ri.crls {
					addItem(dssCRLs, d)
				}
				for _, r := range ri.responders {
					if !bytes.Equal(r.Raw, issuer.Raw) && !seen[fmt.Sprint(dssCerts)+string(r.Raw)] {
						c.addPool([]*x509.Certificate{r})
						todo = append(todo, r) // its chain goes in too
					}
				}
				if !reported[string(cert.Raw)] {
					reported[string(cert.Raw)] = true
					if ri.missing != nil {
						plan.missing = append(plan.missing, *ri.missing)
					}
					if ri.warning != "" {
						plan.warnings = append(plan.warnings, ri.warning)
					}
				}
			}
		}
		plan.items[i] = items
	}
	return plan, nil
}

// write stores the plan into b: every item in the DSS arrays and one VRI entry per
// subject.
func (p *dssPlan) write(b *dssBuilder) []string {
	var keys []string
	for i, s := range p.subjects {
		var refs [3][]pdf.Ref
		for kind := range p.items[i] {
			for _, der := range p.items[i][kind] {
				refs[kind] = append(refs[kind], b.add(dssKind(kind), der))
			}
		}
		b.setVRI(s.vri, refs)
		keys = append(keys, string(s.vri))
	}
	return keys
}
