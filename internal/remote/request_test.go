package remote

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestRequestRoundTrip(t *testing.T) {
	for _, q := range []request{
		{verb: VerbSubmit, runner: "slurm", commandTemplate: "sbatch --account=x '%(job)s'", jobNameMax: -1, utc: true,
			killGrace:  1500 * time.Millisecond,
			timeLimits: map[string]time.Duration{"1/foo/01": 90 * time.Second, "1/bar/01": 0},
			env:        map[string][]string{"1/foo/01": {"A=1", "B=x=y", "C="}},
			runDir:     "$HOME/gyre-run/flow/run1", ids: []string{"1/foo/01", "1/bar/01"}},
		{verb: VerbPoll, runner: "background", timeLimits: map[string]time.Duration{}, env: map[string][]string{},
			runDir: "/abs/run", ids: []string{"1/foo/01"}},
		{verb: VerbKill, runner: "at", timeLimits: map[string]time.Duration{}, env: map[string][]string{},
			runDir: "-odd but allowed"},
	} {
		got, err := parseRequest(q.verb, q.args())
		if err != nil {
			t.Errorf("%q: %v", q.args(), err)
			continue
		}
		want := q
		delete(want.timeLimits, "1/bar/01") // zero limits are not sent
		if len(want.ids) == 0 {
			want.ids = []string{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip of %q:\n got %+v\nwant %+v", q.args(), got, want)
		}
	}
	// Flags with separate values, and no "--".
	got, err := parseRequest(VerbPoll, []string{"--runner", "pbs", "--utc", "--kill-grace", "2", "/r", "1/a/01"})
	if err != nil || got.runner != "pbs" || !got.utc || got.killGrace != 2*time.Second || got.runDir != "/r" || len(got.ids) != 1 {
		t.Errorf("separate values: %+v, %v", got, err)
	}
}

func TestRequestArgs(t *testing.T) {
	q := request{verb: VerbSubmit, runner: "pbs", jobNameMax: 15, killGrace: 10 * time.Second,
		timeLimits: map[string]time.Duration{"1/a/01": 3*time.Minute + 500*time.Millisecond},
		env:        map[string][]string{"1/a/01": {"X=1"}},
		runDir:     "$HOME/gyre-run/f/run1", ids: []string{"1/a/01", "2/a/01"}}
	want := "--runner=pbs --job-name-length-maximum=15 --kill-grace=10 --time-limit=1/a/01=180.5 --env=1/a/01=X=1 -- $HOME/gyre-run/f/run1 1/a/01 2/a/01"
	if got := strings.Join(q.args(), " "); got != want {
		t.Errorf("args:\n got %s\nwant %s", got, want)
	}
}

func TestParseRequestErrors(t *testing.T) {
	for _, c := range []struct {
		verb string
		args []string
		want string
	}{
		{"jobs-sumbit", nil, `unknown remote command "jobs-sumbit" (did you mean "jobs-submit"?)`},
		{VerbPoll, []string{"--runer=x", "/r"}, `jobs-poll: unknown flag "--runer" (did you mean "--runner"?)`},
		{VerbPoll, []string{"/r", "1/a/01"}, "jobs-poll: --runner is required"},
		{VerbPoll, []string{"--runner=background"}, "jobs-poll: the run directory is missing"},
		{VerbPoll, []string{"--runner=background", "--", ""}, "jobs-poll: the run directory is empty"},
		{VerbPoll, []string{"--runner"}, "jobs-poll: flag --runner needs a value"},
		{VerbPoll, []string{"--utc=yes"}, "jobs-poll: --utc takes no value"},
		{VerbSubmit, []string{"--runner=at", "--time-limit=1/a/01", "/r"}, `jobs-submit: --time-limit="1/a/01": want JOB_ID=SECONDS`},
		{VerbSubmit, []string{"--runner=at", "--time-limit=1/a/01=-5", "/r"}, `--time-limit="1/a/01=-5": want a positive number of seconds`},
		{VerbSubmit, []string{"--runner=at", "--kill-grace=NaN", "/r"}, `--kill-grace="NaN": want a positive number of seconds`},
		{VerbSubmit, []string{"--runner=at", "--env=1/a/01=X", "/r"}, `--env="1/a/01=X": want JOB_ID=NAME=VALUE`},
		{VerbSubmit, []string{"--runner=at", "--job-name-length-maximum=x", "/r"}, `want a whole number`},
	} {
		_, err := parseRequest(c.verb, c.args)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) && !strings.Contains(err.Error(), c.want) {
			t.Errorf("parseRequest(%s, %q) error %v; want %s", c.verb, c.args, err, c.want)
		}
	}
	if _, err := parseRequest(VerbKill, []string{"--help"}); err != errHelp {
		t.Errorf("--help: %v", err)
	}
}

// FuzzParseRequest: reading arguments never panics, and what is read
// renders to arguments that read back the same.
func FuzzParseRequest(f *testing.F) {
	f.Add("--runner=slurm\x00--utc\x00--time-limit=1/a/01=90\x00--env=1/a/01=A=b\x00--\x00$HOME/r\x001/a/01")
	f.Add("--runner\x00pbs\x00/r")
	f.Add("--kill-grace=1e300\x00--runner=x\x00/r")
	f.Add("")
	f.Fuzz(func(t *testing.T, joined string) {
		var args []string
		if joined != "" {
			args = strings.Split(joined, "\x00")
		}
		q, err := parseRequest(VerbSubmit, args)
		if err != nil {
			return
		}
		// Flags for jobs not in the request are not sent again.
		for id := range q.timeLimits {
			if !contains(q.ids, id) {
				delete(q.timeLimits, id)
			}
		}
		for id := range q.env {
			if !contains(q.ids, id) {
				delete(q.env, id)
			}
		}
		again, err := parseRequest(VerbSubmit, q.args())
		if err != nil {
			t.Fatalf("%q read as %+v, whose args %q fail: %v", args, q, q.args(), err)
		}
		if !reflect.DeepEqual(again.ids, q.ids) || again.runDir != q.runDir || again.runner != q.runner {
			t.Fatalf("%q read as %+v, then as %+v", args, q, again)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
