package certstatus_test

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/kyso-go/kyso/certstatus"
	"github.com/kyso-go/kyso/certstatus/certstatustest"
)

// checkerFor returns a Checker trusting only the test PKI's root; modify adjusts the
// options first.
func checkerFor(pki *certstatustest.PKI, modify ...func(*certstatus.Options)) *certstatus.Checker {
	opts := certstatus.Options{Trust: certstatus.NewTrustStore(pki.Root.Cert)}
	for _, m := range modify {
		m(&opts)
	}
	return certstatus.NewChecker(opts)
}

func ocspOnly(o *certstatus.Options) { o.Strategy = certstatus.OCSPOnly }
func crlOnly(o *certstatus.Options)  { o.Strategy = certstatus.CRLOnly }

// needTool skips (or fails under CI) when an external tool is missing.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI: %v", name, err)
		}
		t.Skipf("%s not installed: %v", name, err)
	}
	return path
}

var bg = context.Background()

func contextWithCancel() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}
