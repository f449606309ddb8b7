package signature

func msgTimestampWeak(what string) msg {
	return mf("Dấu thời gian dùng thuật toán không đạt yêu cầu (%s): không chứng minh được thời điểm (CRYPTO_CONSTRAINTS_FAILURE).",
		"The time-stamp uses an algorithm below requirements (%s): it proves no time (CRYPTO_CONSTRAINTS_FAILURE).", what)
}
