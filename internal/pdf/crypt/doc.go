// Package crypt is the PDF standard security handler (ISO 32000-1 §7.6, ISO 32000-2
// §7.6): it authenticates a password against a document's encryption dictionary and
// then decrypts and encrypts the document's strings and streams.
//
// The PDF layer reads /Encrypt and the trailer's /ID into a Params, calls New with the
// password the user gave (nil for the empty user password most encrypted documents
// carry), and asks the Handler to decrypt each string and stream it reads and to
// encrypt each one it writes in an incremental update:
//
//	h, err := crypt.New(params, password)
//	switch {
//	case errors.Is(err, crypt.ErrWrongPassword): // ask for the password
//	case errors.Is(err, crypt.ErrUnsupported):   // e.g. /Adobe.PubSec; *UnsupportedError says which
//	case errors.Is(err, crypt.ErrMalformed):     // *MalformedError says what is broken
//	}
//	plain, err := h.DecryptString(num, gen, raw)
//
// Supported: revisions 2 and 3 (RC4, 40 to 128 bits), 4 (crypt filters: RC4, AES-128
// or Identity), 5 (AES-256, Adobe extension level 3) and 6 (AES-256, PDF 2.0, with the
// /Perms check). Strings and streams use the /StrF and /StmF filters; a stream naming
// its own filter through /Crypt is handled with Handler.Filter, embedded files with
// EmbeddedFileFilter. NewParams builds the parameters of a new encrypted document
// (revisions 2 to 6), for tests and tools.
//
// What the caller must leave alone: the strings of the /Encrypt dictionary itself,
// cross-reference streams, the /Contents of signature dictionaries, and metadata
// streams when EncryptsMetadata is false are never encrypted and must not be passed to
// the handler. The package does not parse PDF syntax, and it does not enforce the
// permissions: Permissions reports them, and IsOwner says whether they bind the caller.
//
// Passwords: for revisions 5 and 6 they are UTF-8, prepared with SASLprep (RFC 4013) and
// cut to 127 bytes, so a Vietnamese password typed in decomposed form ("i" + U+0303)
// opens a document protected with the composed one ("ĩ"); the raw bytes are tried too,
// for writers that skip the preparation. For revisions 2 to 4 they are bytes, tried as
// given and in PDFDocEncoding when the UTF-8 text fits that encoding.
package crypt
