package runner

import (
	"time"

	"gyre/internal/job"
)

// Event is an outcome a runner or a Pool reports to the scheduler after the
// fact. Events are plain data.
type Event interface{ isEvent() }

// Sink receives events. It is called from runner goroutines and must not
// block: the scheduler's sink posts to its mailbox and returns.
type Sink func(Event)

// Exited reports that a job's process has ended, as soon as the runner sees
// it. The scheduler turns it into the task messages Judge(Status) gives,
// reconciling them with the messages the job has sent itself, which may
// arrive before or after — as may the Submitted event of a very short job.
type Exited struct {
	Ref JobRef
	// Status is job.status re-read after the exit. If the job did not
	// record how it ended, the runner has added what it knows: for a job
	// that had started, CYLC_JOB_EXIT=SIG<NAME> when a signal killed it, or
	// EXIT otherwise; and CYLC_JOB_RUNNER_EXIT_POLLED, as a poll would.
	Status job.Status
	// ExitCode is the process's exit status, or -1 if a signal ended it or
	// the process was not the scheduler's child (a job adopted after a
	// restart), whose status only its parent can read.
	ExitCode int
	// Signal is the signal that ended the process ("SIGKILL"), or "".
	Signal string
	// Time is when the exit was seen.
	Time time.Time
	// Err is set if job.status could not be read or completed. Status is
	// then what could be read or, if the job's log directory has gone,
	// failed with ERR_JOB_FILES_REMOVED, as a poll would report it.
	Err error
}

// Submitted carries the results of one Pool submit batch.
type Submitted struct {
	Runner  string
	Results []SubmitResult
}

// Polled carries the results of one Pool poll batch.
type Polled struct {
	Runner  string
	Results []PollResult
}

// Killed carries the results of one Pool kill batch. A job that was killed
// is reported later by Exited (if the runner watches it) or by a poll.
type Killed struct {
	Runner  string
	Results []KillResult
}

func (Exited) isEvent()    {}
func (Submitted) isEvent() {}
func (Polled) isEvent()    {}
func (Killed) isEvent()    {}

// Task messages that Judge returns, as Cylc's scheduler spells them.
const (
	MsgSubmitted    = "submitted"
	MsgSubmitFailed = "submission failed"
	MsgStarted      = "started"
	MsgSucceeded    = "succeeded"
	MsgFailed       = "failed"
)

// ExitFilesRemoved is the CYLC_JOB_EXIT a poll reports for a job whose log
// directory has gone (Cylc's ERR_JOB_FILES_REMOVED): it is judged failed,
// since it can no longer be followed.
const ExitFilesRemoved = "ERR_JOB_FILES_REMOVED"

// Verdict is what the scheduler should conclude from a job's job.status.
type Verdict struct {
	// Message is the task message to process: MsgSubmitted,
	// MsgSubmitFailed, MsgStarted, MsgSucceeded, MsgFailed or
	// "failed/<signal>".
	Message string
	// Time is the event time from job.status; empty means the time of the
	// poll.
	Time string
}

// Judge maps a job's job.status to a task message the way Cylc maps a poll
// result (a job that left its runner has RunnerExitPolled set):
//
//   - exit ERR or EXIT (the job's own traps): failed
//   - another failure, gone from the runner: failed/<signal>
//   - another failure, still in the runner (which may requeue it): started
//   - SUCCEEDED: succeeded
//   - started, gone without recording an end: failed
//   - started: started
//   - never started, gone: submission failed
//   - otherwise: submitted
func Judge(st job.Status) Verdict {
	gone := st.RunnerExitPolled != ""
	failed := st.Exit != "" && !st.Succeeded()
	switch {
	case failed && (st.Exit == "ERR" || st.Exit == "EXIT"):
		return Verdict{MsgFailed, st.ExitTime}
	case failed && gone:
		return Verdict{MsgFailed + "/" + st.Exit, st.ExitTime}
	case failed:
		return Verdict{MsgStarted, st.InitTime}
	case st.Succeeded():
		return Verdict{MsgSucceeded, st.ExitTime}
	case st.Started() && gone:
		return Verdict{MsgFailed, ""}
	case st.Started():
		return Verdict{MsgStarted, st.InitTime}
	case gone:
		return Verdict{MsgSubmitFailed, st.SubmitTime}
	default:
		return Verdict{MsgSubmitted, st.SubmitTime}
	}
}

// settled reports whether job.status alone says how the job ended, so the
// runner need not be asked: Cylc trusts success, the job's own ERR and EXIT
// traps, and an earlier poll that found the job gone.
func settled(st job.Status) bool {
	return st.RunnerExitPolled != "" || st.Succeeded() || st.Exit == "ERR" || st.Exit == "EXIT"
}
