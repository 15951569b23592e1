package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReloadLive: a job edits the run's flow.cylc and reloads it; the
// next task's job is written from the new settings. A broken edit is
// refused with the reason, and the workflow carries on unchanged.
func TestReloadLive(t *testing.T) {
	code, out, dir := runLive(t, `
[scheduling]
    [[graph]]
        R1 = "reloader => foo"
[runtime]
    [[reloader]]
        script = """
            W="$CYLC_WORKFLOW_ID"
            F="$CYLC_WORKFLOW_RUN_DIR/flow.cylc"
            cp "$F" good.cylc
            printf '    [[[broken\n' >> "$F"
            if cylc reload "$W" 2> bad.txt; then
                echo "a broken flow.cylc was accepted" >&2
                exit 1
            fi
            cp bad.txt "$CYLC_WORKFLOW_SHARE_DIR/"
            # The new definition changes foo's environment and gives it
            # an xtrigger that only the new file defines.
            sed -e 's/FALSE = false # marker/FALSE = true/' \
                -e 's/R1 = "reloader => foo"/R1 = "reloader \& @ok => foo"/' \
                -e 's/^\[runtime\]/[[xtriggers]]\n        ok = echo(succeed=True)\n[runtime]/' \
                good.cylc > "$F"
            cylc reload "$W"
        """
    [[foo]]
        script = "$FALSE"
        [[[environment]]]
            FALSE = false # marker
`)
	if code != 0 {
		t.Fatalf("play exited %d:\n%s", code, out)
	}
	checkLog(t, dir, []string{
		"CRITICAL - Reload failed - ",
		"Reloading task definitions.",
		"Reload completed.",
		`Command "reload" actioned`,
		"xtrigger succeeded: ok = echo(succeed=True)",
		"[1/foo/01:running] => succeeded",
	})
	bad, _ := os.ReadFile(filepath.Join(dir, "share", "bad.txt"))
	if !strings.Contains(string(bad), "reload failed") || !strings.Contains(string(bad), "flow.cylc:") {
		t.Errorf("the failed reload said %q; want the reason with file:line", bad)
	}
}
