package signature

func msgTimestampWeak(what string) msg {
	return mf("Dấu thời gian dùng thuật toán không đạt yêu cầu (%s): không chứng minh được thời điểm (CRYPTO_CONSTRAINTS_FAILURE).",
		"The time-stamp uses an algorithm below requirements (%s): it proves no time (CRYPTO_CONSTRAINTS_FAILURE).", what)
}

func msgSignerCertUnusable(why string) msg {
	return mf("Chứng thư số của người ký có trong chữ ký nhưng không dùng được: %s.",
		"The signer's certificate is in the signature but cannot be used: %s.", why)
}

func msgTimestampNoTSACert() msg {
	return mf("Không kiểm tra được dấu thời gian: chứng thư số của đơn vị cấp dấu thời gian không có trong dấu thời gian lẫn trong tài liệu (DSS), nên dấu thời gian không chứng minh được thời điểm (NO_SIGNING_CERTIFICATE_FOUND).",
		"The time-stamp cannot be checked: the time-stamping authority's certificate is neither in the token nor in the document (DSS), so it proves no time (NO_SIGNING_CERTIFICATE_FOUND).")
}
