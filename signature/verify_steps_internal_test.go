package signature

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestVerifierStepOrder pins the precedence of verdicts: the order of the named steps
// is the order in which a signature's verdict is settled (a change here changes which
// failure a report names first, and must be deliberate).
func TestVerifierStepOrder(t *testing.T) {
	names := func(steps []step) []string {
		var out []string
		for _, s := range steps {
			out = append(out, s.name)
		}
		return out
	}
	wantPrepare := []string{"signature-dictionary", "contents", "byte-range", "contents-hole", "coverage",
		"document-timestamp-token", "subfilter", "cms", "digest-algorithm", "cades-profile"}
	wantFinish := []string{"structure", "digest", "encapsulated-digest", "document-timestamp", "signed-attributes", "signer-certificate",
		"signature-value", "signing-certificate-binding", "algorithm-strength", "modifications",
		"signature-timestamp", "trust", "integrity", "timestamp-order", "level", "complete"}
	if d := cmp.Diff(wantPrepare, names(prepareSteps)); d != "" {
		t.Errorf("prepare steps (-want +got):\n%s", d)
	}
	if d := cmp.Diff(wantFinish, names(finishSteps)); d != "" {
		t.Errorf("finish steps (-want +got):\n%s", d)
	}
}
