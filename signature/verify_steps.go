package signature

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	"github.com/kyso-go/kyso/internal/algorithm"
	"github.com/kyso-go/kyso/internal/cms"
	"github.com/kyso-go/kyso/internal/pdf"
)

// The checks of one signature are two tables of named steps, run in order. A step
// returns stop when the signature's verdict is settled (or it cannot be checked
// further): the steps after it do not run. The order of the tables is the precedence
// of verdicts: a structural failure (FORMAT_FAILURE) is found before the CMS is
// parsed, a hash failure before the signature value, and so on.

// flow says whether the steps after a step run.
type flow bool

const (
	next flow = true
	stop flow = false
)

// step is one named check.
type step struct {
	name string
	run  func(v *verifier, s *sigState) flow
}

// prepareSteps are the structural checks of a signature and the parsing of its CMS or
// time-stamp token, so that its digest can be computed in the shared pass.
var prepareSteps = []step{
	{"signature-dictionary", (*verifier).readSignatureDictionary},
	{"contents", (*verifier).checkContents},
	{"byte-range", (*verifier).checkByteRange},
	{"contents-hole", (*verifier).checkHole},
	{"coverage", (*verifier).checkCoverage},
	{"document-timestamp-token", (*verifier).parseDocTimestamp},
	{"subfilter", (*verifier).checkSubFilter},
	{"cms", (*verifier).parseCMS},
	{"digest-algorithm", (*verifier).checkDigestAlgorithm},
	{"cades-profile", (*verifier).checkCAdESProfile},
}

// finishSteps are the checks that need the digest, then time, trust and
// modifications.
var finishSteps = []step{
	{"structure", (*verifier).stopIfBroken},
	{"digest", (*verifier).checkDigestComputed},
	{"encapsulated-digest", (*verifier).checkEncapsulatedDigest},
	{"document-timestamp", (*verifier).finishDocTimestampStep},
	{"signed-attributes", (*verifier).checkSignedAttributes},
	{"signer-certificate", (*verifier).findSignerCertificate},
	{"signature-value", (*verifier).checkSignatureValue},
	{"signing-certificate-binding", (*verifier).checkSigningCertBinding},
	{"algorithm-strength", (*verifier).checkAlgorithmStrength},
	{"modifications", func(v *verifier, s *sigState) flow { v.modifications(s); return next }},
	{"signature-timestamp", func(v *verifier, s *sigState) flow { v.signatureTimestamp(s); return next }},
	{"trust", func(v *verifier, s *sigState) flow { v.trust(s, s.cert, s.sd.Certificates); return next }},
	{"integrity", func(v *verifier, s *sigState) flow { v.integritySummary(s, s.cryptoOK); return next }},
	{"timestamp-order", func(v *verifier, s *sigState) flow { v.timestampOrder(s); return next }},
	{"level", func(v *verifier, s *sigState) flow { v.level(s); return next }},
	{"complete", func(_ *verifier, s *sigState) flow { s.complete = true; return next }},
}

// runSteps runs steps on s until one stops.
func (v *verifier) runSteps(steps []step, s *sigState) {
	for _, st := range steps {
		if st.run(v, s) == stop {
			return
		}
	}
}

// prepare runs prepareSteps on s.
func (v *verifier) prepare(s *sigState) { v.runSteps(prepareSteps, s) }

// finish runs finishSteps on s.
func (v *verifier) finish(s *sigState) { v.runSteps(finishSteps, s) }

// failFormat records a structural failure: TOTAL_FAILED/FORMAT_FAILURE, no further
// checks.
func (s *sigState) failFormat(name CheckName, m msg) flow {
	s.rep.add(name, CheckFailed, m)
	s.rep.fail(TotalFailed, FormatFailure)
	s.broken = true
	return stop
}

// readSignatureDictionary reads what the report shows of the signature dictionary:
// its kind, SubFilter, claimed time, reason, location and certification level.
func (v *verifier) readSignatureDictionary(s *sigState) flow {
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
	s.contents, _ = pdf.Bytes(resolveQuiet(v.doc, d.Get("Contents")))
	return next
}

