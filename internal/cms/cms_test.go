package cms

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/digitorus/pkcs7"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var execLookPath = exec.LookPath

type combo struct {
	key  string
	pss  bool
	hash crypto.Hash
}

func (c combo) String() string {
	s := c.key
	if c.pss {
		s += "-pss"
	}
	return s + "-" + c.hash.String()
}

func combos() []combo {
	var out []combo
	for _, k := range []struct {
		key string
		pss bool
	}{{"rsa", false}, {"rsa", true}, {"p256", false}, {"p384", false}} {
		for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512} {
			out = append(out, combo{k.key, k.pss, h})
		}
	}
	return out
}

func digestOf(h crypto.Hash, data []byte) []byte {
	hh := h.New()
	hh.Write(data)
	return hh.Sum(nil)
}

// TestSignMatrix signs with every key/hash combination and checks the result with
// this package's parser, digitorus/pkcs7 and openssl cms -verify.
func TestSignMatrix(t *testing.T) {
	p := getPKI(t)
	content := []byte("%PDF-1.7 nội dung văn bản được ký: Nguyễn Văn Lĩnh, Hà Tĩnh\n")
	dir := t.TempDir()
	contentPath := filepath.Join(dir, "content.bin")
	require.NoError(t, os.WriteFile(contentPath, content, 0o600))
	caPath := writePEM(t, dir, "ca.pem", "CERTIFICATE", p.root.Raw)
	haveOpenSSL := true
	if _, err := exec.LookPath("openssl"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("openssl is required under CI")
		}
		haveOpenSSL = false
	}
	for _, c := range combos() {
		t.Run(c.String(), func(t *testing.T) {
			s := p.signers[c.key]
			md := digestOf(c.hash, content)
			der, err := Sign(s.key, md, s.cert, nil, &Options{Hash: c.hash, PSS: c.pss})
			require.NoError(t, err)

			sd, err := Parse(der)
			require.NoError(t, err)
			assert.Equal(t, der, sd.Raw)
			require.Len(t, sd.Signers, 1)
			si := sd.Signers[0]
			assert.Equal(t, c.hash, si.Hash)
			got, err := si.MessageDigest()
			require.NoError(t, err)
			assert.Equal(t, md, got)
			ct, err := si.ContentTypeAttribute()
			require.NoError(t, err)
			assert.True(t, ct.Equal(OIDData))
			_, hasTime := si.Attribute(OIDAttributeSigningTime)
			assert.False(t, hasTime, "PAdES forbids signing-time")
			ess, err := si.SigningCertificate()
			require.NoError(t, err)
			assert.True(t, ess.Matches(s.cert))
			assert.False(t, ess.Matches(p.root))
			cert, err := sd.SignerCertificate(si)
			require.NoError(t, err)
			assert.Equal(t, s.cert.Raw, cert.Raw)
			require.NoError(t, si.CheckSignature(cert.PublicKey, nil))
			if c.pss {
				assert.True(t, si.SignatureAlgorithm.Algorithm.Equal(OIDRSASSAPSS))
			}

			p7, err := pkcs7.Parse(der)
			require.NoError(t, err, "digitorus/pkcs7 must parse it")
			if !c.pss { // digitorus/pkcs7 cannot check RSA-PSS
				p7.Content = content
				assert.NoError(t, p7.Verify())
			}

			if haveOpenSSL {
				sigPath := filepath.Join(dir, c.String()+".der")
				require.NoError(t, os.WriteFile(sigPath, der, 0o600))
				out, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER",
					"-in", sigPath, "-content", contentPath, "-CAfile", caPath, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
				assert.NoError(t, err, "openssl: %s", out)
				assert.Contains(t, string(out), "Verification successful")
			}
		})
	}
}

func TestPreparedTwoStep(t *testing.T) {
	p := getPKI(t)
	s := p.signers["rsa"]
	md := digestOf(crypto.SHA256, []byte("content"))
	prep, err := Prepare(md, s.cert, []*x509Certificate{p.root}, &Options{PSS: true})
	require.NoError(t, err)
	again, err := Prepare(md, s.cert, []*x509Certificate{p.root}, &Options{PSS: true})
	require.NoError(t, err)
	assert.Equal(t, prep.SignedAttributes(), again.SignedAttributes(), "Prepare is deterministic")
	assert.Equal(t, digestOf(crypto.SHA256, prep.SignedAttributes()), prep.Digest())

	sig, err := s.key.Sign(rand.Reader, prep.Digest(), prep.SignerOpts())
	require.NoError(t, err)
	_, err = prep.Finish(append([]byte{}, sig[:len(sig)-1]...))
	assert.ErrorIs(t, err, ErrBadSignature)
	bad := bytes.Clone(sig)
	bad[10] ^= 1
	_, err = prep.Finish(bad)
	assert.ErrorIs(t, err, ErrBadSignature)
	der, err := again.Finish(sig)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(der), prep.MaxSize())
	sd, err := Parse(der)
	require.NoError(t, err)
	assert.Len(t, sd.Certificates, 2)
}

