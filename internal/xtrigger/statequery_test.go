package xtrigger

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gyre/internal/store"
	"gyre/internal/store/persist"
	"gyre/internal/task"
)

// lines runs q once and returns the printed rows, one string.
func lines(t *testing.T, root string, q StateQuery, old bool) (string, *StatePoller) {
	t.Helper()
	p, err := NewStatePoller(q, utcEnv(root))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	rows, err := p.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Line(old, false))
	}
	return strings.Join(out, " | "), p
}

func TestStateQuery(t *testing.T) {
	root := fixture(t)
	for _, c := range []struct {
		name string
		q    StateQuery
		old  bool
		want string
	}{
		{"all statuses (runN inferred)", StateQuery{ID: "up"}, false,
			"20100102T0000Z/baz:waiting(flows=2) | 20100101T0000Z/bar:failed | 20100101T0000Z/foo:succeeded | 20100102T0000Z/foo:running(flows=1,2)"},
		{"old format", StateQuery{ID: "up//20100101T0000Z"}, true,
			"bar, 20100101T0000Z, failed | foo, 20100101T0000Z, succeeded"},
		{"old format with flows", StateQuery{ID: "up//*/baz"}, true, "baz, 20100102T0000Z, waiting, (flows=2)"},
		{"point converted to the DB format", StateQuery{ID: "up//2010-01-01T00+00/foo:succeeded"}, false,
			"20100101T0000Z/foo:succeeded"},
		{"point in another zone", StateQuery{ID: "up//2010-01-01T01+01/foo"}, false, "20100101T0000Z/foo:succeeded"},
		{"offset", StateQuery{ID: "up//20100101T0000Z/foo", Offset: "P1D"}, false, "20100102T0000Z/foo:running(flows=1,2)"},
		{"negative offset", StateQuery{ID: "up//20100103T0000Z/foo", Offset: "-P1D"}, false, "20100102T0000Z/foo:running(flows=1,2)"},
		{"cycle selector", StateQuery{ID: "up//20100101T0000Z:failed"}, false, "20100101T0000Z/bar:failed"},
		{"flow", StateQuery{ID: "up", Flow: 2}, false, "20100102T0000Z/baz:waiting(flows=2) | 20100102T0000Z/foo:running(flows=1,2)"},
		{"trigger", StateQuery{ID: "up//*/foo:x", ByTrigger: true}, false,
			"20100101T0000Z/foo:{'submitted': 'submitted', 'started': 'started', 'succeeded': 'succeeded', 'x': 'the quick brown'}"},
		{"quoted message", StateQuery{ID: `up//*/foo:"the quick brown"`, ByMessage: true}, false,
			"20100101T0000Z/foo:{'submitted': 'submitted', 'started': 'started', 'succeeded': 'succeeded', 'x': 'the quick brown'}"},
		{"message is not a trigger", StateQuery{ID: "up//*/foo:x", ByMessage: true}, false, ""},
		{"finished", StateQuery{ID: "up//20100101T0000Z/*:finished", ByTrigger: true}, false,
			"20100101T0000Z/bar:{'submitted': 'submitted', 'started': 'started', 'failed': 'failed'} | " +
				"20100101T0000Z/foo:{'submitted': 'submitted', 'started': 'started', 'succeeded': 'succeeded', 'x': 'the quick brown'}"},
		{"empty outputs listed", StateQuery{ID: "up//*/baz", ByTrigger: true}, false, "20100102T0000Z/baz:{}(flows=2)"},
		{"default selector", StateQuery{ID: "up//20100101T0000Z", DefaultSelector: "succeeded"}, false, "20100101T0000Z/foo:succeeded"},
		{"explicit run", StateQuery{ID: "up/run1//20100101T0000Z/bar"}, false, "20100101T0000Z/bar:failed"},
		{"integer", StateQuery{ID: "int"}, false, "2/foo:waiting | 1/foo:succeeded"},
		{"integer offset", StateQuery{ID: "int//1/foo:succeeded", Offset: "P1"}, false, ""},
		{"integer negative offset", StateQuery{ID: "int//2/foo:succeeded", Offset: "-P1"}, false, "1/foo:succeeded"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, _ := lines(t, root, c.q, c.old)
			if got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestStateQueryInferred(t *testing.T) {
	root := fixture(t)
	p, err := NewStatePoller(StateQuery{ID: "up//20100101T0000Z/foo"}, utcEnv(root))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var inferred string
	p.Inferred = func(id string) { inferred = id }
	if _, err := p.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if inferred != "up/run1" || p.Workflow() != "up/run1" || p.Cycle() != "20100101T0000Z" {
		t.Errorf("inferred %q, workflow %q, cycle %q", inferred, p.Workflow(), p.Cycle())
	}
}

func TestStateQueryErrors(t *testing.T) {
	root := fixture(t)
	for _, c := range []struct {
		q    StateQuery
		want string
	}{
		{StateQuery{ID: "up//1/foo:elephant"}, `no such task state "elephant"`},
		{StateQuery{ID: "up//1/foo:succeded"}, `did you mean "succeeded"?`},
		{StateQuery{ID: "up//1/foo:waiting"}, `cannot poll for the "waiting" task state`},
		{StateQuery{ID: "up//1/foo:running"}, `poll for the "started" trigger instead`},
		{StateQuery{ID: "up//*/foo", Offset: "P1"}, `cycle point "*" is not compatible with an offset`},
		{StateQuery{ID: "up", Offset: "P1"}, `cycle point "None" is not compatible with an offset`},
		{StateQuery{ID: "up//1/foo", ByTrigger: true, ByMessage: true}, "not both"},
		{StateQuery{ID: "a///"}, "invalid Cylc identifier"},
	} {
		_, err := NewStatePoller(c.q, utcEnv(root))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.q, err, c.want)
		}
	}
	// Errors that need the database: the point cannot be written in its
	// format.
	p, err := NewStatePoller(StateQuery{ID: "up//205/foo"}, utcEnv(root))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Check(context.Background()); err == nil ||
		!strings.Contains(err.Error(), `cycle point "205" is not compatible with DB point format "CCYYMMDDThhmmZ"`) {
		t.Errorf("bad point: %v", err)
	}
}

// Polling may begin before the workflow exists: nothing matches, and Why
// says what is missing, until it appears.
func TestStateQueryBeforeWorkflow(t *testing.T) {
	root := t.TempDir()
	p, err := NewStatePoller(StateQuery{ID: "late//1/foo:succeeded"}, utcEnv(root))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	check := func(wantRows int, why string) {
		t.Helper()
		rows, err := p.Check(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != wantRows || !strings.Contains(p.Why(), why) {
			t.Errorf("rows %d (want %d), why %q (want %q)", len(rows), wantRows, p.Why(), why)
		}
	}
	check(0, "workflow late not found")
	dir := filepath.Join(root, "late")
	makeRun(t, root, "late", nil, nil)
	check(0, "no task matches late//1/foo:succeeded")
	writeRows(t, filepath.Join(dir, "log", "db"), nil, []taskRow{{"1", "foo", []int{1}, 1, task.Succeeded, outs("succeeded")}})
	check(1, "")
}

// A directory with a database but no flow.cylc (another system's run, or
// a database copied for inspection) is still queried.
func TestStateQueryBareDatabase(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "dbs", "c8b", "log")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeRows(t, filepath.Join(dir, "db"), nil, []taskRow{{"1", "foo", []int{1}, 1, task.Succeeded, outs("succeeded")}})
	got, _ := lines(t, t.TempDir(), StateQuery{ID: "c8b//1/foo", RunRoot: filepath.Join(root, "dbs")}, false)
	if got != "1/foo:succeeded" {
		t.Errorf("got %q", got)
	}
}

func TestAdjustPoint(t *testing.T) {
	dt := map[string]string{"cycle_point_format": "CCYYMMDDThhmmZ"}
	for _, c := range []struct {
		point, offset string
		params        map[string]string
		local         int
		want          string
	}{
		{"2020", "", dt, 13 * 60, "20191231T1100Z"}, // zone-less: local time
		{"2020", "PT6H", dt, 13 * 60, "20191231T1100Z"},
		{"20200101T0000Z", "-P1D", dt, 0, "20191231T0000Z"},
		{"20200101T0000Z", "+P1D", dt, 0, "20200102T0000Z"},
		{"2020-01-01T06+01", "", map[string]string{"cycle_point_format": "CCYYMMDDThhmm"}, 0, "20200101T0600"},
		{"20510101T0000Z", "P1Y", map[string]string{"cycle_point_format": "CCYY"}, 0, "2052"},
		{"2020-01-01T06", "", map[string]string{"cycle_point_format": "%Y"}, 0, "2020"},
		{"5", "P1", nil, 0, "6"},
		{"05", "-P2", nil, 0, "3"},
		{"5", "", nil, 0, "5"},
		{"2*", "", dt, 0, "2*"},
		{"", "", dt, 0, ""},
	} {
		got, err := adjustPoint(c.point, c.offset, c.params, c.local)
		if err != nil || got != c.want {
			t.Errorf("adjustPoint(%q, %q, %v) = %q, %v; want %q", c.point, c.offset, c.params, got, err, c.want)
		}
	}
	for _, c := range []struct{ point, offset, want string }{
		{"205", "", `cycle point "205" is not compatible with DB point format`},
		{"2020", "1D", `bad offset format "1D"`},
	} {
		if _, err := adjustPoint(c.point, c.offset, dt, 0); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("adjustPoint(%q, %q): %v, want %q", c.point, c.offset, err, c.want)
		}
	}
}