// checkContents: /Contents holds a signature.
func (v *verifier) checkContents(s *sigState) flow {
	if emptyContents(s.contents) {
		return s.failFormat(CheckContents, msgContentsMissing())
	}
	return next
}

// checkByteRange: /ByteRange is well-formed and starts at 0.
func (v *verifier) checkByteRange(s *sigState) flow {
	br := intArray(v.doc, s.dict.Get("ByteRange"))
	s.rep.ByteRange = br
	if br == nil {
		return s.failFormat(CheckByteRange, msgByteRangeMissing())
	}
	ranges, bad := checkByteRange(br, v.size)
	if bad != nil {
		return s.failFormat(CheckByteRange, *bad)
	}
	s.rep.add(CheckByteRange, CheckPassed, msgByteRangeOK(br))
	s.holeRanges = ranges
	return next
}

// checkHole: the one hole between the ranges is exactly the /Contents string.
func (v *verifier) checkHole(s *sigState) flow {
	ranges := s.holeRanges
	if bad := checkContentsHole(v.r, ranges[0][1], ranges[1][0], s.contents); bad != nil {
		return s.failFormat(CheckContents, *bad)
	}
	s.rep.add(CheckContents, CheckPassed, msgContentsOK(len(s.contents)))
	return next
}

// checkCoverage: the signed bytes end at the end of a revision.
func (v *verifier) checkCoverage(s *sigState) flow {
	rep, ranges := s.rep, s.holeRanges
	eofs := make([]int64, len(v.revs))
	for i, r := range v.revs {
		eofs[i] = r.EOF
	}
	end := ranges[1][1]
	s.rev = coveredRevision(v.r, end, eofs)
	if s.rev < 0 {
		return s.failFormat(CheckCoverage, msgCoverageNoRevision(end))
	}
	s.ranges = ranges
	rep.Revision = s.rev
	rep.CoversWholeDocument = s.rev == len(v.revs)-1 && !v.trailing && onlyWhitespaceFrom(v.r, end, v.size)
	switch {
	case rep.CoversWholeDocument:
		rep.add(CheckCoverage, CheckPassed, msgCoverageWhole(s.rev, len(v.revs)))
	case s.rev == len(v.revs)-1 && v.junk > 0:
		rep.add(CheckCoverage, CheckWarning, msgCoverageButJunk(s.rev, len(v.revs), v.junk))
	default:
		rep.add(CheckCoverage, CheckInfo, msgCoveragePartial(s.rev, len(v.revs)))
	}
	return next
}

// parseDocTimestamp: a document time-stamp uses ETSI.RFC3161 and holds a well-formed
// token. Its preparation ends here; the token's signature is checked when it is
// finished, once the certificates of every signature are known (a token made with
// certReq false carries no TSA certificate).
func (v *verifier) parseDocTimestamp(s *sigState) flow {
	rep := s.rep
	if rep.Kind != KindDocTimestamp {
		return next
	}
	sf := rep.SubFilter
	if sf != "ETSI.RFC3161" {
		return s.failFormat(CheckSubFilter, msgSubFilterMismatch(sf, "a document time-stamp must use ETSI.RFC3161"))
	}
	t, err := cms.ParseTimeStampToken(s.contents)
	if err == nil && (t.Info.Hash == 0 || !t.Info.Hash.Available()) {
		err = fmt.Errorf("unsupported imprint algorithm %v", t.Info.HashAlgorithm)
	}
	if err != nil {
		return s.failFormat(CheckCMSFormat, msgCMSParse(fmt.Errorf("%w: %v", errTimestampFormat, err)))
	}
	rep.add(CheckCMSFormat, CheckPassed, msgCMSOK())
	rep.add(CheckSubFilter, CheckPassed, msgSubFilterOK(sf))
	s.tok = &timestampToken{GenTime: t.Info.GenTime, Hash: t.Info.Hash, tst: t, Certs: t.SignedData.Certificates, SignedCMS: t.SignedData}
	return stop
}

