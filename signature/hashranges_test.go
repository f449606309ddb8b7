package signature

import (
	"bytes"
	"context"
	"crypto"
	_ "crypto/sha256"
	_ "crypto/sha512"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHashRangesMatchesDirectHashing(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 3<<20+12345)
	for i := range data {
		data[i] = byte(rnd.IntN(256))
	}
	n := int64(len(data))
	tests := []struct {
		name string
		jobs []hashJob
	}{
		{"one signature", []hashJob{{crypto.SHA256, [][2]int64{{0, 1000}, {2000, n}}}}},
		{"three nested signatures", []hashJob{
			{crypto.SHA256, [][2]int64{{0, n - 90000}, {n - 80000, n - 60000}}},
			{crypto.SHA256, [][2]int64{{0, n - 50000}, {n - 40000, n - 30000}}},
			{crypto.SHA256, [][2]int64{{0, n - 20000}, {n - 10000, n}}},
		}},
		{"mixed algorithms", []hashJob{
			{crypto.SHA384, [][2]int64{{0, 1 << 20}, {1<<20 + 10, 2 << 20}}},
			{crypto.SHA256, [][2]int64{{0, 1 << 20}, {1<<20 + 10, 2 << 20}}},
			{crypto.SHA512, [][2]int64{{0, 5}, {6, n}}},
			{crypto.SHA256, [][2]int64{{0, 2 << 20}, {2<<20 + 10, n}}},
		}},
		{"identical jobs", []hashJob{
			{crypto.SHA256, [][2]int64{{0, 10}, {20, 30}}},
			{crypto.SHA256, [][2]int64{{0, 10}, {20, 30}}},
		}},
		{"empty ranges", []hashJob{{crypto.SHA256, [][2]int64{{0, 0}, {5, 5}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := hashRanges(context.Background(), bytes.NewReader(data), tc.jobs)
			require.NoError(t, err)
			require.Len(t, got, len(tc.jobs))
			for i, j := range tc.jobs {
				h := j.Hash.New()
				for _, r := range j.Ranges {
					h.Write(data[r[0]:r[1]])
				}
				assert.Equal(t, h.Sum(nil), got[i], "job %d", i)
			}
		})
	}
}

func TestHashRangesOutsideFile(t *testing.T) {
	_, err := hashRanges(context.Background(), bytes.NewReader(make([]byte, 100)),
		[]hashJob{{crypto.SHA256, [][2]int64{{0, 10}, {20, 200}}}})
	require.Error(t, err)
}

func TestHashRangesBudget(t *testing.T) {
	data := make([]byte, 1000)
	jobs := []hashJob{
		{crypto.SHA256, [][2]int64{{0, 10}, {20, 1000}}},
		{crypto.SHA256, [][2]int64{{0, 30}, {40, 1000}}},
	}
	_, err := hashRangesLimited(context.Background(), bytes.NewReader(data), jobs, 1500)
	require.ErrorIs(t, err, errHashBudget)
	_, err = hashRangesLimited(context.Background(), bytes.NewReader(data), jobs, 2000)
	require.NoError(t, err)
}
