package live

import (
	"errors"
	"io/fs"
	"time"

	"gyre/internal/job"
	"gyre/internal/pool"
	"gyre/internal/runner"
)

// Poll asks the runner about a job (scheduler.Runner). What the poll
// finds is posted as the job events the scheduler has not seen: after a
// restart, a job that finished while the scheduler was down is reported
// from its job.status; one still running is adopted and watched.
func (r *Runner) Poll(pj pool.PollJob, post func(pool.Event)) {
	r.post.Store(&post)
	rn, err := r.runners.forJob(r.opts.Platforms, pj.Platform, pj.JobRunner)
	if err != nil {
		r.logf(pool.Warning, "[%s/%02d] poll failed: %v", pj.ID, pj.SubmitNum, err)
		return
	}
	ref := r.ref(pj.ID, pj.SubmitNum)
	r.mu.Lock()
	st := r.jobs[ref.ID]
	if st == nil {
		st = &jobState{id: pj.ID, submitNum: pj.SubmitNum, platform: pj.Platform, runner: pj.JobRunner}
		r.jobs[ref.ID] = st
	}
	st.preparing = pj.Preparing
	st.polls++
	r.mu.Unlock()
	if pj.Restart {
		r.logf(pool.Info, "[%s/%02d] polling the job after a restart", pj.ID, pj.SubmitNum)
	}
	if !r.pool.Poll(rn, []runner.JobRef{ref}) {
		r.logf(pool.Warning, "[%s/%02d] poll not done: the scheduler is shutting down", pj.ID, pj.SubmitNum)
	}
}

// Kill asks the runner to kill a job (scheduler.Runner); its end is
// reported when its process has gone, as for any job.
func (r *Runner) Kill(kj pool.KillJob, post func(pool.Event)) {
	r.post.Store(&post)
	ref := r.ref(kj.ID, kj.SubmitNum)
	rn, err := r.runners.forJob(r.opts.Platforms, kj.Platform, kj.JobRunner)
	if err != nil {
		r.logf(pool.Warning, "[%s/%02d] job kill failed: %v", kj.ID, kj.SubmitNum, err)
		return
	}
	if !r.pool.Kill(rn, []runner.JobRef{ref}) {
		r.logf(pool.Warning, "[%s/%02d] kill not done: the scheduler is shutting down", kj.ID, kj.SubmitNum)
	}
}

func (r *Runner) ref(id pool.ID, submitNum int) runner.JobRef {
	return runner.JobRef{
		ID:    job.RelativeJobID(id.Point, id.Name, submitNum),
		Files: r.layout.Job(id.Point, id.Name, submitNum),
	}
}

// polled reports a poll's findings.
func (r *Runner) polled(res runner.PollResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.jobs[res.Ref.ID]
	if st == nil {
		return
	}
	st.polls--
	status := res.Status
	if st.preparing && !status.Started() && status.RunnerName == "" && status.PID == 0 {
		// No record of a submission at all (job.status missing, or
		// empty from an older scheduler killed while writing it).
		delete(r.jobs, res.Ref.ID)
		r.emit(pool.JobNotFound{ID: st.id, SubmitNum: st.submitNum})
		return
	}
	if res.Err != nil {
		if errors.Is(res.Err, fs.ErrNotExist) {
			delete(r.jobs, res.Ref.ID)
			r.emit(pool.JobNotFound{ID: st.id, SubmitNum: st.submitNum})
			return
		}
		r.logf(pool.Warning, "[%s] poll failed: %v", res.Ref.ID, res.Err)
		return
	}
	if st.preparing && !status.Started() && status.PID == 0 && (status.JobID == "" || status.Exit == runner.ExitFilesRemoved) {
		// The scheduler stopped before the job was handed over.
		delete(r.jobs, res.Ref.ID)
		r.emit(pool.JobNotFound{ID: st.id, SubmitNum: st.submitNum})
		return
	}
	v := runner.Judge(status)
	final := v.Message != runner.MsgSubmitted && v.Message != runner.MsgStarted
	if final && st.polls == 0 {
		delete(r.jobs, res.Ref.ID)
	}
	r.report(st, status, v, time.Now())
}

// report posts what job.status and its verdict say that the scheduler has
// not heard from the job itself: the submission, the messages it recorded,
// and the verdict (unless the job has already reported its end).
func (r *Runner) report(st *jobState, status job.Status, v runner.Verdict, now time.Time) {
	if v.Message == runner.MsgSubmitFailed {
		if !st.submitted {
			st.submitted = true
			r.emit(pool.JobSubmitFailed{ID: st.id, SubmitNum: st.submitNum, Reason: "the job ended without starting"})
		}
		return
	}
	if !st.submitted {
		st.submitted = true
		r.emit(pool.JobSubmitted{ID: st.id, SubmitNum: st.submitNum, JobID: status.JobID})
	}
	for _, m := range status.Messages {
		if !st.seen[m.Text] {
			if st.seen == nil {
				st.seen = map[string]bool{}
			}
			st.seen[m.Text] = true
			r.emit(pool.JobMessage{ID: st.id, SubmitNum: st.submitNum, Severity: m.Severity, Message: m.Text, Time: parseTime(m.Time, now)})
		}
	}
	if st.finished || v.Message == runner.MsgSubmitted {
		return
	}
	if v.Message == runner.MsgStarted {
		if !st.seen[runner.MsgStarted] {
			if st.seen == nil {
				st.seen = map[string]bool{}
			}
			st.seen[runner.MsgStarted] = true
			r.emit(pool.JobMessage{ID: st.id, SubmitNum: st.submitNum, Severity: "INFO", Message: runner.MsgStarted, Time: parseTime(v.Time, now)})
		}
		return
	}
	st.finished = true
	severity := "INFO"
	if v.Message != runner.MsgSucceeded {
		severity = "CRITICAL"
	}
	r.emit(pool.JobMessage{ID: st.id, SubmitNum: st.submitNum, Severity: severity, Message: v.Message, Time: parseTime(v.Time, now)})
}

// killed logs the outcome of kill requests, in Cylc's words.
func (r *Runner) killed(res runner.KillResult) {
	if res.Err != nil {
		r.logf(pool.Warning, "[%s] job kill failed: %v", res.Ref.ID, res.Err)
		return
	}
	r.logf(pool.Info, "[%s] job killed", res.Ref.ID)
}
