package policy

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// The national instruments the catalogue cites. Provincial citations are data: each
// province's file (and the national baseline's file, for the provincial articles the
// baseline leans on) holds them.
const (
	instND30  = "NĐ 30/2020/NĐ-CP"
	instND68  = "NĐ 68/2024/NĐ-CP"
	instND130 = "NĐ 130/2018/NĐ-CP"

	// nd68From is the day NĐ 68/2024 came into force; nd130Until the last day NĐ
	// 130/2018 governed this regime.
	nd68From   = "2024-08-15"
	nd130Until = "2024-08-14"
)

func nd30(article, clause, point, src string) Citation {
	return Citation{Instrument: instND30, Article: article, Clause: clause, Point: point, Source: src}
}
func nd30Annex(annex, clause, point, src string) Citation {
	return Citation{Instrument: instND30, Annex: annex, Clause: clause, Point: point, Source: src}
}

// Pages where kyso read the articles of NĐ 68/2024 it cites (the decree's own text,
// quoted article by article; rules.md names none of its articles). Each verified
// citation lists the pages it was checked against in its Source.
const (
	// urlND68Art31 quotes Điều 31 khoản 1–2 verbatim (thuvienphapluat.vn).
	urlND68Art31 = "https://beta.thuvienphapluat.vn/phap-luat/chung-thu-chu-ky-so-chuyen-dung-cong-vu-can-dap-ung-nhung-dieu-kien-nao-de-chung-thu-co-hieu-luc-544572-178179.html"
	// urlND68Art29And31 quotes Điều 29 (khoản 1–5) and Điều 31 verbatim (a mirror with
	// thuvienphapluat.vn's URL pattern).
	urlND68Art29And31 = "http://118.69.201.251:801/phap-luat/quy-trinh-tao-chu-ky-so-chuyen-dung-cong-vu-co-phai-kiem-tra-hieu-luc-cua-chung-thu-chu-ky-so-chuye-366073-176367.html"
	// urlND68Art29En summarises Điều 29 in English, naming Điều 31 and 32 (lawnet.vn).
	urlND68Art29En = "https://lawnet.vn/thong-tin-phap-luat/en/tu-van-luat/procedures-for-creating-specialized-digital-signatures-for-public-service-use-in-vietnam-175007.html"
)

// nd68 cites an article of NĐ 68/2024, the decree governing the công vụ regime since
// 15/8/2024, checked against the decree's text on the pages urls (Status verified).
func nd68(article, clause, point, note string, urls ...string) Citation {
	return Citation{Instrument: instND68, Article: article, Clause: clause, Point: point, Source: strings.Join(urls, " "),
		From: nd68From, Status: CitationVerified, Note: note}
}

// nd130 is the basis the seeds cite, superseded for this regime from 15/8/2024.
func nd130(article string) Citation {
	return Citation{Instrument: instND130, Article: article, Source: "rules.md §2.6", Until: nd130Until, Status: CitationSuperseded,
		Note: "căn cứ các quy chế cấp tỉnh viện dẫn; đã được thay thế bởi NĐ 68/2024/NĐ-CP đối với chữ ký số ký từ 15/8/2024 (the basis the seeds cite; superseded by NĐ 68/2024 for signatures from 15/8/2024)"}
}

// finding is one rule's conclusion in one case, with a sentence for that case; lead,
// when set, is the rendered citation (Citation.String) that fits this case best and
// goes first.
type finding struct {
	outcome Outcome
	vi, en  string
	lead    string
}

func violated(vi, en string) []finding { return []finding{{outcome: OutcomeViolated, vi: vi, en: en}} }
func satisfied(vi, en string) []finding {
	return []finding{{outcome: OutcomeSatisfied, vi: vi, en: en}}
}
func warned(vi, en string) []finding { return []finding{{outcome: OutcomeWarning, vi: vi, en: en}} }

// evalCtx is what a rule sees: the request, the profile, the signing time, and the
// signatures before this one in order (document time-stamps removed). When verifying
// an existing sequence, facts that only the signer knows (role, venue, who holds the
// key) are unknown and rules depending on them stay silent.
type evalCtx struct {
	req       *Request
	profile   *Profile
	at        time.Time
	verifying bool
	prior     []ExistingSignature
}

type ruleDef struct {
	id           string
	vi, en       string
	citations    []Citation // the national citations; provinces add theirs as data
	verification bool
	// provincial marks a rule kyso's sources found only in a province's regulation:
	// its violations are warnings unless the profile makes it binding
	// (Restatement.Binding).
	provincial bool
	check      func(c *evalCtx) []finding
}

// provincialRules lists the rules a profile may make binding.
func provincialRules() []string {
	var out []string
	for _, d := range catalogue() {
		if d.provincial {
			out = append(out, d.id)
		}
	}
	return out
}

