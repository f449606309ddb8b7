package token_test

// An independent, minimal CSC API v2 remote signing service written from the
// specification's text (the v2.x sections on credentials/list, credentials/info,
// credentials/authorize and signatures/signHash, with the authentication-object shape
// of "auth"/"authData" and the error table), not from the client's code or the
// csctest server: its own request structs, its own choices where the text leaves
// room (only the bare key algorithms rsaEncryption/RSASSA-PSS and ecPublicKey are
// advertised, so the client must send hashAlgorithmOID; SCAL 2; multisign 3; ECDSA
// signatures returned as raw r‖s; RSASSA-PSS signed with the salt length read from the
// client's signAlgoParams, decoded per RFC 8017 A.2.3). The client must work against it unchanged.

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kyso-go/kyso/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type rsspKey struct {
	signer crypto.Signer
	certs  [][]byte
	pin    string
	fails  int
	locked bool
}

type rsspGrant struct {
	credential string
	left       int
	until      time.Time
	digests    []string
}

// rssp is the independent service.
type rssp struct {
	bearer string
	mu     sync.Mutex
	keys   map[string]*rsspKey
	grants map[string]*rsspGrant
	counts map[string]int
}

type rsspFault struct {
	status            int
	error, errorDescr string
}

func (f *rsspFault) write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.status)
	json.NewEncoder(w).Encode(struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}{f.error, f.errorDescr})
}

func invalid(d string) *rsspFault { return &rsspFault{400, "invalid_request", d} }

