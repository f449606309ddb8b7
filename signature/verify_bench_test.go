package signature_test

import (
	"context"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

// signFile signs the file at in into out with the PKI's leader.
func signFile(b *testing.B, p *vtPKI, in, out string) {
	f, err := os.Open(in)
	require.NoError(b, err)
	defer f.Close()
	st, _ := f.Stat()
	o, err := os.Create(out)
	require.NoError(b, err)
	_, err = signature.Sign(context.Background(), o, f, st.Size(), p.leaderKey, p.chain(), nil)
	require.NoError(b, err)
	require.NoError(b, o.Close())
}

// appendDSSFile appends a DSS with the CA certificates and an OCSP response for the
// leader, so that the document verifies offline (PAdES B-LT data).
func appendDSSFile(b *testing.B, p *vtPKI, path string) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(b, err)
	defer f.Close()
	st, _ := f.Stat()
	d, err := pdf.Open(f, st.Size(), nil)
	require.NoError(b, err)
	u := d.NewUpdate()
	ocspDER := p.ocspFor(b, p.leader, time.Now())
	cat, err := d.Catalog()
	require.NoError(b, err)
	nc := cat.Clone()
	nc["DSS"] = u.Add(pdf.Dict{
		"Certs": pdf.Array{u.Add(&pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(len(p.ca.Raw))}, Data: p.ca.Raw})},
		"OCSPs": pdf.Array{u.Add(&pdf.Stream{Dict: pdf.Dict{"Length": pdf.Integer(len(ocspDER))}, Data: ocspDER})},
	})
	u.Set(d.Trailer().Get("Root").(pdf.Ref), nc)
	upd, err := u.Bytes()
	require.NoError(b, err)
	_, err = f.WriteAt(upd, st.Size())
	require.NoError(b, err)
}

// vtSHA256Pass hashes the whole file once through ReadAt windows, as a baseline.
func vtSHA256Pass(r io.ReaderAt, size int64) {
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for off := int64(0); off < size; {
		n, _ := r.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		h.Write(buf[:n])
		off += int64(n)
	}
	h.Sum(nil)
}

// heapSampler records the peak of live heap objects while it runs.
type heapSampler struct {
	stop chan struct{}
	done sync.WaitGroup
	peak atomic.Uint64
}

func heapNow() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{})}
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if v := heapNow(); v > h.peak.Load() {
				h.peak.Store(v)
			}
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) Stop() uint64 {
	close(h.stop)
	h.done.Wait()
	return h.peak.Load()
}

// BenchmarkVerify100MB verifies a ~100 MB image-heavy document with three signatures,
// offline with validation data from its DSS, and compares it with one crypto/sha256
// pass over the same file in the same run. Metrics: x-sha256 (verification time over
// the sha256 pass; target ≤ 1.5) and peak-heap-MiB (live heap growth during Verify;
// target < 64).
//
//	go test -run '^$' -bench BenchmarkVerify100MB -benchtime 3x ./signature/
func BenchmarkVerify100MB(b *testing.B) {
	now := time.Now()
	p := newVTPKI(b, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	dir := b.TempDir()
	src := filepath.Join(dir, "0.pdf")
	f, err := os.Create(src)
	require.NoError(b, err)
	require.NoError(b, pdftest.WriteImageHeavy(f, 100<<20))
	require.NoError(b, f.Close())
	prev := src
	for i := 1; i <= 3; i++ {
		next := filepath.Join(dir, string(rune('0'+i))+".pdf")
		signFile(b, p, prev, next)
		os.Remove(prev)
		prev = next
	}
	appendDSSFile(b, p, prev)

	in, err := os.Open(prev)
	require.NoError(b, err)
	defer in.Close()
	st, _ := in.Stat()
	size := st.Size()
	opts := &signature.VerifyOptions{Roots: p.roots, Offline: true, Time: now}
	b.SetBytes(size)
	runtime.GC()
	b.ResetTimer()
	var shaTotal, verifyTotal time.Duration
	var peak uint64
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		vtSHA256Pass(in, size)
		shaTotal += time.Since(t0)

		runtime.GC()
		base := heapNow()
		hs := startHeapSampler()
		t1 := time.Now()
		rep, err := signature.Verify(context.Background(), in, size, opts)
		verifyTotal += time.Since(t1)
		if pk := hs.Stop(); pk > base && pk-base > peak {
			peak = pk - base
		}
		if err != nil || len(rep.Signatures) != 3 {
			b.Fatalf("verify: %v", err)
		}
		for _, s := range rep.Signatures {
			if s.Indication != signature.TotalPassed {
				b.Fatalf("signature %s: %s/%s %+v", s.Field, s.Indication, s.SubIndication, s.Checks)
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(verifyTotal)/float64(shaTotal), "x-sha256")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(shaTotal.Milliseconds())/float64(b.N), "sha256-ms/op")
	b.ReportMetric(float64(verifyTotal.Milliseconds())/float64(b.N), "verify-ms/op")
}