// catalogue builds the rules. Their order is the order reasons are reported in.
func catalogue() []ruleDef {
	const (
		annexII  = "Phụ lục I Phần I mục II"
		annexIII = "Phụ lục I Phần I mục III"
		copyPart = "Phụ lục I Phần II mục I"
	)
	return []ruleDef{
		{
			id:           RuleClassified,
			vi:           "Không sử dụng chữ ký số cho văn bản mật, tối mật, tuyệt mật.",
			en:           "Digital signatures are not used for classified documents (mật, tối mật, tuyệt mật).",
			citations:    nil, // no national article found: the baseline's file cites the provinces
			verification: true,
			check:        checkClassified,
		},
		{
			id:           RuleDeviceCertificate,
			vi:           "Chứng thư số thiết bị, dịch vụ, phần mềm chỉ dùng để xác thực thiết bị, dịch vụ, phần mềm, không dùng để ký văn bản.",
			en:           "A device, service or software certificate authenticates devices and services; it never signs documents.",
			citations:    nil, // no national article found: the baseline's file cites the provinces
			verification: true,
			check:        checkDevice,
		},
		{
			id:           RuleAppendixSameFile,
			vi:           "Phụ lục, văn bản kèm theo cùng tệp tin với văn bản chính không được ký số riêng; chữ ký số trên văn bản chính bao gồm cả phụ lục.",
			en:           "An appendix or attachment in the same file as the main document is not signed separately; the main document's signatures cover it.",
			citations:    []Citation{nd30Annex(annexIII, "1", "d", "rules.md §2.4"), nd30Annex(annexII, "8", "b", "rules.md §2.4")},
			verification: true,
			check:        checkAppendixSameFile,
		},
		{
			id: RuleCertificateValid,
			vi: "Chữ ký số chỉ an toàn khi được tạo ra trong thời gian chứng thư số có hiệu lực (chưa hết hạn, không bị tạm dừng hoặc thu hồi).",
			en: "A signature counts only if made while the certificate is valid: not expired, suspended or revoked.",
			citations: []Citation{nd68("31", "1", "",
				"chứng thư chữ ký số chuyên dùng công vụ có hiệu lực khi có thời hạn hiệu lực tại thời điểm ký số và trạng thái (kiểm tra qua CRL hoặc OCSP, khoản 2) còn hoạt động tại thời điểm ký số (điểm a, c); Điều 29 khoản 1 đặt việc kiểm tra này vào quy trình tạo chữ ký số (the certificate is valid when within its validity period and, by CRL or OCSP, not revoked at the time of signing; Điều 29 k1 makes this check part of signing)",
				urlND68Art31, urlND68Art29And31), nd130("9")},
			verification: true,
			check:        checkValidity,
		},
		{
			id: RuleKeySoleControl,
			vi: "Khóa bí mật chỉ thuộc sự kiểm soát của người ký tại thời điểm ký; không cho người khác sử dụng thiết bị, không tiết lộ mật khẩu.",
			en: "The private key must be under the signer's sole control when signing: no lending the token, no disclosing the PIN.",
			citations: []Citation{nd68("29", "3", "",
				"quy trình tạo chữ ký số chuyên dùng công vụ: sử dụng khóa bí mật tương ứng với chứng thư chữ ký số chuyên dùng công vụ của chủ thể thực hiện ký số; kyso chưa tìm thấy điều của NĐ 68/2024 nhắc lại nguyên văn “khóa bí mật chỉ thuộc sự kiểm soát của người ký” (NĐ 130/2018 Điều 9) (signing uses the private key of the signer's own certificate; no article of NĐ 68/2024 restating NĐ 130's “sole control” words was found)",
				urlND68Art29And31, urlND68Art29En), nd130("9")},
			check: checkSoleControl,
		},
		{
			id:        RuleAuthorityIndividualCert,
			vi:        "Người có thẩm quyền ký số bằng chứng thư số cá nhân của mình; chứng thư số cơ quan, tổ chức do văn thư sử dụng.",
			en:        "The person with authority signs with their own individual certificate; the organisation certificate is the clerk's.",
			citations: nil, // the baseline's file cites the provinces
			check:     checkAuthorityIndividual,
		},
		{
			id:        RuleSubscriberOwnRequest,
			vi:        "Thuê bao dùng chứng thư số cá nhân của mình để ký số văn bản đề nghị, hồ sơ, giao dịch điện tử của chính mình.",
			en:        "A subscriber signs their own request, application or transaction with their own individual certificate.",
			citations: nil, // Quảng Ninh Điều 5 k1 a: the baseline's file cites it
			check:     checkOwnRequest,
		},
		{
			id:         RuleAuthorityWithinTitle,
			vi:         "Chứng thư số cá nhân chỉ được dùng để ký văn bản theo đúng thẩm quyền và chức danh ghi trên chứng thư số.",
			en:         "An individual certificate signs documents only within the authority of the title written on it.",
			citations:  nil, // Hà Tĩnh Điều 7 k3 alone: the profiles cite it
			provincial: true,
			check:      checkWithinTitle,
		},
		{
			id:           RuleMarkerMatchesTitle,
			vi:           "Việc ký thay, thừa lệnh, thừa ủy quyền, thay mặt, quyền được hiểu căn cứ vào chức danh của người ký ghi trên chứng thư số; chữ viết tắt quyền hạn phải phù hợp với chức danh đó.",
			en:           "Signing on behalf (KT., TL., TUQ., TM., Q.) is read from the signer's title on the certificate; the marker used must fit that title.",
			citations:    []Citation{nd30Annex(annexII, "7", "b", "rules.md §2.2")},
			verification: true,
			provincial:   true, // reading the marker from the certificate title is Hà Tĩnh Điều 7 k4
			check:        checkMarker,
		},
		{
			id:        RuleOrgSealByClerk,
			vi:        "Thiết bị lưu khóa bí mật của cơ quan, tổ chức được người đứng đầu giao cho văn thư quản lý, sử dụng; chỉ người được giao mới ký số của cơ quan, tổ chức.",
			en:        "The organisation's key device is assigned by the head to the clerk (văn thư), who alone applies the organisation signature.",
			citations: []Citation{nd30("32", "", "", "rules.md §2.3"), nd30("32", "2", "b", "rules.md §2.3")},
			check:     checkOrgByClerk,
		},
		{
			id:           RuleOrgSealAfterAuthority,
			vi:           "Văn thư chỉ được ký số của cơ quan, tổ chức vào văn bản đã có chữ ký số của người có thẩm quyền.",
			en:           "The clerk applies the organisation signature only to documents that already carry a valid signature of the person with authority.",
			citations:    []Citation{nd30("32", "2", "d", "rules.md §2.3")},
			verification: true,
			check:        checkOrgAfterAuthority,
		},
		{
			id:           RuleCopyOwnOrganisation,
			vi:           "Cơ quan, tổ chức chỉ ký số vào bản sao văn bản do chính cơ quan, tổ chức trực tiếp thực hiện.",
			en:           "An organisation signs only copies it made itself.",
			citations:    []Citation{nd30("32", "2", "d", "rules.md §2.3")},
			verification: true,
			check:        checkCopyOwn,
		},
		{
			id:           RuleCopyStamp,
			vi:           "Bản sao định dạng điện tử (SAO Y, SAO LỤC, TRÍCH SAO) được ký số bởi cơ quan, tổ chức sao văn bản tại ô số 14, không hiển thị hình ảnh.",
			en:           "An electronic copy (SAO Y, SAO LỤC, TRÍCH SAO) is signed by the copying organisation at box 14, without image.",
			citations:    []Citation{nd30Annex(copyPart, "", "", "rules.md §3")},
			verification: true,
			check:        checkCopyStamp,
		},
		{
			id:           RuleAttachmentSeparateFile,
			vi:           "Phụ lục, văn bản kèm theo không cùng tệp tin với văn bản chính được văn thư ký số của cơ quan, tổ chức trên từng tệp tin, ở góc trên, bên phải, trang đầu, không hiển thị hình ảnh.",
			en:           "An appendix or attachment in a separate file gets the organisation signature on each file, top right of page 1, without image.",
			citations:    []Citation{nd30Annex(annexII, "8", "b", "rules.md §2.4"), nd30Annex(annexIII, "1", "d", "rules.md §2.4")},
			verification: true,
			check:        checkAttachment,
		},
		{
			id:           RuleSecondCertServiceCentre,
			vi:           "Chứng thư số thứ 2 của cơ quan, tổ chức chỉ dùng để giải quyết thủ tục hành chính tại Trung tâm Phục vụ Hành chính công, Bộ phận tiếp nhận và trả kết quả.",
			en:           "An organisation's second certificate is used only for administrative procedures at a public administrative service centre.",
			citations:    nil, // no national article found: the baseline's file cites the provinces
			verification: true,
			check:        checkSecondCert,
		},
	}
}

