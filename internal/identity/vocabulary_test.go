package identity_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/forms"
	"github.com/kyso-go/kyso/internal/identity"
	"github.com/kyso-go/kyso/policy"
)

// One vocabulary of certificate kinds: certstatus.Kind is identity.Kind, and the
// string kinds of policy, forms and signature.Signer.Kind are its names.
func TestKindVocabularyIsShared(t *testing.T) {
	for _, c := range []struct {
		kind   identity.Kind
		policy policy.CertificateKind
		forms  forms.CertificateKind
	}{
		{identity.KindIndividual, policy.CertIndividual, forms.KindIndividual},
		{identity.KindOrganisation, policy.CertOrganisation, forms.KindOrganisation},
		{identity.KindDevice, policy.CertDevice, forms.KindDevice},
	} {
		assert.Equal(t, string(c.policy), c.kind.String())
		assert.Equal(t, string(c.forms), c.kind.String())
		back, ok := identity.ParseKind(string(c.policy))
		assert.True(t, ok)
		assert.Equal(t, c.kind, back)
		assert.True(t, policy.CertificateKind(c.kind.String()).Valid(), "policy accepts %s", c.kind)
	}
	var k certstatus.Kind = identity.KindCA
	assert.Equal(t, "ca", k.String())
	_, ok := identity.ParseKind("organisation-second")
	assert.False(t, ok, "policy's organisation-second is a policy fact, not something a certificate says")
}
