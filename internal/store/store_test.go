package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cylcSchema is PRAGMA table_info of every table Cylc 8.7 creates
// (cylc/flow/rundb.py TABLES_ATTRS), as name:type:pk-position, generated
// with Cylc's own CREATE statements.
var cylcSchema = []struct{ table, cols string }{
	{"absolute_outputs", "cycle:TEXT:0 name:TEXT:0 output:TEXT:0"},
	{"broadcast_events", "time:TEXT:0 change:TEXT:0 point:TEXT:0 namespace:TEXT:0 key:TEXT:0 value:TEXT:0"},
	{"broadcast_states", "point:TEXT:1 namespace:TEXT:2 key:TEXT:3 value:TEXT:0"},
	{"inheritance", "namespace:TEXT:1 inheritance:TEXT:0"},
	{"task_action_timers", "cycle:TEXT:1 name:TEXT:2 ctx_key:TEXT:3 ctx:TEXT:0 delays:TEXT:0 num:INTEGER:0 delay:TEXT:0 timeout:TEXT:0"},
	{"task_events", "name:TEXT:0 cycle:TEXT:0 time:TEXT:0 submit_num:INTEGER:0 event:TEXT:0 message:TEXT:0"},
	{"task_jobs", "cycle:TEXT:1 name:TEXT:2 submit_num:INTEGER:3 flow_nums:TEXT:0 is_manual_submit:INTEGER:0 try_num:INTEGER:0 time_submit:TEXT:0 time_submit_exit:TEXT:0 submit_status:INTEGER:0 time_run:TEXT:0 time_run_exit:TEXT:0 run_signal:TEXT:0 run_status:INTEGER:0 platform_name:TEXT:0 job_runner_name:TEXT:0 job_id:TEXT:0"},
	{"task_late_flags", "cycle:TEXT:1 name:TEXT:2 value:INTEGER:0"},
	{"task_outputs", "cycle:TEXT:1 name:TEXT:2 flow_nums:TEXT:3 outputs:TEXT:0"},
	{"task_pool", "cycle:TEXT:1 name:TEXT:2 flow_nums:TEXT:3 status:TEXT:0 is_held:INTEGER:0"},
	{"task_prerequisites", "cycle:TEXT:1 name:TEXT:2 flow_nums:TEXT:3 prereq_name:TEXT:4 prereq_cycle:TEXT:5 prereq_output:TEXT:6 satisfied:TEXT:0"},
	{"task_states", "name:TEXT:1 cycle:TEXT:2 flow_nums:TEXT:3 time_created:TEXT:0 time_updated:TEXT:0 submit_num:INTEGER:0 status:TEXT:0 flow_wait:INTEGER:0 is_manual_submit:INTEGER:0"},
	{"task_timeout_timers", "cycle:TEXT:1 name:TEXT:2 timeout:REAL:0"},
	{"tasks_to_hold", "name:TEXT:0 cycle:TEXT:0"},
	{"workflow_flows", "flow_num:INTEGER:1 start_time:TEXT:0 description:TEXT:0"},
	{"workflow_params", "key:TEXT:1 value:TEXT:0"},
	{"workflow_template_vars", "key:TEXT:1 value:TEXT:0"},
	{"xtriggers", "signature:TEXT:1 results:TEXT:0"},
}

