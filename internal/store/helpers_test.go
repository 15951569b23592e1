package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"gyre/internal/store/persist"
)

// openTemp opens a new store in a temporary directory and closes it when
// the test ends.
func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// running is a Writer running on its own goroutine.
type running struct {
	cancel context.CancelFunc
	errc   chan error
}

// runWriter starts w.Run; stop cancels it and returns Run's error.
func runWriter(t testing.TB, w *Writer) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, errc: make(chan error, 1)}
	go func() { r.errc <- w.Run(ctx) }()
	t.Cleanup(func() { r.stop() })
	return r
}

func (r *running) stop() error {
	r.cancel()
	err, ok := <-r.errc
	if ok {
		close(r.errc)
	}
	return err
}

// write submits one batch and waits for its commit.
func write(t testing.TB, w *Writer, ops ...persist.Op) {
	t.Helper()
	if err := writeErr(w, ops...); err != nil {
		t.Fatal(err)
	}
}

func writeErr(w *Writer, ops ...persist.Op) error {
	done := make(chan error, 1)
	w.Submit(ops, func(err error) { done <- err })
	return <-done
}

// withWriter runs s's writer for the duration of f.
func withWriter(t testing.TB, s *Store, f func(w *Writer)) {
	t.Helper()
	r := runWriter(t, s.Writer())
	f(s.Writer())
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
}

// queryStrings returns the rows of a query as strings, columns joined by |,
// NULL as "NULL": how sqlite3 users see the table.
func queryStrings(t testing.TB, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		line := ""
		for i, v := range vals {
			if i > 0 {
				line += "|"
			}
			if v.Valid {
				line += v.String
			} else {
				line += "NULL"
			}
		}
		out = append(out, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// rawDB opens a plain read-write connection to a store's file, as another
// tool (or a user's sqlite3) would.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	abs, _ := filepath.Abs(path)
	db, err := sql.Open("sqlite", fileURI(abs, "_pragma=busy_timeout(5000)"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func isClosed(err error) bool { return errors.Is(err, ErrClosed) }

// std lists standard outputs, whose message is their trigger name.
func std(names ...string) []persist.Output {
	outs := make([]persist.Output, len(names))
	for i, n := range names {
		outs[i] = persist.Output{Trigger: n, Message: n}
	}
	return outs
}
