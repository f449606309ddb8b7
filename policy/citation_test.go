package policy

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allCitations returns every citation a decision can show: the catalogue's and, for
// each built-in profile, the rules as that profile cites them plus its data.
func allCitations(t *testing.T) map[string][]Citation {
	t.Helper()
	out := map[string][]Citation{}
	for _, r := range Rules() {
		out["rule "+r.ID] = r.Citations
	}
	for _, id := range allProfiles {
		e := engineFor(t, id)
		for _, r := range e.Rules() {
			out[id+" rule "+r.ID] = r.Citations
		}
		p := e.Profile()
		var data []Citation
		if p.SubscriberManager != nil {
			data = append(data, p.SubscriberManager.Citation)
			if co := p.SubscriberManager.Coordinator; co != nil {
				data = append(data, co.Citation)
			}
		}
		if p.Period != nil && p.Period.Citation != nil {
			data = append(data, *p.Period.Citation)
		}
		if p.Successor != nil && p.Successor.Citation != nil {
			data = append(data, *p.Successor.Citation)
		}
		for _, r := range p.Reports {
			data = append(data, r.Citation)
			data = append(data, r.SeeAlso...)
			for _, x := range r.Reporters {
				if x.Citation != nil {
					data = append(data, *x.Citation)
				}
			}
		}
		if p.SIMPKI != nil {
			data = append(data, p.SIMPKI.Citation)
		}
		out[id+" data"] = data
	}
	return out
}

// Every rule has a citation; every citation names an instrument of the embedded list
// (rules.md §1 or a seed) and an article, or says why its source has none; every rule
// has at least one citation with an article (Điều).
func TestCitationsNameInstrumentAndArticle(t *testing.T) {
	rules := Rules()
	require.Len(t, rules, 15)
	ids := map[string]bool{}
	for _, r := range rules {
		assert.False(t, ids[r.ID], "duplicate rule id %s", r.ID)
		ids[r.ID] = true
		assert.Regexp(t, `^VN-[A-Z0-9-]+$`, r.ID)
		assert.NotEmpty(t, r.Vietnamese, r.ID)
		assert.NotEmpty(t, r.English, r.ID)
		require.NotEmpty(t, r.Citations, "rule %s has no citation", r.ID)
		withArticle := false
		for _, c := range r.Citations {
			withArticle = withArticle || c.Article != ""
		}
		assert.True(t, withArticle, "rule %s cites no article", r.ID)
	}
	for where, cs := range allCitations(t) {
		for _, c := range cs {
			assert.True(t, knownInstrument(c.Instrument), "%s: %q is not in the instrument list", where, c.Instrument)
			assert.True(t, c.HasArticle() || c.Note != "", "%s: %s names no article and gives no note", where, c)
			assert.NotEmpty(t, c.Source, "%s: %s has no source", where, c)
		}
	}
}

func TestCitationString(t *testing.T) {
	assert.Equal(t, "NĐ 30/2020/NĐ-CP, Điều 32 k2 d", nd30("32", "2", "d", "").String())
	assert.Equal(t, "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5", qn("20", "5", "").String())
	assert.Equal(t, "NĐ 30/2020/NĐ-CP, Phụ lục I Phần I mục II k8 b", nd30Annex("Phụ lục I Phần I mục II", "8", "b", "").String())
	assert.Equal(t, "Quy chế Bạc Liêu", bl().String())
}

// sharedDir finds the project's shared sources (rules.md and the seeds), which users
// of the module do not have; the test then checks the citations against the real text.
func sharedDir(t *testing.T) string {
	for _, d := range []string{"../../shared", "/work/shared"} {
		if _, err := os.Stat(filepath.Join(d, "docs", "rules.md")); err == nil {
			return d
		}
	}
	if os.Getenv("CI") != "" {
		t.Log("shared sources not found; checked against the embedded instrument list only")
	}
	t.Skip("the project's shared sources (rules.md, seeds) are not here")
	return ""
}

func section(t *testing.T, rules, n string) string {
	t.Helper()
	start := strings.Index(rules, "\n## "+n+".")
	require.GreaterOrEqual(t, start, 0, "rules.md §%s", n)
	rest := rules[start+1:]
	if end := strings.Index(rest[3:], "\n## "); end >= 0 {
		rest = rest[:end+3]
	}
	return rest
}

// quyChe returns the regulation itself from a seed (after its "QUY CHẾ" heading, so
// the articles of the adopting decision do not shadow it), or the whole text.
func quyChe(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.TrimSpace(strings.Trim(l, "*# ")) == "QUY CHẾ" {
			return strings.Join(lines[i:], "\n")
		}
	}
	return text
}