func TestSchemaMatchesCylc(t *testing.T) {
	s := openTemp(t)
	db := rawDB(t, s.Path())
	for _, want := range cylcSchema {
		got := queryStrings(t, db, `SELECT name || ':' || type || ':' || pk FROM pragma_table_info(?)`, want.table)
		if strings.Join(got, " ") != want.cols {
			t.Errorf("table %s:\n got %s\nwant %s", want.table, strings.Join(got, " "), want.cols)
		}
	}
	// Nothing but Cylc's tables and the schema_version table.
	tables := queryStrings(t, db, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if len(tables) != len(cylcSchema)+1 {
		t.Errorf("tables = %q, want Cylc's %d and schema_version", tables, len(cylcSchema))
	}
	// The stored DDL reads as Cylc's does (IF NOT EXISTS is not kept).
	ddl := queryStrings(t, db, `SELECT sql FROM sqlite_master WHERE name = 'task_pool'`)
	want := "CREATE TABLE task_pool(cycle TEXT, name TEXT, flow_nums TEXT, status TEXT, is_held INTEGER, PRIMARY KEY(cycle, name, flow_nums))"
	if len(ddl) != 1 || ddl[0] != want {
		t.Errorf("task_pool DDL = %q, want %q", ddl, want)
	}
}

func TestOpenSettings(t *testing.T) {
	s := openTemp(t)
	for _, c := range []struct{ pragma, want string }{
		{"journal_mode", "wal"},
		{"synchronous", "1"}, // NORMAL
		{"busy_timeout", "30000"},
	} {
		var got string
		if err := s.w.db.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %q, want %q", c.pragma, got, c.want)
		}
	}
	v, err := schemaVersion(context.Background(), s.read)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := loadMigrations(migrationFiles)
	if v != len(ms) || v < 2 {
		t.Errorf("schema version %d, want %d (all migrations)", v, len(ms))
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	withWriter(t, s, func(w *Writer) { write(t, w, putParam("uuid_str", "abc")) })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	p, err := s.Params(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p["uuid_str"] != "abc" {
		t.Errorf("params after reopen = %v", p)
	}
	rows := queryStrings(t, s.read, `SELECT version, name FROM schema_version ORDER BY version`)
	want := []string{"1|0001_cylc_tables.sql", "2|0002_lookup_indexes.sql"}
	if strings.Join(rows, ",") != strings.Join(want, ",") {
		t.Errorf("schema_version = %q, want %q (applied once each)", rows, want)
	}
}

func TestIntegrityCheck(t *testing.T) {
	s := openTemp(t)
	withWriter(t, s, func(w *Writer) { write(t, w, allOps()...) })
	if got := queryStrings(t, s.read, `PRAGMA integrity_check`); len(got) != 1 || got[0] != "ok" {
		t.Errorf("integrity_check = %q", got)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notdb")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("this is not a database\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	cylc7 := filepath.Join(dir, "cylc7")
	{
		db := rawDB(t, cylc7)
		if _, err := db.Exec(`CREATE TABLE task_jobs(cycle TEXT, name TEXT, submit_num INTEGER, PRIMARY KEY(cycle, name, submit_num))`); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	for _, c := range []struct {
		name string
		open func(string) (*Store, error)
		path string
		want []string
	}{
		{"no directory", Open, filepath.Join(dir, "nope", "db"), []string{"nope", "does not exist", "run directory"}},
		{"reader, no file", OpenReadOnly, filepath.Join(dir, "missing"), []string{"missing", "has the workflow been run?"}},
		{"not a database", Open, notDB, []string{"notdb", "not a valid SQLite database"}},
		{"reader, not a database", OpenReadOnly, notDB, []string{"notdb", "not a valid SQLite database"}},
		{"old Cylc columns", Open, cylc7, []string{"cylc7", "task_jobs has no column flow_nums", "older Cylc"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := c.open(c.path)
			if err == nil {
				s.Close()
				t.Fatal("opened without error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestOpenReadOnlyNeverWrites(t *testing.T) {
	s := openTemp(t)
	r, err := OpenReadOnly(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Writer() != nil {
		t.Error("read-only store has a writer")
	}
	_, err = r.read.Exec(`INSERT INTO workflow_params VALUES('x', 'y')`)
	if err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Errorf("insert through a read-only store: err = %v, want a read-only error", err)
	}
}

func TestPathWithSpecialCharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run ?#%20 dir")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	withWriter(t, s, func(w *Writer) { write(t, w, putParam("k", "v")) })
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %q: %v", path, err)
	}
	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if p, _ := r.Params(context.Background()); p["k"] != "v" {
		t.Errorf("params = %v", p)
	}
}
