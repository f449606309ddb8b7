package crypt

import (
	"errors"
	"fmt"
	"strconv"
)

// Handler is the standard security handler of one document, authenticated with a
// password: it knows the file encryption key and decrypts and encrypts the document's
// strings and streams. A Handler is immutable and safe for concurrent use.
//
// Handler does not know which data the PDF layer must leave alone: cross-reference
// streams, the /Encrypt dictionary's own strings, the /Contents of signature
// dictionaries, and metadata streams when EncryptsMetadata is false are never
// encrypted, and the caller must not pass them here.
type Handler struct {
	r               int
	key             []byte
	owner           bool
	perms           Permissions
	encryptMetadata bool
	filters         map[string]*Filter // named crypt filters (V 4–5) with a known method
	filterErrs      map[string]error   // named crypt filters with an unsupported method
	stm, str, eff   *Filter
}

// New authenticates password against the document's encryption parameters and returns
// its handler. It tries the password as the user password and as the owner password
// (so IsOwner reports whether it is the owner's); a nil or empty password is the empty
// user password most encrypted documents have.
//
// Revisions 2 and 3 (RC4, 40 to 128 bits), 4 (RC4 or AES-128 through crypt filters,
// and Identity), 5 (AES-256, Adobe extension level 3) and 6 (AES-256, ISO 32000-2) are
// supported. For revisions 5 and 6 the password is UTF-8, prepared with SASLprep
// (RFC 4013) and cut to 127 bytes; for revisions 2 to 4 it is the bytes as given, and
// also their PDFDocEncoding form when UTF-8 text that encoding can hold.
//
// Errors: ErrWrongPassword; ErrUnsupported (an *UnsupportedError) for other security
// handlers such as the public-key /Adobe.PubSec, unknown /V, /R or crypt filter
// methods; ErrMalformed (a *MalformedError) for a broken dictionary, including /Perms
// that contradict /P.
func New(p Params, password []byte) (*Handler, error) {
	if err := checkHandler(&p); err != nil {
		return nil, err
	}
	var (
		key   []byte
		owner bool
		err   error
	)
	if p.R <= 4 {
		key, owner, err = authenticateMD5(&p, password)
	} else {
		key, owner, err = authenticateAES256(&p, password)
	}
	if err != nil {
		return nil, err
	}
	h := &Handler{
		r:               p.R,
		key:             key,
		owner:           owner,
		perms:           Permissions(uint32(p.P)),
		encryptMetadata: p.EncryptMetadata,
	}
	if err := h.setFilters(&p); err != nil {
		return nil, err
	}
	return h, nil
}

// checkHandler checks the handler name, V and R before any key is computed.
func checkHandler(p *Params) error {
	switch p.Filter {
	case StandardFilter:
	case "Adobe.PubSec":
		return &UnsupportedError{Entry: "/Filter", Value: "/" + p.Filter,
			Reason: "documents encrypted for certificates (public-key security handler) cannot be opened with a password"}
	case "":
		return malformed("/Filter", "is missing: the encryption dictionary names no security handler")
	default:
		return &UnsupportedError{Entry: "/Filter", Value: "/" + p.Filter,
			Reason: "only the standard (password) security handler is supported"}
	}
	switch p.V {
	case 1, 2, 4, 5:
	default:
		return &UnsupportedError{Entry: "/V", Value: strconv.Itoa(p.V), Reason: "only 1, 2, 4 and 5 are defined"}
	}
	if p.R < 2 || p.R > 6 {
		return &UnsupportedError{Entry: "/R", Value: strconv.Itoa(p.R), Reason: "only revisions 2 to 6 are defined"}
	}
	if (p.V == 5) != (p.R >= 5) {
		return malformed("/V", "is %d but /R is %d: AES-256 revisions 5 and 6 go with /V 5 only", p.V, p.R)
	}
	want := 32
	if p.R >= 5 {
		want = 48
	}
	if len(p.O) < want {
		return malformed("/O", "is %d bytes, want %d for revision %d", len(p.O), want, p.R)
	}
	if len(p.U) < want {
		return malformed("/U", "is %d bytes, want %d for revision %d", len(p.U), want, p.R)
	}
	if p.R >= 5 {
		if len(p.OE) < 32 {
			return malformed("/OE", "is %d bytes, want 32", len(p.OE))
		}
		if len(p.UE) < 32 {
			return malformed("/UE", "is %d bytes, want 32", len(p.UE))
		}
		if p.R == 6 && len(p.Perms) < 16 {
			return malformed("/Perms", "is %d bytes, want 16", len(p.Perms))
		}
	}
	return nil
}

