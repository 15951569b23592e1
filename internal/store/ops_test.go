package store

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gyre/internal/store/persist"
	"gyre/internal/task"
)

var (
	t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	t1 = t0.Add(time.Minute)
	t2 = t0.Add(time.Hour)
)

func putParam(k, v string) persist.Op { return persist.PutWorkflowParam{Key: k, Value: v} }

func ptr(n int) *int { return &n }

// allOps uses every kind of op, including ones undone later in the batch.
func allOps() []persist.Op {
	return []persist.Op{
		putParam("uuid_str", "u-1"),
		putParam("cycle_point_format", "CCYYMMDDThhmmZ"),
		putParam("stopcp", "2"),
		persist.DeleteWorkflowParam{Key: "stopcp"},
		persist.PutTemplateVar{Key: "N", Value: "3"},
		persist.PutTemplateVar{Key: "WHO", Value: "'world'"},
		persist.AddFlow{Num: 1, StartTime: t0, Description: "original flow from 1"},
		persist.AddFlow{Num: 2, StartTime: t1, Description: "reflow"},
		persist.PutInheritance{Namespace: "foo", Ancestors: []string{"foo", "FAM", "root"}},

		persist.UpsertTaskPool{Cycle: "1", Name: "foo", FlowNums: []int{1}, Status: task.Preparing},
		persist.InsertTaskState{Cycle: "1", Name: "foo", FlowNums: []int{1}, Time: t0, SubmitNum: 1, Status: task.Preparing},
		persist.InsertTaskJob{Cycle: "1", Name: "foo", SubmitNum: 1, FlowNums: []int{1}, TryNum: 1, TimeSubmit: t0, Platform: "localhost", JobRunner: "background"},
		persist.UpsertTaskPool{Cycle: "1", Name: "foo", FlowNums: []int{1}, Status: task.Running},
		persist.UpdateTaskState{Cycle: "1", Name: "foo", FlowNums: []int{1}, Time: t1, SubmitNum: 2, Status: task.Running, IsManualSubmit: true},
		persist.InsertTaskJob{Cycle: "1", Name: "foo", SubmitNum: 2, FlowNums: []int{1}, IsManualSubmit: true, TryNum: 2, TimeSubmit: t1, Platform: "hpc", JobRunner: "slurm"},
		persist.UpdateTaskJob{Cycle: "1", Name: "foo", SubmitNum: 2,
			Set:            persist.JobSubmitStatus | persist.JobTimeSubmitExit | persist.JobID | persist.JobPlatform,
			TimeSubmitExit: t1, SubmitStatus: 0, JobID: "4242", Platform: "hpc-login2",
			RunStatus: 99, // not in Set: must not be written
		},
		persist.UpdateTaskJob{Cycle: "1", Name: "foo", SubmitNum: 2, Set: persist.JobTimeRun, TimeRun: t2},
		persist.SetTaskOutputs{Cycle: "1", Name: "foo", FlowNums: []int{1}, Outputs: []persist.Output{
			{Trigger: "submitted", Message: "submitted"},
			{Trigger: "started", Message: "started"},
			{Trigger: "x", Message: "the \"quick\" brown fox"},
		}},
		persist.InsertTaskEvent{Cycle: "1", Name: "foo", Time: t1, SubmitNum: 2, Event: "submitted", Message: "job submitted"},
		persist.PutLateFlag{Cycle: "1", Name: "foo"},
		persist.PutTaskTimeout{Cycle: "1", Name: "foo", Timeout: t2.Add(1500 * time.Millisecond)},

		persist.UpsertTaskPool{Cycle: "1", Name: "bar", FlowNums: []int{2, 1}, Status: task.Waiting, IsHeld: true},
		persist.InsertTaskState{Cycle: "1", Name: "bar", FlowNums: []int{1, 2}, Time: t0, Status: task.Waiting, FlowWait: true},
		persist.SetTaskOutputs{Cycle: "1", Name: "bar", FlowNums: []int{1, 2}},
		persist.SetPrerequisites{Cycle: "1", Name: "bar", FlowNums: []int{1, 2}, Prereqs: []persist.Prereq{
			{Cycle: "1", Name: "old", Output: "succeeded", Satisfied: "satisfied naturally"}, // replaced below
		}},
		persist.SetPrerequisites{Cycle: "1", Name: "bar", FlowNums: []int{1, 2}, Prereqs: []persist.Prereq{
			{Cycle: "1", Name: "foo", Output: "succeeded"},
			{Cycle: "1", Name: "foo", Output: "x", Satisfied: "satisfied naturally"},
			{Cycle: "xtrigger", Name: "clock_1", Output: "succeeded", Satisfied: "satisfied naturally"},
		}},
		persist.SatisfyPrereq{Cycle: "1", Name: "bar", FlowNums: []int{1, 2}, Prereq: persist.Prereq{Cycle: "1", Name: "foo", Output: "x"}},
		persist.SatisfyPrereq{Cycle: "1", Name: "bar", FlowNums: []int{1, 2}, Prereq: persist.Prereq{Cycle: "1", Name: "foo", Output: "succeeded", Satisfied: "force satisfied"}},

		persist.UpsertTaskPool{Cycle: "2", Name: "foo", FlowNums: []int{1}, Status: task.Waiting},
		persist.PutTaskTimeout{Cycle: "2", Name: "foo", Timeout: t2},
		persist.DeleteTaskTimeout{Cycle: "2", Name: "foo"},

		persist.UpsertTaskPool{Cycle: "1", Name: "gone", FlowNums: []int{1}, Status: task.Succeeded},
		persist.InsertTaskState{Cycle: "1", Name: "gone", FlowNums: []int{1}, Time: t0, SubmitNum: 1, Status: task.Succeeded},
		persist.SetPrerequisites{Cycle: "1", Name: "gone", FlowNums: []int{1}, Prereqs: []persist.Prereq{{Cycle: "0", Name: "foo", Output: "succeeded", Satisfied: "satisfied naturally"}}},
		persist.PutTaskTimeout{Cycle: "1", Name: "gone", Timeout: t2},
		persist.DeleteTaskPool{Cycle: "1", Name: "gone", FlowNums: []int{1}},

		persist.PutTimer{Timer: persist.Timer{Cycle: "1", Name: "foo", CtxKey: `["try_timers", "execution-retry"]`, Ctx: "null",
			Delays: []float64{30, 60}, Num: 1, Delay: 30, Timeout: t2}},
		persist.PutTimer{Timer: persist.Timer{Cycle: "1", Name: "foo", CtxKey: `"poll_timer"`, Ctx: "null", Delays: []float64{0.5}}},
		persist.PutTimer{Timer: persist.Timer{Cycle: "1", Name: "foo", CtxKey: `[["mail", "failed"], 1]`, Ctx: `["TaskEventMailContext", ["mail", "a@b"]]`}},
		persist.DeleteTimer{Cycle: "1", Name: "foo", CtxKey: `[["mail", "failed"], 1]`},

		persist.PutHold{Name: "foo", Cycle: "3"},
		persist.PutHold{Name: "foo", Cycle: "3"},
		persist.PutHold{Name: "bar", Cycle: "3"},
		persist.DeleteHold{Name: "bar", Cycle: "3"},

		persist.PutBroadcast{Time: t0, Broadcast: persist.Broadcast{Point: "*", Namespace: "root", Key: "[environment]FOO", Value: "1"}},
		persist.PutBroadcast{Time: t0, Broadcast: persist.Broadcast{Point: "1", Namespace: "foo", Key: "script", Value: "true"}},
		persist.DeleteBroadcast{Time: t1, Broadcast: persist.Broadcast{Point: "1", Namespace: "foo", Key: "script", Value: "true"}},

		persist.PutXtrigger{Signature: "echo(succeed=True)", Results: `{"succeed": true}`},
		persist.PutXtrigger{Signature: "xrandom(50)", Results: `{}`},
		persist.DeleteXtrigger{Signature: "xrandom(50)"},

		persist.PutAbsOutput{Cycle: "1", Name: "foo", Output: "succeeded"},
		persist.PutAbsOutput{Cycle: "1", Name: "foo", Output: "succeeded"},
	}
}

