// Package pdftest generates PDF files of every structural kind for kyso's tests:
// classic cross-reference tables, cross-reference streams, object streams, hybrid-
// reference files, incrementally updated files, files with an empty signature field, a
// large image-heavy file written in a stream, a 200 KB one-page file, a two-page
// decision shaped as Microsoft Word 365 saves PDFs (WordDecision), and — through qpdf,
// with the test skipped when qpdf is missing (failed under CI) — encrypted and
// linearized files.
//
// Every generator is deterministic: the same call gives the same bytes. The documents
// have two pages (the second rotated 90°) under a nested page tree whose root holds the
// inherited /MediaBox (A4) and /Resources, unless a generator says otherwise.
package pdftest
