package pdf

import (
	"errors"

	"github.com/kyso-go/kyso/internal/pdf/crypt"
)

// securityHandler is the standard security handler of an encrypted document.
type securityHandler = *crypt.Handler

// setupEncryption reads the trailer's /Encrypt dictionary and authenticates the
// password of Options.
func (d *Document) setupEncryption() error {
	d.sec = nil
	enc := d.trailer.Get("Encrypt")
	if enc == nil {
		return nil
	}
	if r, ok := enc.(Ref); ok {
		d.encRef = r
	}
	o, err := d.Resolve(enc)
	if err != nil {
		return err
	}
	ed, ok := o.(Dict)
	if !ok {
		return malformed(-1, "/Encrypt is not a dictionary")
	}
	p, err := encryptParams(ed, d.trailer)
	if err != nil {
		return err
	}
	if p.Filter != crypt.StandardFilter {
		return &UnsupportedEncryptionError{Handler: p.Filter, Detail: "only the standard (password) security handler is supported"}
	}
	// Name an unknown crypt filter method before trying the password, which would
	// otherwise fail first.
	for _, f := range []string{p.StmF, p.StrF} {
		if cf, ok := p.CF[f]; ok {
			switch cf.CFM {
			case "", crypt.MethodNone, crypt.MethodRC4, crypt.MethodAESV2, crypt.MethodAESV3:
			default:
				return &UnsupportedEncryptionError{Handler: p.Filter, Detail: "crypt filter /" + f + " uses method /" + cf.CFM}
			}
		}
	}
	h, err := crypt.New(p, d.opts.Password)
	switch {
	case err == nil:
	case errors.Is(err, crypt.ErrWrongPassword):
		return ErrWrongPassword
	case errors.Is(err, crypt.ErrUnsupported):
		return &UnsupportedEncryptionError{Handler: p.Filter, Detail: err.Error()}
	default:
		return &MalformedError{Offset: -1, Ref: d.encRef, Msg: "bad encryption dictionary", Err: err}
	}
	d.sec = h
	return nil
}

// encryptParams fills crypt.Params from the encryption dictionary and the trailer.
func encryptParams(ed, trailer Dict) (crypt.Params, error) {
	str := func(k Name) []byte { b, _ := Bytes(ed.Get(k)); return b }
	num := func(k Name) int { v, _ := ed.Get(k).(Integer); return int(v) }
	name := func(o Object) string { n, _ := o.(Name); return string(n) }
	p := crypt.Params{
		Filter:          name(ed.Get("Filter")),
		SubFilter:       name(ed.Get("SubFilter")),
		V:               num("V"),
		R:               num("R"),
		Length:          num("Length"),
		O:               str("O"),
		U:               str("U"),
		OE:              str("OE"),
		UE:              str("UE"),
		Perms:           str("Perms"),
		P:               int32(uint32(int64(num("P")))),
		EncryptMetadata: true,
		StmF:            name(ed.Get("StmF")),
		StrF:            name(ed.Get("StrF")),
		EFF:             name(ed.Get("EFF")),
	}
	if p.Filter == "" {
		return p, malformed(-1, "/Encrypt has no /Filter")
	}
	if b, ok := ed.Get("EncryptMetadata").(Bool); ok {
		p.EncryptMetadata = bool(b)
	}
	if cf, ok := ed.Get("CF").(Dict); ok {
		p.CF = map[string]crypt.CryptFilter{}
		for k, v := range cf {
			fd, ok := v.(Dict)
			if !ok {
				continue
			}
			l, _ := fd.Get("Length").(Integer)
			p.CF[string(k)] = crypt.CryptFilter{CFM: name(fd.Get("CFM")), Length: int(l), AuthEvent: name(fd.Get("AuthEvent"))}
		}
	}
	if id, ok := trailer.Get("ID").(Array); ok && len(id) > 0 {
		p.ID0, _ = Bytes(id[0])
	}
	return p, nil
}

// isSigDict reports whether d is a signature dictionary, whose /Contents is never
// encrypted.
func isSigDict(d Dict) bool {
	if t, _ := d.Get("Type").(Name); t == "Sig" || t == "DocTimeStamp" {
		return true
	}
	_, br := d.Get("ByteRange").(Array)
	return br && d.Get("Contents") != nil
}

