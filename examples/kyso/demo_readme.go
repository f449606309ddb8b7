package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kyso-go/kyso/signature"
)

// demoReadme explains what the demo did and how to check it; the commands name the
// files under dir, as seen from where the demo ran.
func demoReadme(dir string, r *demoResult) string {
	p := func(name string) string { return filepath.Join(dir, name) }
	var b strings.Builder
	// para writes a numbered (or plain) paragraph wrapped at 80 columns.
	para := func(first, indent, format string, args ...any) {
		b.WriteString(first + demoWrap(fmt.Sprintf(format, args...), 80-len(indent), indent) + "\n")
	}
	box := r.letter.Box.Rect
	seal := r.seal.Rect
	signer := r.signer.Rect
	fmt.Fprintf(&b, "kyso demo — ký số văn bản hành chính / signing a Vietnamese administrative letter\n")
	fmt.Fprintf(&b, "%s\n\nGenerated %s by \"go run ./examples/kyso demo\".\n\n", strings.Repeat("=", 80), r.now.Format(time.RFC3339))
	b.WriteString("Các bước / What was done\n------------------------\n")
	para("1. ", "   ", `A test PKI shaped like the VGCA's (Ban Cơ yếu Chính phủ) was generated, and its
		OCSP, CRL and time-stamping servers ran on 127.0.0.1 for the length of the demo: root
		"RootCA chuyên dùng Chính phủ Test G2", issuing CA "CA phục vụ các cơ quan Nhà nước G2
		Test", the chairman's individual certificate and the organisation certificate of the
		People's Committee of Quảng Ninh. THEY ARE FOR TESTING ONLY: the keys were discarded,
		the root is not the VGCA's, and the signatures have no legal value (không có giá trị
		pháp lý).`)
	b.WriteString("\n")
	para("2. ", "   ", `The forms package rendered %q (%s, Nghị định 68/2024/NĐ-CP Mẫu số 01) from its built-in
		sample, as a letter of the UBND tỉnh Quảng Ninh laid out after Nghị định 30/2020/NĐ-CP
		Phụ lục I, in Liberation Serif with the Vietnamese text embedded: %s. It reported the
		room for the signature between the title (ô 7a) and the name (ô 7b): page %d,
		[%.1f %.1f %.1f %.1f].`,
		r.letter.Title, demoFormID, demoUnsignedName, r.letter.Box.Page, box[0], box[1], box[2], box[3])
	b.WriteString("\n")
	para("3. ", "   ", `Người có thẩm quyền / the person with authority. The policy engine (profile %q) was
		asked whether the chairman, %s, may sign the letter as "TM. ỦY BAN NHÂN DÂN / CHỦ
		TỊCH" with his individual certificate, whose revocation status was checked first
		(OCSP). Decision: %s.`, demoProfileID, r.leaderName, demoDecisionWord(r.leader))
	b.WriteString("     " + demoIndent(r.leader) + "\n")
	para("   ", "   ", `The letter was then signed (field %q, at [%.1f %.1f %.1f %.1f]): PAdES %s,
		RSASSA-PSS with SHA-256 (Thông tư 39/2017/TT-BTTTT), with a signature time-stamp and
		the OCSP answers and certificates in a DSS, so that it verifies offline. The visible
		signature is his handwritten signature image (%s, blue, transparent PNG, drawn for the
		demo), which the layout package centred between his title and his name as it found
		them on the page (Nghị định 30/2020 Phụ lục I mục II k7 d). Result: %s.`,
		r.res1.Field, signer[0], signer[1], signer[2], signer[3], demoLevel(r.res1), demoSignatureName, demoLeaderName)
	b.WriteString("\n")
	para("4. ", "   ", `Văn thư / the clerk. Nghị định 30/2020 Điều 32 lets the clerk apply the
		organisation's signature only to a document that already carries a valid signature of
		the person with authority. Stage 1 was verified first, and the policy engine was asked
		again with what the verification found. Decision: %s.`, demoDecisionWord(r.clerk))
	b.WriteString("     " + demoIndent(r.clerk) + "\n")
	para("   ", "   ", `The clerk then applied the organisation's signature (%s, field %q): the seal
		image (%s, red, transparent PNG, drawn for the demo) at its real size, %d mm, over the
		left third of the chairman's signature, which layout found from stage 1's signature
		widget (k8 a), at [%.1f %.1f %.1f %.1f], again PAdES %s with RSASSA-PSS. Result: %s.
		The decisions, with every rule and its citation, are in %s.`,
		r.orgName, r.res2.Field, demoSealName, demoSealMM, seal[0], seal[1], seal[2], seal[3], demoLevel(r.res2), demoSignedName, demoPolicyName)
	b.WriteString("\n")
	para("5. ", "   ", `Phụ lục / the appendix in a separate file (%s, rendered from the demo's own form
		definition loaded into the forms registry) was signed by the organisation with the
		attachment stamp "Số: %s; <signing time>" at the top right of page 1, no image,
		Times New Roman-metric 10 pt (Nghị định 30/2020 Phụ lục I mục II k8 b, mục III k1 d),
		at [%.1f %.1f %.1f %.1f]: %s. Decision: %s.`, demoAppendixName, demoLetterNumber,
		r.annexAt.Rect[0], r.annexAt.Rect[1], r.annexAt.Rect[2], r.annexAt.Rect[3], demoAnnexSigned, demoDecisionWord(r.annex))
	b.WriteString("\n")
	para("6. ", "   ", `Bản sao điện tử / an electronic copy. A paper page, drawn for the demo as a scanner
		returns it (A4, colour, %d dpi), became an image-only PDF at 100 %% scale (%s, made
		with kyso.ScannedPDF), which the organisation signed with the copy stamp "SAO Y; %s;
		<signing time>" at ô 14, top right of page 1, no image (Phần II mục I), at [%.1f %.1f
		%.1f %.1f]: %s. Decision: %s.`, demoScanDPI, demoScanName, demoCopyingOrg,
		r.copyAt.Rect[0], r.copyAt.Rect[1], r.copyAt.Rect[2], r.copyAt.Rect[3], demoCopyName, demoDecisionWord(r.copier))
	b.WriteString("\n")
	para("7. ", "   ", `Lưu trữ / archiving. The issued letter was extended to PAdES B-LTA: validation data
		for every certificate and a document time-stamp over the whole file (%s).`, demoArchiveName)
	b.WriteString("\n")
	para("8. ", "   ", `Every signed output was verified offline with the test root trusted and checked
		against the layout rules of Nghị định 30/2020 (layout.Check): %s. The report of %s is
		in %s (Vietnamese) and %s (JSON). With pdftoppm installed, the signed pages are
		pictured in the *-trang-N.png files.`, demoCheckedSummary(r), demoSignedName, demoReportName, demoReportJSONName)
	fmt.Fprintf(&b, `
Tệp / Files
-----------
  %-24s the letter before signing
  %-24s the chairman's signature image (TEST ONLY)
  %-24s the organisation's seal image, %d mm (TEST ONLY)
  %-24s stage 1: signed by the chairman
  %-24s stage 2: signed by the chairman and the organisation
  %-24s the appendix (separate file) before signing
  %-24s the appendix with the organisation's attachment stamp
  %-24s the scanned paper page, image only, %d dpi
  %-24s its electronic copy with the SAO Y stamp
  %-24s the issued letter at PAdES B-LTA
  %-24s the test root to trust (TEST ONLY)
  %-24s the policy decisions
  %-24s the verification report (Vietnamese)
  %-24s the verification report (JSON)
  %-24s this file

Kiểm tra / How to check it (from the directory where the demo ran)
------------------------------------------------------------------
  pdfsig %s
      expect two signatures, each "Signature is Valid.". Both say "Not total document
      signed": at B-LT each signature is followed by an update holding its validation
      data (the DSS). pdfsig also says the issuer is not trusted, because the test root
      is in no system trust store.

  go run ./examples/kyso verify -trust %s -offline %s
      kyso's own verifier, in Vietnamese (add -lang en for English, -json for JSON):
      expect HỢP LỆ (TOTAL_PASSED) at level B-LT for both signatures. -trust adds the
      test root to the trust store; -offline uses only the revocation data inside the
      document (the test PKI's servers stopped when the demo ended).

  go run ./examples/kyso verify -trust %s -offline %s
      stage 1 alone: the chairman's signature, TOTAL_PASSED.

  go run ./examples/kyso verify -trust %s -offline %s
  go run ./examples/kyso verify -trust %s -offline %s
  go run ./examples/kyso verify -trust %s -offline %s
      the appendix, the electronic copy and the archived letter (B-LTA).

  go run ./examples/kyso layout check %s
      the NĐ 30 layout rules (also on any other output): ĐẠT / CONFORMING.

Open %s in any PDF viewer to see the letter, the chairman's
blue signature between "CHỦ TỊCH" and his name, and the organisation's red seal over
its left third.
`,
		demoUnsignedName, demoSignatureName, demoSealName, demoSealMM, demoLeaderName, demoSignedName,
		demoAppendixName, demoAnnexSigned, demoScanName, demoScanDPI, demoCopyName, demoArchiveName,
		demoRootName, demoPolicyName, demoReportName, demoReportJSONName, demoReadmeName,
		p(demoSignedName),
		p(demoRootName), p(demoSignedName),
		p(demoRootName), p(demoLeaderName),
		p(demoRootName), p(demoAnnexSigned),
		p(demoRootName), p(demoCopyName),
		p(demoRootName), p(demoArchiveName),
		p(demoCopyName),
		p(demoSignedName))
	return b.String()
}

