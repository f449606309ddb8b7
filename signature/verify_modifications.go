package signature

import (
	"fmt"
	"sort"
	"strings"
)

// modifications classifies what the revisions after the signed one changed and judges
// it against DocMDP and FieldMDP.
func (v *verifier) modifications(s *sigState) {
	rep := s.rep
	if s.rev < 0 {
		return
	}
	// One analysis from the oldest signed revision serves every signature (document
	// time-stamps are finished newest first: starting from theirs would start over).
	oldest := s.rev
	for _, o := range v.sigs {
		if o.rev >= 0 && o.rev < oldest {
			oldest = o.rev
		}
	}
	v.differ.analyse(oldest)
	mc := v.differ.since(s.rev)
	changes := append([]Change(nil), mc.changes...)
	class := mc.class
	var whyVI, whyEN []string
	if v.trailing {
		class = ModOther
		m := msgTrailingBytes(v.size - v.revs[len(v.revs)-1].EOF)
		whyVI, whyEN = append(whyVI, m.VI), append(whyEN, m.EN)
	}
	if v.doc.Recovered() && s.rev != len(v.revs)-1 {
		class = ModOther
		m := msgRecovered()
		whyVI, whyEN = append(whyVI, m.VI), append(whyEN, m.EN)
	}
	rep.Modification = class
	if len(changes) > 100 {
		changes = changes[:100]
	}
	rep.Changes = changes

	// Certification and locks in force: those of this signature and every earlier one.
	p := 0
	var locks []fieldLock
	for _, o := range v.sigs {
		if o.rev < 0 || o.rev > s.rev {
			continue
		}
		if o.mdpP > 0 && (p == 0 || o.mdpP < p) {
			p = o.mdpP
		}
		locks = append(locks, o.locks...)
	}
	var lockedVI, lockedEN []string
	for name := range mc.fields {
		for _, l := range locks {
			if l.locks(name) {
				m := msgFieldLocked(name)
				lockedVI, lockedEN = append(lockedVI, m.VI), append(lockedEN, m.EN)
				break
			}
		}
	}
	sort.Strings(lockedVI)
	sort.Strings(lockedEN)
	// An unsigned visible signature field added after a certification draws over the
	// certified page while no signature stands behind it (the "sneaky signature"
	// attack): P=2 and P=3 allow signing, not overlays. P=1 refuses any form filling
	// already; without certification it is an ordinary field for a later signer.
	var sneaky []string
	if p >= 2 {
		seen := map[string]bool{}
		for _, u := range mc.unsigned {
			if !seen[u.field] {
				seen[u.field] = true
				sneaky = append(sneaky, fmt.Sprintf("%q", u.field))
			}
		}
		sort.Strings(sneaky)
	}
	disallowed := class == ModOther || !mdpAllows(p, mc) || len(lockedVI) > 0
	switch {
	case len(mc.anomalies) > 0:
		// One message for the structure: the other changes are those a reader
		// following the repaired entries sees, which a viewer may not.
		vi, en := anomalyLines(mc.anomalies)
		rep.add(CheckModifications, CheckFailed, msgRevisionStructure(vi, en))
	case class == ModOther:
		for _, c := range changes {
			if c.Class == ModOther {
				whyEN = append(whyEN, fmt.Sprintf("%s (%s): %s", c.Object, c.Role, c.Detail))
				whyVI = append(whyVI, fmt.Sprintf("đối tượng %s (%s): %s", c.Object, c.Role, c.Detail))
				if len(whyEN) >= 3 {
					break
				}
			}
		}
		rep.add(CheckModifications, CheckFailed, msgModDisallowed(class, strings.Join(whyVI, "; "), strings.Join(whyEN, "; ")))
	case class == ModNone:
		rep.add(CheckModifications, CheckPassed, msgModNone())
	default:
		rep.add(CheckModifications, CheckPassed, msgModAllowed(class, len(v.revs)-1-s.rev))
	}
	switch {
	case len(sneaky) > 0 && class != ModOther:
		rep.add(CheckDocMDP, CheckFailed, msgUnsignedSignatureOverlay(p, strings.Join(sneaky, ", ")))
	case len(lockedVI) > 0:
		rep.add(CheckDocMDP, CheckFailed, msg{VI: strings.Join(lockedVI, " "), EN: strings.Join(lockedEN, " ")})
	case class != ModOther && (class.Worse(allowedBy(p)) || (p == 1 && mc.sigAdded)):
		m := class
		if p == 1 && mc.sigAdded && !class.Worse(allowedBy(p)) {
			m = ModFormFilling
		}
		rep.add(CheckDocMDP, CheckFailed, msgDocMDPViolated(p, m))
	case class != ModOther:
		rep.add(CheckDocMDP, CheckPassed, msgDocMDPOK(p))
	}
	if disallowed {
		rep.fail(TotalFailed, FormatFailure)
	}
}

