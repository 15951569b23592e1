package pool_test

import (
	"strings"
	"testing"

	"gyre/internal/pool"
	"gyre/internal/workflow"
)

// As the oldest active cycle moves on, the pool says which points are
// left behind: one cycle behind the oldest, never ahead of it.
func TestExpireBeforeFollowsOldestPoint(t *testing.T) {
	h := newHarness(t, load(t, cyclingFlow, workflow.RunOptions{}))
	var cuts []string
	h.effects = func(e pool.Effect) {
		if x, ok := e.(pool.ExpireBefore); ok {
			cuts = append(cuts, x.Point)
		}
	}
	h.run(200)
	if got := strings.Join(cuts, " "); got != "1 2 3 4" {
		t.Errorf("expiry cut-offs %q, want 1 2 3 4 (each one behind the oldest active point)", got)
	}
}
