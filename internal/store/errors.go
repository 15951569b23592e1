package store

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrClosed is reported to batches submitted after the Writer has stopped.
var ErrClosed = errors.New("run database writer is stopped")

// WriteError reports a group commit that failed. The transaction was
// rolled back: none of its batches was written, and every batch's callback
// received this error. The Writer stops after it, since the scheduler's
// state is no longer what the database says; a restart resumes from the
// last commit, and no effect of the failed batches was released.
type WriteError struct {
	Path    string
	Op      string // the operation that failed ("commit" if the commit did)
	Batches int    // batches in the failed group
	Err     error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("write to run database %s failed at %s: %s; rolled back the %d pending batch(es): nothing of them was written%s",
		e.Path, e.Op, describe(e.Err), e.Batches, hint(e.Err))
}

func (e *WriteError) Unwrap() error { return e.Err }

// dbError wraps an error from a database call with the file and the step.
func dbError(path, what string, err error) error { return &stepError{path, what, err} }

type stepError struct {
	path, what string
	err        error
}

func (e *stepError) Error() string {
	return fmt.Sprintf("run database %s: %s: %s%s", e.path, e.what, describe(e.err), hint(e.err))
}

func (e *stepError) Unwrap() error { return e.err }

// sqliteCode is the primary SQLite result code of err, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// describe says what went wrong in words, keeping SQLite's own message.
func describe(err error) string {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_FULL:
		return "the disk (or the database's size limit) is full (SQLITE_FULL): " + err.Error()
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return "the database is locked by another connection (SQLITE_BUSY): " + err.Error()
	case sqlite3.SQLITE_READONLY:
		return "the database is read-only (SQLITE_READONLY): " + err.Error()
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return "the file is not a valid SQLite database or is corrupt: " + err.Error()
	case sqlite3.SQLITE_IOERR:
		return "an I/O error occurred (SQLITE_IOERR): " + err.Error()
	case sqlite3.SQLITE_CANTOPEN:
		return "the file cannot be opened (SQLITE_CANTOPEN): " + err.Error()
	}
	return err.Error()
}

// hint says what the user can do about err.
func hint(err error) string {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_FULL:
		return ". Free disk space (or raise the quota), then restart the workflow"
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return ". Close any sqlite3 session writing to it, then restart the workflow"
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN:
		return ". Check the permissions of the file and its directory"
	case sqlite3.SQLITE_IOERR:
		return ". Check the file system, then restart the workflow"
	}
	return ""
}
