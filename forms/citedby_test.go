package forms

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedForms returns the TT 185 form numbers a seed regulation names ("Mẫu 09",
// "Mẫu số 9 và 10", "Mẫu số 1, 2, 3"), read from the project's shared sources, which
// users of the module do not have.
func seedForms(t *testing.T, seed string) map[int]bool {
	var text []byte
	for _, d := range []string{"../../shared", "/work/shared"} {
		if b, err := os.ReadFile(filepath.Join(d, "seeds", seed)); err == nil {
			text = b
			break
		}
	}
	if text == nil {
		t.Skip("the project's shared seeds are not here")
	}
	out := map[int]bool{}
	list := regexp.MustCompile(`Mẫu(?:\s+số)?\s+((?:\d+(?:\s*,\s*|\s+và\s+))*\d+)`)
	num := regexp.MustCompile(`\d+`)
	for _, m := range list.FindAllStringSubmatch(string(text), -1) {
		for _, n := range num.FindAllString(m[1], -1) {
			v, _ := strconv.Atoi(n)
			out[v] = true
		}
	}
	return out
}

// Every "(cited by …)" provenance of a TT 185 form names only regulations that do
// name that form: Quảng Ninh names Mẫu 01–10, 13 and 15, Hà Tĩnh 1–12, 14 and 15. A
// regulation that treats the situation without naming the form says so.
func TestTT185CitedByMatchesSeeds(t *testing.T) {
	qn := seedForms(t, "002_d7343de644d4b516.txt")
	ht := seedForms(t, "004_035bbf96a2fe44d6.txt")
	require.True(t, qn[9] && qn[15] && !qn[11] && !qn[14], "Quảng Ninh: %v", qn)
	require.True(t, ht[11] && ht[12] && ht[14], "Hà Tĩnh: %v", ht)
	reg, err := NewRegistry()
	require.NoError(t, err)
	for n := 1; n <= 15; n++ {
		id := "tt185/mau-" + strconv.Itoa(100 + n)[1:]
		d, err := reg.Definition(id)
		require.NoError(t, err, id)
		src := d.Provenance.Sources[0]
		i := strings.Index(src, "(cited by ")
		require.GreaterOrEqual(t, i, 0, "%s: %s", id, src)
		for _, part := range strings.Split(strings.TrimSuffix(src[i+len("(cited by "):], ")"), ";") {
			if strings.Contains(part, "without naming the form") {
				continue
			}
			switch {
			case strings.Contains(part, "Quảng Ninh"):
				assert.True(t, qn[n], "%s: Quảng Ninh does not name Mẫu %d: %s", id, n, part)
			case strings.Contains(part, "Hà Tĩnh"):
				assert.True(t, ht[n], "%s: Hà Tĩnh does not name Mẫu %d: %s", id, n, part)
			default:
				t.Errorf("%s: unknown source %q", id, part)
			}
		}
	}
}
