package pdf

// Default limits used when an Options field is zero.
const (
	defaultMaxObjects    = 1_000_000
	defaultMaxDepth      = 64
	defaultMaxStreamSize = 256 << 20
	defaultCacheSize     = 4096
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
	// CacheSize bounds the number of resolved objects kept in memory. Default 4096.
	CacheSize int
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
