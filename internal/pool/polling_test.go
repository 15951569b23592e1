package pool_test

import (
	"reflect"
	"testing"
	"time"

	"gyre/internal/pool"
	"gyre/internal/task"
	"gyre/internal/workflow"
)

// pollTimes submits one job, lets it start after startAfter, and fires
// its poll timers in order until until; it returns when (after the
// submission) the pool polled, and the events it raised.
func pollTimes(t *testing.T, runtime string, startAfter, until time.Duration) (polls []time.Duration, events []string) {
	t.Helper()
	def := load(t, `
[scheduling]
    [[graph]]
        R1 = foo
[runtime]
    [[foo]]
`+runtime, workflow.RunOptions{})
	p := pool.New(def)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	timers := map[pool.TimerKey]time.Time{}
	apply := func(ev pool.Event, now time.Time) {
		for _, e := range p.Apply(ev, now) {
			switch e := e.(type) {
			case pool.ArmTimer:
				timers[e.Key] = e.At
			case pool.CancelTimer:
				delete(timers, e.Key)
			case pool.PollJob:
				polls = append(polls, now.Sub(t0))
			case pool.TaskEvent:
				events = append(events, e.Event)
			}
		}
	}
	id := pool.ID{Point: "1", Name: "foo"}
	apply(pool.Started{}, t0)
	apply(pool.JobSubmitted{ID: id, SubmitNum: 1, JobID: "42"}, t0)
	started := false
	for {
		// The earliest of the task's deadlines, or the job's start.
		var key pool.TimerKey
		var at time.Time
		for k, a := range timers {
			if k.ID == id && (at.IsZero() || a.Before(at)) {
				key, at = k, a
			}
		}
		if !started && (at.IsZero() || !at.Before(t0.Add(startAfter))) {
			started = true
			apply(pool.JobMessage{ID: id, SubmitNum: 1, Message: task.OutStarted}, t0.Add(startAfter))
			continue
		}
		if at.IsZero() || at.Sub(t0) > until {
			return polls, events
		}
		delete(timers, key)
		apply(pool.TimerFired{Key: key}, at)
	}
}

func mins(ms ...float64) []time.Duration {
	out := make([]time.Duration, len(ms))
	for i, m := range ms {
		out[i] = time.Duration(m * float64(time.Minute))
	}
	return out
}

// Jobs are polled on Cylc's schedule: the submission intervals while
// submitted and the execution intervals once running (the last interval
// repeating), the default PT15M for both; past an execution time limit,
// at the limit plus PT1M, PT2M, PT7M, then every PT7M.
func TestPollingSchedule(t *testing.T) {
	for _, tc := range []struct {
		name, runtime     string
		startAfter, until time.Duration
		want              []time.Duration
		events            []string
	}{
		{"defaults", "", 40 * time.Minute, 80 * time.Minute,
			mins(15, 30, 55, 70), []string{"submitted", "started"}},
		{"configured", `        submission polling intervals = PT1M, PT2M
        execution polling intervals = PT5M, PT10M
`, 4 * time.Minute, 40 * time.Minute,
			mins(1, 3, 9, 19, 29, 39), []string{"submitted", "started"}},
		{"time limit", `        execution time limit = PT20M
        execution polling intervals = PT15M
`, 0, 60 * time.Minute,
			mins(15, 21, 23, 30, 37, 44, 51, 58), []string{"submitted", "started"}},
		{"timeouts", `        [[[events]]]
            submission timeout = PT2M
            execution timeout = PT30M
`, 5 * time.Minute, 40 * time.Minute,
			mins(20, 35), []string{"submitted", "submission timeout", "started", "execution timeout"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			polls, events := pollTimes(t, tc.runtime, tc.startAfter, tc.until)
			if !reflect.DeepEqual(polls, tc.want) {
				t.Errorf("polled at %v, want %v", polls, tc.want)
			}
			if !reflect.DeepEqual(events, tc.events) {
				t.Errorf("events %v, want %v", events, tc.events)
			}
		})
	}
}