func (s *rssp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[r.URL.Path]++
	if r.Header.Get("Authorization") != "Bearer "+s.bearer {
		(&rsspFault{401, "invalid_token", "Invalid access token"}).write(w)
		return
	}
	var reply any
	var fault *rsspFault
	dec := json.NewDecoder(r.Body)
	switch r.URL.Path {
	case "/service/csc/v2/credentials/list":
		ids := []string{}
		for id := range s.keys {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		reply = struct {
			CredentialIDs []string `json:"credentialIDs"`
		}{ids}
	case "/service/csc/v2/credentials/info":
		var in struct {
			CredentialID string `json:"credentialID"`
			Certificates string `json:"certificates"`
		}
		if dec.Decode(&in) != nil || in.CredentialID == "" {
			fault = invalid("Missing (or invalid type) string parameter credentialID")
			break
		}
		k := s.keys[in.CredentialID]
		if k == nil {
			fault = invalid("Invalid parameter credentialID")
			break
		}
		certs := []string{}
		n := map[string]int{"none": 0, "single": 1, "": 1, "chain": len(k.certs)}[in.Certificates]
		for _, c := range k.certs[:n] {
			certs = append(certs, base64.StdEncoding.EncodeToString(c))
		}
		type object struct {
			Type string `json:"type"`
			ID   string `json:"id"`
		}
		type keyInfo struct {
			Status string   `json:"status"`
			Algo   []string `json:"algo"`
			Len    int      `json:"len"`
			Curve  string   `json:"curve,omitempty"`
		}
		ki := keyInfo{Status: "enabled", Algo: []string{"1.2.840.113549.1.1.1", "1.2.840.113549.1.1.10"}, Len: 2048}
		if _, ok := k.signer.(*ecdsa.PrivateKey); ok {
			ki = keyInfo{Status: "enabled", Algo: []string{"1.2.840.10045.2.1"}, Len: 256, Curve: "1.2.840.10045.3.1.7"}
		}
		reply = struct {
			Key  keyInfo `json:"key"`
			Cert struct {
				Certificates []string `json:"certificates"`
			} `json:"cert"`
			Auth struct {
				Mode       string   `json:"mode"`
				Expression string   `json:"expression"`
				Objects    []object `json:"objects"`
			} `json:"auth"`
			SCAL      string `json:"SCAL"`
			Multisign int    `json:"multisign"`
		}{Key: ki, Cert: struct {
			Certificates []string `json:"certificates"`
		}{certs}, Auth: struct {
			Mode       string   `json:"mode"`
			Expression string   `json:"expression"`
			Objects    []object `json:"objects"`
		}{"explicit", "PIN", []object{{"Password", "PIN"}}}, SCAL: "2", Multisign: 3}
	case "/service/csc/v2/credentials/authorize":
		var in struct {
			CredentialID     string   `json:"credentialID"`
			NumSignatures    *int     `json:"numSignatures"`
			Hashes           []string `json:"hashes"`
			HashAlgorithmOID string   `json:"hashAlgorithmOID"`
			AuthData         []struct {
				ID    string `json:"id"`
				Value string `json:"value"`
			} `json:"authData"`
		}
		if dec.Decode(&in) != nil {
			fault = invalid("Malformed request")
			break
		}
		k := s.keys[in.CredentialID]
		switch {
		case k == nil:
			fault = invalid("Invalid parameter credentialID")
		case in.NumSignatures == nil:
			fault = invalid("Missing (or invalid type) integer parameter numSignatures")
		case *in.NumSignatures < 1:
			fault = invalid("Invalid value for parameter numSignatures")
		case *in.NumSignatures > 3:
			fault = invalid("Numbers of signatures is too high")
		case len(in.Hashes) != *in.NumSignatures || in.HashAlgorithmOID == "":
			fault = invalid("Missing (or invalid type) array parameter hashes") // SCAL 2
		case k.locked:
			fault = invalid("Credential locked")
		}
		if fault != nil {
			break
		}
		pin := ""
		for _, a := range in.AuthData {
			if a.ID == "PIN" {
				pin = a.Value
			}
		}
		if pin != k.pin {
			if k.fails++; k.fails >= 2 {
				k.locked = true
			}
			fault = &rsspFault{400, "invalid_authentication_data", "The authentication data is invalid"}
			break
		}
		k.fails = 0
		sad := make([]byte, 16)
		rand.Read(sad)
		id := base64.StdEncoding.EncodeToString(sad)
		s.grants[id] = &rsspGrant{in.CredentialID, *in.NumSignatures, time.Now().Add(5 * time.Minute), in.Hashes}
		reply = struct {
			SAD       string `json:"SAD"`
			ExpiresIn int    `json:"expiresIn"`
		}{id, 300}
	case "/service/csc/v2/signatures/signHash":
		var in struct {
			CredentialID     string   `json:"credentialID"`
			SAD              string   `json:"SAD"`
			Hashes           []string `json:"hashes"`
			HashAlgorithmOID string   `json:"hashAlgorithmOID"`
			SignAlgo         string   `json:"signAlgo"`
			SignAlgoParams   string   `json:"signAlgoParams"`
		}
		if dec.Decode(&in) != nil {
			fault = invalid("Malformed request")
			break
		}
		g := s.grants[in.SAD]
		k := s.keys[in.CredentialID]
		switch {
		case g == nil || k == nil || g.credential != in.CredentialID:
			fault = invalid("Invalid parameter SAD")
		case time.Now().After(g.until):
			fault = invalid("SAD expired")
		case len(in.Hashes) == 0:
			fault = invalid("Empty hash array")
		case len(in.Hashes) > g.left:
			fault = invalid("Numbers of signatures is too high")
		case in.HashAlgorithmOID != "2.16.840.1.101.3.4.2.1":
			fault = invalid("Invalid parameter hashAlgorithmOID") // this service does SHA-256 only
		}
		if fault != nil {
			break
		}
		var out []string
		for _, h := range in.Hashes {
			if !slices.Contains(g.digests, h) {
				fault = invalid("Hash is not authorized by the SAD")
				break
			}
			d, err := base64.StdEncoding.DecodeString(h)
			if err != nil || len(d) != 32 {
				fault = invalid("Invalid digest value length")
				break
			}
			var sig []byte
			switch key := k.signer.(type) {
			case *rsa.PrivateKey:
				switch in.SignAlgo {
				case "1.2.840.113549.1.1.1":
					sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, d)
				case "1.2.840.113549.1.1.10":
					salt, ok := rsspPSSSalt(in.SignAlgoParams)
					if !ok {
						fault = invalid("Invalid parameter signAlgoParams")
						break
					}
					sig, err = rsa.SignPSS(rand.Reader, key, crypto.SHA256, d, &rsa.PSSOptions{SaltLength: salt})
				default:
					fault = invalid("Invalid parameter signAlgo")
				}
			case *ecdsa.PrivateKey:
				if in.SignAlgo != "1.2.840.10045.2.1" {
					fault = invalid("Invalid parameter signAlgo")
					break
				}
				var r, s2 *big.Int
				r, s2, err = ecdsa.Sign(rand.Reader, key, d)
				if err == nil {
					sig = append(r.FillBytes(make([]byte, 32)), s2.FillBytes(make([]byte, 32))...) // raw r‖s
				}
			}
			if fault != nil {
				break
			}
			if err != nil {
				fault = &rsspFault{500, "server_error", "HSM failure"}
				break
			}
			out = append(out, base64.StdEncoding.EncodeToString(sig))
		}
		if fault != nil {
			break
		}
		g.left -= len(in.Hashes)
		if g.left == 0 {
			delete(s.grants, in.SAD)
		}
		reply = struct {
			Signatures []string `json:"signatures"`
		}{out}
	default:
		fault = &rsspFault{404, "invalid_request", "Unknown method"}
	}
	if fault != nil {
		fault.write(w)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(reply)
}

// rsspPSSSalt reads signAlgoParams as RFC 8017 A.2.3 RSASSA-PSS-params (hashAlgorithm
// [0], maskGenAlgorithm [1], saltLength [2], trailerField [3], each with its DEFAULT)
// and accepts only SHA-256 with MGF1-SHA-256 and trailer 1, this service's one hash.
func rsspPSSSalt(b64 string) (int, bool) {
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(der) == 0 {
		return 0, false
	}
	var params struct {
		HashAlgorithm    pkix.AlgorithmIdentifier `asn1:"explicit,optional,tag:0"`
		MaskGenAlgorithm pkix.AlgorithmIdentifier `asn1:"explicit,optional,tag:1"`
		SaltLength       int                      `asn1:"explicit,optional,default:20,tag:2"`
		TrailerField     int                      `asn1:"explicit,optional,default:1,tag:3"`
	}
	if rest, err := asn1.Unmarshal(der, &params); err != nil || len(rest) != 0 {
		return 0, false
	}
	sha256OID := asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	mgf1OID := asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
	var mgfHash pkix.AlgorithmIdentifier
	if _, err := asn1.Unmarshal(params.MaskGenAlgorithm.Parameters.FullBytes, &mgfHash); err != nil {
		return 0, false
	}
	if !params.HashAlgorithm.Algorithm.Equal(sha256OID) || !params.MaskGenAlgorithm.Algorithm.Equal(mgf1OID) ||
		!mgfHash.Algorithm.Equal(sha256OID) || params.TrailerField != 1 || params.SaltLength < 0 || params.SaltLength > 256 {
		return 0, false
	}
	return params.SaltLength, true
}

func rsspCert(t *testing.T, cn string, pub crypto.PublicKey, parent *x509.Certificate, parentKey crypto.Signer) *x509.Certificate {
	t.Helper()
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63)) // random: time-based serials collide on a coarse clock
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	if parent == nil {
		tmpl.IsCA, tmpl.BasicConstraintsValid, tmpl.KeyUsage = true, true, x509.KeyUsageCertSign
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, parentKey)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return c
}

