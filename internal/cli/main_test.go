package cli

import (
	"context"
	"os"
	"testing"
)

// TestMain lets this test binary stand in for gyre when a live-mode test's
// jobs run their "cylc" command: the run's shim execs os.Executable(),
// which here is the test binary, as "<binary> cylc VERB ...".
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "cylc" {
		os.Exit(Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
