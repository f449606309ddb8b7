package signature_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log"

	"github.com/kyso-go/kyso/signature"
	"github.com/kyso-go/kyso/signature/signaturetest"
)

// A signing policy that lets the organisation's seal onto a document only after a
// person has signed it. Real callers use the policy package's Engine through
// kyso.Policy in the module's root package; this hook decides by itself to stay
// self-contained.
func ExamplePolicyHook() {
	key, cert := exampleKey()
	sealOnlyAfterSignature := signature.PolicyHookFunc(func(ctx context.Context, info signature.SigningInfo) error {
		for _, s := range info.Existing {
			if s.Kind == signature.KindSignature && s.Signer != nil {
				return nil
			}
		}
		return errors.New("văn bản chưa có chữ ký số của người có thẩm quyền / the document is not signed by the person with authority yet")
	})

	in := signaturetest.SamplePDF()
	var out bytes.Buffer
	_, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)),
		key, []*x509.Certificate{cert}, &signature.SignOptions{Policy: sealOnlyAfterSignature})
	fmt.Println("refused:", errors.Is(err, signature.ErrPolicyRefused), "bytes written:", out.Len())

	// The person with authority signs first (no policy); then the seal is allowed.
	if _, err := signature.Sign(context.Background(), &out, bytes.NewReader(in), int64(len(in)),
		key, []*x509.Certificate{cert}, &signature.SignOptions{NewField: "Lãnh đạo"}); err != nil {
		log.Fatal(err)
	}
	signed := bytes.Clone(out.Bytes())
	out.Reset()
	res, err := signature.Sign(context.Background(), &out, bytes.NewReader(signed), int64(len(signed)),
		key, []*x509.Certificate{cert}, &signature.SignOptions{NewField: "Văn thư", Policy: sealOnlyAfterSignature})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("sealed in field:", res.Field)
	// Output:
	// refused: true bytes written: 0
	// sealed in field: Văn thư
}
