package crypt

// Params holds what a document's encryption dictionary (/Encrypt) and trailer give the
// standard security handler. The PDF reader fills it from the dictionary; NewParams
// builds one for a new document.
//
// Zero values stand for absent entries, with one exception: EncryptMetadata must be set
// to true when the dictionary has no /EncryptMetadata entry, as its default is true.
type Params struct {
	Filter    string // /Filter, the security handler's name: "Standard" is the only one supported
	SubFilter string // /SubFilter, unused by the standard handler
	V         int    // /V, the algorithm: 1, 2, 4 or 5
	R         int    // /R, the standard handler's revision: 2 to 6
	Length    int    // /Length, the file key length in bits; 0 when absent

	O     []byte // /O: 32 bytes (R 2–4) or 48 bytes (R 5–6)
	U     []byte // /U: 32 bytes (R 2–4) or 48 bytes (R 5–6)
	OE    []byte // /OE: 32 bytes, R 5–6 only
	UE    []byte // /UE: 32 bytes, R 5–6 only
	Perms []byte // /Perms: 16 bytes, R 6 (and optionally R 5)

	P               int32 // /P, the user access permissions, as the signed 32-bit integer written in the file
	EncryptMetadata bool  // /EncryptMetadata; true when the entry is absent

	CF   map[string]CryptFilter // /CF, crypt filters by name (V 4–5)
	StmF string                 // /StmF, the streams' crypt filter; "" means Identity
	StrF string                 // /StrF, the strings' crypt filter; "" means Identity
	EFF  string                 // /EFF, the embedded files' crypt filter; "" means StmF

	ID0 []byte // the first element of the trailer's /ID array
}

// CryptFilter is one entry of an encryption dictionary's /CF (ISO 32000-1 table 25).
type CryptFilter struct {
	CFM       string // /CFM: "None", "V2" (RC4), "AESV2" (AES-128), "AESV3" (AES-256); "" means None
	Length    int    // /Length as written: bits, or bytes as most writers put it (16, 32); 0 when absent
	AuthEvent string // /AuthEvent: "DocOpen" or "EFOpen"; "" means DocOpen
}

// Names of the crypt filter methods (the /CFM values) and of the Identity filter.
const (
	MethodIdentity = "Identity" // no encryption; the data passes through
	MethodNone     = "None"     // no encryption, as /CFM /None
	MethodRC4      = "V2"       // RC4 with a key per object (algorithm 1)
	MethodAESV2    = "AESV2"    // AES-128-CBC with a key per object
	MethodAESV3    = "AESV3"    // AES-256-CBC with the file key
)

// StandardFilter is the /Filter name of the standard security handler, and
// StandardCryptFilter the crypt filter name NewParams uses.
const (
	StandardFilter      = "Standard"
	StandardCryptFilter = "StdCF"
)