// allOpsSnapshot is what LoadSnapshot must return after allOps.
func allOpsSnapshot() *persist.Snapshot {
	return &persist.Snapshot{
		Params:       map[string]string{"uuid_str": "u-1", "cycle_point_format": "CCYYMMDDThhmmZ"},
		TemplateVars: map[string]string{"N": "3", "WHO": "'world'"},
		Flows: []persist.Flow{
			{Num: 1, StartTime: t0, Description: "original flow from 1"},
			{Num: 2, StartTime: t1, Description: "reflow"},
		},
		Tasks: []persist.PoolTask{
			{
				Cycle: "1", Name: "bar", FlowNums: []int{1, 2}, Status: task.Waiting, IsHeld: true,
				FlowWait: true, TimeCreated: t0, TimeUpdated: t0, Outputs: []persist.Output{},
				Prereqs: []persist.Prereq{
					{Cycle: "1", Name: "foo", Output: "succeeded", Satisfied: "force satisfied"},
					{Cycle: "1", Name: "foo", Output: "x"},
					{Cycle: "xtrigger", Name: "clock_1", Output: "succeeded", Satisfied: "satisfied naturally"},
				},
			},
			{
				Cycle: "1", Name: "foo", FlowNums: []int{1}, Status: task.Running,
				SubmitNum: 2, IsManualSubmit: true, TimeCreated: t0, TimeUpdated: t1,
				IsLate: true, Timeout: t2.Add(1500 * time.Millisecond),
				Outputs: []persist.Output{
					{Trigger: "submitted", Message: "submitted"},
					{Trigger: "started", Message: "started"},
					{Trigger: "x", Message: "the \"quick\" brown fox"},
				},
				Job: &persist.Job{
					SubmitNum: 2, FlowNums: []int{1}, IsManualSubmit: true, TryNum: 2,
					TimeSubmit: t1, TimeSubmitExit: t1, SubmitStatus: ptr(0), TimeRun: t2,
					Platform: "hpc-login2", JobRunner: "slurm", JobID: "4242",
				},
			},
			{Cycle: "2", Name: "foo", FlowNums: []int{1}, Status: task.Waiting},
		},
		Timers: []persist.Timer{
			{Cycle: "1", Name: "foo", CtxKey: `"poll_timer"`, Ctx: "null", Delays: []float64{0.5}},
			{Cycle: "1", Name: "foo", CtxKey: `["try_timers", "execution-retry"]`, Ctx: "null", Delays: []float64{30, 60}, Num: 1, Delay: 30, Timeout: t2},
		},
		Holds:      []persist.TaskRef{{Name: "foo", Cycle: "3"}},
		Broadcasts: []persist.Broadcast{{Point: "*", Namespace: "root", Key: "[environment]FOO", Value: "1"}},
		Xtriggers:  map[string]string{"echo(succeed=True)": `{"succeed": true}`},
		AbsOutputs: []persist.AbsOutput{{Cycle: "1", Name: "foo", Output: "succeeded"}},
		History:    []persist.HistTask{{Cycle: "1", Name: "gone", FlowNums: []int{1}, Status: task.Succeeded, SubmitNum: 1}},
	}
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestOpsRoundTripThroughSnapshot(t *testing.T) {
	s := openTemp(t)
	withWriter(t, s, func(w *Writer) { write(t, w, allOps()...) })
	got, err := s.LoadSnapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if g, w := jsonText(t, got), jsonText(t, allOpsSnapshot()); g != w {
		t.Errorf("snapshot:\n%s\nwant:\n%s", g, w)
	}
}

// TestOpsSnapshotAfterReopen loads through a fresh process-like open, as a
// restart does.
func TestOpsSnapshotAfterReopen(t *testing.T) {
	s := openTemp(t)
	withWriter(t, s, func(w *Writer) { write(t, w, allOps()...) })
	s.Close()
	s2, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.LoadSnapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if g, w := jsonText(t, got), jsonText(t, allOpsSnapshot()); g != w {
		t.Errorf("snapshot after reopen:\n%s\nwant:\n%s", g, w)
	}
}

// TestCylcTextFormats checks the rows as sqlite3 shows them: the text of
// every value must be what Cylc writes, for users' queries and for Cylc's
// own tools (cylc workflow-state, cylc clean) reading Gyre's database.
func TestCylcTextFormats(t *testing.T) {
	s := openTemp(t)
	withWriter(t, s, func(w *Writer) { write(t, w, allOps()...) })
	for _, c := range []struct {
		query string
		want  []string
	}{
		{`SELECT * FROM workflow_params ORDER BY key`, []string{"cycle_point_format|CCYYMMDDThhmmZ", "uuid_str|u-1"}},
		{`SELECT * FROM workflow_flows`, []string{
			"1|2026-01-02T03:04:05+00:00|original flow from 1",
			"2|2026-01-02T03:05:05+00:00|reflow",
		}},
		{`SELECT * FROM inheritance`, []string{`foo|["foo", "FAM", "root"]`}},
		{`SELECT * FROM task_pool ORDER BY cycle, name`, []string{
			"1|bar|[1, 2]|waiting|1",
			"1|foo|[1]|running|0",
			"2|foo|[1]|waiting|0",
		}},
		{`SELECT * FROM task_states ORDER BY cycle, name`, []string{
			"bar|1|[1, 2]|2026-01-02T03:04:05Z|2026-01-02T03:04:05Z|0|waiting|1|0",
			"foo|1|[1]|2026-01-02T03:04:05Z|2026-01-02T03:05:05Z|2|running|0|1",
			"gone|1|[1]|2026-01-02T03:04:05Z|2026-01-02T03:04:05Z|1|succeeded|0|0",
		}},
		{`SELECT * FROM task_outputs ORDER BY cycle, name`, []string{
			"1|bar|[1, 2]|{}",
			`1|foo|[1]|{"submitted": "submitted", "started": "started", "x": "the \"quick\" brown fox"}`,
		}},
		{`SELECT * FROM task_prerequisites ORDER BY rowid`, []string{
			"1|bar|[1, 2]|foo|1|succeeded|force satisfied",
			"1|bar|[1, 2]|foo|1|x|0",
			"1|bar|[1, 2]|clock_1|xtrigger|succeeded|satisfied naturally",
		}},
		{`SELECT * FROM task_jobs ORDER BY submit_num`, []string{
			"1|foo|1|[1]|0|1|2026-01-02T03:04:05Z|NULL|NULL|NULL|NULL|NULL|NULL|localhost|background|NULL",
			"1|foo|2|[1]|1|2|2026-01-02T03:05:05Z|2026-01-02T03:05:05Z|0|2026-01-02T04:04:05Z|NULL|NULL|NULL|hpc-login2|slurm|4242",
		}},
		{`SELECT * FROM task_events`, []string{"foo|1|2026-01-02T03:05:05Z|2|submitted|job submitted"}},
		{`SELECT * FROM task_late_flags`, []string{"1|foo|1"}},
		{`SELECT cycle, name, typeof(timeout), CAST(timeout AS TEXT) FROM task_timeout_timers`, []string{"1|foo|real|1767326646.5"}},
		{`SELECT * FROM task_action_timers ORDER BY ctx_key`, []string{
			`1|foo|"poll_timer"|null|[0.5]|0|0.0|NULL`,
			`1|foo|["try_timers", "execution-retry"]|null|[30.0, 60.0]|1|30.0|1767326645.0`,
		}},
		{`SELECT * FROM tasks_to_hold`, []string{"foo|3"}},
		{`SELECT * FROM broadcast_states`, []string{"*|root|[environment]FOO|1"}},
		{`SELECT * FROM broadcast_events ORDER BY rowid`, []string{
			"2026-01-02T03:04:05.000000Z|+|*|root|[environment]FOO|1",
			"2026-01-02T03:04:05.000000Z|+|1|foo|script|true",
			"2026-01-02T03:05:05.000000Z|-|1|foo|script|true",
		}},
		{`SELECT * FROM xtriggers`, []string{`echo(succeed=True)|{"succeed": true}`}},
		{`SELECT * FROM absolute_outputs`, []string{"1|foo|succeeded"}},
	} {
		got := queryStrings(t, s.read, c.query)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", c.query, got, c.want)
		}
	}
}

