package cli

import (
	"context"
	"os"
	"slices"
	"testing"

	"gyre/internal/remote"
)

// TestMain lets this test binary stand in for gyre when a live-mode test's
// jobs run their "cylc" command: the run's shim execs os.Executable(),
// which here is the test binary, as "<binary> cylc VERB ..."; copied to a
// remote host, it runs "jobs-submit" and the other remote verbs. With
// envAsGyre set it is gyre altogether, for tests that kill a scheduler
// process.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && (os.Args[1] == "cylc" || os.Args[1] == "isodatetime" || slices.Contains(remote.Verbs, os.Args[1]) || os.Getenv(envAsGyre) == "1") {
		os.Exit(Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// envAsGyre makes the test binary run as gyre.
const envAsGyre = "GYRE_TEST_AS_GYRE"
