package main

import (
	"bytes"
	"crypto/rsa"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/kyso-go/kyso"
	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/policy"
	"github.com/kyso-go/kyso/signature"
)

// prepareResponse is the answer of POST /api/prepare.
type prepareResponse struct {
	// Digest is what the key signs (base64): the hash of SignedAttributes.
	Digest string `json:"digest"`
	// Hash names the digest algorithm: "SHA-256".
	Hash string `json:"hash"`
	// Algorithm is the signature algorithm the key must use: "RSASSA-PSS" (mandatory
	// under Thông tư 39/2017/TT-BTTTT) or "ECDSA".
	Algorithm string `json:"algorithm"`
	// SaltLength is the RSA-PSS salt length in bytes (0 for ECDSA).
	SaltLength int `json:"saltLength,omitempty"`
	// SignedAttributes (base64 DER) is the message itself, for signers that hash
	// their input (WebCrypto, some SIM PKI gateways).
	SignedAttributes string `json:"signedAttributes"`
	// Field is the signature field that will hold the signature.
	Field string `json:"field"`
	// State (opaque base64) goes back unchanged to /api/complete.
	State string `json:"state"`
	// Expires is when the state stops being accepted (Config.StateTTL).
	Expires time.Time `json:"expires"`
	// Policy is the signing policy's decision (where the signature goes, warnings,
	// the rules applied with their citations) when the server checks one.
	Policy *policy.Decision `json:"policy,omitempty"`
	// Warnings: repairs of the input, a revocation status that could not be checked.
	Warnings []string `json:"warnings,omitempty"`
}

// handlePrepare is POST /api/prepare: the PDF, the signer's chain (PEM, signer first)
// and optional reason, location and field; it answers the digest and the state.
func (s *Server) handlePrepare(w http.ResponseWriter, r *http.Request) {
	spec := map[string]fieldSpec{
		"pdf":      {fieldFile, int(s.cfg.MaxBody)},
		"chain":    {fieldText, maxChainPEM},
		"reason":   {fieldText, maxTextField},
		"location": {fieldText, maxTextField},
		"field":    {fieldText, maxTextField},
		"name":     {fieldText, maxTextField},
	}
	for k, v := range policyFields {
		spec[k] = v
	}
	f, err := readForm(r, spec)
	if err != nil {
		writeError(w, r, s.log, bodyError(err))
		return
	}
	if len(f["pdf"]) == 0 {
		writeError(w, r, s.log, badRequest("Thiếu tệp PDF (trường pdf)", "The PDF (field pdf) is missing", nil))
		return
	}
	chain, err := parseChain(f["chain"])
	if err != nil {
		writeError(w, r, s.log, bodyError(err))
		return
	}
	var pol *kyso.Policy
	if s.cfg.Policy != nil {
		facts, err := policyFacts(f)
		if err != nil {
			writeError(w, r, s.log, bodyError(err))
			return
		}
		// The signatures already in the document are verified first, because the
		// rules speak of a *valid* signature of the person with authority.
		pol = &kyso.Policy{Engine: s.cfg.Policy, Facts: facts, Verify: s.verifyOptions()}
	}
	// A device, service or software certificate never signs documents (rules.md §2.1,
	// Thông tư 185/2019/TT-BQP); neither does a CA's own certificate.
	if k := kyso.CertificateKind(chain[0]); k == policy.CertDevice {
		writeError(w, r, s.log, newAPIError(http.StatusUnprocessableEntity, codeCertificate,
			"Chứng thư số loại "+k.Vietnamese()+" không được dùng để ký văn bản; hãy dùng chứng thư số cá nhân hoặc của cơ quan, tổ chức",
			"A "+string(k)+" certificate never signs documents; use an individual or organisation certificate", nil))
		return
	}
	ctx := r.Context()
	now := s.cfg.Now()
	// Thông tư 15/2025: check the signer's certificate before signing.
	valid, err := s.checker.VerifyCertificate(ctx, chain[0], certstatus.VerifyOptions{At: now, Intermediates: chain[1:], Usage: certstatus.UsageSigning})
	if err != nil {
		writeError(w, r, s.log, certificateError(err))
		return
	}
	var warnings []string
	if !s.cfg.Offline && len(valid) > 1 {
		res := s.checker.Check(ctx, valid[0], valid[1], now)
		if pol != nil {
			pol.Facts.Certificate.Status = kyso.CertificateStatus(res.Status)
		}
		switch {
		case res.Status == certstatus.StatusUnknown:
			warnings = append(warnings, "Không kiểm tra được trạng thái thu hồi của chứng thư số / the certificate's revocation status could not be checked")
		case !res.Status.ValidAt():
			writeError(w, r, s.log, newAPIError(http.StatusUnprocessableEntity, codeCertificate,
				"Chứng thư số của người ký không còn hiệu lực: "+res.Status.Vietnamese(),
				"The signer's certificate is not valid now: "+res.Status.String(), res.Err))
			return
		}
	}

	pdf := f["pdf"]
	// RSASSA-PSS, mandatory for signing under Thông tư 39/2017/TT-BTTTT, is kyso's
	// default; the field named is signed, or created (invisible) when absent.
	opts := &kyso.SignOptions{Signature: signature.SignOptions{
		Time:        now,
		Name:        string(f["name"]),
		Reason:      string(f["reason"]),
		Location:    string(f["location"]),
		Field:       string(f["field"]),
		CreateField: len(f["field"]) > 0,
		StateKey:    s.cfg.StateKey,
	}, Policy: pol,
		// A token that holds only the signer's certificate: the issuing CAs are found
		// (the portal's trust store and caches, AIA unless offline) and embedded.
		Chain: &kyso.ChainOptions{Checker: s.checker}}
	prep, err := kyso.Prepare(ctx, bytes.NewReader(pdf), int64(len(pdf)), chain, opts)
	if err != nil {
		writeError(w, r, s.log, signError(err))
		return
	}
	if prep.ChainWarning != nil {
		warnings = append(warnings, prep.ChainWarning.Vietnamese()+" / "+prep.ChainWarning.English())
	}
	resp := prepareResponse{
		Digest:           base64.StdEncoding.EncodeToString(prep.Digest),
		Hash:             prep.Hash.String(), // "SHA-256", as WebCrypto spells it
		Algorithm:        "ECDSA",
		SignedAttributes: base64.StdEncoding.EncodeToString(prep.SignedAttributes),
		Field:            prep.Field,
		State:            base64.StdEncoding.EncodeToString(s.sealState(prep.State, now.Add(s.cfg.StateTTL))),
		Expires:          now.Add(s.cfg.StateTTL).UTC().Truncate(time.Second),
		Warnings:         append(warnings, prep.Warnings...),
	}
	resp.Policy = prep.Decision
	if pss, ok := prep.SignerOpts.(*rsa.PSSOptions); ok {
		resp.Algorithm, resp.SaltLength = "RSASSA-PSS", pss.SaltLength
	} else if _, ok := chain[0].PublicKey.(*rsa.PublicKey); ok {
		resp.Algorithm = "RSASSA-PKCS1-v1_5"
	}
	s.log.Info("prepared", "field", prep.Field, "signer", chain[0].Subject.CommonName, "size", len(pdf))
	writeJSON(w, http.StatusOK, resp)
}
