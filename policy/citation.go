package policy

import (
	"strings"
	"time"

	"github.com/kyso-go/kyso/internal/province"
)

// Citation locates the legal text a rule comes from: the instrument, then the article
// (Điều), clause (khoản) and point (điểm), or, for the annexes of Nghị định 30/2020,
// the annex section (e.g. "Phụ lục I Phần I mục II") with its clause and point.
//
// Source says where kyso read the locator: a section of the project's rule book
// ("rules.md §2.3") or one of the provincial regulations it was distilled from
// ("seeds/002_d7343de644d4b516.txt"). Where the source gives no article number (the
// Cao Bằng and Bạc Liêu sources are news summaries), Article is empty and Note says so.
type Citation struct {
	Instrument string `json:"instrument"`        // short name, as in Instruments: "NĐ 30/2020/NĐ-CP"
	Annex      string `json:"annex,omitempty"`   // annex section: "Phụ lục I Phần I mục II"
	Article    string `json:"article,omitempty"` // Điều: "32"
	Clause     string `json:"clause,omitempty"`  // khoản: "2"
	Point      string `json:"point,omitempty"`   // điểm: "d"
	Source     string `json:"source,omitempty"`  // where kyso read it: "rules.md §2.3" or a seed file
	Note       string `json:"note,omitempty"`    // provenance remarks, e.g. why there is no article
	// From and Until (YYYY-MM-DD, either may be empty) bound the signing times for
	// which the cited text governs: NĐ 130/2018 Điều 9 until 14/8/2024, NĐ 68/2024
	// from 15/8/2024. A decision lists the citations in force at its signing time
	// first.
	From  string `json:"from,omitempty"`
	Until string `json:"until,omitempty"`
	// Status is "superseded" for a text replaced for this regime (kept because the
	// provincial regulations cite it), "unverified" for a locator kyso could not check
	// against the text, "verified" for a locator checked against the instrument's
	// text as published on the web (Source then lists the pages, see URLs), or empty
	// (checked against rules.md or a seed, as Source says).
	Status string `json:"status,omitempty"`
}

// Citation statuses.
const (
	CitationSuperseded = "superseded"
	CitationUnverified = "unverified"
	// CitationVerified marks a locator checked against the instrument's text as
	// published on the web; Source holds the URLs of the pages read (URLs).
	CitationVerified = "verified"
)

var citationStatuses = []string{CitationSuperseded, CitationUnverified, CitationVerified}

// URLs returns the web pages Source names (the space-separated fields that are
// http or https URLs): where a verified citation was checked.
func (c Citation) URLs() []string {
	var out []string
	for _, f := range strings.Fields(c.Source) {
		if strings.HasPrefix(f, "https://") || strings.HasPrefix(f, "http://") {
			out = append(out, f)
		}
	}
	return out
}

// InForce reports whether the cited text governs a signature made at t: t's date in
// Vietnam time lies within From and Until.
func (c Citation) InForce(t time.Time) bool {
	d := t.In(vietnamZone).Format(time.DateOnly)
	return (c.From == "" || d >= c.From) && (c.Until == "" || d <= c.Until)
}

// Locator renders the position inside the instrument the way Vietnamese practice
// abbreviates it: "Điều 32 k2 d", "Phụ lục I Phần I mục II k8 b". It is empty when the
// source gives no position.
func (c Citation) Locator() string {
	return province.Locator(c.Annex, c.Article, c.Clause, c.Point)
}

// String renders the citation as "NĐ 30/2020/NĐ-CP, Điều 32 k2 d" or
// "QĐ 41/2022/QĐ-UBND Quảng Ninh, Điều 20 k5".
func (c Citation) String() string {
	if l := c.Locator(); l != "" {
		return c.Instrument + ", " + l
	}
	return c.Instrument
}

// HasArticle reports whether the citation names an article (Điều) or an annex section,
// i.e. whether a reader can find the exact text.
func (c Citation) HasArticle() bool { return c.Article != "" || c.Annex != "" }

// citationJSON is a citation as decisions write it: the structure plus its rendered
// text.
type citationJSON struct {
	Citation
	Text string `json:"text"`
}

func withText(c Citation) citationJSON { return citationJSON{Citation: c, Text: c.String()} }
