package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A run stopped at --stopcp stops there; once the stop point has been
// reached, a restart carries on to the final point.
func TestStopPointThenRestart(t *testing.T) {
	tmp := t.TempDir()
	src := writeFlow(t, map[string]string{"flow.cylc": `
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = 4
    [[graph]]
        P1 = "a[-P1] => a"
[runtime]
    [[a]]
`})
	t.Setenv("GYRE_RUN_ROOT", filepath.Join(tmp, "run"))
	for i, args := range [][]string{
		{"play", "-N", "--mode=simulation", "--stopcp=2", src},
		{"play", "-N", "--mode=simulation", "wf"},
	} {
		var out bytes.Buffer
		if code := Run(context.Background(), args, &out, &out); code != 0 {
			t.Fatalf("run %d exited %d:\n%s", i+1, code, out.String())
		}
		log, _ := os.ReadFile(filepath.Join(tmp, "run", "wf", "run1", "log", "scheduler", "log"))
		ran3 := strings.Contains(string(log), "3/a -triggered")
		switch {
		case i == 0 && ran3:
			t.Fatalf("3/a ran although the stop point is 2:\n%s", log)
		case i == 1 && (!ran3 || !strings.Contains(string(log), "4/a -triggered")):
			t.Fatalf("the restart did not carry on to the final point:\n%s", log)
		}
	}
}
