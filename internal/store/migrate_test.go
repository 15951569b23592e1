package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestEmbeddedMigrations(t *testing.T) {
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.name)
	}
	if got := strings.Join(names, " "); got != "0001_cylc_tables.sql 0002_lookup_indexes.sql" {
		t.Errorf("migrations = %s", got)
	}
}

func TestLoadMigrationsRejectsBadSets(t *testing.T) {
	file := &fstest.MapFile{Data: []byte("SELECT 1;")}
	for _, c := range []struct {
		name  string
		files []string
		want  string
	}{
		{"gap", []string{"0001_a.sql", "0003_c.sql"}, "0003_c.sql: expected version 2"},
		{"repeat", []string{"0001_a.sql", "0001_b.sql"}, "0001_b.sql: expected version 2"},
		{"no number", []string{"init.sql"}, "init.sql: name must be NNNN_description.sql"},
		{"zero", []string{"0000_a.sql"}, "0000_a.sql: name must be"},
		{"not from 1", []string{"0002_b.sql"}, "expected version 1"},
	} {
		fsys := fstest.MapFS{}
		for _, f := range c.files {
			fsys["migrations/"+f] = file
		}
		_, err := loadMigrations(fsys)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}

func TestMigrateIsAtomicAndVersioned(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	db := rawDB(t, path)
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	ms := []migration{
		{1, "0001_a.sql", "CREATE TABLE a(x TEXT); CREATE TABLE b(y TEXT);"},
		{2, "0002_fill.sql", "INSERT INTO a VALUES('one');"},
		{3, "0003_bad.sql", "INSERT INTO nowhere VALUES(1);"},
	}
	tables := func() string {
		return strings.Join(queryStrings(t, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'schema_version' ORDER BY name`), ",")
	}

	// A failing migration leaves the database as it was: no table a.
	err := migrate(ctx, db, path, ms)
	if err == nil || !strings.Contains(err.Error(), "0003_bad.sql") || !strings.Contains(err.Error(), "rolled back") {
		t.Fatalf("err = %v, want the bad migration named and a rollback", err)
	}
	if got := tables(); got != "" {
		t.Errorf("tables after a failed migration: %q, want none", got)
	}

	// Applied in order, once.
	for range 2 {
		if err := migrate(ctx, db, path, ms[:2]); err != nil {
			t.Fatal(err)
		}
	}
	if got := tables(); got != "a,b" {
		t.Errorf("tables = %q", got)
	}
	if got := queryStrings(t, db, `SELECT x FROM a`); len(got) != 1 {
		t.Errorf("migration 2 applied %d times", len(got))
	}
	if v, _ := schemaVersion(ctx, db); v != 2 {
		t.Errorf("version = %d, want 2", v)
	}

	// Adding migration 3 later applies just that one.
	ms[2].sql = "INSERT INTO b VALUES('three');"
	if err := migrate(ctx, db, path, ms); err != nil {
		t.Fatal(err)
	}
	if got := queryStrings(t, db, `SELECT (SELECT COUNT(*) FROM a) || (SELECT COUNT(*) FROM b)`); got[0] != "11" {
		t.Errorf("rows in a, b = %s, want 1 each", got[0])
	}

	// A binary that knows fewer migrations refuses.
	err = migrate(ctx, db, path, ms[:1])
	if err == nil || !strings.Contains(err.Error(), "schema version 3, but this gyre knows versions up to 1") {
		t.Errorf("err = %v", err)
	}
}

func TestOpenNewerDatabase(t *testing.T) {
	s := openTemp(t)
	s.Close()
	db := rawDB(t, s.Path())
	if _, err := db.Exec(`INSERT INTO schema_version VALUES(99, '0099_future.sql', '')`); err != nil {
		t.Fatal(err)
	}
	for name, open := range map[string]func(string) (*Store, error){"Open": Open, "OpenReadOnly": OpenReadOnly} {
		s2, err := open(s.Path())
		if err == nil {
			s2.Close()
			t.Errorf("%s opened a database from the future", name)
			continue
		}
		for _, want := range []string{s.Path(), "schema version 99", "newer gyre"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q does not mention %q", name, err, want)
			}
		}
	}
}

// TestAdoptCylcDatabase: a database created by Cylc 8.7 (its tables, no
// schema_version) is brought under versioning without losing rows.
func TestAdoptCylcDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	db := rawDB(t, path)
	ms, _ := loadMigrations(migrationFiles)
	// Cylc's DDL is migration 1 without IF NOT EXISTS.
	ddl := strings.ReplaceAll(ms[0].sql, "IF NOT EXISTS ", "")
	if _, err := db.Exec(ddl); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO task_pool VALUES('1', 'foo', '[1]', 'running', 0);
		INSERT INTO task_states VALUES('foo', '1', '[1]', '2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z', 1, 'running', 0, 0)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.LoadSnapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Tasks) != 1 || snap.Tasks[0].Name != "foo" || snap.Tasks[0].SubmitNum != 1 {
		t.Errorf("tasks = %+v", snap.Tasks)
	}
	var v sql.NullInt64
	if err := s.read.QueryRow(`SELECT MAX(version) FROM schema_version`).Scan(&v); err != nil || int(v.Int64) != len(ms) {
		t.Errorf("schema version %v, %v", v, err)
	}
}
