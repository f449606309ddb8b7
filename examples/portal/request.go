package main

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"
)

// fieldKind says how a request field is encoded.
type fieldKind int

const (
	// fieldFile is a document: base64 in JSON, the raw file in a multipart part.
	fieldFile fieldKind = iota
	// fieldBase64 is binary data the service handed out (state, signature value):
	// base64 in JSON and in multipart alike.
	fieldBase64
	// fieldText is UTF-8 text (reason, location, field name, the PEM chain).
	fieldText
)

// fieldSpec describes one accepted request field.
type fieldSpec struct {
	kind fieldKind
	max  int // bytes, after decoding
}

// Limits on the parts of a request other than the document (bounded by -max-body).
const (
	maxTextField  = 1 << 10  // reason, location, field name
	maxChainPEM   = 64 << 10 // the signer's certificate chain
	maxChainCerts = 10
	maxSigValue   = 16 << 10 // an RSA-16384 signature is 2 KiB; ECDSA less
)

// readForm reads the fields of spec from a JSON object (Content-Type
// application/json) or a multipart/form-data body. Unknown or repeated fields, a
// field over its limit, bad base64 and invalid UTF-8 text are refused with a 400
// *apiError; a body over the server's limit gives the reader's *http.MaxBytesError.
func readForm(r *http.Request, spec map[string]fieldSpec) (map[string][]byte, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, newAPIError(http.StatusUnsupportedMediaType, codeUnsupportedFormat,
			"Thiếu hoặc sai Content-Type; hãy gửi application/json hoặc multipart/form-data",
			"Missing or malformed Content-Type; send application/json or multipart/form-data", err)
	}
	switch mt {
	case "application/json":
		return readJSONForm(r.Body, spec)
	case "multipart/form-data":
		if params["boundary"] == "" {
			return nil, badRequest("Thiếu boundary của multipart/form-data", "multipart/form-data without a boundary", nil)
		}
		return readMultipartForm(r, spec)
	}
	return nil, newAPIError(http.StatusUnsupportedMediaType, codeUnsupportedFormat,
		"Định dạng yêu cầu không được hỗ trợ; hãy gửi application/json hoặc multipart/form-data",
		"Unsupported Content-Type "+mt+"; send application/json or multipart/form-data", nil)
}

func readMultipartForm(r *http.Request, spec map[string]fieldSpec) (map[string][]byte, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, badRequest("Dữ liệu multipart không hợp lệ", "Malformed multipart body", err)
	}
	out := make(map[string][]byte)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, err
			}
			return nil, badRequest("Dữ liệu multipart không hợp lệ", "Malformed multipart body", err)
		}
		name := part.FormName()
		fs, ok := spec[name]
		if !ok {
			part.Close()
			return nil, unknownField(name)
		}
		if _, dup := out[name]; dup {
			part.Close()
			return nil, badRequest(fmt.Sprintf("Trường %q bị gửi hai lần", name), fmt.Sprintf("Field %q appears twice", name), nil)
		}
		limit := fs.max
		if fs.kind == fieldBase64 {
			limit = base64.StdEncoding.EncodedLen(fs.max) + 1024 // room for line breaks
		}
		val, err := io.ReadAll(io.LimitReader(part, int64(limit)+1))
		part.Close()
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, err
			}
			return nil, badRequest("Dữ liệu multipart không hợp lệ", "Malformed multipart body", err)
		}
		if len(val) > limit {
			return nil, fieldTooLarge(name, fs.max)
		}
		if fs.kind == fieldBase64 {
			if val, err = decodeBase64(name, string(val)); err != nil {
				return nil, err
			}
		}
		if err := checkField(name, fs, val); err != nil {
			return nil, err
		}
		out[name] = val
		if fn := part.FileName(); fs.kind == fieldFile && fn != "" && len(fn) <= maxTextField && utf8.ValidString(fn) {
			out[name+fileNameKey] = []byte(fn)
		}
	}
}

// fileNameKey follows a file field's name in readForm's result to give the name of the
// uploaded file, when a multipart part said it. No request field can have that key:
// fields outside the spec are refused.
const fileNameKey = "\x00filename"

