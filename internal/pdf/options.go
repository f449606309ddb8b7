package pdf

// Default limits used when an Options field is zero.
const (
	defaultMaxObjects    = 1_000_000
	defaultMaxDepth      = 64
	defaultMaxStreamSize = 256 << 20
	defaultCacheSize     = 1 << 16
	// The default MaxParsedBytes is parsedBytesPerByte times the file's size plus
	// parsedBytesBase.
	parsedBytesPerByte = 8
	parsedBytesBase    = 64 << 20
	// maxObjectSize bounds the bytes read to parse one non-stream object (or a stream's
	// dictionary).
	maxObjectSize = 64 << 20
	// maxRevisions bounds the number of cross-reference sections followed along /Prev.
	maxRevisions = 10_000
)

// Options configures Open. The zero value (or a nil *Options) gives safe defaults.
type Options struct {
	// Password is the user (or owner) password of an encrypted file; nil means the
	// empty password.
	Password []byte
	// MaxObjects bounds the number of objects in the cross-reference (the highest
	// object number), and the number of objects inside one parsed value. Default
	// 1,000,000.
	MaxObjects int
	// MaxDepth bounds the nesting of arrays and dictionaries. Default 64.
	MaxDepth int
	// MaxStreamSize bounds the decompressed size of one stream in StreamData.
	// Default 256 MiB.
	MaxStreamSize int64
	// CacheSize bounds the number of resolved objects kept in memory, shared by the
	// document and its views from AtRevision. Default 65536 (enough for the object
	// graph of a 10,000-page document to be parsed once for all its revisions).
	CacheSize int
	// MaxParsedBytes bounds the total bytes of strings parsed and of stream data read
	// or decoded over the life of the document and its views (re-reading counts
	// again, and so do the partial strings of a window found too short to hold an
	// object). Exceeding it is an ErrLimit error (*LimitError "MaxParsedBytes"). It
	// bounds the memory a hostile file can make a reader hold, whatever its number of
	// revisions: default 8 × the file's size + 64 MiB (a 32 MiB upload: at most
	// 320 MiB of parsed data, allocated in all, however it is built).
	MaxParsedBytes int64
}

// parsedBudget is the MaxParsedBytes in force for a file of the given size.
func (o Options) parsedBudget(size int64) int64 {
	if o.MaxParsedBytes > 0 {
		return o.MaxParsedBytes
	}
	return parsedBytesPerByte*max(size, 0) + parsedBytesBase
}

func (o *Options) withDefaults() Options {
	var r Options
	if o != nil {
		r = *o
	}
	if r.MaxObjects <= 0 {
		r.MaxObjects = defaultMaxObjects
	}
	if r.MaxDepth <= 0 {
		r.MaxDepth = defaultMaxDepth
	}
	if r.MaxStreamSize <= 0 {
		r.MaxStreamSize = defaultMaxStreamSize
	}
	if r.CacheSize <= 0 {
		r.CacheSize = defaultCacheSize
	}
	return r
}
