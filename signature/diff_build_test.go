package signature_test

import "github.com/kyso-go/kyso/internal/pdf/pdftest"

// pageContent is a small content stream that draws text with font /F1.
const pageContent = "stream:BT /F1 24 Tf 72 720 Td (Hello kyso) Tj ET"

// pageObj is a page (object 3 in the hand-built documents) with content 4 and font 5.
const pageObj = "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>"

const fontObj = "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"

// Hand-built documents whose page is reachable from outside the page tree: the shapes
// of Word and LibreOffice exports that made kyso's verifier fail its own second
// signature (issue 11).
var (
	// openActionPDF: four objects plus a font; the catalog opens page 1 with /Fit.
	openActionPDF = pdftest.Hand(
		"<</Type/Catalog/Pages 2 0 R/OpenAction[3 0 R/Fit]>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>", pageObj, pageContent, fontObj)
	// outlinesPDF: /OpenAction and an outline item whose destination is the page.
	outlinesPDF = pdftest.Hand(
		"<</Type/Catalog/Pages 2 0 R/OpenAction[3 0 R/Fit]/Outlines 6 0 R/PageMode/UseOutlines>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>", pageObj, pageContent, fontObj,
		"<</Type/Outlines/First 7 0 R/Last 7 0 R/Count 1>>",
		"<</Title(Trang 1)/Parent 6 0 R/Dest[3 0 R/XYZ 0 842 0]>>")
	// namedDestsPDF: a /Names /Dests tree and a /Dests dictionary pointing at the page.
	namedDestsPDF = pdftest.Hand(
		"<</Type/Catalog/Pages 2 0 R/Names<</Dests 6 0 R>>/Dests<</p1[3 0 R/Fit]>>>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>", pageObj, pageContent, fontObj,
		"<</Names[(trang1)[3 0 R/XYZ 0 842 0]]>>")
	// directAnnotPDF: the page holds a direct (not indirect) text annotation, which a
	// signature's update rewrites /Annots around.
	directAnnotPDF = pdftest.Hand(
		"<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
		"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/Annots[<</Type/Annot/Subtype/Text/Rect[20 20 40 40]/Contents(ghi chú)>>]>>",
		pageContent, fontObj)
	// taggedPDF: a tagged document (PDF/UA shape): a structure tree whose element refers
	// to the page, marked content on the page, /StructParents.
	taggedPDF = pdftest.Hand(
		"<</Type/Catalog/Pages 2 0 R/MarkInfo<</Marked true>>/StructTreeRoot 6 0 R/Lang(vi-VN)/ViewerPreferences<</DisplayDocTitle true>>>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>",
		"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>/StructParents 0/Tabs/S>>",
		"stream:/P <</MCID 0>> BDC BT /F1 24 Tf 72 720 Td (Hello kyso) Tj ET EMC", fontObj,
		"<</Type/StructTreeRoot/K 7 0 R/ParentTree 8 0 R/ParentTreeNextKey 1>>",
		"<</Type/StructElem/S/Document/P 6 0 R/K[9 0 R]>>",
		"<</Nums[0[9 0 R]]>>",
		"<</Type/StructElem/S/P/P 7 0 R/Pg 3 0 R/K 0>>")
	// selfNamedPDF: the page names itself in its /SeparationInfo /Pages and the catalog
	// from a property list in its resources (pdfcpu's AnnotationDemo.pdf has the first).
	selfNamedPDF = pdftest.Hand(
		"<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
		"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>/Properties<</MC0 1 0 R>>>>/SeparationInfo<</Pages[3 0 R]/DeviceColorant/Cyan>>>>",
		pageContent, fontObj)
)