// checkSubFilter: a signature's SubFilter is one PAdES allows, or one of the legacy
// ones of ISO 32000-1 (adbe.pkcs7.sha1, adbe.x509.rsa_sha1; verify_legacy.go), which
// are verified and then judged by the algorithm policy (SHA-1:
// INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE).
func (v *verifier) checkSubFilter(s *sigState) flow {
	switch sf := s.rep.SubFilter; sf {
	case "ETSI.CAdES.detached", "adbe.pkcs7.detached", "adbe.pkcs7.sha1", "adbe.x509.rsa_sha1":
		return next
	default:
		return s.failFormat(CheckSubFilter, msgSubFilterUnsupported(sf))
	}
}

// parseCMS: /Contents is a detached CMS SignedData with one signer (for
// adbe.pkcs7.sha1, one that encapsulates the SHA-1 digest of the byte ranges; for
// adbe.x509.rsa_sha1, a PKCS#1 value read into the same shape).
func (v *verifier) parseCMS(s *sigState) flow {
	if s.rep.SubFilter == "adbe.x509.rsa_sha1" {
		return v.parseX509RSASHA1(s)
	}
	sd, err := cms.Parse(s.contents)
	if err != nil {
		return s.failFormat(CheckCMSFormat, msgCMSParse(err))
	}
	if len(sd.Signers) != 1 {
		return s.failFormat(CheckCMSFormat, msgCMSParse(fmt.Errorf("%d signer infos, expected one", len(sd.Signers))))
	}
	switch {
	case s.rep.SubFilter == "adbe.pkcs7.sha1" && (len(sd.Content) != crypto.SHA1.Size() || !sd.ContentType.Equal(cms.OIDData)):
		return s.failFormat(CheckSubFilter, msgSubFilterMismatch(s.rep.SubFilter, "the CMS does not encapsulate a SHA-1 digest as id-data"))
	case s.rep.SubFilter != "adbe.pkcs7.sha1" && sd.Content != nil:
		return s.failFormat(CheckSubFilter, msgSubFilterMismatch(s.rep.SubFilter, "the CMS is not detached (it encapsulates content)"))
	}
	s.sd, s.si = sd, sd.Signers[0]
	s.rep.add(CheckCMSFormat, CheckPassed, msgCMSOK())
	return next
}

// checkDigestAlgorithm: the digest algorithm is known and available. A weak one
// (SHA-1) is verified all the same and judged by checkAlgorithmStrength: ETSI EN 319
// 102-1 checks the cryptography (HASH_FAILURE, SIG_CRYPTO_FAILURE) before the
// constraints (CRYPTO_CONSTRAINTS_FAILURE), so a forged SHA-1 signature is
// TOTAL_FAILED, not INDETERMINATE.
func (v *verifier) checkDigestAlgorithm(s *sigState) flow {
	rep := s.rep
	rep.DigestAlgorithm = s.si.Hash.String()
	if s.si.Hash == 0 {
		rep.DigestAlgorithm = s.si.DigestAlgorithm.Algorithm.String()
	}
	if s.si.Hash == 0 || !s.si.Hash.Available() {
		rep.add(CheckAlgorithms, CheckFailed, msgAlgorithmWeak("digest "+rep.DigestAlgorithm))
		rep.fail(Indeterminate, CryptoConstraintsFailure)
		s.broken = true
		return stop
	}
	return next
}

// checkCAdESProfile: ETSI.CAdES.detached requires signed attributes.
func (v *verifier) checkCAdESProfile(s *sigState) flow {
	sf := s.rep.SubFilter
	if sf == "ETSI.CAdES.detached" && s.si.RawSignedAttributes == nil {
		return s.failFormat(CheckSubFilter, msgSubFilterMismatch(sf, "CAdES requires signed attributes"))
	}
	if sf == "adbe.x509.rsa_sha1" {
		return next // no CMS: its PKCS#1 value was reported as read
	}
	s.rep.add(CheckSubFilter, CheckPassed, msgSubFilterOK(sf))
	return next
}