var articleHeading = regexp.MustCompile(`(?m)^[#*\s]*Điều\s*(\d+)\.`)

// article returns the text of "Điều n." in a regulation.
func article(text, n string) (string, bool) {
	locs := articleHeading.FindAllStringSubmatchIndex(text, -1)
	for i, loc := range locs {
		if text[loc[2]:loc[3]] != n {
			continue
		}
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		return text[loc[1]:end], true
	}
	return "", false
}

// part returns the text of the numbered clause ("2.") or lettered point ("b)") in text.
func part(text, label string, clause bool) (string, bool) {
	var re *regexp.Regexp
	if clause {
		re = regexp.MustCompile(`(?m)^[\s*]*(\d+)\.\s`)
	} else {
		re = regexp.MustCompile(`(?m)^[\s*]*([a-zđ])\)\s`)
	}
	locs := re.FindAllStringSubmatchIndex(text, -1)
	for i, loc := range locs {
		if text[loc[2]:loc[3]] != label {
			continue
		}
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		return text[loc[1]:end], true
	}
	return "", false
}

// The embedded instrument list and every citation agree with the real sources: each
// instrument's text occurs where the list says, each article, clause and point cited
// from a seed exists in that seed, and each locator cited from rules.md is written
// there.
func TestCitationsAgainstSharedSources(t *testing.T) {
	dir := sharedDir(t)
	rulesMD, err := os.ReadFile(filepath.Join(dir, "docs", "rules.md"))
	require.NoError(t, err)
	rules := string(rulesMD)
	read := func(source string) string {
		if isWebSource(source) {
			return ""
		}
		if strings.HasPrefix(source, "rules.md §") {
			n := strings.SplitN(strings.TrimPrefix(source, "rules.md §"), ".", 2)[0]
			return section(t, rules, n)
		}
		b, err := os.ReadFile(filepath.Join(dir, source))
		require.NoError(t, err, "source %s", source)
		return string(b)
	}
	for _, in := range Instruments() {
		if isWebSource(in.Source) {
			checkWebSource(t, "instrument "+in.Short, in.Short, "", in.Source)
			continue
		}
		text := read(in.Source)
		for _, m := range in.Match {
			assert.True(t, strings.Contains(text, m), "instrument %s: %q not found in %s", in.Short, m, in.Source)
		}
	}
	for where, cs := range allCitations(t) {
		for _, c := range cs {
			text := read(c.Source)
			switch {
			case strings.HasPrefix(c.Source, "seeds/"):
				if c.Article == "" {
					// Only the adopting decision's own article (its date of effect)
					// may be cited by a note from a seed that has articles.
					if !strings.Contains(c.Note, "Quyết định") {
						assert.NotContains(t, text, "Điều 1.", "%s: %s cites no article but the seed has them", where, c)
					}
					continue
				}
				art, ok := article(quyChe(text), c.Article)
				if !assert.True(t, ok, "%s: %s: no Điều %s in %s", where, c, c.Article, c.Source) {
					continue
				}
				if c.Clause == "" {
					continue
				}
				cl, ok := part(art, c.Clause, true)
				if !assert.True(t, ok, "%s: %s: Điều %s has no khoản %s", where, c, c.Article, c.Clause) || c.Point == "" {
					continue
				}
				_, ok = part(cl, c.Point, false)
				assert.True(t, ok, "%s: %s: khoản %s has no điểm %s", where, c, c.Clause, c.Point)
			case strings.HasPrefix(c.Source, "rules.md §"):
				assert.True(t, strings.Contains(text, rulesMDLocator(c)), "%s: %s: %q is not written in %s", where, c, rulesMDLocator(c), c.Source)
			case isWebSource(c.Source):
				assert.Equal(t, CitationVerified, c.Status, "%s: %s: a citation checked on the web is marked verified", where, c)
				checkWebSource(t, where, c.Instrument, rulesMDLocator(c), c.Source)
			default:
				t.Errorf("%s: %s: unknown source %q", where, c, c.Source)
			}
		}
	}
}

// rulesMDLocator writes a citation the way rules.md abbreviates it: "Điều 32 k2 d",
// "mục II k8 b", "Phần II mục I".
func rulesMDLocator(c Citation) string {
	var parts []string
	if c.Article != "" {
		parts = append(parts, "Điều "+c.Article)
	}
	if c.Annex != "" {
		w := strings.Fields(c.Annex)
		n := 2
		if c.Clause == "" {
			n = 4
		}
		parts = append(parts, strings.Join(w[max(0, len(w)-n):], " "))
	}
	if c.Clause != "" {
		parts = append(parts, "k"+c.Clause)
	}
	if c.Point != "" {
		parts = append(parts, c.Point)
	}
	return strings.Join(parts, " ")
}