func checkClassified(c *evalCtx) []finding {
	cl := c.req.Document.Classification
	if cl.Classified() {
		return violated(
			fmt.Sprintf("Văn bản có độ mật “%s”: không sử dụng chữ ký số cho văn bản mật, tối mật, tuyệt mật.", cl.Vietnamese()),
			fmt.Sprintf("The document is classified (%s): digital signatures are not used for classified documents.", cl.Vietnamese()))
	}
	if c.verifying {
		return nil
	}
	return satisfied("Văn bản không thuộc danh mục mật.", "The document is not classified.")
}

func checkDevice(c *evalCtx) []finding {
	if c.req.Certificate.Kind == CertDevice {
		return violated(
			"Chứng thư số thiết bị, dịch vụ, phần mềm không được dùng để ký văn bản.",
			"A device, service or software certificate never signs a document.")
	}
	if c.verifying {
		return nil
	}
	return satisfied(
		fmt.Sprintf("Chứng thư số dùng để ký là %s.", c.req.Certificate.Kind.Vietnamese()),
		fmt.Sprintf("The signing certificate is an %s certificate.", c.req.Certificate.Kind))
}

func checkAppendixSameFile(c *evalCtx) []finding {
	if c.req.Document.Kind != DocAppendixSameFile {
		return nil
	}
	return violated(
		"Phụ lục cùng tệp tin với văn bản chính: không ký số riêng lên phụ lục; chữ ký số trên văn bản chính đã bao gồm phụ lục.",
		"The appendix is in the same file as the main document: it is not signed separately; the main document's signature covers it.")
}

