package signature

import (
	"fmt"
	"time"
)

func msgTimestampWeak(what string) msg {
	return mf("Dấu thời gian dùng thuật toán không đạt yêu cầu (%s): không chứng minh được thời điểm (CRYPTO_CONSTRAINTS_FAILURE).",
		"The time-stamp uses an algorithm below requirements (%s): it proves no time (CRYPTO_CONSTRAINTS_FAILURE).", what)
}

func msgSignerCertUnusable(why string) msg {
	return mf("Chứng thư số của người ký có trong chữ ký nhưng không dùng được: %s.",
		"The signer's certificate is in the signature but cannot be used: %s.", why)
}

// msgTSACertNotFound: a time-stamp token whose TSA certificate is nowhere to be found
// (a token requested with certReq false, and no DSS or caller certificate for it).
func msgTSACertNotFound(tsa string, genTime time.Time) msg {
	return mf("Có dấu thời gian (%s) nhưng không kiểm tra được: không tìm thấy chứng thư số của đơn vị cấp dấu thời gian (%s) trong dấu thời gian, trong DSS của tài liệu, trong các chữ ký hay trong các chứng thư số được cung cấp (INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND). Dấu thời gian này không chứng minh được thời điểm; không có gì bị sai lệch.",
		"There is a time-stamp (%s) but it cannot be checked: the time-stamping authority's certificate (%s) is neither in the token nor in the document's DSS, its signatures or the certificates given to the verifier (INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND). This time-stamp proves no time; nothing was found altered.",
		fmtTime(genTime), tsa)
}

// msgImprintOK: a document time-stamp's imprint is the digest of the signed bytes.
func msgImprintOK(alg string) msg {
	return mf("Giá trị băm %s của phần được đóng dấu thời gian khớp với dấu thời gian.",
		"The %s digest of the time-stamped bytes matches the time-stamp.", alg)
}

// msgDocTimestampFail: a document time-stamp's token fails a check.
func msgDocTimestampFail(err error) msg {
	return mf("Dấu thời gian tài liệu không hợp lệ: %v.", "The document time-stamp is invalid: %v.", err)
}

// Why a signature time-stamp token the signature carries proves no time.
var (
	msgWhyTokenNoTSACert = msg{VI: "dấu thời gian kèm theo không kiểm tra được vì thiếu chứng thư số của đơn vị cấp dấu thời gian",
		EN: "the attached time-stamp cannot be checked: the time-stamping authority's certificate is missing"}
	msgWhyTokenWeak = msg{VI: "dấu thời gian kèm theo dùng thuật toán không đạt yêu cầu",
		EN: "the attached time-stamp uses an algorithm below requirements"}
	msgWhyTokenFailed = msg{VI: "dấu thời gian kèm theo không hợp lệ",
		EN: "the attached time-stamp is invalid"}
	msgWhyTokenUnchecked = msg{VI: "dấu thời gian kèm theo không xác thực được",
		EN: "the attached time-stamp cannot be validated"}
	msgWhyTokenRevoked = msg{VI: "chứng thư số của đơn vị cấp dấu thời gian đã bị thu hồi",
		EN: "the time-stamping authority's certificate was revoked"}
	msgWhyTokenOutlived = msg{VI: "chứng thư số của đơn vị cấp dấu thời gian đã hết hạn trước khi dấu thời gian được bảo đảm",
		EN: "the time-stamping authority's certificate expired before the time-stamp was secured"}
)

// msgClaimedTimeTokenUnusable: the claimed time stands unproven because the token the
// signature carries proves nothing (why).
func msgClaimedTimeTokenUnusable(t time.Time, why msg) msg {
	return msg{
		VI: fmt.Sprintf("Thời điểm ký do người ký khai báo: %s — chưa được chứng minh (%s).", fmtTime(t), why.VI),
		EN: fmt.Sprintf("Signing time claimed by the signer: %s — not proven (%s).", fmtTime(t), why.EN),
	}
}

// msgNoTimeTokenUnusable: no claimed time, and the token proves nothing (why).
func msgNoTimeTokenUnusable(why msg) msg {
	return msg{
		VI: fmt.Sprintf("Chữ ký không có thời điểm ký (/M) và thời điểm ký chưa được chứng minh (%s).", why.VI),
		EN: fmt.Sprintf("The signature has no claimed signing time (/M) and its signing time is not proven (%s).", why.EN),
	}
}

// msgTimestampUnvalidated: a signature time-stamp whose TSA certificate's path cannot
// be validated (why): it proves no time, and nothing failed.
func msgTimestampUnvalidated(why msg) msg {
	return msg{
		VI: "Dấu thời gian của chữ ký chưa xác thực được nên không chứng minh được thời điểm ký (chữ ký được đánh giá như không có dấu thời gian): " + why.VI,
		EN: "The signature time-stamp cannot be validated, so it proves no signing time (the signature is judged as without a time-stamp): " + why.EN,
	}
}

// msgPKCS1Parse: an adbe.x509.rsa_sha1 signature that cannot be read.
func msgPKCS1Parse(err error) msg {
	return mf("Không đọc được chữ ký PKCS#1 (adbe.x509.rsa_sha1): %v.", "The PKCS#1 signature (adbe.x509.rsa_sha1) cannot be read: %v.", err)
}

// msgPKCS1OK: an adbe.x509.rsa_sha1 signature is well-formed.
func msgPKCS1OK(certs int) msg {
	return mf("Chữ ký PKCS#1 (adbe.x509.rsa_sha1, ISO 32000-1 12.8.3.2) hợp lệ về cấu trúc; /Cert có %d chứng thư số.",
		"The PKCS#1 signature (adbe.x509.rsa_sha1, ISO 32000-1 12.8.3.2) is well-formed; /Cert holds %d certificate(s).", certs)
}

// msgIntegrityWeak: digest and signature value verify, but with an algorithm below
// the policy (c, the algorithms check).
func msgIntegrityWeak(c Check) msg {
	return msg{
		VI: "Toàn vẹn: giá trị băm và giá trị chữ ký khớp (không phát hiện thay đổi), nhưng thuật toán không đủ an toàn để bảo đảm — " + c.MessageVI,
		EN: "Integrity: the digest and signature value verify (no change found), but the algorithm is too weak to vouch for it — " + c.MessageEN,
	}
}

// msgEncapsulatedDigestOK: an adbe.pkcs7.sha1 CMS encapsulates the SHA-1 digest of
// the signed bytes.
func msgEncapsulatedDigestOK() msg {
	return mf("Giá trị băm SHA-1 của phần được ký đúng là giá trị được đóng gói trong CMS (adbe.pkcs7.sha1).",
		"The SHA-1 digest of the signed bytes is the one the CMS encapsulates (adbe.pkcs7.sha1).")
}
