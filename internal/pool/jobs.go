package pool

import (
	"sort"
	"strings"

	"gyre/internal/task"
)

// Kill kills the jobs of tasks (a command). As in Cylc, each killed task
// is held first, so that a retry does not start a new job at once; a task
// still preparing its job fails submission instead.
type Kill struct{ IDs []ID }

// Poll asks for the jobs of tasks to be polled (a command).
type Poll struct{ IDs []ID }

func (Kill) isEvent() {}
func (Poll) isEvent() {}

// KillJob asks the runner to kill a task's job.
type KillJob struct {
	ID        ID
	SubmitNum int
	JobID     string
	// Platform and JobRunner: where the job went, if it was submitted.
	Platform, JobRunner string
	Def                 *TaskDef
}

func (KillJob) isEffect() {}

func (p *Pool) kill(e Kill) {
	var unkillable []string
	for _, id := range e.IDs {
		t := p.tasks[id]
		if t == nil {
			continue
		}
		if !t.Status.Active() {
			unkillable = append(unkillable, t.ID.String())
			continue
		}
		if !t.Held {
			t.Held = true
			p.changed(t)
		}
		if t.Status == task.Preparing && t.JobID == "" {
			p.jobSubmitFailed(JobSubmitFailed{ID: t.ID, SubmitNum: t.SubmitNum, Reason: "(killed in job prep)"})
			continue
		}
		p.emit(KillJob{ID: t.ID, SubmitNum: t.SubmitNum, JobID: t.JobID, Platform: t.Platform, JobRunner: t.JobRunner, Def: t.Def})
	}
	if len(unkillable) > 0 {
		sort.Strings(unkillable)
		p.logf(Warning, "Tasks not killable: %s", strings.Join(unkillable, ", "))
	}
}

func (p *Pool) poll(e Poll) {
	for _, id := range e.IDs {
		t := p.tasks[id]
		// Waiting tasks are not polled: one waiting to retry still has
		// the submit number of its last job.
		if t == nil || t.Status == task.Waiting || t.SubmitNum == 0 {
			continue
		}
		p.emit(PollJob{ID: t.ID, SubmitNum: t.SubmitNum, JobID: t.JobID, Platform: t.Platform, JobRunner: t.JobRunner, Def: t.Def, Sim: p.simOutcome(t), Preparing: t.Status == task.Preparing})
	}
}