// stopIfBroken: a signature whose structure failed gets only the modification
// analysis and a failed integrity summary.
func (v *verifier) stopIfBroken(s *sigState) flow {
	if !s.broken {
		return next
	}
	v.modifications(s)
	v.integritySummary(s, false)
	return stop
}

// checkDigestComputed: the shared pass produced this signature's digest.
func (v *verifier) checkDigestComputed(s *sigState) flow {
	if s.digest != nil {
		return next
	}
	s.rep.add(CheckMessageDigest, CheckIndeterminate, msgHashFail(errors.New("no digest algorithm available")))
	s.rep.fail(Indeterminate, SignedDataNotFound)
	return stop
}

// finishDocTimestampStep: a document time-stamp has checks of its own.
func (v *verifier) finishDocTimestampStep(s *sigState) flow {
	if s.rep.Kind != KindDocTimestamp {
		return next
	}
	// A time-stamp over a document whose later revisions' structure cannot be
	// trusted fails its modifications check (class "other") and so gives no proof of
	// existence.
	v.finishDocTimestamp(s)
	return stop
}

// checkSignedAttributes: content-type is id-data and message-digest matches the
// digest of the signed ranges.
func (v *verifier) checkSignedAttributes(s *sigState) flow {
	rep, si := s.rep, s.si
	s.cryptoOK = true
	if si.RawSignedAttributes == nil {
		return next
	}
	if ct, err := si.ContentTypeAttribute(); err != nil {
		rep.add(CheckSignedAttributes, CheckFailed, msgSignedAttrsMissing("content-type"))
		rep.fail(TotalFailed, FormatFailure)
		s.cryptoOK = false
	} else if !ct.Equal(cms.OIDData) {
		rep.add(CheckSignedAttributes, CheckFailed, msgSignedAttrsBad("content-type is not id-data"))
		rep.fail(TotalFailed, FormatFailure)
		s.cryptoOK = false
	}
	md, err := si.MessageDigest()
	switch {
	case err != nil:
		rep.add(CheckSignedAttributes, CheckFailed, msgSignedAttrsMissing("message-digest"))
		rep.fail(TotalFailed, FormatFailure)
		s.cryptoOK = false
	case !bytes.Equal(md, s.digest):
		rep.add(CheckMessageDigest, CheckFailed, msgDigestMismatch(rep.DigestAlgorithm))
		rep.fail(TotalFailed, HashFailure)
		s.cryptoOK = false
	default:
		_, hasSigningTime := si.Attribute(cms.OIDAttributeSigningTime)
		switch {
		case !s.cryptoOK: // content-type already reported
		case hasSigningTime && rep.SubFilter == "ETSI.CAdES.detached":
			rep.add(CheckSignedAttributes, CheckWarning, msgSignedAttrsSigningTime())
		default:
			rep.add(CheckSignedAttributes, CheckPassed, msgSignedAttrsOK())
		}
		rep.add(CheckMessageDigest, CheckPassed, msgDigestOK(rep.DigestAlgorithm))
	}
	return next
}

// findSignerCertificate: the CMS carries the signer's certificate. Without it only the
// modification analysis runs.
func (v *verifier) findSignerCertificate(s *sigState) flow {
	rep := s.rep
	cert, err := s.sd.SignerCertificate(s.si)
	if err != nil {
		// A certificate crypto/x509 refuses (a negative serial number, …) may still
		// hold a key this module reads: the signature value is then checked with it,
		// so that the report tells a forgery from a certificate it cannot use.
		signerCertProblem(rep, err)
		var ce *cms.CertificateError
		if errors.As(err, &ce) {
			if pub := rawCertPublicKey(ce.Raw); pub != nil {
				s.cert = &x509.Certificate{Raw: ce.Raw, PublicKey: pub}
				rep.SignatureAlgorithm = keyDescription(pub)
				v.checkSignatureValue(s)
				s.cert = nil
			}
		}
		v.modifications(s)
		v.integritySummary(s, false)
		return stop
	}
	s.cert = cert
	rep.Certificate = cert
	rep.Signer = signerFromCert(cert)
	rep.SignatureAlgorithm = keyDescription(cert.PublicKey)
	return next
}

