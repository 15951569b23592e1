package journal_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gyre/internal/clock"
	"gyre/internal/journal"
	"gyre/internal/pool"
	"gyre/internal/scheduler"
	"gyre/internal/store"
	"gyre/internal/store/persist"
)

// crashingJournal passes batches on until the crash-th, then "crashes":
// that batch and every later one are dropped (never committed, never
// acknowledged), and the run is cancelled, as a kill -9 would leave it.
type crashingJournal struct {
	j      *journal.Journal
	crash  int
	n      int
	cancel context.CancelFunc
}

func (c *crashingJournal) Write(batch []pool.Effect, done func(error)) {
	c.n++
	if c.crash > 0 && c.n >= c.crash {
		c.cancel()
		return
	}
	c.j.Write(batch, done)
}

// restartRun runs def in simulation with persistence at path, crashing
// after crash batches (0: never), restarting from the database if it holds
// a run. It returns the reference lines (one per job submitted) and
// whether the workflow finished.
func restartRun(t *testing.T, def *pool.Def, path string, crash int) ([]string, bool) {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := st.LoadSnapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	v := clock.NewVirtual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	log := scheduler.NewTextLog(io.Discard, nil, pool.Critical)
	wctx, stopWriter := context.WithCancel(context.Background())
	writerDone := make(chan error, 1)
	go func() { writerDone <- st.Writer().Run(wctx) }()
	j := journal.New(st.Writer(), v.Now)
	var saved *pool.Saved
	if len(snap.Tasks) > 0 || len(snap.History) > 0 {
		var outs map[pool.ID][]persist.Output
		saved, outs = journal.Saved(snap)
		j.Restored(saved, outs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cj := &crashingJournal{j: j, crash: crash, cancel: cancel}
	err = scheduler.New(scheduler.Options{
		Pool: pool.New(def), Clock: v, Virtual: v, Simulate: true, Log: log,
		Journal: cj, Restart: saved,
	}).Run(ctx)
	// A run that ends in the batch that crashes has not finished: its
	// last state was lost.
	finished := err == nil && (crash == 0 || cj.n < crash)
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("run: %v", err)
	}
	stopWriter()
	if err := <-writerDone; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return log.RefLines, finished
}

// TestCrashAndRestart kills simulated runs at random commits and restarts
// them until they finish: every task must run exactly once overall, and
// the database must end with every instance succeeded.
func TestCrashAndRestart(t *testing.T) {
	def := compile(t, `
[scheduler]
    allow implicit tasks = True
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = 6
    runahead limit = P2
    [[graph]]
        R1 = "prep => a"
        P1 = """
            a[-P1] => a => b & c
            b & c => d:x => e
            c => f?
            f:fail? => g
            f? => h
        """
[runtime]
    [[d]]
        [[[outputs]]]
            x = x done
    [[f]]
        [[[simulation]]]
            fail cycle points = 2, 4
`)
	for seed := uint64(1); seed <= 12; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		path := filepath.Join(t.TempDir(), "db")
		runs := map[string]int{}
		finished := false
		restarts := 0
		for restart := 0; !finished; restart++ {
			restarts = restart
			if restart > 60 {
				t.Fatalf("seed %d: not finished after %d restarts", seed, restart)
			}
			crash := 1 + rng.IntN(6)
			if restart == 30 {
				crash = 0
			}
			var lines []string
			lines, finished = restartRun(t, def, path, crash)
			for _, l := range lines {
				id, _, _ := strings.Cut(l, " ")
				runs[id]++
			}
		}
		// The reference lines say when a submission was decided, even
		// if a crash lost it before it was committed: each task must
		// have been decided at least once, and the database must hold
		// exactly one job for each.
		// prep, then per cycle a b c d e f and g or h.
		if want := 1 + 6*7; len(runs) != want {
			t.Errorf("seed %d: %d tasks ran, want %d", seed, len(runs), want)
		}
		t.Logf("seed %d: finished after %d crashes", seed, restarts)
		jobs := jobCounts(t, path)
		for id := range runs {
			if jobs[id] != "1:1" {
				t.Errorf("seed %d: %s has jobs (count:max submit) %q, want 1:1", seed, id, jobs[id])
			}
		}
		st, err := store.OpenReadOnly(path)
		if err != nil {
			t.Fatal(err)
		}
		states, err := st.WorkflowState(context.Background(), store.StateQuery{Task: "*"})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range states {
			want := "succeeded"
			if s.Name == "f" && (s.Cycle == "2" || s.Cycle == "4") {
				want = "failed"
			}
			if s.Status != want {
				t.Errorf("seed %d: %s/%s is %s, want %s", seed, s.Cycle, s.Name, s.Status, want)
			}
		}
		st.Close()
	}
}

// jobCounts returns, per task instance, "rows:highest submit number" of
// its task_jobs rows.
func jobCounts(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT cycle, name, count(*), max(submit_num) FROM task_jobs GROUP BY cycle, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, n string
		var count, maxSubmit int
		if err := rows.Scan(&c, &n, &count, &maxSubmit); err != nil {
			t.Fatal(err)
		}
		out[c+"/"+n] = fmt.Sprintf("%d:%d", count, maxSubmit)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