func TestBadOpsAreErrors(t *testing.T) {
	for _, c := range []struct {
		op   persist.Op
		want []string
	}{
		{&persist.PutWorkflowParam{Key: "k"}, []string{"*persist.PutWorkflowParam", "by value"}},
		{persist.UpdateTaskJob{Cycle: "1", Name: "foo", SubmitNum: 1, Set: 1 << 15}, []string{"unknown JobFields bits 0x8000", "UpdateTaskJob"}},
		{persist.UpsertTaskPool{Cycle: "1", Name: "foo", Status: 42}, []string{"invalid task status 42", "UpsertTaskPool"}},
	} {
		s := openTemp(t)
		r := runWriter(t, s.Writer())
		err := writeErr(s.Writer(), c.op)
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%T: err = %v, want %q", c.op, err, w)
			}
		}
		if err := r.stop(); err == nil {
			t.Error("Run returned nil after a failed write")
		}
	}
}

// TestEveryOpIsCovered: allOps, which the round-trip tests write, uses every
// op type persist declares, so a new op cannot go untested.
func TestEveryOpIsCovered(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("persist", "persist.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, op := range allOps() {
		used[reflect.TypeOf(op).Name()] = true
	}
	n := 0
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "isOp" || fn.Recv == nil {
			continue
		}
		name := fn.Recv.List[0].Type.(*ast.Ident).Name
		n++
		if !used[name] {
			t.Errorf("persist.%s is not used by allOps", name)
		}
	}
	if n < 26 {
		t.Errorf("found %d op types in persist.go; the parse is looking in the wrong place", n)
	}
}
