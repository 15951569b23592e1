package remote

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"gyre/internal/job"
)

func TestDecodeReplies(t *testing.T) {
	out := strings.Join([]string{
		"Welcome to the cluster!", // a login shell's banner
		`{"id":"1/foo/01","runner_job_id":"4242","time":"2026-01-01T00:00:00Z","output":"Submitted batch job 4242","status":"CYLC_JOB_RUNNER_NAME=slurm\n"}`,
		`  {"id":"1/bar/01","error":"runner: slurm: submitting 1/bar/01: sbatch: error: invalid partition"}  `,
		`{"id":"1/foo/01","runner_job_id":"duplicate"}`,
		`{"id":"9/other/01","runner_job_id":"1"}`,
		`{"id": broken`,
		`{"id":"1/baz/01","new_field":[1,2],"runner_job_id":"7"}`,
		"",
	}, "\n")
	got := decodeReplies(strings.NewReader(out), []string{"1/foo/01", "1/bar/01", "1/baz/01", "1/gone/01"})
	want := map[string]reply{
		"1/foo/01": {ID: "1/foo/01", RunnerJobID: "4242", Time: "2026-01-01T00:00:00Z", Output: "Submitted batch job 4242", Status: "CYLC_JOB_RUNNER_NAME=slurm\n"},
		"1/bar/01": {ID: "1/bar/01", Error: "runner: slurm: submitting 1/bar/01: sbatch: error: invalid partition"},
		"1/baz/01": {ID: "1/baz/01", RunnerJobID: "7"},
	}
	if !reflect.DeepEqual(got.byID, want) {
		t.Errorf("replies:\n got %+v\nwant %+v", got.byID, want)
	}
	if got.noise != `"Welcome to the cluster!"` || got.err != nil {
		t.Errorf("noise %s, err %v", got.noise, got.err)
	}

	long := `{"id":"1/a/01","status":"` + strings.Repeat("x", maxReplyLine) + `"}`
	got = decodeReplies(strings.NewReader(`{"id":"1/b/01"}`+"\n"+long), []string{"1/a/01", "1/b/01"})
	if _, ok := got.byID["1/b/01"]; !ok || got.err == nil || !strings.Contains(got.err.Error(), "longer than") {
		t.Errorf("over-long line: %+v, %v", got.byID, got.err)
	}
}

// Replies written by the remote side are read back by the local side.
func TestReplyRoundTrip(t *testing.T) {
	rs := []reply{
		{ID: "1/a/01", RunnerJobID: "12", Time: "2026-01-01T00:00:00.5Z", Output: "line 1\nline \"2\"", Status: "CYLC_JOB_RUNNER_NAME=background\nCYLC_JOB_ID=12\n"},
		{ID: "1/b/01", Error: "no such \u00e9 thing"},
	}
	var b bytes.Buffer
	for _, r := range rs {
		if err := writeReply(&b, r); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(b.String(), "\n"); n != 2 {
		t.Fatalf("%d lines for 2 replies:\n%s", n, b.String())
	}
	got := decodeReplies(&b, []string{"1/a/01", "1/b/01"})
	for _, r := range rs {
		if got.byID[r.ID] != r {
			t.Errorf("%s: got %+v, want %+v", r.ID, got.byID[r.ID], r)
		}
	}
}

func TestFormatStatus(t *testing.T) {
	st := job.Status{
		RunnerName: "slurm", JobID: "99", SubmitTime: "2026-01-01T00:00:00Z", PID: 123,
		InitTime: "2026-01-01T00:00:05Z", Exit: "XCPU", ExitTime: "2026-01-01T00:01:00Z",
		RunnerExitPolled: "2026-01-01T00:02:00Z",
		Messages: []job.Message{
			{Time: "2026-01-01T00:00:06Z", Severity: "WARNING", Text: "a|b"},
			{Time: "t|x", Severity: "INFO", Text: "two\nlines"},
		},
	}
	want := `CYLC_JOB_RUNNER_NAME=slurm
CYLC_JOB_ID=99
CYLC_JOB_RUNNER_SUBMIT_TIME=2026-01-01T00:00:00Z
CYLC_JOB_PID=123
CYLC_JOB_INIT_TIME=2026-01-01T00:00:05Z
CYLC_MESSAGE=2026-01-01T00:00:06Z|WARNING|a|b
CYLC_MESSAGE=t x|INFO|two lines
CYLC_JOB_EXIT=XCPU
CYLC_JOB_EXIT_TIME=2026-01-01T00:01:00Z
CYLC_JOB_RUNNER_EXIT_POLLED=2026-01-01T00:02:00Z
`
	if got := formatStatus(st); got != want {
		t.Errorf("formatStatus:\n%s\nwant:\n%s", got, want)
	}
	if formatStatus(job.Status{}) != "" {
		t.Error("an empty status is not empty text")
	}
}

// FuzzDecodeReplies: the local side's reading of a remote command's output
// (which anything on the remote host may have added to) never panics,
// keeps only replies for the jobs asked about, and reads back what the
// remote side writes. Each job.status in a reply parses to what it
// formats to.
func FuzzDecodeReplies(f *testing.F) {
	f.Add(`{"id":"1/a/01","runner_job_id":"5","status":"CYLC_JOB_RUNNER_NAME=at\nCYLC_JOB_ID=5\n"}`+"\nbanner\n", "1/a/01")
	f.Add(`{"id":"1/a/01","status":"CYLC_MESSAGE=t|s|x|y\nCYLC_JOB_PID=-1\nCYLC_JOB_EXIT= odd \n"}`, "1/a/01")
	f.Add("{}\n{\"id\":1}\n{\"id\":null}\n[]\n{", "")
	f.Add("\x00\xff{\"id\":\"\\u0000\"}", "\x00")
	f.Fuzz(func(t *testing.T, out, id string) {
		got := decodeReplies(strings.NewReader(out), []string{id})
		for k, r := range got.byID {
			if k != id || r.ID != id {
				t.Fatalf("reply for %q kept when asking for %q", k, id)
			}
			st, _ := parseStatus(r.Status)
			again, _ := parseStatus(formatStatus(st))
			if !reflect.DeepEqual(normal(st), normal(again)) {
				t.Fatalf("status %q parses to %+v; formatted and parsed again: %+v", r.Status, st, again)
			}
			var b bytes.Buffer
			if err := writeReply(&b, r); err != nil {
				t.Fatal(err)
			}
			if back := decodeReplies(&b, []string{id}).byID[id]; back != r {
				t.Fatalf("reply %+v written and read back as %+v", r, back)
			}
		}
	})
}

// normal makes nil and empty message lists compare equal.
func normal(st job.Status) job.Status {
	if len(st.Messages) == 0 {
		st.Messages = nil
	}
	return st
}