// mdpAllows reports whether the changes mc made after a signature are allowed under
// certification level p (0: not certified), field locks aside: never "other"; at most
// the class the level allows (ISO 32000-1 12.8.2.2: P=1 nothing but DSS and document
// time-stamps — PAdES, ETSI EN 319 142-1 5.4 —, P=2 form filling and signing, P=3 also
// annotations); no new signature under P=1; no unsigned visible signature field under
// P=2 or P=3 (signing is allowed, an overlay without a signature is not).
func mdpAllows(p int, mc *revChanges) bool {
	switch {
	case mc.class == ModOther || mc.class.Worse(allowedBy(p)):
		return false
	case p == 1 && mc.sigAdded:
		return false
	case p >= 2 && len(mc.unsigned) > 0:
		return false
	}
	return true
}

// integrityVerdict sums up a signature's integrity from its checks. Only a digest that
// does not match or a signature value that does not verify say "the signed content was
// changed or the signature is forged"; a broken structure, changes after signing that
// are not allowed, or a value that could not be checked each say what they are.
func integrityVerdict(rep *SignatureReport) (CheckResult, msg) {
	var broken, changed, unchecked *Check
	valueOK := false
	for i := range rep.Checks {
		c := &rep.Checks[i]
		switch {
		case c.Name == CheckMessageDigest && c.Result == CheckFailed:
			return CheckFailed, msgIntegrityFail()
		case c.Name == CheckSignatureValue && c.Result == CheckFailed && !isAlgorithmMessage(*c):
			return CheckFailed, msgIntegrityFail()
		case c.Name == CheckSignatureValue && c.Result == CheckPassed:
			valueOK = true
		case (c.Name == CheckSignatureValue || c.Name == CheckMessageDigest || c.Name == CheckAlgorithms) && c.Result != CheckPassed:
			if unchecked == nil {
				unchecked = c
			}
		case (c.Name == CheckModifications || c.Name == CheckDocMDP) && c.Result == CheckFailed:
			if changed == nil {
				changed = c
			}
		case c.Result == CheckFailed && structuralCheck(c.Name):
			if broken == nil {
				broken = c
			}
		}
	}
	switch {
	case broken != nil:
		return CheckFailed, msgIntegrityBroken(*broken)
	case changed != nil && valueOK:
		return CheckFailed, msgIntegrityChangedAfter(*changed)
	case changed != nil:
		return CheckFailed, msgIntegrityChangedUnchecked(*changed)
	case unchecked != nil || !valueOK:
		if unchecked == nil {
			return CheckIndeterminate, msgIntegrityUnchecked(msg{VI: "chưa kiểm tra được giá trị chữ ký", EN: "the signature value was not checked"})
		}
		if valueOK && unchecked.Name == CheckAlgorithms {
			// Digest and value verify, with an algorithm below the policy (SHA-1):
			// nothing was found altered, but the algorithm cannot vouch for it.
			return CheckIndeterminate, msgIntegrityWeak(*unchecked)
		}
		return CheckIndeterminate, msgIntegrityUnchecked(msg{VI: unchecked.MessageVI, EN: unchecked.MessageEN})
	}
	return CheckPassed, msgIntegrityOK()
}

// structuralCheck names the checks whose failure means the signature's structure is
// broken (it cannot show what it signed).
func structuralCheck(n CheckName) bool {
	switch n {
	case CheckByteRange, CheckContents, CheckCoverage, CheckCMSFormat, CheckSubFilter, CheckSignedAttributes:
		return true
	}
	return false
}

// level computes the PAdES baseline level reached.
func (v *verifier) level(s *sigState) {
	rep := s.rep
	lvl := LevelBB
	_, hasArchive := v.archivePOE(s.rev)
	if s.hasPOE || hasArchive {
		lvl = LevelBT
		if s.dssUsed {
			lvl = LevelBLT
			for _, o := range v.sigs {
				if o.rep.Kind == KindDocTimestamp && o.hasPOE && o.rev > s.rev && v.hasDSSAt(o.rev) {
					lvl = LevelBLTA
					break
				}
			}
		}
	}
	rep.Level = lvl
}

// hasDSSAt reports whether revision rev's catalog has a DSS.
func (v *verifier) hasDSSAt(rev int) bool { return v.differ.hasDSS(rev) }
