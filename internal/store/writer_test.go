package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gyre/internal/store/persist"
	"gyre/internal/task"
)

func event(msg string) persist.Op {
	return persist.InsertTaskEvent{Cycle: "1", Name: "foo", Time: t0, Event: "message normal", Message: msg}
}

func spawn(cycle, name string) persist.Op {
	return persist.UpsertTaskPool{Cycle: cycle, Name: name, FlowNums: []int{1}, Status: task.Waiting}
}

func count(t testing.TB, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.read.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestGroupCommitOrder: concurrent submitters each get every callback, in
// their own submission order, and the callbacks run in exactly the order
// the batches were written.
func TestGroupCommitOrder(t *testing.T) {
	const submitters, perSubmitter = 8, 200
	s := openTemp(t)
	r := runWriter(t, s.Writer())

	var mu sync.Mutex
	var order []string // callback order
	var wg sync.WaitGroup
	for i := range submitters {
		wg.Go(func() {
			var done sync.WaitGroup
			for j := range perSubmitter {
				msg := fmt.Sprintf("%d-%04d", i, j)
				done.Add(1)
				s.Writer().Submit([]persist.Op{event(msg), spawn(fmt.Sprint(j), fmt.Sprintf("t%d", i))}, func(err error) {
					defer done.Done()
					if err != nil {
						t.Errorf("batch %s: %v", msg, err)
					}
					mu.Lock()
					order = append(order, msg)
					mu.Unlock()
				})
			}
			done.Wait()
		})
	}
	wg.Wait()
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	if len(order) != submitters*perSubmitter {
		t.Fatalf("%d callbacks, want %d", len(order), submitters*perSubmitter)
	}
	last := map[string]string{}
	for _, msg := range order {
		who, _, _ := strings.Cut(msg, "-")
		if prev, ok := last[who]; ok && msg <= prev {
			t.Fatalf("submitter %s: callback %s after %s", who, msg, prev)
		}
		last[who] = msg
	}
	written := queryStrings(t, s.read, `SELECT message FROM task_events ORDER BY rowid`)
	if strings.Join(written, ",") != strings.Join(order, ",") {
		t.Error("callback order differs from the order batches were written")
	}
	if n := count(t, s, "task_pool"); n != submitters*perSubmitter {
		t.Errorf("task_pool has %d rows, want %d", n, submitters*perSubmitter)
	}
	if c := s.Writer().commits.Load(); c > submitters*perSubmitter {
		t.Errorf("%d commits for %d batches", c, submitters*perSubmitter)
	}
}

// TestQueuedBatchesShareOneCommit: everything queued when the writer wakes
// goes in one transaction.
func TestQueuedBatchesShareOneCommit(t *testing.T) {
	s := openTemp(t)
	w := s.Writer()
	var results []error
	for i := range 100 {
		w.Submit([]persist.Op{event(fmt.Sprint(i))}, func(err error) { results = append(results, err) })
	}
	r := runWriter(t, w)
	write(t, w) // an empty batch: a sync point behind the others
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	if len(results) != 100 {
		t.Fatalf("%d callbacks, want 100", len(results))
	}
	for _, err := range results {
		if err != nil {
			t.Fatal(err)
		}
	}
	if c := w.commits.Load(); c != 1 {
		t.Errorf("%d commits, want 1 for 100 batches queued together", c)
	}
}

// TestCallbackAfterCommit: when a batch's callback runs, another connection
// already sees the batch. This is what lets the scheduler submit a job only
// once its record is durable.
func TestCallbackAfterCommit(t *testing.T) {
	s := openTemp(t)
	r := runWriter(t, s.Writer())
	for i := range 20 {
		name := fmt.Sprintf("t%d", i)
		seen := make(chan int, 1)
		s.Writer().Submit([]persist.Op{spawn("1", name)}, func(err error) {
			if err != nil {
				t.Error(err)
			}
			var n int
			if err := s.read.QueryRow(`SELECT COUNT(*) FROM task_pool WHERE name = ?`, name).Scan(&n); err != nil {
				t.Error(err)
			}
			seen <- n
		})
		if n := <-seen; n != 1 {
			t.Fatalf("batch %d not visible to a reader when its callback ran", i)
		}
	}
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
}

// TestShutdownCommitsQueue: cancelling Run still commits what was queued,
// and later batches are refused at once.
func TestShutdownCommitsQueue(t *testing.T) {
	s := openTemp(t)
	w := s.Writer()
	var errs []error
	for i := range 50 {
		w.Submit([]persist.Op{spawn("1", fmt.Sprint(i))}, func(err error) { errs = append(errs, err) })
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := w.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(errs) != 50 || errors.Join(errs...) != nil {
		t.Fatalf("callbacks: %d, errors %v", len(errs), errors.Join(errs...))
	}
	if n := count(t, s, "task_pool"); n != 50 {
		t.Errorf("%d rows committed at shutdown, want 50", n)
	}
	var late error
	called := false
	w.Submit([]persist.Op{spawn("2", "late")}, func(err error) { late, called = err, true })
	if !called || !isClosed(late) {
		t.Errorf("submit after shutdown: called %v, err %v; want ErrClosed at once", called, late)
	}
	if err := w.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("second Run: %v", err)
	}
}

// TestFailedGroupRollsBack: an op that fails takes its whole group with it;
// nothing of the group is written, every batch is told, Run stops with the
// error, and later batches are refused with it.
func TestFailedGroupRollsBack(t *testing.T) {
	s := openTemp(t)
	db := rawDB(t, s.Path())
	if _, err := db.Exec(`CREATE TRIGGER boom BEFORE INSERT ON task_events WHEN NEW.message = 'boom'
		BEGIN SELECT RAISE(ABORT, 'boom refused'); END`); err != nil {
		t.Fatal(err)
	}
	w := s.Writer()
	r := runWriter(t, w)
	write(t, w, spawn("0", "before"))
	if err := r.stop(); err != nil { // stop, so the next batches queue as one group
		t.Fatal(err)
	}

	s2, err := Open(s.Path()) // a fresh writer on the same file
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	w = s2.Writer()
	errs := make([]error, 3)
	w.Submit([]persist.Op{spawn("1", "a")}, func(err error) { errs[0] = err })
	w.Submit([]persist.Op{spawn("1", "b"), event("boom")}, func(err error) { errs[1] = err })
	w.Submit([]persist.Op{spawn("1", "c")}, func(err error) { errs[2] = err })
	runErr := w.Run(context.Background()) // returns on the failure
	t.Logf("Run error: %v", runErr)
	var we *WriteError
	if !errors.As(runErr, &we) {
		t.Fatalf("Run returned %v, want a *WriteError", runErr)
	}
	for _, want := range []string{"boom refused", "InsertTaskEvent", "operation 2 of batch 2", "rolled back the 3 pending batch(es)", s.Path()} {
		if !strings.Contains(runErr.Error(), want) {
			t.Errorf("error %q does not mention %q", runErr, want)
		}
	}
	for i, err := range errs {
		if !errors.Is(err, runErr) {
			t.Errorf("batch %d callback: %v, want the Run error", i, err)
		}
	}
	if got := queryStrings(t, s2.read, `SELECT cycle || '/' || name FROM task_pool`); strings.Join(got, ",") != "0/before" {
		t.Errorf("task_pool after rollback = %q, want only 0/before", got)
	}
	late := writeErr(w, spawn("2", "late"))
	if !isClosed(late) || !errors.As(late, &we) {
		t.Errorf("submit after failure: %v, want ErrClosed wrapping the WriteError", late)
	}
}

// TestDiskFull: when the database cannot grow, the write fails with
// SQLITE_FULL and says so, nothing partial is visible, and the database
// reopens intact.
func TestDiskFull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var pages int
	if err := s.read.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = openWith(path, options{extraPragmas: []string{fmt.Sprintf("max_page_count(%d)", pages+2)}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w := s.Writer()
	r := runWriter(t, w)
	write(t, w, spawn("1", "small"))
	big := make([]persist.Op, 0, 2000)
	for i := range 2000 {
		big = append(big, persist.InsertTaskEvent{Cycle: "2", Name: "big", Event: "message normal", Message: strings.Repeat("x", 500) + fmt.Sprint(i)})
	}
	big = append(big, spawn("2", "big"))
	werr := writeErr(w, big...)
	runErr := r.stop()
	t.Logf("batch error: %v", werr)
	for _, err := range []error{werr, runErr} {
		if err == nil {
			t.Fatal("a write beyond max_page_count succeeded")
		}
		for _, want := range []string{"SQLITE_FULL", "is full", "Free disk space", "nothing of them was written"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
	}
	if got := queryStrings(t, s.read, `SELECT name FROM task_pool`); strings.Join(got, ",") != "small" {
		t.Errorf("task_pool = %q, want only the committed row", got)
	}
	if n := count(t, s, "task_events"); n != 0 {
		t.Errorf("%d task_events rows of the failed batch are visible", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(path)
	if err != nil {
		t.Fatalf("reopen after SQLITE_FULL: %v", err)
	}
	defer s.Close()
	withWriter(t, s, func(w *Writer) { write(t, w, spawn("3", "after")) })
	if got := queryStrings(t, s.read, `PRAGMA integrity_check`); strings.Join(got, ",") != "ok" {
		t.Errorf("integrity_check = %q", got)
	}
	snap, err := s.LoadSnapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Tasks) != 2 || snap.Tasks[0].Name != "small" || snap.Tasks[1].Name != "after" {
		t.Errorf("tasks after reopen = %+v", snap.Tasks)
	}
}

func TestCloseRefusedWhileRunning(t *testing.T) {
	s := openTemp(t)
	r := runWriter(t, s.Writer())
	write(t, s.Writer(), spawn("1", "a"))
	if err := s.Close(); err == nil || !strings.Contains(err.Error(), "still running") {
		t.Errorf("Close while running: %v", err)
	}
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close after Run returned: %v", err)
	}
}

func TestCloseBeforeRunFailsQueued(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	var got error
	s.Writer().Submit([]persist.Op{spawn("1", "a")}, func(err error) { got = err })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if !isClosed(got) {
		t.Errorf("batch queued before Close: %v, want ErrClosed", got)
	}
}
