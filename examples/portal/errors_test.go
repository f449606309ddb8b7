package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/signature"
)

// TestErrorMapping: every refusal of the library gets the status and code a client
// can act on, with a message in both languages, and keeps the cause for errors.Is.
func TestErrorMapping(t *testing.T) {
	wrap := func(sentinel error) error {
		return &signature.SignError{Err: sentinel, Detail: "detail"}
	}
	tests := []struct {
		err    error
		status int
		code   string
	}{
		{wrap(signature.ErrStateInvalid), http.StatusBadRequest, codeStateInvalid},
		{wrap(signature.ErrStateMismatch), http.StatusConflict, codeStateMismatch},
		{wrap(signature.ErrBadSignatureValue), http.StatusUnprocessableEntity, codeBadSignature},
		{wrap(signature.ErrAlgorithm), http.StatusUnprocessableEntity, codeCertificate},
		{wrap(signature.ErrFieldSigned), http.StatusUnprocessableEntity, codeRefused},
		{wrap(signature.ErrCertifiedNoChanges), http.StatusUnprocessableEntity, codeRefused},
		{wrap(signature.ErrDocument), http.StatusBadRequest, codeNotPDF},
		{fmt.Errorf("open: %w", signature.ErrWrongPassword), http.StatusUnprocessableEntity, codeNotPDF},
		{wrap(signature.ErrNotSignatureField), http.StatusBadRequest, codeBadRequest},
		{&signature.TimestampError{Err: errors.New("refused")}, http.StatusBadGateway, codeUpstream},
		{&signature.RevocationError{}, http.StatusBadGateway, codeUpstream},
		{fmt.Errorf("hashing: %w", context.Canceled), http.StatusGatewayTimeout, codeTimeout},
		{errors.New("something else"), http.StatusInternalServerError, codeInternal},
	}
	for _, tc := range tests {
		t.Run(tc.err.Error(), func(t *testing.T) {
			e := signError(tc.err)
			assert.Equal(t, tc.status, e.Status)
			assert.Equal(t, tc.code, e.Code)
			assert.NotEmpty(t, e.MessageVI)
			assert.NotEmpty(t, e.MessageEN)
			assert.ErrorIs(t, e, tc.err)
		})
	}
	e := certificateError(fmt.Errorf("chain: %w", certstatus.ErrNoChain))
	assert.Equal(t, http.StatusUnprocessableEntity, e.Status)
	assert.ErrorIs(t, e, certstatus.ErrNoChain)
	assert.Contains(t, e.MessageVI, "Chứng thư số của người ký không dùng được để ký")
}
