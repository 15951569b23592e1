package runner

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a test leaves a goroutine behind (every watcher
// and pool worker must have an owner that waits for it), and stops the atd
// that the at tests may have started.
func TestMain(m *testing.M) {
	code := m.Run()
	stopAtd()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}
