package signature_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kyso-go/kyso/internal/pdf/pdftest"
	"github.com/kyso-go/kyso/signature"
)

func TestSignLevelsRoundTrip(t *testing.T) {
	k := newLVKit(t)
	in := pdftest.Classic()
	cases := []struct {
		target        signature.Level
		docTimestamps int
	}{
		{signature.LevelBT, 0},
		{signature.LevelBLT, 0},
		{signature.LevelBLTA, 1},
	}
	for _, tc := range cases {
		t.Run(string(tc.target), func(t *testing.T) {
			out, res := k.sign(t, in, k.levelOptions(tc.target))
			require.True(t, bytes.HasPrefix(out, in), "the input must be an unchanged prefix")
			require.NotNil(t, res.Level)
			assert.Equal(t, tc.target, res.Level.Level)
			assert.Empty(t, res.Level.Warnings)
			assert.WithinDuration(t, time.Now(), res.Level.TimestampTime, time.Minute)
			assert.NotEmpty(t, res.Level.TSA)
			if tc.target != signature.LevelBT {
				v := res.Level.Validation
				require.NotNil(t, v)
				assert.Len(t, v.VRI, 1)
				assert.Regexp(t, `^[0-9A-F]{40}$`, v.VRI[0])
				// leader, CA, root, TSA, OCSP responder
				assert.GreaterOrEqual(t, v.Certs, 4)
				assert.Positive(t, v.OCSPs+v.CRLs)
				if tc.target == signature.LevelBLTA {
					require.NotNil(t, v.DocTimestamp)
					assert.Equal(t, int64(len(out)), v.DocTimestamp.ByteRange[2]+v.DocTimestamp.ByteRange[3])
				} else {
					assert.Nil(t, v.DocTimestamp)
				}
			}

			rep := k.verify(t, out, tc.target != signature.LevelBT, time.Time{})
			require.Len(t, rep.Signatures, 1+tc.docTimestamps)
			s := rep.Signatures[0]
			assert.Equal(t, signature.TotalPassed, s.Indication, "%+v", s.Checks)
			assert.Equal(t, tc.target, s.Level)
			assert.True(t, s.TimeProven)
			if tc.docTimestamps > 0 {
				ts := rep.Signatures[1]
				assert.Equal(t, signature.KindDocTimestamp, ts.Kind)
				assert.Equal(t, signature.TotalPassed, ts.Indication, "%+v", ts.Checks)
				assert.True(t, ts.CoversWholeDocument)
			}
			k.lvExternalChecks(t, out, 1, tc.docTimestamps, tc.target != signature.LevelBLT)
		})
	}
}