func checkValidity(c *evalCtx) []finding {
	cert := c.req.Certificate
	if c.at.IsZero() {
		if cert.Status == StatusRevoked || cert.Status == StatusSuspended {
			_, _, vi, en := cert.validity(time.Time{})
			return violated(capitalise(vi)+".", capitalise(en)+".")
		}
		return warned("Không rõ thời điểm ký nên chưa kiểm tra được hiệu lực của chứng thư số.", "The signing time is unknown, so the certificate's validity at that time was not checked.")
	}
	ok, unknown, vi, en := cert.validity(c.at)
	switch {
	case !ok:
		return violated(capitalise(vi)+".", capitalise(en)+".")
	case unknown && c.verifying:
		return warned(capitalise(vi)+"; chưa kết luận được hiệu lực của chữ ký này.", capitalise(en)+"; this signature's validity is not established.")
	case unknown:
		return warned(capitalise(vi)+"; cần kiểm tra trước khi ký.", capitalise(en)+"; check it before signing.")
	case c.verifying:
		return nil
	}
	return satisfied(
		"Chứng thư số có hiệu lực tại thời điểm ký "+vnTime(c.at)+".",
		"The certificate is valid at the signing time "+c.at.In(vietnamZone).Format(time.RFC3339)+".")
}

func checkSoleControl(c *evalCtx) []finding {
	if c.verifying {
		return nil
	}
	if c.req.KeyUsedByOther {
		return violated(
			"Khóa bí mật đang được người khác sử dụng (cho mượn thiết bị hoặc lộ mật khẩu): chữ ký số không được bảo đảm an toàn.",
			"The key is being used by someone other than its holder (a lent token or a disclosed PIN): the signature would not be safe.")
	}
	// Software cannot see who holds the token: the satisfied finding says only that
	// the caller reported no other user, and reminds the signer of the duty.
	return satisfied(
		"Không có thông tin khóa bí mật bị người khác sử dụng; người ký tự quản lý thiết bị và không tiết lộ mật khẩu.",
		"Nothing reported shows the key used by anyone but its holder, who alone keeps the token and its PIN.")
}

func checkAuthorityIndividual(c *evalCtx) []finding {
	if c.verifying || !c.req.Role.isPersonWithAuthority() || c.req.Document.Kind == DocOwnRequest {
		return nil
	}
	switch k := c.req.Certificate.Kind; {
	case k.isOrganisation():
		return violated(
			fmt.Sprintf("Người có thẩm quyền ký bằng chứng thư số cá nhân của mình, không dùng %s; chữ ký số của cơ quan, tổ chức do văn thư thực hiện.", k.Vietnamese()),
			"The person with authority signs with their own individual certificate, not the organisation's; the organisation signature is applied by the clerk.")
	case k == CertIndividual:
		return satisfied("Người có thẩm quyền ký bằng chứng thư số cá nhân.", "The person with authority signs with an individual certificate.")
	}
	return nil
}

func checkOwnRequest(c *evalCtx) []finding {
	if c.req.Document.Kind != DocOwnRequest {
		return nil
	}
	switch k := c.req.Certificate.Kind; {
	case k.isOrganisation():
		return violated(
			fmt.Sprintf("Văn bản đề nghị, giao dịch của chính thuê bao được ký bằng chứng thư số cá nhân của người đó, không dùng %s; đề nghị của cơ quan, tổ chức là văn bản hành chính do người có thẩm quyền ký và văn thư ký số của cơ quan, tổ chức.", k.Vietnamese()),
			"A subscriber's own request or transaction is signed with their individual certificate, not the organisation's; an organisation's request is an administrative document signed by the person with authority and sealed by the clerk.")
	case k == CertIndividual && !c.verifying:
		return satisfied(
			"Thuê bao ký số văn bản đề nghị, giao dịch của chính mình bằng chứng thư số cá nhân.",
			"The subscriber signs their own request or transaction with their individual certificate.")
	}
	return nil // a device certificate: VN-DEVICE-CERT-NO-DOCUMENT
}

