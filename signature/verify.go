package signature

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/kyso-go/kyso/internal/algorithm"
	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf"
)

// Verify reads the PDF of the given size from r and reports on every signature and
// document time-stamp in it, oldest first.
//
// For each one it checks, in this order: the /ByteRange (well-formed, starting at 0, one
// hole that is exactly the /Contents string, ending at the end of a revision); the CMS
// (well-formed, SubFilter consistent, signed attributes, message digest over the byte
// ranges, signature value, ESS signing-certificate binding, algorithm strength); what
// every later revision changed, object by object, judged against the certification
// level (DocMDP) and field locks (FieldMDP); the signing time (the signature time-stamp
// when there is one, else the claimed /M, flagged as unproven); the certification path
// at that time; and the revocation status, from the document's DSS and CMS first and
// online (opts.Revocation) only when allowed. All signatures are hashed in one pass
// over the file.
//
// A time-stamp (signature or document) proves its time only while the certificates of
// its TSA outlive the token's own proof of existence: the earliest valid document
// time-stamp over a later revision, else the validation time. An archive whose last
// document time-stamp's certificate has expired is therefore INDETERMINATE
// (OUT_OF_BOUNDS_NO_POE): renew it with Extend before then.
//
// The verdict per signature uses ETSI EN 319 102-1 indications and sub-indications.
// The revocation status of the signer's certificate, of the intermediate CA
// certificates (a CA whose status cannot be determined only gives a warning) and of
// time-stamping units is checked; the root's is not. Verify does not check visible
// signatures against Nghị định 30/2020 (layout does).
//
// An error is returned only when the input is not a readable PDF (ErrNotPDF, with a
// *DocumentError) or holds no signature (ErrNoSignatures, with the report); a crafted
// or broken signature yields a report, never an error or a panic.
func Verify(ctx context.Context, r io.ReaderAt, size int64, opts *VerifyOptions) (*Report, error) {
	if opts == nil {
		opts = &VerifyOptions{}
	}
	doc, err := pdf.Open(r, size, &pdf.Options{Password: opts.Password})
	if err != nil {
		return nil, &DocumentError{Err: err}
	}
	v := &verifier{ctx: ctx, r: r, size: size, opts: opts, doc: doc, now: opts.now()}
	return v.run()
}

// verifier holds the state of one Verify call.
type verifier struct {
	ctx  context.Context
	r    io.ReaderAt
	size int64
	opts *VerifyOptions
	doc  *pdf.Document
	now  time.Time

	revs     []pdf.Revision
	trailing bool // non-white bytes after the last revision
	differ   *differ
	sigs     []*sigState
	dss      dssData
	fetched  map[string]fetched // online revocation answers, by certificate
}

// sigState is one signature or document time-stamp being verified.
type sigState struct {
	rep     *SignatureReport
	field   pdf.Field
	dict    pdf.Dict
	broken  bool // a structural check failed: no further checks
	ranges  [][2]int64
	rev     int
	sd      *cms.SignedData
	si      *cms.SignerInfo
	tok     *timestampToken // the document time-stamp token
	job     int             // index into the hash jobs, -1 none
	digest  []byte
	poe     time.Time // proof of existence: the signature time-stamp's time
	hasPOE  bool
	mdpP    int
	locks   []fieldLock
	dssUsed bool // revocation status settled by DSS data
	// complete: every check ran; only then may a signature without failures pass.
	complete bool
}

// dssData is the content of the document security store (ETSI EN 319 142-1 §5.4).
type dssData struct {
	certs []*x509.Certificate
	revocationData
}

// maxDSSBytes bounds the validation data read from the DSS.
const maxDSSBytes = 64 << 20