// keyLengthMD5 returns the file key length in bytes for revisions 2 to 4.
func keyLengthMD5(p *Params) (int, error) {
	if p.R == 2 {
		return 5, nil
	}
	bits := p.Length
	if bits == 0 && p.V == 4 {
		// No top-level /Length: take the streams' crypt filter's, as viewers do.
		bits = 128
		for _, name := range []string{p.StmF, p.StrF} {
			if cf, ok := p.CF[name]; ok && cf.Length != 0 {
				bits = cf.Length
				if bits < 40 {
					bits *= 8 // written in bytes
				}
				break
			}
		}
	}
	if bits == 0 {
		bits = 40
	}
	if bits < 40 || bits > 128 || bits%8 != 0 {
		return 0, malformed("/Length", "is %d, want a multiple of 8 from 40 to 128 for revision %d", bits, p.R)
	}
	return bits / 8, nil
}

// authenticateMD5 finds the file key of a revision 2 to 4 document (algorithms 6 and 7).
func authenticateMD5(p *Params, password []byte) (key []byte, owner bool, err error) {
	n, err := keyLengthMD5(p)
	if err != nil {
		return nil, false, err
	}
	for _, pw := range passwordsMD5(password) {
		if k := checkUserMD5(p.R, n, userPasswordFromO(p.R, n, pw, p.O), p.O, p.U, p.P, p.ID0, p.EncryptMetadata); k != nil {
			return k, true, nil
		}
		if k := checkUserMD5(p.R, n, pw, p.O, p.U, p.P, p.ID0, p.EncryptMetadata); k != nil {
			key = k
		}
	}
	if key == nil {
		return nil, false, ErrWrongPassword
	}
	return key, false, nil
}

// authenticateAES256 finds the file key of a revision 5 or 6 document (algorithm 2.A)
// and checks /Perms.
func authenticateAES256(p *Params, password []byte) (key []byte, owner bool, err error) {
	o, u := p.O[:48], p.U[:48]
	for _, pw := range passwordsAES256(password) {
		if k := checkOwnerAES256(p.R, pw, o, u, p.OE[:32]); k != nil {
			key, owner = k, true
			break
		}
		if k := checkUserAES256(p.R, pw, u, p.UE[:32]); k != nil && key == nil {
			key = k
		}
	}
	if key == nil {
		return nil, false, ErrWrongPassword
	}
	if p.R == 6 || len(p.Perms) >= 16 {
		if err := checkPerms(key, p.Perms, p.P, p.EncryptMetadata); err != nil {
			return nil, false, err
		}
	}
	return key, owner, nil
}

// setFilters resolves /CF, /StmF, /StrF and /EFF.
func (h *Handler) setFilters(p *Params) error {
	if p.V < 4 {
		f := &Filter{method: MethodRC4, key: h.key}
		h.stm, h.str, h.eff = f, f, f
		return nil
	}
	h.filters = make(map[string]*Filter, len(p.CF))
	for name, cf := range p.CF {
		if name == MethodIdentity {
			continue // Identity is reserved and cannot be redefined
		}
		f, err := h.newFilter(p, name, cf)
		if err != nil {
			if !errors.Is(err, ErrUnsupported) {
				return err
			}
			if h.filterErrs == nil {
				h.filterErrs = make(map[string]error)
			}
			h.filterErrs[name] = err
			continue
		}
		h.filters[name] = f
	}
	var err error
	if h.stm, err = h.lookup("/StmF", p.StmF); err != nil {
		return err
	}
	if h.str, err = h.lookup("/StrF", p.StrF); err != nil {
		return err
	}
	h.eff = h.stm
	if p.EFF != "" {
		if h.eff, err = h.lookup("/EFF", p.EFF); err != nil {
			return err
		}
	}
	return nil
}

