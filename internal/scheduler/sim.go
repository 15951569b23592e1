package scheduler

import (
	"gyre/internal/pool"
	"gyre/internal/task"
)

// simSubmit runs a job in simulation mode, as Cylc does: the submission
// and start are reported at once, and the job ends after its simulated
// run length, completing its custom outputs and then succeeding or
// failing as its [simulation] settings say.
func (s *Scheduler) simSubmit(job pool.SubmitJob) {
	s.Post(pool.JobSubmitted{ID: job.ID, SubmitNum: job.SubmitNum, JobID: "simulation"})
	s.Post(pool.JobMessage{ID: job.ID, SubmitNum: job.SubmitNum, Severity: "INFO", Message: task.OutStarted})
	key := timerKey{sim: simJob{id: job.ID, submitNum: job.SubmitNum}}
	s.simJobs[key.sim] = job
	s.timers.Arm(key, s.opts.Clock.Now().Add(job.Sim.RunLength))
}

func (s *Scheduler) simFinish(j simJob) {
	job, ok := s.simJobs[j]
	if !ok {
		return
	}
	delete(s.simJobs, j)
	now := s.opts.Clock.Now()
	for _, o := range job.Def.Outputs {
		if !task.IsStandard(o.Trigger) {
			s.apply(pool.JobMessage{ID: j.id, SubmitNum: j.submitNum, Severity: "DEBUG", Message: o.Message, Time: now})
		}
	}
	msg := task.OutSucceeded
	if job.Sim.Fail {
		msg = task.OutFailed
	}
	s.apply(pool.JobMessage{ID: j.id, SubmitNum: j.submitNum, Severity: "INFO", Message: msg, Time: now})
}

// simPoll answers a poll in simulation mode: a simulated job still running
// needs nothing; one lost with a restarted scheduler is simulated again.
func (s *Scheduler) simPoll(job pool.PollJob) {
	if _, ok := s.simJobs[simJob{id: job.ID, submitNum: job.SubmitNum}]; ok {
		return
	}
	s.simSubmit(pool.SubmitJob{ID: job.ID, SubmitNum: job.SubmitNum, Def: job.Def, Sim: job.Sim})
}

// simKill ends a simulated job as killed: it fails.
func (s *Scheduler) simKill(job pool.KillJob) {
	key := simJob{id: job.ID, submitNum: job.SubmitNum}
	if _, ok := s.simJobs[key]; !ok {
		return
	}
	delete(s.simJobs, key)
	s.timers.Cancel(timerKey{sim: key})
	s.Post(pool.JobMessage{ID: job.ID, SubmitNum: job.SubmitNum, Severity: "CRITICAL", Message: "failed/KILL", Time: s.opts.Clock.Now()})
}
