package live

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/goleak"

	"gyre/internal/api"
	"gyre/internal/pool"
	"gyre/internal/workflow"
)

// TestMain lets this test binary serve as the jobs' "cylc" command: the
// tests' shim runs it as "<test binary> cylc message ...". It also fails
// the run if a test leaves a goroutine behind.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == "cylc" && os.Args[2] == "message" {
		if err := api.Message(context.Background(), api.Env{}, os.Args[3:], os.Stdin); err != nil {
			fmt.Fprintln(os.Stderr, "cylc message:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

// patience turns a hang into a failure; tests wait on events, not on it.
const patience = 60 * time.Second

// loadFlow writes flow.cylc into a new run directory and loads it.
func loadFlow(t *testing.T, text string) (dir string, w *workflow.Workflow, def *pool.Def) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "flow", "run1")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "flow.cylc"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := workflow.Load(dir, workflow.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), WorkflowID: "flow/run1"})
	if err != nil {
		t.Fatal(err)
	}
	def, err = w.PoolDef(workflow.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return dir, w, def
}

// events collects what a Runner posts.
type events chan pool.Event

func (e events) post(ev pool.Event) {
	select {
	case e <- ev:
	default:
		panic("test event buffer full")
	}
}

// next waits for the next event.
func (e events) next(t *testing.T) pool.Event {
	t.Helper()
	select {
	case ev := <-e:
		return ev
	case <-time.After(patience):
		t.Fatalf("no event within %s", patience)
		return nil
	}
}