// newFilter builds the named crypt filter of a /V 4 or 5 document.
func (h *Handler) newFilter(p *Params, name string, cf CryptFilter) (*Filter, error) {
	f := &Filter{name: name, method: cf.CFM, key: h.key}
	switch cf.CFM {
	case "", MethodNone:
		f.method, f.key = MethodNone, nil
	case MethodRC4:
	case MethodAESV2:
		if len(h.key) < 11 {
			return nil, malformed("/CF", "filter /%s uses AESV2 with a %d-bit file key, want 128 bits", name, 8*len(h.key))
		}
	case MethodAESV3:
		if p.R < 5 {
			return nil, malformed("/CF", "filter /%s uses AESV3 (AES-256) in revision %d, which has no 256-bit key", name, p.R)
		}
	default:
		return nil, &UnsupportedError{Entry: "/CFM", Value: "/" + cf.CFM,
			Reason: fmt.Sprintf("crypt filter /%s uses a method other than None, V2, AESV2 and AESV3", name)}
	}
	return f, nil
}

// lookup returns the named filter for entry (one of /StmF, /StrF, /EFF).
func (h *Handler) lookup(entry, name string) (*Filter, error) {
	if name == "" || name == MethodIdentity {
		return &Filter{name: MethodIdentity, method: MethodIdentity}, nil
	}
	if f, ok := h.filters[name]; ok {
		return f, nil
	}
	if err, ok := h.filterErrs[name]; ok {
		return nil, err
	}
	return nil, malformed(entry, "names crypt filter /%s, which /CF does not define", name)
}

// Filter returns the named crypt filter, for streams that name one with a /Crypt
// filter (its /DecodeParms /Name); "" and "Identity" give the Identity filter. An
// undefined name is a *MalformedError, a filter with an unknown method an
// *UnsupportedError.
func (h *Handler) Filter(name string) (*Filter, error) {
	if h.filters == nil && name != "" && name != MethodIdentity {
		return nil, malformed("/Name", "names crypt filter /%s, but the document's /V has no crypt filters", name)
	}
	return h.lookup("/Name", name)
}

// StreamFilter returns the filter for streams (/StmF).
func (h *Handler) StreamFilter() *Filter { return h.stm }

// StringFilter returns the filter for strings (/StrF).
func (h *Handler) StringFilter() *Filter { return h.str }

// EmbeddedFileFilter returns the filter for embedded file streams (/EFF, by default
// /StmF).
func (h *Handler) EmbeddedFileFilter() *Filter { return h.eff }

// DecryptString decrypts a string of object num, generation gen with the string
// filter. It never modifies b.
func (h *Handler) DecryptString(num, gen int, b []byte) ([]byte, error) {
	out, err := h.str.Decrypt(num, gen, b)
	return out, where(err, "string in object", num, gen)
}

// DecryptStream decrypts the (still encoded) data of stream object num, generation gen
// with the stream filter. It never modifies b.
func (h *Handler) DecryptStream(num, gen int, b []byte) ([]byte, error) {
	out, err := h.stm.Decrypt(num, gen, b)
	return out, where(err, "stream", num, gen)
}

// EncryptString encrypts a string of object num, generation gen with the string filter.
func (h *Handler) EncryptString(num, gen int, b []byte) ([]byte, error) {
	return h.str.Encrypt(num, gen, b)
}

// EncryptStream encrypts the encoded data of stream object num, generation gen with
// the stream filter.
func (h *Handler) EncryptStream(num, gen int, b []byte) ([]byte, error) {
	return h.stm.Encrypt(num, gen, b)
}

// where names the object in a decryption error.
func where(err error, what string, num, gen int) error {
	var m *MalformedError
	if errors.As(err, &m) {
		return &MalformedError{Entry: fmt.Sprintf("%s %d %d", what, num, gen), Reason: m.Reason}
	}
	return err
}

// Revision returns the standard security handler's revision, /R.
func (h *Handler) Revision() int { return h.r }

// Permissions returns the user access permissions, /P. They bind the user; an owner
// (see IsOwner) may do everything.
func (h *Handler) Permissions() Permissions { return h.perms }

// IsOwner reports whether the password given to New was the owner password.
func (h *Handler) IsOwner() bool { return h.owner }

// EncryptsMetadata reports whether metadata streams are encrypted (/EncryptMetadata).
// When false, streams of /Type /Metadata are stored in clear and must be read and
// written without the stream filter.
func (h *Handler) EncryptsMetadata() bool { return h.encryptMetadata }