// checkSignatureValue: the signature value verifies with the signer's key.
func (v *verifier) checkSignatureValue(s *sigState) flow {
	rep, si, cert := s.rep, s.si, s.cert
	var err error
	if si.RawSignedAttributes != nil {
		// A weak digest is checked too, and judged by checkAlgorithmStrength.
		err = si.CheckSignature(cert.PublicKey, &cms.CheckOptions{AllowWeakHash: true})
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
		s.cryptoOK = false
	case s.pkcs1Opened && s.cert == rep.Certificate:
		// adbe.x509.rsa_sha1: the value opens with the signer's key to a well-formed
		// DigestInfo, so the key made it — over other bytes (verify_legacy.go).
		rep.add(CheckMessageDigest, CheckFailed, msgDigestMismatch(rep.DigestAlgorithm))
		rep.fail(TotalFailed, HashFailure)
		s.cryptoOK = false
	default:
		rep.add(CheckSignatureValue, CheckFailed, msgSigValueFail(err))
		rep.fail(TotalFailed, SigCryptoFailure)
		s.cryptoOK = false
	}
	return next
}

// checkSigningCertBinding: the ESS signing-certificate attribute names the signer's
// certificate (required by CAdES).
func (v *verifier) checkSigningCertBinding(s *sigState) flow {
	rep, si := s.rep, s.si
	if si.RawSignedAttributes == nil {
		return next
	}
	_, hasV2 := si.Attribute(cms.OIDAttributeSigningCertV2)
	_, hasV1 := si.Attribute(cms.OIDAttributeSigningCert)
	switch id, err := si.SigningCertificate(); {
	case !hasV1 && !hasV2 && rep.SubFilter == "ETSI.CAdES.detached":
		rep.add(CheckSigningCert, CheckFailed, msgSigningCertAttrMissing())
		rep.fail(Indeterminate, NoSigningCertificateFound)
	case !hasV1 && !hasV2:
		rep.add(CheckSigningCert, CheckWarning, msgSigningCertAttrWeak(rep.SubFilter))
	case err != nil:
		rep.add(CheckSigningCert, CheckFailed, msgSigningCertMismatch(err.Error()))
		rep.fail(Indeterminate, NoSigningCertificateFound)
	case !id.Matches(s.cert):
		rep.add(CheckSigningCert, CheckFailed, msgSigningCertMismatch("hash, issuer or serial number differ"))
		rep.fail(Indeterminate, NoSigningCertificateFound)
	default:
		rep.add(CheckSigningCert, CheckPassed, msgSigningCertOK())
	}
	return next
}

// checkAlgorithmStrength: the key is strong enough: kyso's policy, following Thông tư
// 15/2025 as practice and the SHA-2 recommendation of Thông tư 39/2017 (which makes
// RSASSA-PSS mandatory).
func (v *verifier) checkAlgorithmStrength(s *sigState) flow {
	rep := s.rep
	var weak []string
	if algorithm.WeakHash(s.si.Hash) {
		weak = append(weak, "digest "+rep.DigestAlgorithm)
	}
	if h := cms.SignatureHash(s.si.SignatureAlgorithm); algorithm.WeakHash(h) && h != s.si.Hash {
		weak = append(weak, "signature algorithm with "+h.String())
	}
	if rep.SubFilter == "adbe.pkcs7.sha1" && !algorithm.WeakHash(s.si.Hash) {
		weak = append(weak, "adbe.pkcs7.sha1 (SHA-1 digest of the byte ranges)")
	}
	if why := keyStrength(s.cert.PublicKey); why != "" {
		weak = append(weak, why)
	}
	if len(weak) > 0 {
		rep.add(CheckAlgorithms, CheckFailed, msgAlgorithmWeak(strings.Join(weak, ", ")))
		rep.fail(Indeterminate, CryptoConstraintsFailure)
	} else {
		rep.add(CheckAlgorithms, CheckPassed, msgAlgorithmOK(rep.SignatureAlgorithm+", "+rep.DigestAlgorithm))
	}
	return next
}
