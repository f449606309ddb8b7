package crypt_test

// A tiny hand-written PDF and a regexp-based reader of exactly what the interop tests
// need from qpdf's output: the /Encrypt values, the trailer's /ID, the Info /Title
// string and the page's content stream. This is not a PDF parser; it relies on the
// layout qpdf writes with --object-streams=disable.

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"

	"github.com/kyso-go/kyso/internal/pdf/crypt"
	"github.com/stretchr/testify/require"
)

// The sample document's content stream and Info /Title (UTF-16BE with BOM, as PDF text
// strings hold Vietnamese).
var (
	sampleContent = []byte("BT /F1 12 Tf 20 100 Td (Xin chao \\(kyso\\)) Tj ET\n")
	sampleTitle   = utf16BE("Văn bản thử nghiệm (mã hoá) ĩ")
	sampleID0     = []byte{0x6b, 0x79, 0x73, 0x6f, 0x2d, 0x63, 0x72, 0x79, 0x70, 0x74, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05}
)

func utf16BE(s string) []byte {
	out := []byte{0xFE, 0xFF}
	for _, r := range s {
		if r > 0xFFFF {
			panic("test text outside the BMP")
		}
		out = append(out, byte(r>>8), byte(r))
	}
	return out
}

func isCI() bool { return os.Getenv("CI") != "" }

// needTool skips the test when an external tool is missing, or fails it under CI.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if isCI() {
			t.Fatalf("%s is not installed (CI is set): %v", name, err)
		}
		t.Skipf("%s is not installed: %v", name, err)
	}
	return path
}

// encryptFunc encrypts a string or stream of object num (generation 0).
type encryptFunc func(num int, b []byte) []byte

// samplePDF writes the one-page sample document with a classic xref table. When enc
// is not nil the Info /Title string and the content stream are encrypted with it, and
// encryptDict (already serialised) becomes object 6, named by the trailer's /Encrypt.
func samplePDF(strEnc, stmEnc encryptFunc, encryptDict string) []byte {
	title, content := sampleTitle, sampleContent
	if strEnc != nil {
		title = strEnc(5, title)
		content = stmEnc(4, content)
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		fmt.Sprintf("<< /Title <%x> /Producer (kyso crypt test) >>", title),
	}
	if encryptDict != "" {
		objs = append(objs, encryptDict)
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	encrypt := ""
	if encryptDict != "" {
		encrypt = fmt.Sprintf(" /Encrypt %d 0 R", len(objs))
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R /ID [<%x> <%x>]%s >>\nstartxref\n%d\n%%%%EOF\n",
		len(objs)+1, sampleID0, sampleID0, encrypt, xref)
	return b.Bytes()
}

// encryptDict serialises p as an encryption dictionary, strings in hex.
func encryptDict(p crypt.Params) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<< /Filter /%s /V %d /R %d /Length %d /P %d", p.Filter, p.V, p.R, p.Length, p.P)
	for _, e := range []struct {
		k string
		v []byte
	}{{"O", p.O}, {"U", p.U}, {"OE", p.OE}, {"UE", p.UE}, {"Perms", p.Perms}} {
		if e.v != nil {
			fmt.Fprintf(&b, " /%s <%x>", e.k, e.v)
		}
	}
	if !p.EncryptMetadata {
		b.WriteString(" /EncryptMetadata false")
	}
	if len(p.CF) > 0 {
		b.WriteString(" /CF <<")
		for name, cf := range p.CF {
			fmt.Fprintf(&b, " /%s << /CFM /%s /Length %d /AuthEvent /%s >>", name, cf.CFM, cf.Length, cf.AuthEvent)
		}
		fmt.Fprintf(&b, " >> /StmF /%s /StrF /%s", p.StmF, p.StrF)
	}
	b.WriteString(" >>")
	return b.String()
}

// parsedPDF is what the interop tests read back from an encrypted file.
type parsedPDF struct {
	params     crypt.Params
	titleRef   [2]int
	title      []byte // still encrypted
	contentRef [2]int
	content    []byte // still encrypted
}

var (
	reObject   = regexp.MustCompile(`(?s)(\d+) (\d+) obj\b(.*?)\bendobj`)
	reTrailer  = regexp.MustCompile(`(?s)trailer\s*<<(.*?)>>\s*startxref`)
	reRef      = func(key string) *regexp.Regexp { return regexp.MustCompile(`/` + key + `\s+(\d+)\s+(\d+)\s+R`) }
	reInt      = func(key string) *regexp.Regexp { return regexp.MustCompile(`/` + key + `\s+(-?\d+)`) }
	reName     = func(key string) *regexp.Regexp { return regexp.MustCompile(`/` + key + `\s*/([A-Za-z0-9.#_-]+)`) }
	reStrStart = func(key string) *regexp.Regexp { return regexp.MustCompile(`/` + key + `\s*[<(]`) }
	reCF       = regexp.MustCompile(`(?s)/CF\s*<<\s*/([A-Za-z0-9]+)\s*<<(.*?)>>\s*>>`)
	reIDStart  = regexp.MustCompile(`/ID\s*\[\s*[<(]`)
	reKids     = regexp.MustCompile(`/Kids\s*\[\s*(\d+)\s+(\d+)\s+R`)
	reStream   = regexp.MustCompile(`stream\r?\n`)
)

