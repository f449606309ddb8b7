// Package signaturetest offers one-call assertions on signed PDFs for test suites:
// verify a document with signature.Verify and check each signature's indication,
// sub-indication, PAdES level, signer and modification class, with failure messages
// that name the signature, what was expected, what was found and the failed checks'
// reasons.
//
//	rep := signaturetest.AssertSignatures(t, signedPDF, &signature.VerifyOptions{Roots: roots},
//		signaturetest.Expect{Indication: signature.TotalPassed, Level: signature.LevelBB,
//			Signer: "Nguyễn Văn An", Modification: signature.ModNone})
//
// The functions take a TB, which *testing.T and *testing.B satisfy.
package signaturetest
