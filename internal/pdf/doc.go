// Package pdf is kyso's lazy PDF object layer: it opens a document over an io.ReaderAt
// without reading it whole, resolves indirect objects on demand, and appends incremental
// updates without rewriting a byte of the original.
//
// # Object model
//
// A PDF object is an Object, one of:
//
//	nil            the null object
//	Bool           true / false
//	Integer        int64
//	Real           float64
//	Name           /Name (without the slash, already #-decoded)
//	String         a byte string (literal or hex in the file; the bytes, decrypted)
//	Array          []Object
//	Dict           map[Name]Object
//	Ref            an indirect reference "N G R"
//	*Stream        a stream: its dictionary plus a way to read its data
//	Raw            bytes written verbatim by the writer (placeholders such as a
//	               signature's /Contents hole and /ByteRange); never encrypted
//
// Strings written in hex form (<…>) in a file read as String, like literal ones; use
// HexString to write one in hex form. Names are read with their #-escapes decoded.
//
// # Reading
//
// Open parses the file's cross-reference sections (classic tables, xref streams with PNG
// predictors, object streams, hybrid-reference files) newest first along /Prev, keeps one
// Revision per incremental update (its startxref, trailer and %%EOF offsets), and, when
// startxref or the tables are broken, recovers by scanning for "N G obj" as viewers do,
// recording a warning. Limits bound the object count, nesting depth and decompressed
// stream size. Encrypted files with the standard security handler (RC4, AES-128,
// AES-256) are read with the empty or a given user (or owner) password; other handlers yield
// ErrUnsupportedEncryption.
//
// # Revisions
//
// A revision ends at the %%EOF after the startxref that points at its cross-reference
// section; a section lying inside an earlier revision's bytes belongs to that revision
// only as a linearized original's first-page section, otherwise to the newer revision
// that reaches it. AtRevision returns a view of revision i; views share the parsed
// objects (an object whose cross-reference entry did not change is parsed once for all
// revisions). ChangedObjects(i) lists what revision i changed and ObjectAt(r, i) reads
// object r as of revision i: together the interface of a modification analysis.
// Anomalies(i) reports what the splitting and reading of revision i worked around that
// a viewer may read otherwise (an entry pointing at another object, a definition
// switched on from earlier bytes, a hidden section, an %%EOF before the startxref, an
// appended linearization dictionary). CountReferences(i, nums) counts, in one
// sequential read of the bytes up to revision i and without parsing an object, the
// references to given object numbers: with it an analysis can prove that no object it
// did not read refers to what a later revision changed.
//
// # Writing
//
// NewUpdate starts an incremental update: Add allocates new objects, Set replaces
// changed ones, and Bytes returns the section to append after the original's last byte:
// the objects and a cross-reference section in the same style as the file's last one (a
// table after a table or a hybrid table, a stream after a stream), with /Prev pointing
// at the previous section and /Root, /Info, /Encrypt and /ID[0] carried over. Not a byte
// of the original is rewritten. After a recovered (scanned) file, the section lists
// every object instead, so the result has a correct cross-reference. In an encrypted
// document the new strings and streams are encrypted with its key; Raw values (such as
// a signature's /Contents hole) never are. Bytes is deterministic, except that AES
// encryption draws a random IV for every string and stream.
//
// # Content and text
//
// PageContent returns a page's decoded content, ParseContent splits content into
// operations (inline images included), and PageText extracts the page's text runs with
// their positions in user space (fonts' ToUnicode CMaps, encodings and widths, the
// standard 14 fonts' metrics, text and graphics matrices, form XObjects), for locating
// text such as a signer's title and name; it does not reconstruct reading order.
// PageObjects adds each run's font name, embedding, style, fill colour and box (as
// pdftotext -bbox measures them), artifacts of tagged PDF, and the page's images and
// painted paths; FormObjects does the same for a form XObject such as a widget's
// appearance. JoinRuns, TextSpan.Words and DisplayBox turn runs into words in the
// coordinates pdftotext reports.
//
// # Errors and limits
//
// Errors wrap the sentinels ErrNotPDF, ErrMalformed, ErrLimit, ErrUnsupportedEncryption,
// ErrWrongPassword and ErrUnsupportedFilter, usually through the detail types
// MalformedError (where and what), LimitError (which Options limit) and
// UnsupportedEncryptionError (which security handler). Options bounds the object count,
// nesting depth, decompressed stream size, cache size and the total bytes of strings
// and stream data parsed (MaxParsedBytes, by default 8 × the file's size + 64 MiB);
// recovery by scanning is bounded to a fixed multiple of the file size in reads.
//
// # Concurrency and sharing
//
// A Document may be used from several goroutines. Objects it returns are shared with
// its cache: Clone a Dict or Array before changing it.
package pdf