func checkWithinTitle(c *evalCtx) []finding {
	if c.verifying || c.req.Certificate.Kind != CertIndividual || c.req.Document.Kind == DocOwnRequest {
		return nil
	}
	role := c.req.Role
	if !role.isPersonWithAuthority() {
		return violated(
			fmt.Sprintf("Chứng thư số cá nhân chỉ ký văn bản với tư cách người có thẩm quyền; vai trò “%s” không có thẩm quyền ký văn bản này.", role.Vietnamese()),
			fmt.Sprintf("An individual certificate signs documents only as a person with authority; the role %q has no authority to sign this document.", role))
	}
	if fold(c.req.Certificate.Title) == "" {
		return warned("Chưa biết chức danh được cấp chứng thư số của người ký: chưa kiểm tra được thẩm quyền ký và chữ viết tắt quyền hạn.",
			"The title the certificate was issued for is not known: the signer's authority and markers were not checked.")
	}
	return satisfied(
		fmt.Sprintf("Người ký có chức danh “%s” ghi trên chứng thư số.", c.req.Certificate.Title),
		fmt.Sprintf("The signer's title on the certificate is %q.", c.req.Certificate.Title))
}

func checkMarker(c *evalCtx) []finding {
	req := c.req
	if req.Certificate.Kind != CertIndividual || req.Document.Kind == DocOwnRequest {
		return nil
	}
	if c.verifying && len(req.Markers) == 0 {
		return nil // nothing known about the signature block
	}
	if !c.verifying && !req.Role.isPersonWithAuthority() {
		return nil
	}
	title := ParseTitle(req.Certificate.Title)
	if fold(title.Position) == "" {
		return nil // VN-AUTHORITY-WITHIN-TITLE reports the missing title
	}
	rk := positionRank(title.Position)
	if hasMarker(title.Markers, MarkerDeputy) {
		rk = rankDeputy
	}
	if hasMarker(title.Markers, MarkerActing) {
		rk = rankActing
	}
	used := req.Markers
	for _, m := range title.Markers {
		if !hasMarker(used, m) {
			return violated(
				fmt.Sprintf("Chức danh trên chứng thư số ghi “%s” nhưng khối chữ ký không ghi “%s”.", m, m),
				fmt.Sprintf("The certificate's title carries %q but the signature block does not.", m))
		}
	}
	var vi, en string
	switch {
	case rk == rankDeputy && hasMarker(used, MarkerActing) && !hasMarker(used, MarkerDeputy):
		// A deputy given quyền cấp trưởng signs "Q." before the head's title (NĐ 30
		// PL I mục II k7 b) even while the certificate still reads "Phó …".
		vi = fmt.Sprintf("Người ký ghi “Q.” (được giao quyền cấp trưởng: phải ghi “Q.” theo NĐ 30/2020/NĐ-CP Phụ lục I Phần I mục II k7 b) nhưng chức danh trên chứng thư số vẫn là cấp phó (“%s”), không thể hiện việc giao quyền: có thể đề nghị thay đổi thông tin chứng thư số (NĐ 68/2024/NĐ-CP Mẫu 04 — chưa kiểm chứng: kyso chưa đọc mẫu này, và theo một nguồn chưa đối chiếu được, Điều 15 khoản 1 của Nghị định chỉ nêu việc thay đổi cơ quan, tổ chức công tác và địa chỉ thư điện tử công vụ).", title.Position)
		en = fmt.Sprintf("The block reads Q. (an acting head must sign Q., NĐ 30/2020 Annex I Part I section II k7 b) but the certificate still reads a deputy's title (%q), which does not show the acting appointment: a change of the certificate's information may be requested (NĐ 68/2024 Mẫu 04 — unverified: kyso has not read that form, and by one source it could not cross-check, the decree's Điều 15 khoản 1 lists only a change of employing body and of official e-mail).", title.Position)
	case rk == rankDeputy && !hasMarker(used, MarkerDeputy):
		vi = fmt.Sprintf("Chức danh trên chứng thư số là cấp phó (“%s”): phải ký thay (KT.) người đứng đầu, không ký như cấp trưởng.", title.Position)
		en = fmt.Sprintf("The title on the certificate is a deputy's (%q): the signature must read KT. (signing for the head).", title.Position)
	case rk != rankDeputy && hasMarker(used, MarkerDeputy):
		vi = fmt.Sprintf("Ký thay (KT.) dành cho cấp phó, nhưng chức danh trên chứng thư số là “%s”.", title.Position)
		en = fmt.Sprintf("KT. (signing for the head) is for deputies, but the title on the certificate is %q.", title.Position)
	case rk == rankActing && !hasMarker(used, MarkerActing):
		vi = fmt.Sprintf("Chức danh trên chứng thư số là quyền cấp trưởng (“%s”): phải ghi “Q.” trước chức vụ.", title.Position)
		en = fmt.Sprintf("The title on the certificate is an acting head's (%q): the block must read Q.", title.Position)
	case rk != rankActing && hasMarker(used, MarkerActing):
		vi = fmt.Sprintf("“Q.” dành cho người được giao quyền cấp trưởng, nhưng chức danh trên chứng thư số là “%s”.", title.Position)
		en = fmt.Sprintf("Q. is for an acting head, but the title on the certificate is %q.", title.Position)
	case !c.verifying && req.Role == RoleDeputy && rk == rankHead && !hasMarker(used, MarkerByOrder) && !hasMarker(used, MarkerByDelegation):
		vi = fmt.Sprintf("Vai trò cấp phó hoặc quyền, nhưng chức danh trên chứng thư số là cấp trưởng (“%s”).", title.Position)
		en = fmt.Sprintf("The role is deputy or acting, but the title on the certificate is a head's (%q).", title.Position)
	case req.PrintedTitle != "" && fold(ParseTitle(req.PrintedTitle).Position) != fold(title.Position):
		vi = fmt.Sprintf("Chức vụ in trên văn bản (“%s”) khác chức danh ghi trên chứng thư số (“%s”).", ParseTitle(req.PrintedTitle).Position, title.Position)
		en = fmt.Sprintf("The position printed on the document (%q) differs from the title on the certificate (%q).", ParseTitle(req.PrintedTitle).Position, title.Position)
	}
	if vi != "" {
		return violated(vi, en)
	}
	if c.verifying {
		return nil
	}
	return satisfied(
		fmt.Sprintf("Chữ viết tắt quyền hạn %s phù hợp với chức danh “%s” trên chứng thư số.", markersText(used), title.Position),
		fmt.Sprintf("The authority markers %s fit the title %q on the certificate.", markersText(used), title.Position))
}