// decodeBase64 accepts standard and URL-safe base64, padded or not, with white space.
func decodeBase64(name, s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "-_") {
		s = strings.NewReplacer("-", "+", "_", "/").Replace(s)
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return nil, badRequest(fmt.Sprintf("Trường %q không phải base64 hợp lệ", name),
			fmt.Sprintf("Field %q is not valid base64", name), err)
	}
	return b, nil
}

func checkField(name string, fs fieldSpec, val []byte) error {
	if len(val) > fs.max {
		return fieldTooLarge(name, fs.max)
	}
	if fs.kind == fieldText && !utf8.Valid(val) {
		return badRequest(fmt.Sprintf("Trường %q không phải văn bản UTF-8", name),
			fmt.Sprintf("Field %q is not UTF-8 text", name), nil)
	}
	return nil
}

func unknownField(name string) error {
	return badRequest(fmt.Sprintf("Trường %q không được hỗ trợ", name), fmt.Sprintf("Unknown field %q", name), nil)
}

func fieldTooLarge(name string, max int) error {
	return newAPIError(http.StatusRequestEntityTooLarge, codeTooLarge,
		fmt.Sprintf("Trường %q vượt quá %d byte", name, max),
		fmt.Sprintf("Field %q exceeds %d bytes", name, max), nil)
}

// parseChain reads the signer's certificate chain, signer first, from PEM. Blocks
// other than CERTIFICATE are refused, so a private key pasted by mistake is never
// accepted silently.
func parseChain(data []byte) ([]*x509.Certificate, error) {
	var chain []*x509.Certificate
	rest := bytes.TrimSpace(data)
	for len(rest) > 0 {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, newAPIError(http.StatusBadRequest, codeBadChain,
				"Chuỗi chứng thư số phải ở dạng PEM (-----BEGIN CERTIFICATE-----)",
				"The certificate chain must be PEM (-----BEGIN CERTIFICATE-----)", nil)
		}
		if b.Type != "CERTIFICATE" {
			return nil, newAPIError(http.StatusBadRequest, codeBadChain,
				"Chuỗi chứng thư số chỉ được chứa khối CERTIFICATE (không gửi khóa bí mật)",
				"The chain may hold only CERTIFICATE blocks (never send a private key), found "+b.Type, nil)
		}
		if len(chain) == maxChainCerts {
			return nil, newAPIError(http.StatusBadRequest, codeBadChain,
				fmt.Sprintf("Chuỗi chứng thư số có quá %d chứng thư", maxChainCerts),
				fmt.Sprintf("The chain holds more than %d certificates", maxChainCerts), nil)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, newAPIError(http.StatusBadRequest, codeBadChain,
				fmt.Sprintf("Chứng thư số thứ %d không đọc được", len(chain)+1),
				fmt.Sprintf("Certificate %d cannot be parsed", len(chain)+1), err)
		}
		chain = append(chain, c)
		rest = bytes.TrimSpace(rest)
	}
	if len(chain) == 0 {
		return nil, newAPIError(http.StatusBadRequest, codeBadChain,
			"Thiếu chứng thư số của người ký (trường chain)", "The signer's certificate (field chain) is missing", nil)
	}
	return chain, nil
}

// readPDFBody reads a document sent as the raw body (application/pdf or
// application/octet-stream) or as the "pdf" part of a multipart form.
func readPDFBody(r *http.Request, max int) ([]byte, error) {
	pdf, _, err := readNamedPDFBody(r, max)
	return pdf, err
}

// readNamedPDFBody is readPDFBody that also gives the uploaded file's name, when the
// upload said it.
func readNamedPDFBody(r *http.Request, max int) ([]byte, string, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "multipart/form-data", "application/json":
		f, err := readForm(r, map[string]fieldSpec{"pdf": {fieldFile, max}})
		if err != nil {
			return nil, "", err
		}
		if len(f["pdf"]) == 0 {
			return nil, "", badRequest("Chưa chọn tệp PDF", "No PDF was sent (field pdf)", nil)
		}
		return f["pdf"], string(f["pdf"+fileNameKey]), nil
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, "", err
	}
	if len(b) == 0 {
		return nil, "", badRequest("Chưa gửi tệp PDF", "The body is empty: send the PDF", nil)
	}
	return b, "", nil
}
