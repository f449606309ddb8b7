package signature

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"hash"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/kyso-go/kyso/internal/pdf"
)

// defaultDocTimestampReserve is the /Contents room of a document time-stamp: a token
// with the TSA's certificate chain is typically 4–8 KB.
const defaultDocTimestampReserve = 16384

// maxDocTimestampReserve bounds the room a caller may ask for.
const maxDocTimestampReserve = 1 << 20

// DocTimestamp describes a document time-stamp that was added (PAdES B-LTA).
type DocTimestamp struct {
	// Field is the name of the new invisible signature field holding it.
	Field string
	// Time is the time-stamp's genTime; TSA the common name of the time-stamping
	// authority's certificate.
	Time time.Time
	TSA  string
	// ByteRange is the document time-stamp's /ByteRange: it covers the whole file
	// except its own /Contents.
	ByteRange [4]int64
}

// docTimestampRequest is what makeDocTimestamp needs.
type docTimestampRequest struct {
	r        io.ReaderAt // the document to time-stamp
	size     int64
	password []byte
	hash     crypto.Hash
	// prefix, when not nil, has absorbed r[0:size] with hash; otherwise r is read.
	prefix  hash.Hash
	ts      Timestamper
	reserve int
	field   string
	// certs are candidates for a TSA certificate the token leaves out.
	certs []*x509.Certificate
}

// makeDocTimestamp builds the incremental update that adds a document time-stamp
// (/Type /DocTimeStamp, /SubFilter /ETSI.RFC3161) over the whole document plus the
// update itself, and returns it ready to append. When the token does not fit the
// reserved /Contents, the update is rebuilt once with enough room and a new token is
// requested (the first one covers bytes that no longer exist).
func makeDocTimestamp(ctx context.Context, req docTimestampRequest) ([]byte, *DocTimestamp, error) {
	if req.hash == 0 {
		req.hash = crypto.SHA256
	}
	prefix := req.prefix
	if prefix == nil {
		prefix = req.hash.New()
		if err := copyHashing(ctx, nil, req.r, req.size, prefix); err != nil {
			return nil, nil, err
		}
	}
	capacity := req.reserve
	if capacity <= 0 {
		capacity = defaultDocTimestampReserve
	}
	for attempt := 0; ; attempt++ {
		job, err := planDocTimestamp(ctx, req, capacity)
		if err != nil {
			return nil, nil, err
		}
		h, err := cloneHash(req.hash, prefix)
		if err != nil {
			return nil, nil, err
		}
		digest := job.digestSection(h)
		der, tok, err := requestTimestampDigest(ctx, req.ts, "document time-stamp", digest, req.hash, req.certs)
		if err != nil {
			return nil, nil, err
		}
		if 2*len(der) > job.holeLen-2 {
			if attempt == 0 && len(der)+1024 <= maxDocTimestampReserve {
				capacity = len(der) + 1024
				continue
			}
			return nil, nil, signErr(ErrContentsTooSmall, nil, "document time-stamp token of %d bytes", len(der))
		}
		if err := job.fill(der); err != nil {
			return nil, nil, err
		}
		return job.section, &DocTimestamp{Field: job.field, Time: tok.GenTime, TSA: tok.tsaName(), ByteRange: job.byteRange}, nil
	}
}

// planDocTimestamp opens the document and builds the update with an empty /Contents
// of capacity bytes and the final /ByteRange.
func planDocTimestamp(ctx context.Context, req docTimestampRequest, capacity int) (*signJob, error) {
	doc, err := pdf.Open(req.r, req.size, &pdf.Options{Password: req.password})
	if err != nil {
		return nil, openErr(err)
	}
	ed, err := openEdit(doc)
	if err != nil {
		return nil, err
	}
	// No DocMDP check: a DSS and document time-stamps are allowed whatever the
	// certification level (ISO 32000-2 §12.8.2.2; ETSI EN 319 142-1 §5.4).
	sigRef := ed.u.Add(pdf.Dict{
		"Type":      pdf.Name("DocTimeStamp"),
		"Filter":    pdf.Name("Adobe.PPKLite"),
		"SubFilter": pdf.Name("ETSI.RFC3161"),
		"ByteRange": pdf.Raw(byteRangePlaceholder()),
		"Contents":  pdf.Raw(holePlaceholder(capacity)),
	})
	name := req.field
	if name == "" {
		name = uniqueFieldName(ed.fields, "DocTimeStamp")
	}
	j := &signJob{size: req.size, hash: req.hash}
	if j.field, err = ed.newField(ctx, name, sigRef, nil, nil); err != nil {
		return nil, err
	}
	if err := ed.finish(); err != nil {
		return nil, err
	}
	if j.section, err = ed.u.Bytes(); err != nil {
		return nil, signErr(ErrDocument, err, "writing the incremental update")
	}
	off, ok := ed.u.ObjectOffset(sigRef)
	if !ok {
		return nil, errors.New("signature: document time-stamp dictionary not found in the update")
	}
	if err := j.locate(int(off-req.size), capacity); err != nil {
		return nil, err
	}
	return j, nil
}

// uniqueFieldName returns prefix+N for the smallest N ≥ 1 that names no field.
func uniqueFieldName(fields []pdf.Field, prefix string) string {
	used := map[string]bool{}
	for _, f := range fields {
		used[f.Name] = true
		if i := strings.IndexByte(f.Name, '.'); i > 0 {
			used[f.Name[:i]] = true
		}
	}
	for n := 1; ; n++ {
		if s := prefix + strconv.Itoa(n); !used[s] {
			return s
		}
	}
}