func TestMaxSizeIsUpperBound(t *testing.T) {
	p := getPKI(t)
	for _, c := range combos() {
		s := p.signers[c.key]
		md := digestOf(c.hash, []byte("x"))
		prep, err := Prepare(md, s.cert, nil, &Options{Hash: c.hash, PSS: c.pss})
		require.NoError(t, err)
		for range 20 { // ECDSA signatures vary in length
			sig, err := s.key.Sign(rand.Reader, prep.Digest(), prep.SignerOpts())
			require.NoError(t, err)
			der, err := prep.Finish(sig)
			require.NoError(t, err)
			require.LessOrEqual(t, len(der), prep.MaxSize(), c.String())
		}
	}
}

func TestRefusals(t *testing.T) {
	p := getPKI(t)
	s := p.signers["rsa"]
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	p521, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	require.NoError(t, err)
	edPub, edKey, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	tests := []struct {
		name    string
		signer  crypto.Signer
		cert    *x509Certificate
		hash    crypto.Hash
		wantErr error
	}{
		{"sha1", s.key, s.cert, crypto.SHA1, ErrWeakAlgorithm},
		{"md5", s.key, s.cert, crypto.MD5, ErrWeakAlgorithm},
		{"sha224", s.key, s.cert, crypto.SHA224, ErrUnsupportedAlgorithm},
		{"key mismatch", p.signers["p256"].key, s.cert, crypto.SHA256, ErrKeyMismatch},
		{"rsa1024", small, p.issue(100, "small", small.Public()), crypto.SHA256, ErrWeakAlgorithm},
		{"p521", p521, p.issue(101, "p521", p521.Public()), crypto.SHA256, ErrUnsupportedAlgorithm},
		{"ed25519", edKey, p.issue(102, "ed", edPub), crypto.SHA256, ErrUnsupportedAlgorithm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := make([]byte, 32)
			if tt.hash.Available() {
				md = make([]byte, tt.hash.Size())
			}
			_, err := Sign(tt.signer, md, tt.cert, nil, &Options{Hash: tt.hash})
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.wantErr)
			var ae *AlgorithmError
			if errors.Is(tt.wantErr, ErrWeakAlgorithm) || errors.Is(tt.wantErr, ErrUnsupportedAlgorithm) {
				assert.ErrorAs(t, err, &ae)
			}
		})
	}
	_, err = Prepare([]byte("short"), s.cert, nil, nil)
	assert.Error(t, err)
}

// TestCheckSignatureRejects checks that a wrong key or a modified attribute is caught.
func TestCheckSignatureRejects(t *testing.T) {
	p := getPKI(t)
	for _, c := range combos() {
		s := p.signers[c.key]
		der, err := Sign(s.key, digestOf(c.hash, []byte("a")), s.cert, nil, &Options{Hash: c.hash, PSS: c.pss})
		require.NoError(t, err)
		sd, err := Parse(der)
		require.NoError(t, err)
		si := sd.Signers[0]
		other := p.signers["p256"].cert.PublicKey
		if c.key == "p256" {
			other = p.signers["p384"].cert.PublicKey
		}
		assert.Error(t, si.CheckSignature(other, nil), c.String())
		si.RawSignedAttributes = bytes.Clone(si.RawSignedAttributes)
		si.RawSignedAttributes[len(si.RawSignedAttributes)-1] ^= 1
		assert.ErrorIs(t, si.CheckSignature(s.cert.PublicKey, nil), ErrBadSignature, c.String())
	}
}

// toIndefinite re-encodes every constructed element of a DER structure with BER
// indefinite lengths, as some signing tools write CMS.
func toIndefinite(t *testing.T, der []byte) []byte {
	t.Helper()
	var out []byte
	for len(der) > 0 {
		tl, err := tagLength(der)
		require.NoError(t, err)
		tag := der[:tl]
		n, hl := int(der[tl]), tl+1
		if der[tl] >= 0x80 {
			k := int(der[tl] & 0x7f)
			n = 0
			for _, c := range der[tl+1 : tl+1+k] {
				n = n<<8 | int(c)
			}
			hl = tl + 1 + k
		}
		body := der[hl : hl+n]
		if tag[0]&0x20 != 0 {
			out = append(out, tag...)
			out = append(out, 0x80)
			out = append(out, toIndefinite(t, body)...)
			out = append(out, 0, 0)
		} else {
			out = append(out, der[:hl+n]...)
		}
		der = der[hl+n:]
	}
	return out
}

