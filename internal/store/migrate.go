package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
)

// migrationFiles are the schema's history: NNNN_description.sql, numbered
// from 1 without gaps. A released migration is never edited; a change to the
// schema is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string // file name, for messages and the schema_version table
	sql     string
}

// loadMigrations reads and orders the migrations in fsys's migrations
// directory, and checks that they are numbered 1..n.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	ms := make([]migration, 0, len(names))
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", base)
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(text)})
	}
	// fs.Glob returns names sorted; with zero-padded numbers that is
	// numeric order, which the check below confirms.
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d here (migrations must be numbered 1, 2, 3... without gaps or repeats)", m.name, i+1)
		}
	}
	return ms, nil
}

const createSchemaVersion = `CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY, name TEXT, time_applied TEXT)`

// migrate brings db's schema to the latest migration in one transaction:
// either every pending migration is applied, or none is.
func migrate(ctx context.Context, db *sql.DB, dbPath string, ms []migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return dbError(dbPath, "open", err)
	}
	defer tx.Rollback() // no-op after Commit
	if _, err := tx.ExecContext(ctx, createSchemaVersion); err != nil {
		return dbError(dbPath, "create schema_version", err)
	}
	cur, err := schemaVersion(ctx, tx)
	if err != nil {
		return dbError(dbPath, "read schema_version", err)
	}
	if cur > len(ms) {
		return newerError(dbPath, cur, len(ms))
	}
	if cur == len(ms) {
		return nil
	}
	now := time.Now().UTC().Format(layoutTime)
	for _, m := range ms[cur:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("run database %s: schema migration %s failed: %w (rolled back: the database is unchanged)", dbPath, m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version VALUES(?, ?, ?)`, m.version, m.name, now); err != nil {
			return dbError(dbPath, "record schema version", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return dbError(dbPath, "commit schema migration", err)
	}
	return nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// schemaVersion is the highest migration applied, 0 for a new database.
func schemaVersion(ctx context.Context, q queryer) (int, error) {
	var v sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&v)
	return int(v.Int64), err
}

// checkVersion refuses, for a reader, a database this binary does not
// understand: one from a newer Gyre, or one that is not a run database.
func checkVersion(ctx context.Context, db *sql.DB, dbPath string) error {
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		return err
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name='schema_version'`).Scan(&n); err != nil {
		return dbError(dbPath, "open", err)
	}
	if n == 0 {
		return nil // written by Cylc, or not yet by a Gyre: the column check decides
	}
	cur, err := schemaVersion(ctx, db)
	if err != nil {
		return dbError(dbPath, "read schema_version", err)
	}
	if cur > len(ms) {
		return newerError(dbPath, cur, len(ms))
	}
	return nil
}

func newerError(dbPath string, found, known int) error {
	return fmt.Errorf("run database %s has schema version %d, but this gyre knows versions up to %d: "+
		"it was written by a newer gyre; use that version (or a later one) with this workflow", dbPath, found, known)
}