// demoCheckedSummary lists each signed output with its verdicts.
func demoCheckedSummary(r *demoResult) string {
	var parts []string
	for _, c := range r.checked {
		v := "NĐ 30 ĐẠT / CONFORMING"
		if len(c.layout) > 0 {
			v = "NĐ 30 KHÔNG ĐẠT: " + strings.Join(c.layout, ", ")
		}
		parts = append(parts, fmt.Sprintf("%s — %s, %s", c.name, c.indications, v))
	}
	return strings.Join(parts, "; ")
}

// demoDecisionWord says whether the step was allowed, and where the signature goes.
func demoDecisionWord(s *demoStep) string {
	if s.Decision == nil {
		return "none"
	}
	if !s.Decision.Allowed {
		return "được phép: không / refused"
	}
	return fmt.Sprintf("được phép / allowed, placement %q (%s)", s.Decision.Placement, s.Decision.Placement.Vietnamese())
}

// demoIndent gives the step's rules, each with its messages and citations, wrapped and
// indented.
func demoIndent(s *demoStep) string {
	var b strings.Builder
	for i, r := range s.reasons() {
		if i > 0 {
			b.WriteString("\n     ")
		}
		b.WriteString(demoWrap(fmt.Sprintf("[%s, %s] %s / %s Căn cứ / basis: %s.", r.Rule, r.Outcome, r.MessageVI, r.MessageEN, demoCitations(r)), 78, "       "))
	}
	return b.String()
}

// demoWrap wraps s at width runes, indenting continuation lines.
func demoWrap(s string, width int, indent string) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		l := utf8.RuneCountInString(w)
		if i > 0 && n+1+l > width {
			b.WriteString("\n" + indent)
			n = len(indent)
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += l
	}
	return b.String()
}

// demoLevel is the PAdES level a signature reached.
func demoLevel(res *signature.SignResult) signature.Level {
	if res.Level == nil {
		return signature.LevelBB
	}
	return res.Level.Level
}
