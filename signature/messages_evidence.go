package signature

func msgTimestampWeak(what string) msg {
	return mf("Dấu thời gian dùng thuật toán không đạt yêu cầu (%s): không chứng minh được thời điểm (CRYPTO_CONSTRAINTS_FAILURE).",
		"The time-stamp uses an algorithm below requirements (%s): it proves no time (CRYPTO_CONSTRAINTS_FAILURE).", what)
}

func msgSignerCertUnusable(why string) msg {
	return mf("Chứng thư số của người ký có trong chữ ký nhưng không dùng được: %s.",
		"The signer's certificate is in the signature but cannot be used: %s.", why)
}