func markersText(ms []AuthorityMarker) string {
	if len(ms) == 0 {
		return "(không có)"
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = string(m)
	}
	return strings.Join(parts, " ")
}

func checkOrgByClerk(c *evalCtx) []finding {
	if c.verifying || !c.req.Certificate.Kind.isOrganisation() {
		return nil
	}
	for _, r := range c.profile.OrgSignatureRoles {
		if r == c.req.Role {
			return satisfied(
				fmt.Sprintf("Chữ ký số của cơ quan, tổ chức do %s thực hiện.", c.req.Role.Vietnamese()),
				fmt.Sprintf("The organisation signature is applied by the %s.", c.req.Role))
		}
	}
	if c.req.KeeperPermitted {
		f := warned(
			fmt.Sprintf("Văn thư vắng mặt: người đứng đầu cho phép bằng văn bản %s giữ, sử dụng thiết bị lưu khóa bí mật của cơ quan, tổ chức, việc bàn giao có biên bản (NĐ 30/2020/NĐ-CP Điều 32 k2 b); cần lưu văn bản cho phép và biên bản bàn giao.", c.req.Role.Vietnamese()),
			fmt.Sprintf("The clerk is absent: the head permitted the %s in writing to keep and use the organisation's key device, handed over with minutes (NĐ 30/2020 Điều 32 k2 b); keep the permission and the minutes.", c.req.Role))
		f[0].lead = instND30 + ", Điều 32 k2 b"
		return f
	}
	who := make([]string, len(c.profile.OrgSignatureRoles))
	for i, r := range c.profile.OrgSignatureRoles {
		who[i] = r.Vietnamese()
	}
	return violated(
		fmt.Sprintf("Chỉ %s được ký số của cơ quan, tổ chức; vai trò “%s” không được sử dụng thiết bị lưu khóa bí mật của cơ quan.", strings.Join(who, " hoặc "), c.req.Role.Vietnamese()),
		fmt.Sprintf("Only the %s may apply the organisation signature; the role %q may not use the organisation's key.", rolesText(c.profile.OrgSignatureRoles), c.req.Role))
}

func rolesText(rs []Role) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = string(r)
	}
	return strings.Join(parts, " or ")
}

// validAuthoritySignature classifies a prior signature as evidence that the person with
// authority signed: 1 valid, 0 doubtful (indeterminate or unchecked facts), -1 not.
func validAuthoritySignature(s ExistingSignature) int {
	if s.Certificate.Kind != CertIndividual || s.Indication == IndicationTotalFailed {
		return -1
	}
	ok, unknown, _, _ := s.Certificate.validity(s.Time)
	if s.Time.IsZero() {
		ok = s.Certificate.Status != StatusRevoked && s.Certificate.Status != StatusSuspended
		unknown = true
	}
	switch {
	case !ok:
		return -1
	case s.Indication == IndicationIndeterminate:
		return 0
	case unknown && s.Indication != IndicationTotalPassed:
		return 0
	}
	return 1
}

