package pdf_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kyso-go/kyso/internal/pdf"
	"github.com/kyso-go/kyso/internal/pdf/pdftest"
)

// TestConcurrentReads reads one Document from several goroutines with a tiny cache (run
// with -race).
func TestConcurrentReads(t *testing.T) {
	b := pdftest.IncrementalXRefStream()
	d, err := pdf.Open(bytesReader(b), int64(len(b)), &pdf.Options{CacheSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				pages, err := d.Pages()
				if !assert.NoError(t, err) {
					return
				}
				assert.Len(t, pages, 2)
				c, err := d.Resolve(pages[0].Dict.Get("Contents"))
				if !assert.NoError(t, err) {
					return
				}
				data, err := d.StreamData(c.(*pdf.Stream))
				assert.NoError(t, err)
				assert.Contains(t, string(data), "Hello kyso")
				_ = d.Warnings()
			}
		}()
	}
	wg.Wait()
}