// readString reads the hex or literal string starting at s[0].
func readString(t *testing.T, s []byte) []byte {
	t.Helper()
	if s[0] == '<' {
		end := bytes.IndexByte(s, '>')
		require.Positive(t, end, "unterminated hex string")
		h := regexp.MustCompile(`\s`).ReplaceAll(s[1:end], nil)
		if len(h)%2 == 1 {
			h = append(h, '0')
		}
		out, err := hex.DecodeString(string(h))
		require.NoError(t, err)
		return out
	}
	var out []byte
	depth := 0
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch c {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return out
			}
			depth--
		case '\\':
			i++
			require.Less(t, i, len(s))
			switch e := s[i]; e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r', '\n':
				if e == '\r' && i+1 < len(s) && s[i+1] == '\n' {
					i++
				}
				continue
			default:
				if e >= '0' && e <= '7' {
					v := 0
					j := i
					for ; j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7'; j++ {
						v = v*8 + int(s[j]-'0')
					}
					i = j - 1
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	t.Fatal("unterminated literal string")
	return nil
}

// stringValue returns the string value of /key in dict, or nil.
func stringValue(t *testing.T, dict []byte, key string) []byte {
	loc := reStrStart(key).FindIndex(dict)
	if loc == nil {
		return nil
	}
	return readString(t, dict[loc[1]-1:])
}

func intValue(t *testing.T, dict []byte, key string) (int, bool) {
	m := reInt(key).FindSubmatch(dict)
	if m == nil {
		return 0, false
	}
	v, err := strconv.Atoi(string(m[1]))
	require.NoError(t, err)
	return v, true
}

func nameValue(dict []byte, key string) string {
	if m := reName(key).FindSubmatch(dict); m != nil {
		return string(m[1])
	}
	return ""
}

// parseEncryptedPDF extracts the encryption parameters, the Info /Title string and the
// page content stream from a file qpdf wrote.
func parseEncryptedPDF(t *testing.T, file []byte) parsedPDF {
	t.Helper()
	objects := map[[2]int][]byte{}
	for _, m := range reObject.FindAllSubmatchIndex(file, -1) {
		num, _ := strconv.Atoi(string(file[m[2]:m[3]]))
		gen, _ := strconv.Atoi(string(file[m[4]:m[5]]))
		objects[[2]int{num, gen}] = file[m[6]:m[7]]
	}
	tm := reTrailer.FindAllSubmatch(file, -1)
	require.NotEmpty(t, tm, "no trailer")
	trailer := tm[len(tm)-1][1]
	ref := func(dict []byte, key string) [2]int {
		m := reRef(key).FindSubmatch(dict)
		require.NotNil(t, m, "no /%s reference", key)
		num, _ := strconv.Atoi(string(m[1]))
		gen, _ := strconv.Atoi(string(m[2]))
		return [2]int{num, gen}
	}

	var out parsedPDF
	enc := objects[ref(trailer, "Encrypt")]
	require.NotNil(t, enc, "no /Encrypt object")
	p := paramsFromEncryptDict(t, enc)
	idLoc := reIDStart.FindIndex(trailer)
	require.NotNil(t, idLoc, "no /ID in the trailer")
	p.ID0 = readString(t, trailer[idLoc[1]-1:])
	out.params = p

	out.titleRef = ref(trailer, "Info")
	out.title = stringValue(t, objects[out.titleRef], "Title")
	require.NotNil(t, out.title, "no /Title")

	pages := objects[ref(objects[ref(trailer, "Root")], "Pages")]
	km := reKids.FindSubmatch(pages)
	require.NotNil(t, km, "no /Kids")
	kn, _ := strconv.Atoi(string(km[1]))
	kg, _ := strconv.Atoi(string(km[2]))
	page := objects[[2]int{kn, kg}]
	out.contentRef = ref(page, "Contents")
	stm := objects[out.contentRef]
	n, ok := intValue(t, stm, "Length")
	require.True(t, ok, "content stream without a direct /Length")
	loc := reStream.FindIndex(stm)
	require.NotNil(t, loc, "content object is not a stream")
	require.LessOrEqual(t, loc[1]+n, len(stm))
	out.content = stm[loc[1] : loc[1]+n]
	return out
}

// paramsFromEncryptDict reads an encryption dictionary's entries (with at most one
// crypt filter in /CF); ID0 is left to the caller.
func paramsFromEncryptDict(t *testing.T, enc []byte) crypt.Params {
	p := crypt.Params{EncryptMetadata: true}
	if m := reCF.FindSubmatchIndex(enc); m != nil {
		cfDict := enc[m[4]:m[5]]
		cf := crypt.CryptFilter{CFM: nameValue(cfDict, "CFM"), AuthEvent: nameValue(cfDict, "AuthEvent")}
		cf.Length, _ = intValue(t, cfDict, "Length")
		p.CF = map[string]crypt.CryptFilter{string(enc[m[2]:m[3]]): cf}
		enc = append(append([]byte{}, enc[:m[0]]...), enc[m[1]:]...) // the rest, for top-level keys
	}
	p.Filter, p.SubFilter = nameValue(enc, "Filter"), nameValue(enc, "SubFilter")
	p.StmF, p.StrF, p.EFF = nameValue(enc, "StmF"), nameValue(enc, "StrF"), nameValue(enc, "EFF")
	p.V, _ = intValue(t, enc, "V")
	p.R, _ = intValue(t, enc, "R")
	p.Length, _ = intValue(t, enc, "Length")
	pv, _ := intValue(t, enc, "P")
	p.P = int32(pv)
	p.O, p.U = stringValue(t, enc, "O"), stringValue(t, enc, "U")
	p.OE, p.UE, p.Perms = stringValue(t, enc, "OE"), stringValue(t, enc, "UE"), stringValue(t, enc, "Perms")
	if regexp.MustCompile(`/EncryptMetadata\s+false`).Match(enc) {
		p.EncryptMetadata = false
	}
	return p
}