func TestRowLine(t *testing.T) {
	r := Row{TaskState: store.TaskState{Name: "foo", Cycle: "1", FlowNums: []int{}, Outputs: []persist.Output{
		{Trigger: "succeeded", Message: "succeeded"}, {Trigger: "x", Message: "Ωmega"}}}, outputs: true}
	if got, want := r.Line(false, false), "1/foo:{'succeeded': 'succeeded', 'x': 'Ωmega'}(flows=none)"; got != want {
		t.Errorf("plain: got %s want %s", got, want)
	}
	want := "1/foo:{\n    \"succeeded\": \"succeeded\",\n    \"x\": \"\\u03a9mega\"\n}(flows=none)"
	if got := r.Line(false, true); got != want {
		t.Errorf("pretty: got %q want %q", got, want)
	}
	r.Outputs[1].Message = "it's"
	if got, want := r.Line(false, true), `1/foo:{'succeeded': 'succeeded', 'x': "it's"}(flows=none)`; got != want {
		t.Errorf("pretty with a quote falls back: got %s want %s", got, want)
	}
	s := Row{TaskState: store.TaskState{Name: "foo", Cycle: "1", FlowNums: []int{1}, Status: "succeeded"}}
	if got := s.Line(false, true); got != "1/foo:succeeded" {
		t.Errorf("pretty status: %s", got)
	}
}
