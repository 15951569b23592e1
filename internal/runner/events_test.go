package runner

import (
	"strings"
	"testing"
	"time"

	"gyre/internal/job"
)

// TestJudge follows the branches of Cylc's poll result handling
// (task_job_mgr._poll_task_job_callback), in its order of precedence.
func TestJudge(t *testing.T) {
	const sub, init, exit, polled = "T-submit", "T-init", "T-exit", "T-polled"
	for _, c := range []struct {
		name string
		st   job.Status
		want Verdict
	}{
		{"queued", job.Status{SubmitTime: sub}, Verdict{MsgSubmitted, sub}},
		{"gone before starting", job.Status{SubmitTime: sub, RunnerExitPolled: polled}, Verdict{MsgSubmitFailed, sub}},
		{"running", job.Status{SubmitTime: sub, InitTime: init}, Verdict{MsgStarted, init}},
		{"gone while running", job.Status{InitTime: init, RunnerExitPolled: polled}, Verdict{MsgFailed, ""}},
		{"succeeded", job.Status{InitTime: init, Exit: "SUCCEEDED", ExitTime: exit}, Verdict{MsgSucceeded, exit}},
		{"succeeded, polled", job.Status{InitTime: init, Exit: "SUCCEEDED", ExitTime: exit, RunnerExitPolled: polled}, Verdict{MsgSucceeded, exit}},
		{"ERR", job.Status{InitTime: init, Exit: "ERR", ExitTime: exit}, Verdict{MsgFailed, exit}},
		{"EXIT, still in runner", job.Status{InitTime: init, Exit: "EXIT", ExitTime: exit}, Verdict{MsgFailed, exit}},
		{"TERM, still in runner", job.Status{InitTime: init, Exit: "TERM", ExitTime: exit}, Verdict{MsgStarted, init}},
		{"TERM, gone", job.Status{InitTime: init, Exit: "TERM", ExitTime: exit, RunnerExitPolled: polled}, Verdict{"failed/TERM", exit}},
		{"XCPU, gone", job.Status{InitTime: init, Exit: "XCPU", ExitTime: exit, RunnerExitPolled: polled}, Verdict{"failed/XCPU", exit}},
		{"SIGKILL seen by the runner", job.Status{InitTime: init, Exit: "SIGKILL", ExitTime: exit, RunnerExitPolled: polled}, Verdict{"failed/SIGKILL", exit}},
		{"aborted", job.Status{InitTime: init, Exit: `"no input"`, ExitTime: exit, RunnerExitPolled: polled}, Verdict{`failed/"no input"`, exit}},
		{"log removed", job.Status{Exit: ExitFilesRemoved, ExitTime: exit, RunnerExitPolled: polled}, Verdict{"failed/" + ExitFilesRemoved, exit}},
	} {
		if got := Judge(c.st); got != c.want {
			t.Errorf("%s: Judge = %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestScriptTimeLimit(t *testing.T) {
	for _, c := range []struct {
		script string
		want   time.Duration
		err    string
	}{
		{"#!/bin/bash -l\n#\n# Job runner: background\n# Execution time limit: 60.0\n\n# DIRECTIVES:\n", time.Minute, ""},
		{"#!/bin/bash -l\n# Execution time limit: 0.5\n", 500 * time.Millisecond, ""},
		{"#!/bin/bash -l\n# Task: 1/foo\n\nexport X=1\n# Execution time limit: 60.0\n", 0, ""},
		{"#!/bin/bash -l\n# Job runner: background\n", 0, ""},
		{"", 0, ""},
		{"# Execution time limit: soon\n", 0, `line 1: execution time limit "soon"`},
		{"#\n# Execution time limit: -5\n", 0, "line 2"},
		{"# Execution time limit: NaN\n", 0, "positive number"},
		{"# Execution time limit: 1e300\n", 0, "positive number"},
	} {
		got, err := scriptTimeLimit(strings.NewReader(c.script))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want one containing %q", c.script, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %v, %v; want %v", c.script, got, err, c.want)
		}
	}
}

func TestTimestamp(t *testing.T) {
	at := time.Date(2026, 11, 26, 5, 20, 7, 999, time.FixedZone("X", 90*60))
	if got := (&statusFiles{utc: true}).timestamp(at); got != "2026-11-26T03:50:07Z" {
		t.Errorf("UTC timestamp %q", got)
	}
	if got := (&statusFiles{}).timestamp(at); got != "2026-11-26T05:20:07+01:30" {
		t.Errorf("local timestamp %q", got)
	}
	if back, ok := parseTimestamp("2026-11-26T05:20:07+01:30"); !ok || !back.Equal(at.Truncate(time.Second)) {
		t.Errorf("parseTimestamp = %v, %t", back, ok)
	}
}
