// Package store is Gyre's run database: a SQLite file with Cylc 8's tables
// (log/db), so that the sqlite3 queries Cylc users run keep working.
//
// One Writer goroutine owns the only write connection. The scheduler hands
// it batches of persist.Op; everything queued when the writer wakes is
// committed in one transaction (group commit), and only then is each
// batch's callback called, in order. That is how an effect that depends on
// a state change (submitting a job) waits until the change is committed,
// and so survives a crash of the scheduler: a restart finds the job
// recorded and polls for it, and never submits it twice.
//
// Readers (the scheduler's restart, `gyre workflow-state`, other processes)
// use separate read-only connections; in WAL mode they see the last
// committed state and never block the writer.
//
// The schema is created and upgraded by embedded, numbered migrations
// (migrations/NNNN_name.sql), applied in one transaction when the database
// is opened; the version reached is recorded in table schema_version.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is an open run database.
type Store struct {
	path string
	// read is a pool of read-only connections: restart loads and queries
	// run here, concurrently with the writer.
	read *sql.DB
	w    *Writer
}

// Connection settings.
//
// journal_mode=WAL: readers see the last commit and never block the writer,
// nor it them; another process can read the database while the scheduler
// writes.
//
// synchronous=NORMAL: in WAL mode a commit appends to the log and returns
// without waiting for an fsync; the log is synced when it is checkpointed
// into the database. A committed batch is in the operating system's page
// cache before Commit returns, so it survives kill -9 of the scheduler (or
// any crash of the process): that is the guarantee the scheduler's "commit,
// then submit the job" ordering relies on. What NORMAL gives up is
// durability against a crash or power loss of the host itself: the commits
// since the last checkpoint (at most the last few MB of log, usually the
// last second or so) can be lost, though the database is never corrupted
// and restarts at a consistent earlier commit. A host crash kills the jobs
// of local runners anyway; the exposure is a job handed to a remote batch
// system just before the crash, whose record may be lost (its job log
// directory remains). FULL would close that gap at the cost of an fsync
// per group commit (about 6 ms on the development machine), putting a disk
// flush on every dependency hop and capping the commit rate well below the
// scheduler's targets. Change the pragma below to FULL if a site needs the
// stronger guarantee.
//
// busy_timeout: the writer waits up to 30 s for a lock held by another
// process (a user's sqlite3 shell in a write transaction) before it gives
// up, since giving up stops the scheduler; readers wait 5 s.
//
// Foreign keys are not used: Cylc's schema has none.
const (
	writerPragmas = "_pragma=busy_timeout(30000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=cache_size(-32000)&_pragma=journal_size_limit(67108864)&_txlock=immediate"
	readerPragmas = "mode=ro&_pragma=busy_timeout(5000)&_pragma=cache_size(-32000)"
)

// options are test hooks.
type options struct {
	// extraPragmas are appended to the writer's connection settings.
	extraPragmas []string
}

// Open opens (creating it if need be) the run database at path for writing,
// brings its schema up to date, and returns the store with its Writer ready
// to Run. Only one process may write a run database at a time; the
// scheduler's contact file guarantees that.
func Open(path string) (*Store, error) { return openWith(path, options{}) }

func openWith(path string, opt options) (s *Store, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("run database %s: %w", path, err)
	}
	if dir := filepath.Dir(abs); !isDir(dir) {
		return nil, fmt.Errorf("run database %s: directory %s does not exist (is this a workflow run directory?)", path, dir)
	}
	q := writerPragmas
	for _, p := range opt.extraPragmas {
		q += "&_pragma=" + url.QueryEscape(p)
	}
	wdb, err := sql.Open("sqlite", fileURI(abs, q))
	if err != nil {
		return nil, fmt.Errorf("run database %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			wdb.Close()
		}
	}()
	// One connection: SQLite has one writer anyway, and a single
	// connection keeps prepared statements and the transaction together.
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)

	ctx := context.Background()
	var mode string
	if err := wdb.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return nil, dbError(path, "open", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return nil, fmt.Errorf("run database %s: cannot use WAL mode (journal mode is %q): "+
			"the file system may not support the shared memory it needs; put the run directory on a local file system", path, mode)
	}
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		return nil, err // a build defect, caught by the tests
	}
	if err := migrate(ctx, wdb, path, ms); err != nil {
		return nil, err
	}
	if err := checkColumns(ctx, wdb, path); err != nil {
		return nil, err
	}
	read, err := openReader(abs)
	if err != nil {
		return nil, fmt.Errorf("run database %s: %w", path, err)
	}
	return &Store{path: path, read: read, w: newWriter(wdb, path)}, nil
}

// OpenReadOnly opens an existing run database for reading, for other
// processes (gyre workflow-state, cat-log, show) and for workflow_state
// xtriggers. It works while the scheduler writes, and never writes itself.
func OpenReadOnly(path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("run database %s: %w", path, err)
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("run database %s: %w (has the workflow been run?)", path, err)
	}
	read, err := openReader(abs)
	if err != nil {
		return nil, fmt.Errorf("run database %s: %w", path, err)
	}
	ctx := context.Background()
	if err := checkVersion(ctx, read, path); err != nil {
		read.Close()
		return nil, err
	}
	if err := checkColumns(ctx, read, path); err != nil {
		read.Close()
		return nil, err
	}
	return &Store{path: path, read: read}, nil
}

func openReader(abs string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", fileURI(abs, readerPragmas))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	return db, nil
}

// fileURI makes a SQLite URI for a file path, escaping what the path holds
// ('?', '#', '%', spaces) so it cannot be taken for URI syntax.
func fileURI(abs, query string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), OmitHost: true}
	return u.String() + "?" + query
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// Path is the database file as given to Open.
func (s *Store) Path() string { return s.path }

// Writer is the store's writer, or nil when it was opened read-only.
func (s *Store) Writer() *Writer { return s.w }

// Close closes the database. Stop the Writer's Run first (Close refuses
// while it runs): Run's return is what guarantees queued batches are
// committed.
func (s *Store) Close() error {
	if s.w != nil && s.w.running() {
		return fmt.Errorf("close run database %s: its writer is still running: cancel its Run and wait for it to return first", s.path)
	}
	var errs []error
	if s.w != nil {
		errs = append(errs, s.w.close())
	}
	errs = append(errs, s.read.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close run database %s: %w", s.path, err)
	}
	return nil
}
