package signature_test

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"testing"

	"github.com/kyso-go/kyso/certstatus/certstatustest"
	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// kitTimestamper asks the test PKI's TSA directly, without HTTP.
type kitTimestamper struct{ p *certstatustest.PKI }

func (k kitTimestamper) Timestamp(_ context.Context, digest []byte, h crypto.Hash) ([]byte, error) {
	return k.p.Timestamp(digest, h, nil)
}

// FuzzExtend feeds Extend mutated signed PDFs (B-T, and B-T with a DSS and a document
// time-stamp): it must never panic, and whatever it accepts must keep the input as a
// prefix and reopen as a PDF. Refusals must be one of the documented sentinels.
func FuzzExtend(f *testing.F) {
	p, err := certstatustest.Generate(certstatustest.Options{Addr: "127.0.0.1:9"})
	if err != nil {
		f.Fatal(err)
	}
	ts := kitTimestamper{p}
	ctx := context.Background()
	lo := &signature.LevelOptions{Target: signature.LevelBT, Timestamper: ts}
	for _, in := range [][]byte{pdftest.Classic(), pdftest.XRefStream()} {
		var signed bytes.Buffer
		if _, err := signature.Sign(ctx, &signed, bytes.NewReader(in), int64(len(in)), p.Leader.Key, p.Leader.Chain,
			&signature.SignOptions{Level: lo, ReserveUnsigned: 4096}); err != nil {
			f.Fatal(err)
		}
		f.Add(signed.Bytes())
		var ext bytes.Buffer
		if _, err := signature.Extend(ctx, &ext, bytes.NewReader(signed.Bytes()), int64(signed.Len()), &signature.ExtendOptions{
			Timestamper: ts, Revocation: noRevocation{}, OnMissingRevocation: signature.ContinueWithoutRevocation,
			TimestampReserve: 4096,
		}); err != nil {
			f.Fatal(err)
		}
		f.Add(ext.Bytes())
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var out bytes.Buffer
		// DSS only: the document time-stamp is our own output, and an RSA signature per
		// execution would make the fuzzer crawl. Reading the document, its fields, the
		// CMS of every signature and their time-stamp tokens is what is exercised.
		_, err := signature.Extend(ctx, &out, bytes.NewReader(doc), int64(len(doc)), &signature.ExtendOptions{
			NoDocTimestamp: true, Revocation: noRevocation{}, OnMissingRevocation: signature.ContinueWithoutRevocation,
		})
		if err != nil {
			if out.Len() != 0 {
				t.Fatalf("%d bytes written before failing: %v", out.Len(), err)
			}
			for _, known := range []error{signature.ErrDocument, signature.ErrNoLevelData, signature.ErrTimestamp,
				signature.ErrContentsTooSmall, signature.ErrFieldExists, signature.ErrPageNotFound} {
				if errors.Is(err, known) {
					return
				}
			}
			t.Fatalf("undocumented error: %v", err)
		}
		if !bytes.HasPrefix(out.Bytes(), doc) {
			t.Fatal("the input is not a prefix of the output")
		}
		if _, err := pdf.Open(bytes.NewReader(out.Bytes()), int64(out.Len()), nil); err != nil {
			t.Fatalf("the output does not reopen: %v", err)
		}
	})
}