func (v *verifier) run() (*Report, error) {
	v.revs = v.doc.Revisions()
	rep := &Report{Size: v.size, Revisions: len(v.revs)}
	if v.doc.Recovered() {
		m := msgRecovered()
		rep.Warnings = append(rep.Warnings, Check{Name: "structure", Result: CheckWarning, MessageVI: m.VI, MessageEN: m.EN})
	}
	if len(v.revs) > 0 && !onlyWhitespaceFrom(v.r, v.revs[len(v.revs)-1].EOF, v.size) {
		v.trailing = true
		m := msgTrailingBytes(v.size - v.revs[len(v.revs)-1].EOF)
		rep.Warnings = append(rep.Warnings, Check{Name: "trailing-data", Result: CheckWarning, MessageVI: m.VI, MessageEN: m.EN})
	}
	if len(v.revs) > v.opts.maxRevisions() {
		return nil, &DocumentError{Err: fmt.Errorf("%d revisions, more than the limit of %d", len(v.revs), v.opts.maxRevisions())}
	}
	v.differ = newDiffer(v.doc)
	if err := v.findSignatures(); err != nil {
		return nil, err
	}
	if len(v.sigs) == 0 {
		return rep, ErrNoSignatures
	}
	v.readDSS()

	var jobs []hashJob
	for _, s := range v.sigs {
		s.job = -1
		v.prepare(s)
		if !s.broken && s.ranges != nil {
			h := crypto.Hash(0)
			switch {
			case s.tok != nil:
				h = s.tok.Hash
			case s.si != nil:
				h = s.si.Hash
			}
			if h != 0 && h.Available() {
				s.job = len(jobs)
				jobs = append(jobs, hashJob{Hash: h, Ranges: s.ranges})
			}
		}
	}
	v.sharedSignatures()
	// At most 64 passes' worth of hashing (plus 1 GiB): ordinary documents, whose
	// signatures share most of their ranges, need little more than one.
	digests, err := hashRangesLimited(v.ctx, v.r, jobs, 64*v.size+1<<30)
	if err != nil {
		if v.ctx.Err() != nil {
			return nil, v.ctx.Err()
		}
		// Unreadable signed bytes: every hashed signature is indeterminate.
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
	// Document time-stamps first, newest first: they give proof of existence to what
	// they cover, older document time-stamps included.
	for i := len(v.sigs) - 1; i >= 0; i-- {
		if v.sigs[i].rep.Kind == KindDocTimestamp {
			v.finish(v.sigs[i])
		}
	}
	for _, s := range v.sigs {
		if s.rep.Kind == KindSignature {
			v.finish(s)
		}
	}
	for _, s := range v.sigs {
		switch {
		case s.rep.Indication == "" && s.complete:
			s.rep.Indication = TotalPassed
		case s.rep.Indication == "":
			// Defensive: a signature whose checks did not all run never passes.
			s.rep.Indication, s.rep.SubIndication = Indeterminate, SignedDataNotFound
		}
		if s.rep.Indication == TotalFailed {
			s.rep.Level = LevelNone
		}
		rep.Signatures = append(rep.Signatures, *s.rep)
	}
	return rep, nil
}

// findSignatures lists the signature fields that hold a signature dictionary, in the
// order of the revisions they sign.
func (v *verifier) findSignatures() error {
	fields, err := v.doc.Fields()
	if err != nil {
		return &DocumentError{Err: fmt.Errorf("reading the form fields: %w", err)}
	}
	var pages []pdf.Page // read once, when the first visible widget needs a page number
	for _, f := range fields {
		if f.Type != "Sig" {
			continue
		}
		val, err := v.doc.Resolve(f.Dict.Get("V"))
		if err != nil {
			continue
		}
		d, ok := val.(pdf.Dict)
		if !ok {
			continue
		}
		if len(v.sigs) >= v.opts.maxSignatures() {
			return &DocumentError{Err: fmt.Errorf("more than %d signatures", v.opts.maxSignatures())}
		}
		s := &sigState{field: f, dict: d, rev: -1, rep: &SignatureReport{Field: f.Name, Kind: KindSignature, Revision: -1, Modification: ModNone}}
		s.rep.Widget = widgetOf(v.doc, f, &pages)
		v.sigs = append(v.sigs, s)
	}
	// Oldest first: by the end of the signed range.
	end := func(s *sigState) int64 {
		br := intArray(v.doc, s.dict.Get("ByteRange"))
		if len(br) == 4 {
			return br[2] + br[3]
		}
		return -1
	}
	sort.SliceStable(v.sigs, func(i, j int) bool { return end(v.sigs[i]) < end(v.sigs[j]) })
	return nil
}

// sharedSignatures fails every signature whose signed ranges another field's
// signature also claims: one signature value shown under two fields (a later revision
// pointing a second field's /V at an existing signature dictionary, or a copy of it)
// would let a document appear signed in a field its signer never signed.
func (v *verifier) sharedSignatures() {
	byRanges := map[string][]*sigState{}
	var keys []string
	for _, s := range v.sigs {
		if s.ranges == nil {
			continue
		}
		k := fmt.Sprint(s.ranges)
		if byRanges[k] == nil {
			keys = append(keys, k)
		}
		byRanges[k] = append(byRanges[k], s)
	}
	for _, k := range keys {
		group := byRanges[k]
		if len(group) < 2 {
			continue
		}
		for _, s := range group {
			var others []string
			for _, o := range group {
				if o != s {
					others = append(others, fmt.Sprintf("%q", o.rep.Field))
				}
			}
			s.rep.add(CheckCoverage, CheckFailed, msgSignatureShared(strings.Join(others, ", ")))
			s.rep.fail(TotalFailed, FormatFailure)
			s.broken = true
		}
	}
}

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
			st, ok := resolveQuiet(v.doc, e).(*pdf.Stream)
			if !ok {
				continue
			}
			data, err := v.doc.StreamData(st)
			if err != nil || total+len(data) > maxDSSBytes {
				continue
			}
			total += len(data)
			out = append(out, data)
		}
		return out
	}
	for _, der := range streams("Certs") {
		if c, err := x509.ParseCertificate(der); err == nil {
			v.dss.certs = append(v.dss.certs, c)
		}
	}
	v.dss.ocsps = streams("OCSPs")
	v.dss.crls = streams("CRLs")
}