// authorityBefore reports the best evidence among sigs that the person with authority
// signed: 1, 0 or -1 as validAuthoritySignature, or -2 when there is no individual
// signature at all.
func authorityBefore(sigs []ExistingSignature) int {
	best := -2
	for _, s := range sigs {
		if v := validAuthoritySignature(s); v > best {
			best = v
		}
	}
	return best
}

// earliestAuthority returns the earliest signing time among the valid signatures of
// the person with authority in sigs; zero when one of them has no time (nothing then
// contradicts the order of the file) or there is none.
func earliestAuthority(sigs []ExistingSignature) time.Time {
	var first time.Time
	for _, s := range sigs {
		if validAuthoritySignature(s) != 1 {
			continue
		}
		if s.Time.IsZero() {
			return time.Time{}
		}
		if first.IsZero() || s.Time.Before(first) {
			first = s.Time
		}
	}
	return first
}

func checkOrgAfterAuthority(c *evalCtx) []finding {
	kind := c.req.Certificate.Kind
	doc := c.req.Document.Kind
	if kind == CertIndividual && !c.verifying {
		// The other direction: a person signing after an organisation seal that had
		// no authority signature before it shows the seal came first.
		for i, s := range c.prior {
			if s.Certificate.Kind.isOrganisation() && (doc == DocAdministrative || doc == DocProcedureResult) && authorityBefore(c.prior[:i]) < 0 {
				return violated(
					fmt.Sprintf("Văn bản đã có chữ ký số của cơ quan, tổ chức (chữ ký thứ %d) trước khi có chữ ký hợp lệ của người có thẩm quyền: trình tự ký sai, cần ký lại từ văn bản chưa ký.", s.Order),
					fmt.Sprintf("The document already carries an organisation signature (signature %d) made before any valid signature of the person with authority: the order is wrong; sign again from the unsigned document.", s.Order))
			}
		}
		return nil
	}
	if !kind.isOrganisation() {
		return nil
	}
	switch doc {
	case DocAttachmentSeparateFile:
		if c.verifying {
			return nil
		}
		if !c.req.Document.MainDocumentSigned {
			return violated(
				"Văn bản chính của tệp tin kèm theo này chưa có chữ ký số của người có thẩm quyền: văn thư chưa được ký số của cơ quan, tổ chức.",
				"The main document this attachment belongs to does not yet carry the signature of the person with authority: the organisation may not sign yet.")
		}
		return satisfied("Văn bản chính đã có chữ ký số của người có thẩm quyền.", "The main document already carries the signature of the person with authority.")
	case DocAdministrative, DocProcedureResult:
	default:
		return nil
	}
	switch authorityBefore(c.prior) {
	case 1:
		if first := earliestAuthority(c.prior); !c.at.IsZero() && !first.IsZero() && first.After(c.at) {
			// The file's order says the authority signed first; the times say not.
			if c.verifying {
				return warned(fmt.Sprintf("Chữ ký số của cơ quan, tổ chức ghi thời điểm ký %s, trước thời điểm ký của người có thẩm quyền (%s) dù đứng sau chữ ký đó trong tệp tin; cần kiểm tra thời điểm ký.", vnTime(c.at), vnTime(first)),
					fmt.Sprintf("The organisation signature is dated %s, before the signature of the person with authority (%s) that precedes it in the file; check the signing times.", c.at.In(vietnamZone).Format(time.RFC3339), first.In(vietnamZone).Format(time.RFC3339)))
			}
			return warned(fmt.Sprintf("Chữ ký số của người có thẩm quyền ghi thời điểm ký %s, sau thời điểm ký số của cơ quan, tổ chức (%s); cần kiểm tra đồng hồ trước khi ký.", vnTime(first), vnTime(c.at)),
				fmt.Sprintf("The signature of the person with authority is dated %s, after this signing time (%s); check the clocks before signing.", first.In(vietnamZone).Format(time.RFC3339), c.at.In(vietnamZone).Format(time.RFC3339)))
		}
		if c.verifying {
			return nil
		}
		return satisfied("Văn bản đã có chữ ký số hợp lệ của người có thẩm quyền.", "The document already carries a valid signature of the person with authority.")
	case 0:
		if c.verifying {
			return warned("Chữ ký số của cơ quan, tổ chức đứng sau chữ ký của người có thẩm quyền chưa xác định được hiệu lực; cần kiểm tra chữ ký đó.",
				"The organisation signature follows a signature of the person with authority whose validity could not be established; check that signature.")
		}
		return warned("Văn bản có chữ ký số của người có thẩm quyền nhưng chưa xác định được hiệu lực của chữ ký đó; cần kiểm tra trước khi ký số của cơ quan, tổ chức.",
			"The document carries a signature of the person with authority whose validity could not be established; check it before applying the organisation signature.")
	case -1:
		if c.verifying {
			return violated(
				"Chữ ký số của cơ quan, tổ chức được ký khi chữ ký của người có thẩm quyền trước nó không hợp lệ (chữ ký sai hoặc chứng thư số hết hiệu lực).",
				"The organisation signature was applied although the signature of the person with authority before it is not valid (failed verification or an invalid certificate).")
		}
		return violated(
			"Chữ ký số của người có thẩm quyền trên văn bản không hợp lệ (chữ ký sai hoặc chứng thư số hết hiệu lực): văn thư chưa được ký số của cơ quan, tổ chức.",
			"The signature of the person with authority on the document is not valid (failed verification or an invalid certificate): the organisation may not sign.")
	}
	if c.verifying {
		return violated(
			"Chữ ký số của cơ quan, tổ chức được ký khi văn bản chưa có chữ ký số của người có thẩm quyền.",
			"The organisation signature was applied before any signature of the person with authority.")
	}
	return violated(
		"Văn bản chưa có chữ ký số của người có thẩm quyền: văn thư chỉ được ký số của cơ quan, tổ chức vào văn bản đã có chữ ký số của người có thẩm quyền.",
		"The document does not yet carry the signature of the person with authority: the organisation signature may only be applied after it.")
}

