package remote

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"

	"go.uber.org/goleak"

	"gyre/internal/api"
)

// TestMain lets this test binary stand in for gyre on the "remote" side:
// copied to a remote run directory by Init, it is run as "gyre jobs-submit
// ..." (and the rest of Verbs) by the runner's ssh commands, and as "gyre
// cylc message ..." by the jobs' shim. With GYRE_TEST_SSH=1 it also builds
// the real gyre binary for the tests that use sshd. It fails the run if a
// test leaves a goroutine behind.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 {
		switch verb := os.Args[1]; {
		case slices.Contains(Verbs, verb):
			if err := Serve(context.Background(), verb, os.Args[2:], os.Stdout); err != nil {
				fmt.Fprintln(os.Stderr, "gyre:", err)
				os.Exit(1)
			}
			os.Exit(0)
		case verb == "cylc" && len(os.Args) > 2 && os.Args[2] == "message":
			if err := api.Message(context.Background(), api.Env{}, os.Args[3:], os.Stdin); err != nil {
				fmt.Fprintln(os.Stderr, "cylc message:", err)
				os.Exit(1)
			}
			os.Exit(0)
		}
	}
	code := func() int {
		cleanup, err := buildGyre()
		defer cleanup()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return m.Run()
	}()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}
