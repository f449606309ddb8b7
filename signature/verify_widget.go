package signature

import (
	"github.com/kyso-go/kyso/internal/pdf"
)

// WidgetBox says where a signature is shown: its page and its rectangle there. A signature
// without a visible widget (an invisible signature, or a zero-size /Rect) has none.
type WidgetBox struct {
	// Page is the 1-based page number, as every kyso package counts pages.
	Page int `json:"page"`
	// Rect is the widget rectangle [llx lly urx ury] in the page's default user space.
	Rect [4]float64 `json:"rect"`
	// PageBox is that page's crop box, so a picture of the page can place Rect.
	PageBox [4]float64 `json:"pageBox"`
	// Rotate is the page's /Rotate (0, 90, 180 or 270).
	Rotate int `json:"rotate,omitempty"`
}

// widgetOf finds the first visible widget of a signature field and its page. pages is
// filled once, on the first visible widget, so that invisible signatures cost nothing.
func widgetOf(doc *pdf.Document, f pdf.Field, pages *[]pdf.Page) *WidgetBox {
	for _, ref := range f.Widgets {
		o, err := doc.Resolve(ref)
		if err != nil {
			continue
		}
		w, ok := o.(pdf.Dict)
		if !ok {
			continue
		}
		r, ok := doc.Rect(w.Get("Rect"))
		if !ok || r[2]-r[0] < 1 || r[3]-r[1] < 1 {
			continue
		}
		if *pages == nil {
			ps, err := doc.Pages()
			if err != nil {
				return nil
			}
			*pages = ps
		}
		for i, p := range *pages {
			if onPage(doc, p, ref, w) {
				return &WidgetBox{Page: i + 1, Rect: r, PageBox: p.CropBox, Rotate: p.Rotate}
			}
		}
	}
	return nil
}

// onPage says whether the widget ref belongs to page p: by the page's /Annots, else by
// the widget's /P.
func onPage(doc *pdf.Document, p pdf.Page, ref pdf.Ref, w pdf.Dict) bool {
	if a, err := doc.Resolve(p.Dict.Get("Annots")); err == nil {
		if arr, ok := a.(pdf.Array); ok {
			for _, e := range arr {
				if r, ok := e.(pdf.Ref); ok && r == ref {
					return true
				}
			}
		}
	}
	if r, ok := w.Get("P").(pdf.Ref); ok {
		return r == p.Ref
	}
	return false
}
