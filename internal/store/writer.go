package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"gyre/internal/actor"
	"gyre/internal/store/persist"
)

// Writer is the actor that owns the run database's only write connection.
//
// Submit queues a batch of ops without blocking. Run, on its own goroutine,
// wakes when something is queued, takes everything queued so far and
// commits it in one transaction (group commit: one lock and one write of
// the log for many batches), then calls each batch's done callback, in
// submission order. A batch is atomic; so is the group it was committed
// with. Within a group, ops that later ops overwrite are skipped (see
// coalesce.go): the commit leaves what applying every op would.
//
// If a group cannot be committed (disk full, I/O error, a bad op), the
// transaction is rolled back, every callback in the group gets the error,
// and Run returns it: the writer stops, because the scheduler's state has
// moved past what the database can record. Nothing the scheduler deferred
// to those callbacks has happened, so a restart from the database is
// consistent.
type Writer struct {
	db   *sql.DB
	path string
	mb   *actor.Mailbox[pending]

	prepared [numStmts]*sql.Stmt
	coalesce coalescer
	// noCoalesce applies every op, for the test that coalescing changes
	// nothing.
	noCoalesce bool

	started  atomic.Bool
	finished chan struct{} // closed when Run returns
	commits  atomic.Int64  // transactions committed, for tests and metrics

	mu      sync.Mutex
	stopErr error // what late submitters are told, once stopped
}

// pending is one submitted batch.
type pending struct {
	ops  []persist.Op
	done func(error)
}

func newWriter(db *sql.DB, path string) *Writer {
	return &Writer{db: db, path: path, mb: actor.NewMailbox[pending](), finished: make(chan struct{})}
}

// Submit queues batch for the next group commit and returns at once. done
// (which may be nil) is called from the writer's goroutine after the batch
// is committed, with nil, or with the error that stopped the writer; it must
// not block (post to a mailbox). Batches are committed, and their callbacks
// called, in the order Submit was called. The writer keeps batch until it
// is committed: do not modify it after submitting. After the writer has
// stopped, done is called at once with an error matching ErrClosed.
func (w *Writer) Submit(batch []persist.Op, done func(error)) {
	if w.mb.Send(pending{ops: batch, done: done}) {
		return
	}
	if done != nil {
		done(w.stoppedErr())
	}
}

// Run is the writer's goroutine. It returns nil after ctx is cancelled and
// everything submitted before then has been committed, or the error of a
// failed commit.
func (w *Writer) Run(ctx context.Context) error {
	if !w.started.CompareAndSwap(false, true) {
		return errors.New("store: Writer.Run called twice")
	}
	defer close(w.finished)
	// Not ctx: a writer started during shutdown still commits its queue.
	if err := w.prepare(context.Background()); err != nil {
		w.stop(fmt.Errorf("%w: %w", ErrClosed, err))
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return w.shutdown()
		case <-w.mb.Ready():
		}
		if err := w.commitGroup(w.mb.Drain()); err != nil {
			w.fail(err)
			return err
		}
	}
}

// shutdown refuses new batches, commits everything already queued, and
// stops.
func (w *Writer) shutdown() error {
	w.setStopErr(ErrClosed)
	w.mb.Close()
	for {
		group := w.mb.Drain()
		if len(group) == 0 {
			return nil
		}
		if err := w.commitGroup(group); err != nil {
			w.fail(err)
			return err
		}
	}
}

// fail stops the writer after cause.
func (w *Writer) fail(cause error) {
	w.stop(fmt.Errorf("%w after a failed write: %w", ErrClosed, cause))
}

// stop fails everything still queued with err, which says why the writer
// stopped and matches ErrClosed.
func (w *Writer) stop(err error) {
	w.setStopErr(err)
	w.mb.Close()
	for _, p := range w.mb.Drain() {
		if p.done != nil {
			p.done(err)
		}
	}
}

func (w *Writer) setStopErr(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopErr = err
}

func (w *Writer) stoppedErr() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopErr == nil {
		return ErrClosed
	}
	return w.stopErr
}

// commitGroup commits a group and tells each batch the outcome, in order.
func (w *Writer) commitGroup(group []pending) error {
	if len(group) == 0 {
		return nil
	}
	err := w.commit(group)
	for _, p := range group {
		if p.done != nil {
			p.done(err)
		}
	}
	return err
}

// commit writes every op of the group in one transaction, or none of them.
func (w *Writer) commit(group []pending) error {
	n := 0
	for _, p := range group {
		n += len(p.ops)
	}
	if n == 0 {
		return nil // only sync points: nothing to write
	}
	// Not the Run context: a shutdown still commits what was queued.
	ctx := context.Background()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return &WriteError{Path: w.path, Op: "begin transaction", Batches: len(group), Err: err}
	}
	t := txn{tx: tx, prepared: &w.prepared}
	var skip []bool
	var merged map[int]persist.UpdateTaskJob
	if !w.noCoalesce {
		skip, merged = w.coalesce.plan(group, n)
	}
	f := -1 // index of op in the flattened group
	for i, p := range group {
		for j, op := range p.ops {
			if f++; skip != nil && skip[f] {
				continue
			}
			if m, ok := merged[f]; ok {
				op = m
			}
			if err := t.apply(op); err != nil {
				_ = tx.Rollback() // SQLite may have rolled back already
				w.clearTx(ctx)
				return &WriteError{Path: w.path, Batches: len(group), Err: err,
					Op: fmt.Sprintf("%s (operation %d of batch %d)", label(op), j+1, i+1)}
			}
		}
	}
	if err := tx.Commit(); err != nil {
		w.clearTx(ctx)
		return &WriteError{Path: w.path, Op: "commit", Batches: len(group), Err: err}
	}
	w.commits.Add(1)
	return nil
}

// clearTx makes sure no transaction is left open on the connection after a
// failure: SQLite keeps some failed COMMITs (SQLITE_BUSY) open, and
// database/sql forgets the transaction either way. The error when none is
// open is expected.
func (w *Writer) clearTx(ctx context.Context) {
	_, _ = w.db.ExecContext(ctx, "ROLLBACK")
}

// prepare compiles every statement once, on the writer's connection.
func (w *Writer) prepare(ctx context.Context) error {
	for id, text := range stmtSQL {
		if w.prepared[id] != nil {
			continue
		}
		st, err := w.db.PrepareContext(ctx, text)
		if err != nil {
			return dbError(w.path, fmt.Sprintf("prepare statement %d", id), err)
		}
		w.prepared[id] = st
	}
	return nil
}

// running reports whether Run has started and not yet returned.
func (w *Writer) running() bool {
	if !w.started.Load() {
		return false
	}
	select {
	case <-w.finished:
		return false
	default:
		return true
	}
}

// close releases the statements and the connection; Run must not be
// running, as it owns them.
func (w *Writer) close() error {
	if !w.started.Load() {
		w.stop(fmt.Errorf("%w: the store was closed before its writer ran", ErrClosed))
	}
	var errs []error
	for _, st := range w.prepared {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	errs = append(errs, w.db.Close())
	return errors.Join(errs...)
}
