package signature

import (
	"bufio"
	"fmt"
	"io"
	"slices"
)

// WriteText writes the report for people, in Vietnamese (lang "vi", the default) or
// English ("en"): for each signature its verdict, level, signer, signing time and every
// check, with the information Thông tư 15/2025/TT-BKHCN lists for a verifier to
// display. That circular implements Nghị định 23/2025/NĐ-CP Điều 17 (public
// signatures, trust path to the national NEAC root); for signatures under the
// government-dedicated ("công vụ") CA, governed by Nghị định 68/2024/NĐ-CP, kyso
// follows it as good practice, not as a binding rule, and the report says so.
func (r *Report) WriteText(w io.Writer, lang string) error {
	bw := bufio.NewWriter(w)
	en := lang == "en"
	t := func(vi, e string) string {
		if en {
			return e
		}
		return vi
	}
	fmt.Fprintf(bw, t("Tài liệu: %d byte, %d phiên bản, %d chữ ký/dấu thời gian.\n", "Document: %d bytes, %d revisions, %d signatures/time-stamps.\n"),
		r.Size, r.Revisions, len(r.Signatures))
	for _, c := range r.Warnings {
		fmt.Fprintf(bw, "  ! %s\n", c.Message(lang))
	}
	for i, s := range r.Signatures {
		kind := t("Chữ ký", "Signature")
		if s.Kind == KindDocTimestamp {
			kind = t("Dấu thời gian tài liệu", "Document time-stamp")
		}
		verdict := string(s.Indication)
		if s.SubIndication != "" {
			verdict += "/" + string(s.SubIndication)
		}
		fmt.Fprintf(bw, "\n[%d] %s %q: %s (%s)", i+1, kind, s.Field, indicationText(s.Indication, lang), verdict)
		if s.Level != LevelNone {
			fmt.Fprintf(bw, t(" — mức %s", " — level %s"), s.Level)
		}
		fmt.Fprintln(bw)
		if why, ok := failureReason(&s); ok {
			fmt.Fprintf(bw, t("    Lý do: %s\n", "    Reason: %s\n"), why.Message(lang))
		}
		if s.Signer != nil {
			fmt.Fprintf(bw, t("    Người ký: %s\n", "    Signer: %s\n"), s.Signer.CommonName)
		}
		switch {
		case s.TimestampTime != nil:
			fmt.Fprintf(bw, t("    Thời điểm ký (dấu thời gian): %s\n", "    Signing time (time-stamp): %s\n"), fmtTime(*s.TimestampTime))
		case s.ClaimedTime != nil:
			fmt.Fprintf(bw, t("    Thời điểm ký (khai báo, chưa chứng minh): %s\n", "    Signing time (claimed, unproven): %s\n"), fmtTime(*s.ClaimedTime))
		}
		cover := t("toàn bộ tài liệu", "the whole document")
		if !s.CoversWholeDocument {
			cover = fmt.Sprintf(t("phiên bản %d/%d", "revision %d of %d"), s.Revision+1, r.Revisions)
		}
		fmt.Fprintf(bw, t("    Phạm vi: %s; thay đổi sau khi ký: %s\n", "    Covers: %s; changes after signing: %s\n"), cover, modText(s.Modification, lang))
		for _, c := range s.Checks {
			fmt.Fprintf(bw, "    %s %s\n", resultMark(c.Result), c.Message(lang))
		}
	}
	if len(r.Signatures) > 0 {
		fmt.Fprintln(bw, "\n"+t(
			"Thông tin hiển thị theo Thông tư 15/2025/TT-BKHCN, áp dụng như thực tiễn tốt: thông tư này thi hành Nghị định 23/2025/NĐ-CP (chữ ký số công cộng); chữ ký số chuyên dùng công vụ theo Nghị định 68/2024/NĐ-CP.",
			"Displayed after Thông tư 15/2025/TT-BKHCN, followed as good practice: it implements Nghị định 23/2025/NĐ-CP (public signatures); government-dedicated (công vụ) signatures are governed by Nghị định 68/2024/NĐ-CP."))
	}
	return bw.Flush()
}

// failureReason is the check that decided a signature's failed or indeterminate
// verdict, to say what failed in one line: the first failed check, else the first
// indeterminate one (the integrity summary last, since it only repeats them).
func failureReason(s *SignatureReport) (Check, bool) {
	if s.Indication == TotalPassed || s.Indication == "" {
		return Check{}, false
	}
	// The check the sub-indication comes from, when it names one: the reason then
	// says what the verdict says (a certificate with no path to a trusted root that
	// has also expired is NO_CERTIFICATE_CHAIN_FOUND, and the path is the reason).
	if names := subIndicationChecks[s.SubIndication]; names != nil {
		for _, want := range []CheckResult{CheckFailed, CheckIndeterminate} {
			for _, c := range s.Checks {
				if c.Result == want && slices.Contains(names, c.Name) {
					return c, true
				}
			}
		}
	}
	for _, want := range []CheckResult{CheckFailed, CheckIndeterminate} {
		for _, c := range s.Checks {
			if c.Result == want && c.Name != CheckIntegrity {
				return c, true
			}
		}
	}
	return Check{}, false
}

// subIndicationChecks are the checks a sub-indication is decided by.
var subIndicationChecks = map[SubIndication][]CheckName{
	NoCertificateChainFound: {CheckChain},
	OutOfBoundsNoPOE:        {CheckValidAtSigning, CheckTimestamp},
	Expired:                 {CheckValidAtSigning},
	NotYetValid:             {CheckValidAtSigning},
	HashFailure:             {CheckMessageDigest, CheckTimestamp},
	SigCryptoFailure:        {CheckSignatureValue, CheckTimestamp},
}

// modText names a modification class for people.
func modText(m Modification, lang string) string {
	if m == ModNone || m == "" {
		if lang == "en" {
			return "none"
		}
		return "không có"
	}
	if lang == "en" {
		return modNamesEN[m]
	}
	return modNamesVI[m]
}

func resultMark(r CheckResult) string {
	switch r {
	case CheckPassed:
		return "[✓]"
	case CheckFailed:
		return "[✗]"
	case CheckWarning:
		return "[!]"
	case CheckIndeterminate:
		return "[?]"
	}
	return "[·]"
}