// prepare runs the structural checks of one signature and parses its CMS, so that its
// digest can be computed in the shared pass.
func (v *verifier) prepare(s *sigState) {
	rep, d := s.rep, s.dict
	if t, _ := d.Get("Type").(pdf.Name); t == "DocTimeStamp" {
		rep.Kind = KindDocTimestamp
	}
	sf, _ := resolveQuiet(v.doc, d.Get("SubFilter")).(pdf.Name)
	rep.SubFilter = string(sf)
	if sf == "ETSI.RFC3161" {
		rep.Kind = KindDocTimestamp
	}
	if t, ok := pdf.Text(resolveQuiet(v.doc, d.Get("M"))); ok {
		if tm, err := parsePDFDate(t); err == nil {
			rep.ClaimedTime = &tm
		}
	}
	rep.Reason, _ = pdf.Text(resolveQuiet(v.doc, d.Get("Reason")))
	rep.Location, _ = pdf.Text(resolveQuiet(v.doc, d.Get("Location")))
	s.mdpP, s.locks = mdpOf(v.doc, d, s.field.Dict)
	rep.CertificationLevel = s.mdpP

	failFormat := func(name CheckName, m msg) {
		rep.add(name, CheckFailed, m)
		rep.fail(TotalFailed, FormatFailure)
		s.broken = true
	}
	contents, _ := pdf.Bytes(resolveQuiet(v.doc, d.Get("Contents")))
	if emptyContents(contents) {
		failFormat(CheckContents, msgContentsMissing())
		return
	}
	br := intArray(v.doc, d.Get("ByteRange"))
	rep.ByteRange = br
	if br == nil {
		failFormat(CheckByteRange, msgByteRangeMissing())
		return
	}
	ranges, bad := checkByteRange(br, v.size)
	if bad != nil {
		failFormat(CheckByteRange, *bad)
		return
	}
	rep.add(CheckByteRange, CheckPassed, msgByteRangeOK(br))
	if bad := checkContentsHole(v.r, ranges[0][1], ranges[1][0], contents); bad != nil {
		failFormat(CheckContents, *bad)
		return
	}
	rep.add(CheckContents, CheckPassed, msgContentsOK(len(contents)))
	eofs := make([]int64, len(v.revs))
	for i, r := range v.revs {
		eofs[i] = r.EOF
	}
	end := ranges[1][1]
	s.rev = coveredRevision(v.r, end, eofs)
	if s.rev < 0 {
		failFormat(CheckCoverage, msgCoverageNoRevision(end))
		return
	}
	s.ranges = ranges
	rep.Revision = s.rev
	rep.CoversWholeDocument = s.rev == len(v.revs)-1 && !v.trailing && onlyWhitespaceFrom(v.r, end, v.size)
	if rep.CoversWholeDocument {
		rep.add(CheckCoverage, CheckPassed, msgCoverageWhole(s.rev, len(v.revs)))
	} else {
		rep.add(CheckCoverage, CheckInfo, msgCoveragePartial(s.rev, len(v.revs)))
	}

	if rep.Kind == KindDocTimestamp {
		if sf != "ETSI.RFC3161" {
			failFormat(CheckSubFilter, msgSubFilterMismatch(string(sf), "a document time-stamp must use ETSI.RFC3161"))
			return
		}
		tok, err := parseTimestampToken(contents)
		if err = weakDocTimestamp(rep, tok, err); err != nil {
			if errors.Is(err, errTimestampFormat) {
				failFormat(CheckCMSFormat, msgCMSParse(err))
			} else {
				rep.add(CheckTimestamp, CheckFailed, msgTimestampFail(err))
				rep.fail(TotalFailed, SigCryptoFailure)
				s.broken = true
			}
			return
		}
		rep.add(CheckCMSFormat, CheckPassed, msgCMSOK())
		rep.add(CheckSubFilter, CheckPassed, msgSubFilterOK(string(sf)))
		s.tok = tok
		return
	}

	switch sf {
	case "ETSI.CAdES.detached", "adbe.pkcs7.detached":
	case "adbe.pkcs7.sha1":
		rep.add(CheckAlgorithms, CheckFailed, msgAlgorithmWeak("adbe.pkcs7.sha1 (SHA-1)"))
		rep.fail(Indeterminate, CryptoConstraintsFailure)
		s.broken = true
		return
	default:
		failFormat(CheckSubFilter, msgSubFilterUnsupported(string(sf)))
		return
	}
	sd, err := cms.Parse(contents)
	if err != nil {
		failFormat(CheckCMSFormat, msgCMSParse(err))
		return
	}
	if len(sd.Signers) != 1 {
		failFormat(CheckCMSFormat, msgCMSParse(fmt.Errorf("%d signer infos, expected one", len(sd.Signers))))
		return
	}
	if sd.Content != nil {
		failFormat(CheckSubFilter, msgSubFilterMismatch(string(sf), "the CMS is not detached (it encapsulates content)"))
		return
	}
	s.sd, s.si = sd, sd.Signers[0]
	rep.add(CheckCMSFormat, CheckPassed, msgCMSOK())
	rep.DigestAlgorithm = s.si.Hash.String()
	if s.si.Hash == 0 {
		rep.DigestAlgorithm = s.si.DigestAlgorithm.Algorithm.String()
	}
	if s.si.Hash == 0 || !s.si.Hash.Available() || algorithm.WeakHash(s.si.Hash) {
		rep.add(CheckAlgorithms, CheckFailed, msgAlgorithmWeak("digest "+rep.DigestAlgorithm))
		rep.fail(Indeterminate, CryptoConstraintsFailure)
		s.broken = true
		return
	}
	if sf == "ETSI.CAdES.detached" && s.si.RawSignedAttributes == nil {
		failFormat(CheckSubFilter, msgSubFilterMismatch(string(sf), "CAdES requires signed attributes"))
		return
	}
	rep.add(CheckSubFilter, CheckPassed, msgSubFilterOK(string(sf)))
}

