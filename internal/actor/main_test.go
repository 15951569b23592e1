package actor

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if any test leaves a goroutine behind: every
// goroutine started here must have an owner that waits for it.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
