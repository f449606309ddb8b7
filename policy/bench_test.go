package policy

import (
	"context"
	"testing"
)

// BenchmarkDecide measures one decision with two existing signatures under a
// province profile.
func BenchmarkDecide(b *testing.B) {
	e := engineFor(b, "quang-ninh")
	req := clerkRequest(leaderSig(1), sealSig(2))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if d := e.Decide(ctx, req); d.Err != nil {
			b.Fatal(d.Err)
		}
	}
}
