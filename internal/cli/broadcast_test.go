package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gyre/internal/store"
	"gyre/internal/store/persist"
)

// TestBroadcastLive: broadcasts made from a job reach later jobs (by
// namespace and point, from -s and -F, cancelled with --cancel), bad
// settings are refused with a hint, --display shows what is in force, and
// the settings are kept in the run database.
func TestBroadcastLive(t *testing.T) {
	code, out, dir := runLive(t, `
[scheduling]
    [[graph]]
        R1 = "setter => reader"
[runtime]
    [[setter]]
        script = """
            W="$CYLC_WORKFLOW_ID"
            cylc broadcast "$W" -n reader -s '[environment]X=from-broadcast'
            printf '[environment]\n    Y = from-file\n' > s.cylc
            cylc broadcast "$W" -p 1 -n reader -F s.cylc
            cylc broadcast "$W" -s '[environment]Z=zed'
            cylc broadcast "$W" --cancel '[environment]Z'
            if cylc broadcast "$W" -s '[enviroment]Q=1' 2> bad.txt; then
                echo "a bad setting was accepted" >&2
                exit 1
            fi
            cylc broadcast "$W" -d > display.txt
            cylc broadcast "$W" -k 1/reader > task.txt
            cp bad.txt display.txt task.txt "$CYLC_WORKFLOW_SHARE_DIR/"
        """
    [[reader]]
        script = test "$X" = from-broadcast && test "$Y" = from-file && test -z "${Z:-}"
        [[[environment]]]
            X = original
`)
	if code != 0 {
		t.Fatalf("play exited %d:\n%s", code, out)
	}
	checkLog(t, dir, []string{
		"Broadcast set:\n+ [*/reader] [environment]X=from-broadcast",
		"Broadcast cancelled:\n- [*/root] [environment]Z=zed",
		`Command "broadcast" actioned`,
		"[1/reader/01:running] => succeeded",
	})
	share := filepath.Join(dir, "share")
	for file, want := range map[string]string{
		"bad.txt":     "enviroment",
		"display.txt": "`-X          from-broadcast",
		"task.txt":    "`-Y          from-file",
	} {
		data, err := os.ReadFile(filepath.Join(share, file))
		if err != nil || !strings.Contains(string(data), want) {
			t.Errorf("%s = %q, %v; want it to contain %q", file, data, err, want)
		}
	}
	snap := runSnapshot(t, dir)
	var rows []string
	for _, b := range snap.Broadcasts {
		rows = append(rows, b.Point+"/"+b.Namespace+" "+b.Key+"="+b.Value)
	}
	if got := strings.Join(rows, "; "); !strings.Contains(got, "*/reader [environment]X=from-broadcast") ||
		!strings.Contains(got, "1/reader [environment]Y=from-file") || strings.Contains(got, "Z=") {
		t.Errorf("broadcast_states holds %q", got)
	}
}

// TestExtTriggerLive: a task waits for its external trigger, which
// another task sends with cylc ext-trigger; the event's ID reaches the
// waiting task's job.
func TestExtTriggerLive(t *testing.T) {
	code, out, dir := runLive(t, `
[scheduling]
    [[special tasks]]
        external-trigger = waiter("go now")
    [[graph]]
        R1 = "sender & waiter"
[runtime]
    [[sender]]
        script = cylc ext-trigger "$CYLC_WORKFLOW_ID" "go now" event-42
    [[waiter]]
        script = test "$CYLC_EXT_TRIGGER_ID" = event-42
`)
	if code != 0 {
		t.Fatalf("play exited %d:\n%s", code, out)
	}
	checkLog(t, dir, []string{
		`[1/waiter] external trigger satisfied: "go now" (ID event-42)`,
		"[1/waiter/01:running] => succeeded",
	})
}

// Broadcasts to cycle points the workflow has left behind expire on their
// own, as in Cylc: per-cycle broadcasts do not pile up.
func TestBroadcastsExpireLive(t *testing.T) {
	code, out, dir := runLive(t, `
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = 4
    runahead limit = P0
    [[graph]]
        P1 = "a[-P1] => a"
[runtime]
    [[a]]
        script = cylc broadcast "$CYLC_WORKFLOW_ID" -p "$CYLC_TASK_CYCLE_POINT" -s "[environment]X=$CYLC_TASK_CYCLE_POINT"
`)
	if code != 0 {
		t.Fatalf("play exited %d:\n%s", code, out)
	}
	logData, _ := os.ReadFile(filepath.Join(dir, "log", "scheduler", "log"))
	if !strings.Contains(string(logData), "Broadcast cancelled:\n- [1/root] [environment]X=1") {
		t.Errorf("the broadcast to 1 did not expire:\n%s", logData)
	}
	snap := runSnapshot(t, dir)
	for _, b := range snap.Broadcasts {
		if b.Point == "1" {
			t.Errorf("broadcast_states still holds %+v", b)
		}
	}
	if len(snap.Broadcasts) == 0 {
		t.Errorf("every broadcast expired; the latest points' should remain")
	}
}

// runSnapshot reads what a run's database holds, as a restart would.
func runSnapshot(t *testing.T, runDir string) *persist.Snapshot {
	t.Helper()
	st, err := store.Open(filepath.Join(runDir, "log", "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	snap, err := st.LoadSnapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap
}