// decryptObject decrypts the strings of object o (of indirect object r), in place.
func (d *Document) decryptObject(o Object, r Ref) (Object, error) {
	switch v := o.(type) {
	case String:
		b, err := d.sec.DecryptString(r.Num, r.Gen, []byte(v))
		if err != nil {
			// Damaged ciphertext: keep the bytes, as viewers do, and say so.
			d.warn("object %d %d: a string does not decrypt (%v); kept as is", r.Num, r.Gen, err)
			return v, nil
		}
		return String(b), nil
	case Array:
		for i, e := range v {
			x, err := d.decryptObject(e, r)
			if err != nil {
				return nil, err
			}
			v[i] = x
		}
	case Dict:
		sig := isSigDict(v)
		for k, e := range v {
			if sig && k == "Contents" {
				continue
			}
			x, err := d.decryptObject(e, r)
			if err != nil {
				return nil, err
			}
			v[k] = x
		}
	case *Stream:
		if _, err := d.decryptObject(v.Dict, r); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// streamFilter returns the crypt filter for a stream's data, or nil when its data is
// not encrypted.
func (d *Document) streamFilter(s *Stream) (*crypt.Filter, error) {
	switch t, _ := s.Dict.Get("Type").(Name); t {
	case "XRef":
		return nil, nil
	case "Metadata":
		if !d.sec.EncryptsMetadata() {
			return nil, nil
		}
	case "EmbeddedFile":
		return d.sec.EmbeddedFileFilter(), nil
	}
	names, parms, err := filterList(s.Dict, d.resolveQuiet)
	if err == nil && len(names) > 0 && names[0] == "Crypt" {
		n, _ := parms[0].Get("Name").(Name)
		return d.sec.Filter(string(n))
	}
	return d.sec.StreamFilter(), nil
}

// decryptStream decrypts a stream's raw data read from the file.
func (d *Document) decryptStream(s *Stream, data []byte) ([]byte, error) {
	f, err := d.streamFilter(s)
	if err != nil {
		return nil, &UnsupportedEncryptionError{Handler: crypt.StandardFilter, Detail: err.Error()}
	}
	if f == nil {
		return data, nil
	}
	out, err := f.Decrypt(s.ref.Num, s.ref.Gen, data)
	if err != nil {
		return nil, &MalformedError{Offset: s.off, Ref: s.ref, Msg: "cannot decrypt stream", Err: err}
	}
	return out, nil
}

// encryptObject returns a copy of o with its strings and stream data encrypted for
// object r. Raw values are never encrypted, nor a signature dictionary's /Contents.
func (d *Document) encryptObject(o Object, r Ref) (Object, error) {
	switch v := o.(type) {
	case String:
		b, err := d.sec.EncryptString(r.Num, r.Gen, []byte(v))
		if err != nil {
			return nil, err
		}
		return String(b), nil
	case HexString:
		b, err := d.sec.EncryptString(r.Num, r.Gen, []byte(v))
		if err != nil {
			return nil, err
		}
		return HexString(b), nil
	case Array:
		out := make(Array, len(v))
		for i, e := range v {
			x, err := d.encryptObject(e, r)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case Dict:
		out := make(Dict, len(v))
		sig := isSigDict(v)
		for k, e := range v {
			if sig && k == "Contents" {
				out[k] = e
				continue
			}
			x, err := d.encryptObject(e, r)
			if err != nil {
				return nil, err
			}
			out[k] = x
		}
		return out, nil
	case *Stream:
		dict, err := d.encryptObject(v.Dict, r)
		if err != nil {
			return nil, err
		}
		ns := &Stream{Dict: dict.(Dict), Data: v.Data}
		f, err := d.streamFilter(v)
		if err != nil {
			return nil, &UnsupportedEncryptionError{Handler: crypt.StandardFilter, Detail: err.Error()}
		}
		if f != nil {
			if ns.Data, err = f.Encrypt(r.Num, r.Gen, v.Data); err != nil {
				return nil, err
			}
		}
		return ns, nil
	}
	return o, nil
}

// Permissions returns the user access permissions (/P) of an encrypted document and
// whether the password that opened it is the owner password (which grants every
// permission). ok is false when the document is not encrypted.
func (d *Document) Permissions() (perms crypt.Permissions, owner bool, ok bool) {
	if d.sec == nil {
		return 0, false, false
	}
	return d.sec.Permissions(), d.sec.IsOwner(), true
}
