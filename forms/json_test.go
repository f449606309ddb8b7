package forms

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJSONRoundTripForEveryForm(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	for _, d := range reg.Definitions() {
		b, err := MarshalData(d.Sample)
		require.NoError(t, err)
		back, err := UnmarshalData(b)
		require.NoError(t, err, d.ID)
		assert.Empty(t, cmp.Diff(d.Sample, back, cmpopts.EquateEmpty()), d.ID)
	}
}

func TestUnmarshalDataErrors(t *testing.T) {
	cases := map[string]struct {
		in   string
		line int
		text string
	}{
		"syntax":        {"{\n  \"form\": \"tt185/mau-01\",\n  \"fields\": {\"a\": \"b\",}\n}", 3, "JSON syntax"},
		"number value":  {"{\n  \"form\": \"x\",\n  \"fields\": {\n    \"phone\": 912345678\n  }\n}", 4, "write every value as a string"},
		"unknown key":   {"{\"form\": \"x\", \"feilds\": {}}", 0, "unknown field"},
		"two documents": {"{} {}", 0, "more than one value"},
		"empty":         {"", 0, "empty or truncated"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := UnmarshalData([]byte(c.in))
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			assert.ErrorIs(t, err, ErrMalformedInput)
			assert.Equal(t, c.line, ie.Line)
			assert.Zero(t, ie.Row)
			if c.line > 0 {
				assert.Contains(t, err.Error(), fmt.Sprintf("line %d:", c.line))
			}
			assert.Contains(t, err.Error(), c.text)
		})
	}
	_, err := UnmarshalData(make([]byte, MaxJSONSize+1))
	assert.ErrorIs(t, err, ErrInputTooLarge)
}

func FuzzUnmarshalData(f *testing.F) {
	f.Add([]byte(`{"form":"tt185/mau-01","header":{"date":"05/11/2026"},"fields":{"fullName":"Hương"},"tables":{"t":[{"a":"b"}]}}`))
	f.Add([]byte(`{"fields":{"a":1}}`))
	reg, err := NewRegistry()
	if err != nil {
		f.Fatal(err)
	}
	d, _ := reg.Definition("tt185/mau-02")
	f.Fuzz(func(t *testing.T, in []byte) {
		data, err := UnmarshalData(in)
		if err != nil {
			return
		}
		_ = d.Validate(d.Normalize(data), ValidateOptions{Now: testNow})
		out, err := MarshalData(data)
		if err != nil {
			t.Fatal(err)
		}
		// What MarshalData writes, UnmarshalData reads back unchanged.
		back, err := UnmarshalData(out)
		if err != nil {
			t.Fatalf("re-reading %s: %v", out, err)
		}
		if diff := cmp.Diff(data, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip changed the data (-read +re-read):\n%s", diff)
		}
	})
}

func TestJSONSchemaMatchesDefinitionsAndSamples(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	for _, d := range reg.Definitions() {
		t.Run(goldenName(d.ID), func(t *testing.T) {
			b, err := d.JSONSchema()
			require.NoError(t, err)
			var s struct {
				Schema     string   `json:"$schema"`
				Required   []string `json:"required"`
				Properties struct {
					Form   map[string]any `json:"form"`
					Fields struct {
						Required   []string                  `json:"required"`
						Properties map[string]map[string]any `json:"properties"`
					} `json:"fields"`
					Tables struct {
						Properties map[string]struct {
							Items struct {
								Properties map[string]map[string]any `json:"properties"`
							} `json:"items"`
						} `json:"properties"`
					} `json:"tables"`
				} `json:"properties"`
			}
			require.NoError(t, json.Unmarshal(b, &s))
			assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", s.Schema)
			assert.Equal(t, d.ID, s.Properties.Form["const"])
			var req []string
			for _, f := range d.Fields() {
				require.Contains(t, s.Properties.Fields.Properties, f.ID)
				if f.Required {
					req = append(req, f.ID)
				}
			}
			assert.Equal(t, req, s.Properties.Fields.Required)
			// The sample satisfies every pattern and enum of the schema.
			check := func(props map[string]map[string]any, values map[string]string) {
				for id, v := range values {
					p := props[id]
					require.NotNil(t, p, id)
					if pat, ok := p["pattern"].(string); ok {
						assert.Regexp(t, regexp.MustCompile(pat), v, "%s: %q", id, v)
					}
					if one, ok := p["oneOf"].([]any); ok {
						found := false
						for _, o := range one {
							found = found || o.(map[string]any)["const"] == v
						}
						assert.True(t, found, "%s: %q among the options", id, v)
					}
				}
			}
			n := d.Normalize(d.Sample)
			check(s.Properties.Fields.Properties, n.Fields)
			for tid, rows := range n.Tables {
				for _, row := range rows {
					check(s.Properties.Tables.Properties[tid].Items.Properties, row)
				}
			}
			// Every key the schema requires at the top is in the document MarshalData
			// writes for the sample (it omits empty fields and tables).
			doc, err := MarshalData(n)
			require.NoError(t, err)
			var top map[string]any
			require.NoError(t, json.Unmarshal(doc, &top))
			for _, k := range s.Required {
				assert.Contains(t, top, k, "required key %q", k)
			}
		})
	}
}

// A field required only when another has a value (the SIM carrier when the device is a
// SIM PKI) is an if/then clause in the JSON Schema.
func TestJSONSchemaExpressesRequiredIf(t *testing.T) {
	reg, err := NewRegistry()
	require.NoError(t, err)
	d, err := reg.Definition("tt185/mau-01")
	require.NoError(t, err)
	b, err := d.JSONSchema()
	require.NoError(t, err)
	var s struct {
		Properties struct {
			Fields struct {
				AllOf []struct {
					If struct {
						Properties map[string]struct {
							Const string `json:"const"`
						} `json:"properties"`
						Required []string `json:"required"`
					} `json:"if"`
					Then struct {
						Required []string `json:"required"`
					} `json:"then"`
				} `json:"allOf"`
			} `json:"fields"`
		} `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(b, &s))
	got := map[string]string{}
	for _, c := range s.Properties.Fields.AllOf {
		require.Equal(t, []string{"deviceType"}, c.If.Required)
		require.Len(t, c.Then.Required, 1)
		got[c.Then.Required[0]] = c.If.Properties["deviceType"].Const
	}
	assert.Equal(t, map[string]string{"simCarrier": "sim-pki", "simPhone": "sim-pki"}, got)
}
