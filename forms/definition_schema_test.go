package forms

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The published schema of definition files (definitions/definition.schema.json) names
// exactly the keys the Go types read, and exactly the field types Validate knows.
func TestDefinitionSchemaMatchesTheTypes(t *testing.T) {
	b, err := builtinFS.ReadFile("definitions/definition.schema.json")
	require.NoError(t, err)
	var s struct {
		Properties map[string]any `json:"properties"`
		Defs       map[string]struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(b, &s))
	keys := func(v any) []string {
		var out []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			if tag := strings.Split(rt.Field(i).Tag.Get("json"), ",")[0]; tag != "" {
				out = append(out, tag)
			}
		}
		slices.Sort(out)
		return out
	}
	propKeys := func(m map[string]struct {
		Enum []string `json:"enum"`
	}) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	var top []string
	for k := range s.Properties {
		top = append(top, k)
	}
	slices.Sort(top)
	assert.Equal(t, keys(Definition{}), top)
	assert.Equal(t, keys(Field{}), propKeys(s.Defs["field"].Properties))
	assert.Equal(t, keys(Section{}), propKeys(s.Defs["section"].Properties))
	assert.Equal(t, keys(Table{}), propKeys(s.Defs["table"].Properties))
	assert.Equal(t, keys(Defaults{}), propKeys(s.Defs["defaults"].Properties))
	assert.Equal(t, keys(SignerBlock{}), propKeys(s.Defs["signerBlock"].Properties))
	assert.Equal(t, keys(Option{}), propKeys(s.Defs["option"].Properties))
	var types []string
	for ft := range knownTypes {
		types = append(types, string(ft))
	}
	slices.Sort(types)
	got := slices.Clone(s.Defs["field"].Properties["type"].Enum)
	slices.Sort(got)
	assert.Equal(t, types, got)
}