func TestParseBER(t *testing.T) {
	p := getPKI(t)
	s := p.signers["p256"]
	der, err := Sign(s.key, digestOf(crypto.SHA256, []byte("a")), s.cert, []*x509Certificate{p.root}, nil)
	require.NoError(t, err)
	ber := toIndefinite(t, der)
	require.NotEqual(t, der, ber)
	padded := append(bytes.Clone(ber), make([]byte, 100)...) // a /Contents hole
	sd, err := Parse(padded)
	require.NoError(t, err)
	assert.Equal(t, der, sd.Raw, "BER is normalised to the DER encoding")
	require.NoError(t, sd.Signers[0].CheckSignature(s.cert.PublicKey, nil))

	_, err = Parse(append(bytes.Clone(der), 1))
	assert.ErrorIs(t, err, ErrMalformed)
}

// TestParseOpenSSL parses what openssl writes (BER with -stream, signing-time
// included) and checks it.
func TestParseOpenSSL(t *testing.T) {
	needTool(t, "openssl")
	p := getPKI(t)
	dir := t.TempDir()
	content := []byte("nội dung")
	contentPath := filepath.Join(dir, "c.bin")
	require.NoError(t, os.WriteFile(contentPath, content, 0o600))
	for _, k := range []string{"rsa", "p384"} {
		for _, pss := range []bool{false, true} {
			if pss && k != "rsa" {
				continue
			}
			keyid := pss // openssl -keyid: a SubjectKeyIdentifier signer identifier
			t.Run(fmt.Sprintf("%s-pss=%v", k, pss), func(t *testing.T) {
				s := p.signers[k]
				keyDER, err := x509MarshalPKCS8PrivateKey(s.key)
				require.NoError(t, err)
				keyPath := writePEM(t, dir, k+".key", "PRIVATE KEY", keyDER)
				certPath := writePEM(t, dir, k+".crt", "CERTIFICATE", s.cert.Raw)
				outPath := filepath.Join(dir, k+".p7s")
				args := []string{"cms", "-sign", "-binary", "-outform", "DER", "-in", contentPath,
					"-signer", certPath, "-inkey", keyPath, "-md", "sha384", "-out", outPath}
				if keyid {
					args = append(args, "-keyid")
				}
				if pss {
					args = append(args, "-keyopt", "rsa_padding_mode:pss")
				} else {
					args = append(args, "-stream") // BER, indefinite lengths
				}
				out, err := exec.Command("openssl", args...).CombinedOutput()
				require.NoError(t, err, "%s", out)
				data, err := os.ReadFile(outPath)
				require.NoError(t, err)
				sd, err := Parse(data)
				require.NoError(t, err)
				si := sd.Signers[0]
				assert.Equal(t, crypto.SHA384, si.Hash)
				assert.Equal(t, keyid, si.SubjectKeyID != nil)
				md, err := si.MessageDigest()
				require.NoError(t, err)
				assert.Equal(t, digestOf(crypto.SHA384, content), md)
				cert, err := sd.SignerCertificate(si)
				require.NoError(t, err)
				require.NoError(t, si.CheckSignature(cert.PublicKey, nil))
			})
		}
	}
}

