package store

import (
	"context"
	"strings"
	"testing"

	"gyre/internal/store/persist"
	"gyre/internal/task"
)

func stateOps() []persist.Op {
	type inst struct {
		cycle, name string
		flows       []int
		submit      int
		status      task.Status
		outs        []persist.Output
	}
	var ops []persist.Op
	for _, i := range []inst{
		{"2030", "foo", []int{1}, 2, task.Succeeded, append(std("submitted", "started", "succeeded"), persist.Output{Trigger: "x", Message: "the quick brown"})},
		{"2030", "bar", []int{1}, 1, task.Failed, std("submitted", "started", "failed")},
		{"2031", "foo", []int{1, 2}, 1, task.Running, std("submitted", "started")},
		{"2031", "a_b", []int{2}, 3, task.Succeeded, std("submitted", "started", "succeeded")},
		{"2031", "aXb", nil, 1, task.Expired, std("expired")},
	} {
		ops = append(ops,
			persist.InsertTaskState{Cycle: i.cycle, Name: i.name, FlowNums: i.flows, Time: t0, SubmitNum: i.submit, Status: i.status},
			persist.SetTaskOutputs{Cycle: i.cycle, Name: i.name, FlowNums: i.flows, Outputs: i.outs})
	}
	return ops
}

// short writes results as `cylc workflow-state` prints them, with flows.
func short(res []TaskState) string {
	var parts []string
	for _, r := range res {
		v := r.Status
		if v == "" {
			var trig []string
			for _, o := range r.Outputs {
				trig = append(trig, o.Trigger)
			}
			v = strings.Join(trig, "+")
		}
		parts = append(parts, r.Cycle+"/"+r.Name+":"+v+encodeFlowNums(r.FlowNums))
	}
	return strings.Join(parts, " ")
}

func TestWorkflowState(t *testing.T) {
	s := openTemp(t)
	withWriter(t, s, func(w *Writer) { write(t, w, stateOps()...) })
	// A row as Cylc 8.0-8.2 wrote it: a list of messages.
	if _, err := rawDB(t, s.Path()).Exec(`INSERT INTO task_outputs VALUES('2029', 'old', '[1]', '["submitted", "started", "succeeded", "the quick brown"]')`); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReadOnly(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, c := range []struct {
		name string
		q    StateQuery
		want string
	}{
		{"all statuses, in submit order", StateQuery{},
			"2030/bar:failed[1] 2031/aXb:expired[] 2031/foo:running[1, 2] 2030/foo:succeeded[1] 2031/a_b:succeeded[2]"},
		{"final status", StateQuery{Selector: "succeeded"}, "2030/foo:succeeded[1] 2031/a_b:succeeded[2]"},
		{"task and cycle", StateQuery{Task: "foo", Cycle: "2030"}, "2030/foo:succeeded[1]"},
		{"cycle glob", StateQuery{Task: "foo", Cycle: "203*"}, "2031/foo:running[1, 2] 2030/foo:succeeded[1]"},
		{"underscore is not a wildcard", StateQuery{Task: "a_*"}, "2031/a_b:succeeded[2]"},
		{"glob is case-sensitive", StateQuery{Task: "FOO"}, ""},
		{"flow", StateQuery{Flow: 2}, "2031/foo:running[1, 2] 2031/a_b:succeeded[2]"},
		{"trigger", StateQuery{Selector: "x", By: ByTrigger}, "2030/foo:submitted+started+succeeded+x[1]"},
		{"finished is succeeded or failed", StateQuery{Cycle: "2030", Selector: "finished", By: ByTrigger},
			"2030/bar:submitted+started+failed[1] 2030/foo:submitted+started+succeeded+x[1]"},
		{"started trigger", StateQuery{Cycle: "2031", Selector: "started", By: ByTrigger},
			"2031/a_b:submitted+started+succeeded[2] 2031/foo:submitted+started[1, 2]"},
		{"message, including pre-8.3 rows", StateQuery{Selector: "the quick brown", By: ByMessage},
			"2029/old:submitted+started+succeeded+the quick brown[1] 2030/foo:submitted+started+succeeded+x[1]"},
		{"all outputs of a task", StateQuery{Task: "bar", By: ByTrigger}, "2030/bar:submitted+started+failed[1]"},
		{"no match", StateQuery{Task: "nope"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := r.WorkflowState(context.Background(), c.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := short(res); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestWorkflowStateRefusesUnreliableStatuses(t *testing.T) {
	s := openTemp(t)
	for _, c := range []struct {
		sel  string
		want []string
	}{
		{"running", []string{`"running"`, "transient", `poll for the "started" trigger instead`}},
		{"submitted", []string{`"submitted"`, "transient", `"submitted" trigger`}},
		{"waiting", []string{`cannot poll for the "waiting" task state`}},
		{"preparing", []string{`cannot poll for the "preparing" task state`}},
		{"succeded", []string{`no such task state "succeded"`, `did you mean "succeeded"?`}},
		{"bogus", []string{`no such task state "bogus"`, "waiting, expired"}},
	} {
		_, err := s.WorkflowState(context.Background(), StateQuery{Selector: c.sel})
		if err == nil {
			t.Errorf("%s: no error", c.sel)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %s", c.sel, err, w)
			}
		}
	}
	// The same words are fine as triggers.
	if _, err := s.WorkflowState(context.Background(), StateQuery{Selector: "submitted", By: ByTrigger}); err != nil {
		t.Errorf("trigger query: %v", err)
	}
}

func TestGlobPattern(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"foo", "foo"},
		{"f*", "f*"},
		{"a?b", "a[?]b"},
		{"a[1]", "a[[]1]"},
		{"a_b%", "a_b%"},
	} {
		if got := globPattern(c.in); got != c.want {
			t.Errorf("globPattern(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Platforms lists where the run's jobs went, each once; JobPlatform
// where one job went.
func TestPlatforms(t *testing.T) {
	s := openTemp(t)
	withWriter(t, s, func(w *Writer) {
		write(t, w,
			persist.InsertTaskJob{Cycle: "1", Name: "a", SubmitNum: 1, TimeSubmit: t0, Platform: "localhost", JobRunner: "background"},
			persist.InsertTaskJob{Cycle: "1", Name: "b", SubmitNum: 1, TimeSubmit: t0, Platform: "localhost", JobRunner: "background"},
			persist.UpdateTaskJob{Cycle: "1", Name: "b", SubmitNum: 1, Set: persist.JobPlatform | persist.JobRunner, Platform: "hpc", JobRunner: "slurm"},
			persist.InsertTaskJob{Cycle: "2", Name: "a", SubmitNum: 1, TimeSubmit: t0, Platform: "localhost", JobRunner: "background"},
		)
	})
	r, err := OpenReadOnly(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := r.Platforms(context.Background())
	if err != nil || strings.Join(got, " ") != "hpc localhost" {
		t.Errorf("Platforms = %q, %v; want hpc localhost", got, err)
	}
	for _, c := range []struct {
		cycle, name string
		want        string
	}{{"1", "b", "hpc"}, {"1", "a", "localhost"}, {"3", "a", ""}} {
		if got, err := r.JobPlatform(context.Background(), c.cycle, c.name, 1); got != c.want || err != nil {
			t.Errorf("JobPlatform(%s/%s/01) = %q, %v; want %q", c.cycle, c.name, got, err, c.want)
		}
	}
}