// finish runs the checks that need the digest, then time, trust and modifications.
func (v *verifier) finish(s *sigState) {
	rep := s.rep
	if s.broken {
		v.modifications(s)
		v.integritySummary(s, false)
		return
	}
	if s.digest == nil {
		rep.add(CheckMessageDigest, CheckIndeterminate, msgHashFail(errors.New("no digest algorithm available")))
		rep.fail(Indeterminate, SignedDataNotFound)
		return
	}
	if rep.Kind == KindDocTimestamp {
		v.finishDocTimestamp(s)
		return
	}
	si, sd := s.si, s.sd
	cryptoOK := true

	// Signed attributes and message digest.
	if si.RawSignedAttributes != nil {
		if ct, err := si.ContentTypeAttribute(); err != nil {
			rep.add(CheckSignedAttributes, CheckFailed, msgSignedAttrsMissing("content-type"))
			rep.fail(TotalFailed, FormatFailure)
			cryptoOK = false
		} else if !ct.Equal(cms.OIDData) {
			rep.add(CheckSignedAttributes, CheckFailed, msgSignedAttrsBad("content-type is not id-data"))
			rep.fail(TotalFailed, FormatFailure)
			cryptoOK = false
		}
		md, err := si.MessageDigest()
		switch {
		case err != nil:
			rep.add(CheckSignedAttributes, CheckFailed, msgSignedAttrsMissing("message-digest"))
			rep.fail(TotalFailed, FormatFailure)
			cryptoOK = false
		case !bytes.Equal(md, s.digest):
			rep.add(CheckMessageDigest, CheckFailed, msgDigestMismatch(rep.DigestAlgorithm))
			rep.fail(TotalFailed, HashFailure)
			cryptoOK = false
		default:
			_, hasSigningTime := si.Attribute(cms.OIDAttributeSigningTime)
			switch {
			case !cryptoOK: // content-type already reported
			case hasSigningTime && rep.SubFilter == "ETSI.CAdES.detached":
				rep.add(CheckSignedAttributes, CheckWarning, msgSignedAttrsSigningTime())
			default:
				rep.add(CheckSignedAttributes, CheckPassed, msgSignedAttrsOK())
			}
			rep.add(CheckMessageDigest, CheckPassed, msgDigestOK(rep.DigestAlgorithm))
		}
	}

	// The signer's certificate and the signature value.
	cert, err := sd.SignerCertificate(si)
	if err != nil {
		signerCertProblem(rep, err)
		v.modifications(s)
		v.integritySummary(s, false)
		return
	}
	rep.Certificate = cert
	rep.Signer = signerFromCert(cert)
	rep.SignatureAlgorithm = keyDescription(cert.PublicKey)
	if si.RawSignedAttributes != nil {
		err = si.CheckSignature(cert.PublicKey, nil)
	} else {
		err = checkRawSignature(cert, si, s.digest)
	}
	var algErr *cms.AlgorithmError
	switch {
	case err == nil:
		rep.add(CheckSignatureValue, CheckPassed, msgSigValueOK(rep.SignatureAlgorithm+", "+rep.DigestAlgorithm))
	case errors.As(err, &algErr):
		rep.add(CheckSignatureValue, CheckFailed, msgAlgorithmWeak(algErr.Error()))
		rep.fail(Indeterminate, CryptoConstraintsFailure)
		cryptoOK = false
	default:
		rep.add(CheckSignatureValue, CheckFailed, msgSigValueFail(err))
		rep.fail(TotalFailed, SigCryptoFailure)
		cryptoOK = false
	}

	// ESS signing-certificate binding.
	if si.RawSignedAttributes != nil {
		_, hasV2 := si.Attribute(cms.OIDAttributeSigningCertV2)
		_, hasV1 := si.Attribute(cms.OIDAttributeSigningCert)
		switch id, err := si.SigningCertificate(); {
		case !hasV1 && !hasV2 && rep.SubFilter == "ETSI.CAdES.detached":
			rep.add(CheckSigningCert, CheckFailed, msgSigningCertAttrMissing())
			rep.fail(Indeterminate, NoSigningCertificateFound)
		case !hasV1 && !hasV2:
			rep.add(CheckSigningCert, CheckWarning, msgSigningCertAttrWeak())
		case err != nil:
			rep.add(CheckSigningCert, CheckFailed, msgSigningCertMismatch(err.Error()))
			rep.fail(Indeterminate, NoSigningCertificateFound)
		case !id.Matches(cert):
			rep.add(CheckSigningCert, CheckFailed, msgSigningCertMismatch("hash, issuer or serial number differ"))
			rep.fail(Indeterminate, NoSigningCertificateFound)
		default:
			rep.add(CheckSigningCert, CheckPassed, msgSigningCertOK())
		}
	}

	// Algorithm strength: kyso's policy, following Thông tư 15/2025 as practice and the
	// SHA-2 recommendation of Thông tư 39/2017 (which makes RSASSA-PSS mandatory).
	if why := keyStrength(cert.PublicKey); why != "" {
		rep.add(CheckAlgorithms, CheckFailed, msgAlgorithmWeak(why))
		rep.fail(Indeterminate, CryptoConstraintsFailure)
	} else {
		rep.add(CheckAlgorithms, CheckPassed, msgAlgorithmOK(rep.SignatureAlgorithm+", "+rep.DigestAlgorithm))
	}

	v.modifications(s)
	v.signatureTimestamp(s)
	v.trust(s, cert, sd.Certificates)
	v.integritySummary(s, cryptoOK)
	v.timestampOrder(s)
	v.level(s)
	s.complete = true
}

// checkRawSignature checks a SignerInfo without signed attributes (allowed by
// adbe.pkcs7.detached): the signature is over the content digest itself. RSA PKCS#1
// v1.5 and ECDSA only.
func checkRawSignature(cert *x509.Certificate, si *cms.SignerInfo, digest []byte) error {
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		if si.SignatureAlgorithm.Algorithm.Equal(cms.OIDRSASSAPSS) {
			return errors.New("RSASSA-PSS without signed attributes is not supported")
		}
		return cms.CheckDigestSignature(pub, si.Hash, digest, si.Signature)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(pub, digest, si.Signature) {
			return cms.ErrBadSignature
		}
		return nil
	}
	return fmt.Errorf("unsupported key type %T", cert.PublicKey)
}

// integritySummary adds the integrity summary (see integrityVerdict: the "forged"
// wording only for a digest or signature value that fails).
func (v *verifier) integritySummary(s *sigState, _ bool) {
	res, m := integrityVerdict(s.rep)
	s.rep.add(CheckIntegrity, res, m)
}