func TestCSCInteropIndependentServer(t *testing.T) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ca := rsspCert(t, "Independent RSSP CA", caKey.Public(), nil, caKey)
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	svc := &rssp{bearer: "independent-token", grants: map[string]*rsspGrant{}, counts: map[string]int{}, keys: map[string]*rsspKey{
		"rsa-1": {signer: rk, certs: [][]byte{rsspCert(t, "Trần Thị Ký", rk.Public(), ca, caKey).Raw, ca.Raw}, pin: "2468"},
		"ec-1":  {signer: ek, certs: [][]byte{rsspCert(t, "Lê Văn Số", ek.Public(), ca, caKey).Raw, ca.Raw}, pin: "1357"},
	}}
	ts := httptest.NewServer(svc) // 127.0.0.1
	defer ts.Close()
	c, err := token.NewCSCClient(token.CSCOptions{BaseURL: ts.URL + "/service", AccessToken: "independent-token"})
	require.NoError(t, err)
	ctx := context.Background()

	ids, err := c.ListCredentials(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"ec-1", "rsa-1"}, ids)

	pins := map[string]string{"rsa-1": "2468", "ec-1": "1357"}
	var digests [][]byte
	for i := range 5 {
		d := sha256.Sum256([]byte{byte(i)})
		digests = append(digests, d[:])
	}
	for _, id := range ids {
		for _, opts := range []crypto.SignerOpts{crypto.SHA256, &rsa.PSSOptions{Hash: crypto.SHA256, SaltLength: rsa.PSSSaltLengthEqualsHash}, &rsa.PSSOptions{Hash: crypto.SHA256, SaltLength: 20}} {
			if _, pss := opts.(*rsa.PSSOptions); pss && id == "ec-1" {
				continue
			}
			s, err := c.Signer(ctx, id, func(_ context.Context, info *token.CSCCredentialInfo, n int) (string, string, error) {
				assert.Equal(t, 2, info.SCAL)
				assert.True(t, info.PIN.Required())
				return pins[id], "", nil
			})
			require.NoError(t, err)
			assert.Equal(t, 3, s.Info().Multisign)
			require.Len(t, s.Chain(), 1)
			before := svc.counts["/service/csc/v2/credentials/authorize"]
			sigs, errs := s.SignDigests(ctx, digests, opts, nil)
			require.Nil(t, errs, "%s %T", id, opts)
			assert.Equal(t, 2, svc.counts["/service/csc/v2/credentials/authorize"]-before, "5 digests with multisign 3: two authorisations")
			for i, sig := range sigs {
				switch pub := s.Public().(type) {
				case *rsa.PublicKey:
					if pss, ok := opts.(*rsa.PSSOptions); ok {
						assert.NoError(t, rsa.VerifyPSS(pub, crypto.SHA256, digests[i], sig, pss))
					} else {
						assert.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA256, digests[i], sig))
					}
				case *ecdsa.PublicKey:
					var rs struct{ R, S *big.Int }
					_, err := asn1.Unmarshal(sig, &rs)
					require.NoError(t, err, "the raw r‖s was converted to DER")
					assert.True(t, ecdsa.VerifyASN1(pub, digests[i], sig))
				}
			}
		}
	}

	// The error table of the specification, through the client's typed errors.
	bad, err := c.Signer(ctx, "rsa-1", func(context.Context, *token.CSCCredentialInfo, int) (string, string, error) { return "0000", "", nil })
	require.NoError(t, err)
	_, err = bad.Sign(nil, digests[0], crypto.SHA256)
	assert.ErrorIs(t, err, token.ErrPINIncorrect)
	_, err = bad.Sign(nil, digests[0], crypto.SHA256)
	assert.ErrorIs(t, err, token.ErrPINIncorrect)
	_, err = bad.Sign(nil, digests[0], crypto.SHA256)
	assert.ErrorIs(t, err, token.ErrCSCCredentialLocked)
	_, err = bad.Sign(nil, digests[0][:20], crypto.SHA256)
	assert.ErrorIs(t, err, token.ErrDigestSize)
	_, err = c.CredentialInfo(ctx, "nobody")
	assert.ErrorIs(t, err, token.ErrCSCInvalidRequest)
	wrong, err := token.NewCSCClient(token.CSCOptions{BaseURL: ts.URL + "/service", AccessToken: "stolen"})
	require.NoError(t, err)
	_, err = wrong.ListCredentials(ctx)
	assert.ErrorIs(t, err, token.ErrCSCUnauthorized)
	// SHA-384 is not offered by this service: refused by the service, not mis-signed.
	ec, err := c.Signer(ctx, "ec-1", func(context.Context, *token.CSCCredentialInfo, int) (string, string, error) { return "1357", "", nil })
	require.NoError(t, err)
	d384 := crypto.SHA384.New().Sum(nil)
	_, err = ec.Sign(nil, d384, crypto.SHA384)
	assert.ErrorIs(t, err, token.ErrCSCInvalidRequest)
}
