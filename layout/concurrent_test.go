package layout_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/layout"
	"github.com/kyso-go/kyso/layout/layouttest"
)

// A portal places and draws many signatures at once: Place and AppearancePDF share
// nothing mutable (run with -race).
func TestConcurrentPlacements(t *testing.T) {
	doc := decisionPDF(t, 2, 0)
	sig := layouttest.SignaturePNG(150)
	ctx := context.Background()
	shared, err := layout.Place(ctx, bytes.NewReader(doc), int64(len(doc)), layout.Spec{Kind: layout.Signer, Image: sig,
		SignerTitle: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", SignerName: "Nguyễn Văn Thắng"})
	require.NoError(t, err)
	want, err := shared.AppearancePDF(ctx, 100, 40, nil, time.Time{})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 3; k++ {
				p, err := layout.Place(ctx, bytes.NewReader(doc), int64(len(doc)), layout.Spec{Kind: layout.Copy, CopyForm: "SAO Y", OrgName: "Sở Nội vụ"})
				if !assert.NoError(t, err) {
					return
				}
				_, err = p.AppearancePDF(ctx, p.Rect[2]-p.Rect[0], p.Rect[3]-p.Rect[1], nil, time.Now())
				assert.NoError(t, err)
				got, err := shared.AppearancePDF(ctx, 100, 40, nil, time.Time{})
				assert.NoError(t, err)
				assert.Equal(t, want, got, "the same appearance every time")
			}
		}()
	}
	wg.Wait()
}
