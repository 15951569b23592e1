package pool_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"gyre/internal/pool"
	"gyre/internal/task"
	"gyre/internal/workflow"
	"gyre/internal/workflow/workflowtest"
)

// harness drives a pool the way the scheduler does in simulation mode, but
// synchronously and deterministically: jobs run in submission order and
// deadlines fire in time order when nothing else is pending.
type harness struct {
	t    testing.TB
	p    *pool.Pool
	def  *pool.Def
	now  time.Time
	jobs []pool.SubmitJob
	// jobLog is every job submitted, in order.
	jobLog []pool.SubmitJob
	timers map[pool.TimerKey]time.Time
	// fail decides whether a job fails (by ID string); nil: all succeed.
	fail func(id string, try int) bool
	// Submitted lists "point/name" per submission, in order.
	Submitted []string
	Ref       []string
	Logs      []string
	Shutdown  *pool.Shutdown
	limitSeen func(pool.SubmitJob)
	// Params are the workflow parameters recorded (WorkflowParam).
	Params map[string]string
	// Flows are the flows started (FlowStarted).
	Flows []pool.FlowStarted
	// effects, if set, sees every effect.
	effects func(pool.Effect)
}

func load(t testing.TB, flow string, opts workflow.RunOptions) *pool.Def {
	t.Helper()
	return workflowtest.Def(t, flow, opts)
}

func newHarness(t testing.TB, def *pool.Def) *harness {
	return &harness{
		t: t, p: pool.New(def), def: def,
		now:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		timers: map[pool.TimerKey]time.Time{},
	}
}

func (h *harness) apply(ev pool.Event) {
	for _, e := range h.p.Apply(ev, h.now) {
		if h.effects != nil {
			h.effects(e)
		}
		switch e := e.(type) {
		case pool.SubmitJob:
			h.jobs = append(h.jobs, e)
			h.jobLog = append(h.jobLog, e)
			h.Submitted = append(h.Submitted, e.ID.String())
			if h.limitSeen != nil {
				h.limitSeen(e)
			}
		case pool.ArmTimer:
			h.timers[e.Key] = e.At
		case pool.CancelTimer:
			delete(h.timers, e.Key)
		case pool.RefLog:
			h.Ref = append(h.Ref, e.Line)
		case pool.Log:
			h.Logs = append(h.Logs, e.Level.String()+" "+e.Msg)
		case pool.WorkflowParam:
			if h.Params == nil {
				h.Params = map[string]string{}
			}
			h.Params[e.Key] = e.Value
		case pool.FlowStarted:
			h.Flows = append(h.Flows, e)
		case pool.Shutdown:
			if h.Shutdown == nil {
				s := e
				h.Shutdown = &s
			}
		}
	}
}

// run drives the workflow until it shuts down or nothing is left to do;
// maxEvents guards against a workflow that never ends.
func (h *harness) run(maxEvents int) {
	h.apply(pool.Started{}) // ignored if the test started it already
	for n := 0; h.Shutdown == nil && n < maxEvents; n++ {
		if len(h.jobs) > 0 {
			j := h.jobs[0]
			h.jobs = h.jobs[1:]
			h.runJob(j)
			continue
		}
		if len(h.timers) == 0 {
			return
		}
		var next pool.TimerKey
		var at time.Time
		first := true
		for k, t := range h.timers {
			if first || t.Before(at) || t.Equal(at) && keyLess(k, next) {
				next, at, first = k, t, false
			}
		}
		delete(h.timers, next)
		if at.After(h.now) {
			h.now = at
		}
		h.apply(pool.TimerFired{Key: next})
	}
}

func keyLess(a, b pool.TimerKey) bool {
	if a.Kind != b.Kind {
		return a.Kind < b.Kind
	}
	return a.ID.String() < b.ID.String()
}

func (h *harness) runJob(j pool.SubmitJob) {
	h.apply(pool.JobSubmitted{ID: j.ID, SubmitNum: j.SubmitNum})
	h.apply(pool.JobMessage{ID: j.ID, SubmitNum: j.SubmitNum, Message: task.OutStarted})
	for _, o := range j.Def.Outputs {
		if !task.IsStandard(o.Trigger) {
			h.apply(pool.JobMessage{ID: j.ID, SubmitNum: j.SubmitNum, Message: o.Message})
		}
	}
	msg := task.OutSucceeded
	if h.fail != nil && h.fail(j.ID.String(), j.TryNum) {
		msg = "failed/ERR"
	}
	h.apply(pool.JobMessage{ID: j.ID, SubmitNum: j.SubmitNum, Message: msg})
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func joined(s []string) string { return strings.Join(s, "\n") }
