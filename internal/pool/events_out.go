package pool

// TaskEvent is a task event, for event handlers and the job activity
// record: Event is Cylc's event name ("submitted", "started",
// "succeeded", "failed", "submission failed", "retry", "submission
// retry", "warning", "critical", "custom", "expired", "execution
// timeout", "submission timeout") and Message its message.
type TaskEvent struct {
	ID        ID
	SubmitNum int
	TryNum    int
	JobID     string
	// Platform and JobRunner: where the job went ("" before submission).
	Platform, JobRunner string
	Event               string
	Message             string
	Def                 *TaskDef
}

// WorkflowEvent is a workflow event for the workflow's event handlers:
// "startup", "shutdown", "abort", "stall", "stall timeout", "inactivity
// timeout", "workflow timeout", "restart timeout".
type WorkflowEvent struct {
	Event   string
	Message string
}

func (TaskEvent) isEffect()     {}
func (WorkflowEvent) isEffect() {}

// taskEvent emits a task event for t's current job.
func (p *Pool) taskEvent(t *Proxy, event, msg string) {
	p.emit(TaskEvent{ID: t.ID, SubmitNum: t.SubmitNum, TryNum: t.TryNum, JobID: t.JobID, Platform: t.Platform, JobRunner: t.JobRunner, Event: event, Message: msg, Def: t.Def})
}
