package forms

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTypedViewsRoundTripWithTheGenericModel(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	views := []TypedForm{&IndividualRequest{}, &IndividualListRequest{}, &OrganisationRequest{},
		&RenewalRequest{}, &RevocationRequest{}, &RecoveryRequest{}, &HandoverMinutes{}, &LostDeviceMinutes{},
		&UsageReport{}}
	for _, v := range views {
		t.Run(goldenName(v.FormID()), func(t *testing.T) {
			d, err := reg.Definition(v.FormID())
			require.NoError(t, err)
			sample := d.Normalize(d.Sample)
			require.NoError(t, FromData(sample, v))
			back := ToData(v)
			// Empty values are simply absent in the typed round trip.
			want := d.Normalize(sample)
			for k, val := range want.Fields {
				if val == "" {
					delete(want.Fields, k)
				}
			}
			for _, rows := range want.Tables {
				for _, r := range rows {
					for k, val := range r {
						if val == "" {
							delete(r, k)
						}
					}
				}
			}
			assert.Empty(t, cmp.Diff(want, back, cmpopts.EquateEmpty()), "round trip of %s", v.FormID())
			assert.NoError(t, d.Validate(back, ValidateOptions{Now: testNow}))
		})
	}
}

func TestTypedViewFields(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, _ := reg.Definition("tt185/mau-01")
	var req IndividualRequest
	require.NoError(t, FromData(d.Sample, &req))
	assert.Equal(t, "Nguyễn Thị Thu Hương", req.Person.FullName)
	assert.Equal(t, time.Date(1985, 3, 14, 0, 0, 0, 0, time.UTC), req.Person.BirthDate)
	assert.Equal(t, SIMPKI, req.DeviceType)
	assert.Equal(t, VinaPhone, req.SIMCarrier)
	assert.Empty(t, req.Extra)

	// An agency's added field travels in Extra.
	data := d.Normalize(d.Sample)
	data.Fields["receiverUnit"] = "Phòng Chuyển đổi số"
	require.NoError(t, FromData(data, &req))
	assert.Equal(t, map[string]string{"receiverUnit": "Phòng Chuyển đổi số"}, req.Extra)
	assert.Equal(t, "Phòng Chuyển đổi số", ToData(&req).Fields["receiverUnit"])

	// Wrong form, bad date.
	assert.ErrorIs(t, FromData(&Data{Form: "tt185/mau-09"}, &req), ErrInvalidData)
	assert.ErrorIs(t, FromData(&Data{Fields: map[string]string{"birthDate": "31/02/1990"}}, &req), ErrInvalidData)
}
