package signaturetest_test

import (
	"fmt"

	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// printer is a TB that prints failures (in a real test, pass the *testing.T).
type printer struct{}

func (printer) Helper()                           {}
func (printer) Errorf(format string, args ...any) { fmt.Printf("FAIL: "+format+"\n", args...) }
func (printer) Fatalf(format string, args ...any) { fmt.Printf("FATAL: "+format+"\n", args...) }

// A downstream test checks a signed document in one call.
func Example() {
	key, chain, roots := testSigner() // a test root and a signer "Trần Thị Bình"
	doc := signDoc(key, chain, signaturetest.SamplePDF())

	rep := signaturetest.AssertSignatures(printer{}, doc,
		&signature.VerifyOptions{Roots: roots, AllowMissingRevocation: true},
		signaturetest.Expect{Indication: signature.TotalPassed, Level: signature.LevelBB,
			Signer: "Trần Thị Bình", Modification: signature.ModNone})
	fmt.Println(rep.Signatures[0].Indication, rep.Signatures[0].Level)
	// Output: TOTAL_PASSED B-B
}
