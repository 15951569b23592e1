package job

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestParseStatus(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     Status
		err      string // substring of the error; "" for none
	}{
		{
			name: "succeeded",
			in: `CYLC_JOB_RUNNER_NAME=background
CYLC_JOB_ID=4242
CYLC_JOB_RUNNER_SUBMIT_TIME=2024-01-01T00:00:00Z
CYLC_JOB_PID=4243
CYLC_JOB_INIT_TIME=2024-01-01T00:00:01Z
CYLC_MESSAGE=2024-01-01T00:00:02Z|INFO|file x done
CYLC_MESSAGE=2024-01-01T00:00:03Z|WARNING|a|b|c
CYLC_JOB_EXIT=SUCCEEDED
CYLC_JOB_EXIT_TIME=2024-01-01T00:00:04Z
`,
			want: Status{
				RunnerName: "background", JobID: "4242", SubmitTime: "2024-01-01T00:00:00Z",
				PID: 4243, InitTime: "2024-01-01T00:00:01Z",
				Exit: "SUCCEEDED", ExitTime: "2024-01-01T00:00:04Z",
				Messages: []Message{
					{"2024-01-01T00:00:02Z", "INFO", "file x done"},
					{"2024-01-01T00:00:03Z", "WARNING", "a|b|c"},
				},
			},
		},
		{
			name: "failed by signal, exit polled",
			in: `CYLC_JOB_RUNNER_NAME=slurm
CYLC_JOB_ID=17
CYLC_JOB_PID=99
CYLC_JOB_INIT_TIME=2024-01-01T10:00:00+01:00
CYLC_JOB_EXIT=XCPU
CYLC_JOB_EXIT_TIME=2024-01-01T10:05:00+01:00
CYLC_JOB_RUNNER_EXIT_POLLED=2024-01-01T10:06:00+01:00
`,
			want: Status{RunnerName: "slurm", JobID: "17", PID: 99,
				InitTime: "2024-01-01T10:00:00+01:00", Exit: "XCPU",
				ExitTime: "2024-01-01T10:05:00+01:00", RunnerExitPolled: "2024-01-01T10:06:00+01:00"},
		},
		{
			name: "submitted only; junk and blank lines ignored; later wins",
			in:   "CYLC_JOB_RUNNER_NAME=at\n\njunk\nFOO=bar\nCYLC_JOB_ID=1\nCYLC_JOB_ID=2\n",
			want: Status{RunnerName: "at", JobID: "2"},
		},
		{
			name: "aborted message kept as written",
			in:   "CYLC_JOB_EXIT=\"ERROR: rust never sleeps\"\n",
			want: Status{Exit: `"ERROR: rust never sleeps"`},
		},
		{
			name: "bad lines reported, the rest kept",
			in:   "CYLC_JOB_PID=abc\nCYLC_MESSAGE=no bars\nCYLC_JOB_EXIT=ERR\n",
			want: Status{Exit: "ERR"},
			err:  "line 1: CYLC_JOB_PID=\"abc\": want a process ID\nline 2: CYLC_MESSAGE=\"no bars\": want TIME|SEVERITY|MESSAGE",
		},
		{name: "empty", in: "", want: Status{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseStatus(strings.NewReader(tc.in))
			if tc.err == "" && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestStatusPredicates(t *testing.T) {
	s := Status{InitTime: "t", Exit: ExitSucceeded}
	if !s.Started() || !s.Succeeded() {
		t.Errorf("%+v: want started and succeeded", s)
	}
	s = Status{Exit: "ERR"}
	if s.Started() || s.Succeeded() {
		t.Errorf("%+v: want neither started nor succeeded", s)
	}
}

func TestIsLifecycle(t *testing.T) {
	for text, want := range map[string]bool{
		"started": true, "succeeded": true, "failed/ERR": true, "failed/TERM": true,
		`aborted/"oops"`: true, "vacated/USR1": true,
		"failed": false, "failed/": false, "started up": false, "hello": false,
		"x/ERR": false,
	} {
		if got := IsLifecycle(text); got != want {
			t.Errorf("IsLifecycle(%q) = %t, want %t", text, got, want)
		}
	}
}

func TestAppendStatus(t *testing.T) {
	var b bytes.Buffer
	err := AppendStatus(&b,
		Message{"2024-01-01T00:00:00Z", "INFO", "started"},
		Message{"2024-01-01T00:00:00Z", "INFO", "file x done"},
		Message{"2024-01-01T00:00:00Z", "DEBUG", "Remove stuffs such as\nbadness\nslowness\n"},
		Message{"2024-01-01T00:00:00Z", "CRITICAL", "failed/ERR"},
	)
	if err != nil {
		t.Fatal(err)
	}
	want := "CYLC_MESSAGE=2024-01-01T00:00:00Z|INFO|file x done\n" +
		"CYLC_MESSAGE=2024-01-01T00:00:00Z|DEBUG|Remove stuffs such as badness slowness\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	if err := AppendStatus(&b, Message{"t|x", "INFO", "m"}); err == nil {
		t.Error("a '|' in the time was accepted")
	}
	// What AppendStatus writes, ParseStatus reads back.
	st, err := ParseStatus(strings.NewReader(want))
	if err != nil || len(st.Messages) != 2 || st.Messages[1].Text != "Remove stuffs such as badness slowness" {
		t.Errorf("round trip: %+v, %v", st, err)
	}
}

func TestAppendStatusField(t *testing.T) {
	var b bytes.Buffer
	if err := AppendStatusField(&b, KeyRunnerName, "background"); err != nil {
		t.Fatal(err)
	}
	if err := AppendStatusField(&b, KeyJobID, "12"); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "CYLC_JOB_RUNNER_NAME=background\nCYLC_JOB_ID=12\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, kv := range [][2]string{{KeyJobID, "1\nCYLC_JOB_EXIT=SUCCEEDED"}, {"A=B", "x"}, {"", "x"}} {
		if err := AppendStatusField(&b, kv[0], kv[1]); err == nil {
			t.Errorf("AppendStatusField(%q, %q) accepted", kv[0], kv[1])
		}
	}
}

func FuzzParseStatus(f *testing.F) {
	for _, seed := range []string{
		"",
		"CYLC_JOB_RUNNER_NAME=background\nCYLC_JOB_ID=1\nCYLC_JOB_PID=2\nCYLC_JOB_INIT_TIME=2024-01-01T00:00:00Z\n",
		"CYLC_MESSAGE=2024-01-01T00:00:00Z|INFO|hello|there\nCYLC_JOB_EXIT=SUCCEEDED\n",
		"CYLC_JOB_PID=-1\nCYLC_MESSAGE=x\n=\n==\nCYLC_JOB_EXIT=\n",
		"\x00\xff=\r\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		st, err := ParseStatus(strings.NewReader(in))
		if st.PID < 0 {
			t.Errorf("negative PID %d", st.PID)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "job.status: ") {
			t.Errorf("error without context: %v", err)
		}
		// Messages that AppendStatus writes are read back unchanged, whatever
		// the input was.
		for _, m := range st.Messages {
			if strings.ContainsAny(m.Time+m.Severity, "|\n") {
				continue
			}
			var b bytes.Buffer
			if AppendStatus(&b, m) != nil || IsLifecycle(m.Text) {
				continue
			}
			again, err := ParseStatus(&b)
			want := lineBreaks.Replace(strings.TrimSpace(m.Text))
			if err != nil || len(again.Messages) != 1 || again.Messages[0].Text != want {
				t.Errorf("round trip of %+v: %+v, %v", m, again, err)
			}
		}
	})
}