func TestAddUnsignedAttribute(t *testing.T) {
	needTool(t, "openssl")
	p := getPKI(t)
	content := []byte("content to time-stamp")
	dir := t.TempDir()
	contentPath := filepath.Join(dir, "c.bin")
	require.NoError(t, os.WriteFile(contentPath, content, 0o600))
	caPath := writePEM(t, dir, "ca.pem", "CERTIFICATE", p.root.Raw)
	for _, c := range []combo{{"rsa", true, crypto.SHA256}, {"p256", false, crypto.SHA384}} {
		s := p.signers[c.key]
		der, err := Sign(s.key, digestOf(c.hash, content), s.cert, nil, &Options{Hash: c.hash, PSS: c.pss})
		require.NoError(t, err)
		// Any ContentInfo stands in for a time-stamp token here; certstatus builds real ones.
		token, err := Sign(p.signers["p384"].key, digestOf(crypto.SHA256, []byte("tst")), p.signers["p384"].cert, nil, nil)
		require.NoError(t, err)
		out, err := AddUnsignedAttribute(der, 0, OIDAttributeTimeStampToken, token)
		require.NoError(t, err)
		out2, err := AddUnsignedAttribute(out, 0, OIDAttributeTimeStampToken, token)
		require.NoError(t, err)
		sd, err := Parse(out2)
		require.NoError(t, err)
		si := sd.Signers[0]
		require.Len(t, si.UnsignedAttributes, 2)
		got, ok := si.SignatureTimeStampToken()
		require.True(t, ok)
		assert.Equal(t, token, got)
		require.NoError(t, si.CheckSignature(s.cert.PublicKey, nil))
		sigPath := filepath.Join(dir, c.String()+".der")
		require.NoError(t, os.WriteFile(sigPath, out2, 0o600))
		o, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", sigPath,
			"-content", contentPath, "-CAfile", caPath, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
		assert.NoError(t, err, "%s", o)

		// Replacing leaves one attribute of the type, with the new value.
		other, err := Sign(p.signers["p256"].key, digestOf(crypto.SHA256, []byte("tst2")), p.signers["p256"].cert, nil, nil)
		require.NoError(t, err)
		out3, err := ReplaceUnsignedAttribute(out2, 0, OIDAttributeTimeStampToken, other)
		require.NoError(t, err)
		sd3, err := Parse(out3)
		require.NoError(t, err)
		require.Len(t, sd3.Signers[0].UnsignedAttributes, 1)
		got, _ = sd3.Signers[0].SignatureTimeStampToken()
		assert.Equal(t, other, got)
		require.NoError(t, sd3.Signers[0].CheckSignature(s.cert.PublicKey, nil))

		_, err = AddUnsignedAttribute(der, 1, OIDAttributeTimeStampToken, token)
		assert.ErrorIs(t, err, ErrSignerNotFound)
		_, err = AddUnsignedAttribute(der, 0, OIDAttributeTimeStampToken, []byte{0x30, 0x05})
		assert.ErrorIs(t, err, ErrMalformed)
	}
}

func TestParseErrors(t *testing.T) {
	p := getPKI(t)
	s := p.signers["p256"]
	der, err := Sign(s.key, digestOf(crypto.SHA256, []byte("a")), s.cert, nil, nil)
	require.NoError(t, err)
	deep := []byte{}
	for range 100 {
		deep = append([]byte{0x30, 0x80}, deep...)
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrMalformed},
		{"truncated", der[:len(der)/2], ErrMalformed},
		{"not signed data", []byte{0x30, 0x03, 0x06, 0x01, 0x2a}, ErrMalformed},
		{"too deep", deep, ErrLimit},
		{"primitive indefinite", []byte{0x04, 0x80, 0, 0}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.in)
			assert.ErrorIs(t, err, tt.want)
			var se *SyntaxError
			assert.ErrorAs(t, err, &se)
		})
	}
}

// TestCheckEd25519 checks the Ed25519 path used for other tools' signatures (RFC 8419).
func TestCheckEd25519(t *testing.T) {
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	attrs := []byte{0x31, 0x03, 0x02, 0x01, 0x01}
	si := &SignerInfo{Hash: crypto.SHA512, RawSignedAttributes: attrs, Signature: ed25519.Sign(key, attrs)}
	si.SignatureAlgorithm.Algorithm = OIDEd25519
	assert.NoError(t, si.CheckSignature(pub, nil))
	si.Signature[0] ^= 1
	assert.ErrorIs(t, si.CheckSignature(pub, nil), ErrBadSignature)
	si.SignatureAlgorithm.Algorithm = OIDSHA256WithRSA
	assert.ErrorIs(t, si.CheckSignature(pub, nil), ErrUnsupportedAlgorithm)
	assert.ErrorIs(t, si.CheckSignature(nil, nil), ErrUnsupportedAlgorithm)
	_, err = Parse(make([]byte, 64))
	assert.ErrorIs(t, err, ErrMalformed)
}

// TestCheckSignatureWeakHash: a SignerInfo whose digest is MD5 is refused as weak
// whatever the options; SHA-1 is refused unless AllowWeakHash lets it through to the
// value check (the caller then judges it with the SHA-1 sunset).
func TestCheckSignatureWeakHash(t *testing.T) {
	p := getPKI(t)
	s := p.signers["p256"]
	der, err := Sign(s.key, digestOf(crypto.SHA256, []byte("a")), s.cert, nil, &Options{Hash: crypto.SHA256})
	require.NoError(t, err)
	sd, err := Parse(der)
	require.NoError(t, err)
	si := *sd.Signers[0]
	for _, c := range []struct {
		h     crypto.Hash
		allow bool
		weak  bool
	}{
		{crypto.MD5, false, true},
		{crypto.MD5, true, true},
		{crypto.SHA1, false, true},
		{crypto.SHA1, true, false},
	} {
		si.Hash = c.h
		err := si.CheckSignature(s.cert.PublicKey, &CheckOptions{AllowWeakHash: c.allow})
		require.Error(t, err, "%v allow=%v", c.h, c.allow)
		assert.Equal(t, c.weak, errors.Is(err, ErrWeakAlgorithm), "%v allow=%v: %v", c.h, c.allow, err)
	}
}