func checkCopyOwn(c *evalCtx) []finding {
	if c.req.Document.Kind != DocCopy || !c.req.Certificate.Kind.isOrganisation() {
		return nil
	}
	if !c.req.Document.CopyMadeByOrganisation {
		return violated(
			"Bản sao này không do cơ quan, tổ chức trực tiếp thực hiện: cơ quan, tổ chức không được ký số vào bản sao của cơ quan khác.",
			"This copy was not made by the signing organisation itself: it may not sign another body's copy.")
	}
	if c.verifying {
		return nil
	}
	return satisfied("Bản sao do chính cơ quan, tổ chức thực hiện.", "The copy was made by the organisation itself.")
}

func checkCopyStamp(c *evalCtx) []finding {
	if c.req.Document.Kind != DocCopy {
		return nil
	}
	if !c.req.Certificate.Kind.isOrganisation() {
		return violated(
			"Bản sao định dạng điện tử được ký số bởi cơ quan, tổ chức sao văn bản, không bằng chứng thư số cá nhân.",
			"An electronic copy is signed by the copying organisation, not with an individual certificate.")
	}
	if c.verifying {
		return nil
	}
	if c.req.Document.CopyForm == "" {
		return violated(
			"Chưa ghi hình thức sao: phải là “SAO Y”, “SAO LỤC” hoặc “TRÍCH SAO”.",
			`The copy form is missing: it must be "SAO Y", "SAO LỤC" or "TRÍCH SAO".`)
	}
	return satisfied(
		fmt.Sprintf("Bản sao hình thức “%s”, ký số của cơ quan, tổ chức tại ô số 14.", c.req.Document.CopyForm),
		fmt.Sprintf("A %q copy, signed by the organisation at box 14.", c.req.Document.CopyForm))
}

func checkAttachment(c *evalCtx) []finding {
	if c.req.Document.Kind != DocAttachmentSeparateFile {
		return nil
	}
	if !c.req.Certificate.Kind.isOrganisation() {
		return violated(
			"Phụ lục, văn bản kèm theo không cùng tệp tin được văn thư ký số của cơ quan, tổ chức, không ký bằng chứng thư số cá nhân.",
			"An attachment in a separate file is signed with the organisation signature by the clerk, not with an individual certificate.")
	}
	if c.verifying {
		return nil
	}
	return satisfied(
		"Tệp tin kèm theo được ký số của cơ quan, tổ chức ở góc trên, bên phải, trang đầu.",
		"The separate attachment file gets the organisation signature at the top right of page 1.")
}

func checkSecondCert(c *evalCtx) []finding {
	if c.req.Certificate.Kind != CertOrganisationSecond {
		return nil
	}
	doc := c.req.Document.Kind
	if doc != DocProcedureResult {
		return violated(
			fmt.Sprintf("Chứng thư số thứ 2 chỉ dùng cho kết quả giải quyết thủ tục hành chính, không dùng cho %s.", doc.Vietnamese()),
			fmt.Sprintf("The second organisation certificate is only for administrative-procedure results, not for a %s document.", doc))
	}
	if c.verifying {
		return nil
	}
	if !c.req.AtServiceCentre {
		return violated(
			"Chứng thư số thứ 2 chỉ được sử dụng tại Trung tâm Phục vụ Hành chính công hoặc Bộ phận tiếp nhận và trả kết quả.",
			"The second organisation certificate may be used only at a public administrative service centre.")
	}
	return satisfied(
		"Chứng thư số thứ 2 dùng cho kết quả giải quyết thủ tục hành chính tại Trung tâm Phục vụ Hành chính công.",
		"The second organisation certificate signs an administrative-procedure result at the service centre.")
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
