package job

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestLayoutPaths(t *testing.T) {
	l := Layout{RunDir: "/r"}
	for _, tc := range []struct{ got, want string }{
		{l.JobLogRoot(), "/r/log/job"},
		{l.TaskLogDir("20200101T0000Z", "foo"), "/r/log/job/20200101T0000Z/foo"},
		{l.JobDir("1", "foo", 1), "/r/log/job/1/foo/01"},
		{l.JobDir("1", "foo", 123), "/r/log/job/1/foo/123"},
		{l.Job("1", "foo", 2).Script, "/r/log/job/1/foo/02/job"},
		{l.Job("1", "foo", 2).Out, "/r/log/job/1/foo/02/job.out"},
		{l.Job("1", "foo", 2).Err, "/r/log/job/1/foo/02/job.err"},
		{l.Job("1", "foo", 2).Status, "/r/log/job/1/foo/02/job.status"},
		{l.WorkDir("1", "foo"), "/r/work/1/foo"},
		{l.ShareDir(), "/r/share"},
		{l.ShareCycleDir("1"), "/r/share/cycle/1"},
		{l.SchedulerLogDir(), "/r/log/scheduler"},
		{l.SchedulerLog(), "/r/log/scheduler/log"},
		{l.ServiceDir(), "/r/.service"},
		{l.ContactFile(), "/r/.service/contact"},
		{RelativeJobID("1", "foo", 3), "1/foo/03"},
		{RelativeJobID("1", "foo", 100), "1/foo/100"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
}

func TestPrepareJobDir(t *testing.T) {
	l := Layout{RunDir: t.TempDir()}
	taskDir := l.TaskLogDir("1", "foo")
	write := func(p string) {
		t.Helper()
		if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	listing := func() []string {
		t.Helper()
		entries, err := os.ReadDir(taskDir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	nn := func() string {
		t.Helper()
		target, err := os.Readlink(filepath.Join(taskDir, LatestLink))
		if err != nil {
			t.Fatal(err)
		}
		return target
	}

	f1, err := l.PrepareJobDir("1", "foo", 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := nn(); got != "01" {
		t.Errorf("NN -> %s after submit 1, want 01", got)
	}
	write(f1.Out)
	write(filepath.Join(f1.Dir, "job-activity.log"))

	f2, err := l.PrepareJobDir("1", "foo", 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := nn(); got != "02" {
		t.Errorf("NN -> %s after submit 2, want 02", got)
	}
	write(f2.Out)
	write(f2.Status)
	if _, err := l.PrepareJobDir("1", "foo", 2); err != nil { // resubmit of 02 starts afresh
		t.Fatal(err)
	}
	if _, err := os.Stat(f2.Out); !os.IsNotExist(err) {
		t.Errorf("old %s survived a new submit 2", f2.Out)
	}
	if got, want := listing(), []string{"01", "02", "NN"}; !slices.Equal(got, want) {
		t.Errorf("task log dir = %v, want %v", got, want)
	}

	// A new run of the task (submit 1 again) clears later submits and old
	// output, but keeps 01's activity log as Cylc does.
	if _, err := l.PrepareJobDir("1", "foo", 1); err != nil {
		t.Fatal(err)
	}
	if got, want := listing(), []string{"01", "NN"}; !slices.Equal(got, want) {
		t.Errorf("task log dir = %v, want %v", got, want)
	}
	if got := nn(); got != "01" {
		t.Errorf("NN -> %s, want 01", got)
	}
	if _, err := os.Stat(f1.Out); !os.IsNotExist(err) {
		t.Errorf("old job.out survived")
	}
	if _, err := os.Stat(filepath.Join(f1.Dir, "job-activity.log")); err != nil {
		t.Errorf("job-activity.log: %v", err)
	}
	if _, err := l.PrepareJobDir("1", "foo", 0); err == nil {
		t.Error("submit number 0 accepted")
	}
}