// isWebSource reports whether a source is a list of web pages (the URLs a verified
// citation was checked against) rather than rules.md or a seed.
func isWebSource(source string) bool {
	return strings.HasPrefix(source, "https://") || strings.HasPrefix(source, "http://")
}

// webSource is a page kyso's data cites as where a text was read, with what was read
// there: the instrument and the locators ("Điều 31 k1") whose text the page quotes or
// summarises. A test cannot fetch the page (no network); this table is the record of
// the check, kept next to the data it vouches for.
type webSource struct {
	instrument string
	locators   []string // empty for an instrument's page that is not cited by locator
	verbatim   bool     // the page quotes the instrument's text (not a summary)
}

var webSources = map[string]webSource{
	// NĐ 68/2024: Điều 31 k1 (a: thời hạn hiệu lực tại thời điểm ký số; c: trạng thái
	// còn hoạt động tại thời điểm ký số), k2 (CRL/OCSP) quoted verbatim.
	urlND68Art31: {instrument: instND68, locators: []string{"Điều 31 k1", "Điều 31 k2"}, verbatim: true},
	// Điều 29 k1–5 (quy trình tạo chữ ký số; k3: khóa bí mật tương ứng với chứng thư
	// của chủ thể thực hiện ký số) and Điều 31 k1–2, quoted verbatim.
	urlND68Art29And31: {instrument: instND68, locators: []string{"Điều 29 k1", "Điều 29 k3", "Điều 31 k1", "Điều 31 k2"}, verbatim: true},
	// An English summary of Điều 29 naming Điều 31 and 32.
	urlND68Art29En: {instrument: instND68, locators: []string{"Điều 29 k1", "Điều 29 k3"}},

	// NQ 202/2025/QH15 (sắp xếp đơn vị hành chính cấp tỉnh). Lao Động: signed, in force
	// from adoption (12/6/2025), new local governments from 1/7/2025, the old ones until
	// then. Thư viện pháp luật: the same, naming Điều 1 as the article that arranges the
	// provinces. VnExpress: adopted 12/6/2025; Vĩnh Phúc, Hòa Bình and Phú Thọ become
	// Phú Thọ. Thư viện nhà đất: Điều 1 khoản 22 (Bạc Liêu and Cà Mau become Cà Mau)
	// quoted verbatim.
	"https://news.laodong.vn/thoi-su/thoi-diem-ket-thuc-hoat-dong-bo-may-52-tinh-thanh-cu-1522769.ldo":                                  {instrument: instNQ202, locators: []string{"Điều 1", "Điều 1 k22"}},
	"http://tintuc.thuvienphapluat.com/thong-bao-van-ban-moi/email/87251/cac-tinh-thanh-pho-moi-sau-sap-xep-hoat-dong-tu-ngay-1-7-2025": {instrument: instNQ202, locators: []string{"Điều 1"}},
	"https://vnexpress.net/quoc-hoi-chot-ca-nuoc-con-34-tinh-thanh-pho-4897740.html":                                                    {instrument: instNQ202, locators: []string{"Điều 1"}},
	"https://thuviennhadat.vn/phap-ly-nha-dat/danh-sach-ten-xa-phuong-moi-tinh-bac-lieu-sau-sap-nhap-tai-nghi-quyet-1655-687657.html":   {instrument: instNQ202, locators: []string{"Điều 1 k22"}, verbatim: true},
}

// instNQ202 is the National Assembly's resolution arranging the provinces (1/7/2025).
const instNQ202 = "NQ 202/2025/QH15"

// checkWebSource asserts that every page of a web source is in webSources for the
// instrument and, when a locator is cited, that at least one page quoting the text
// verbatim covers it and, when no page does, that two pages agree on it.
func checkWebSource(t *testing.T, where, instrument, locator, source string) {
	t.Helper()
	pages := strings.Fields(source)
	require.NotEmpty(t, pages, where)
	verbatim, covering := 0, 0
	for _, u := range pages {
		ws, ok := webSources[u]
		if !assert.True(t, ok, "%s: %s is not a page the tests record as read", where, u) {
			continue
		}
		assert.Equal(t, instrument, ws.instrument, "%s: %s is about another instrument", where, u)
		if locator == "" || slices.Contains(ws.locators, locator) {
			covering++
			if ws.verbatim {
				verbatim++
			}
		}
	}
	if locator != "" {
		assert.True(t, verbatim >= 1 || covering >= 2, "%s: %s %s: no page quoting the text, nor two pages agreeing, covers it", where, instrument, locator)
	}
}
