package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// makeTree creates files (path: content) and symlinks (path: target)
// under dir.
func makeTree(t *testing.T, dir string, files, links map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range links {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
}

const finishedStatus = "CYLC_JOB_RUNNER_NAME=background\nCYLC_JOB_ID=1\nCYLC_JOB_PID=1\nCYLC_JOB_INIT_TIME=2030-01-01T00:00:00Z\nCYLC_JOB_EXIT=SUCCEEDED\n"

// catLogRun lays out a stopped run as Gyre leaves one: a scheduler log, an
// old Cylc-named scheduler log and configuration file, and two jobs of
// 1/foo with NN at the second.
func catLogRun(t *testing.T) (root, run string) {
	root = t.TempDir()
	t.Setenv("GYRE_RUN_ROOT", root)
	run = filepath.Join(root, "demo", "run1")
	job := "log/job/1/foo/"
	makeTree(t, run, map[string]string{
		"flow.cylc":                      "[scheduling]\n",
		"log/scheduler/log":              "the scheduler log\n",
		"log/scheduler/01-start-01.log":  "an older log\n",
		"log/config/01-start-01.cylc":    "the raw config\n",
		job + "01/job":                   "#!/bin/bash\n# first\n",
		job + "01/job.out":               "out 1\n",
		job + "01/job.status":            finishedStatus,
		job + "02/job":                   "#!/bin/bash\n# second\n",
		job + "02/job.out":               "out 2\n",
		job + "02/job.err":               "err 2\n",
		job + "02/job.status":            finishedStatus,
		job + "02/job custom.log":        "custom\n",
		"log/job/1/foobar/01/job.status": finishedStatus,
	}, nil)
	makeTree(t, root, nil, map[string]string{"demo/runN": "run1"})
	makeTree(t, run, nil, map[string]string{job + "NN": "02", "log/job/1/foobar/NN": "01"})
	return root, run
}

func TestCatLog(t *testing.T) {
	root, run := catLogRun(t)
	jobDir := filepath.Join(run, "log", "job", "1", "foo")
	host, _ := os.Hostname()
	for _, c := range []struct {
		name       string
		args       []string
		status     int
		stdout     string // exact, or with a "~" prefix a substring
		stderrHave string
	}{
		{"workflow log", []string{"demo"}, 0, "the scheduler log\n", ""},
		{"workflow log by run", []string{"demo/run1"}, 0, "the scheduler log\n", ""},
		{"workflow log -f s", []string{"-f", "s", "demo"}, 0, "the scheduler log\n", ""},
		{"older rotation", []string{"-r", "1", "demo"}, 0, "an older log\n", ""},
		{"rotation too far", []string{"-r", "2", "demo"}, 1, "", "--rotation 2 invalid (max value is 1)"},
		{"negative rotation", []string{"-r", "-1", "demo"}, 1, "", "--rotation=-1: want 0 (the current log) or more"},
		{"path under log", []string{"-f", "scheduler/01-start-01.log", "demo"}, 0, "an older log\n", ""},
		{"config", []string{"-f", "c", "demo"}, 0, "the raw config\n", ""},
		{"no install log", []string{"-f", "i", "demo"}, 1, "", "no install log in " + filepath.Join(run, "log") + ")\n  hint: log files: config/01-start-01.cylc, scheduler/01-start-01.log, scheduler/log"},
		{"list workflow logs", []string{"-m", "l", "demo"}, 0, "config/01-start-01.cylc\nscheduler/01-start-01.log\nscheduler/log\n", ""},
		{"workflow log path", []string{"-m", "p", "demo"}, 0, filepath.Join(run, "log", "scheduler", "log") + "\n", ""},
		{"tail of a stopped workflow", []string{"--follow", "demo"}, 0, "the scheduler log\n", ""},
		{"auto is cat for workflows", []string{"-m", "a", "demo"}, 0, "the scheduler log\n", ""},

		{"job.out of the latest job", []string{"demo//1/foo"}, 0, "out 2\n", ""},
		{"relative ID", []string{"demo", "//1/foo"}, 0, "out 2\n", ""},
		{"trailing slash", []string{"demo//1/foo/"}, 0, "out 2\n", ""},
		{"job in the ID", []string{"demo//1/foo/01"}, 0, "out 1\n", ""},
		{"unpadded job in the ID", []string{"demo//1/foo/1"}, 0, "out 1\n", ""},
		{"NN in the ID", []string{"demo//1/foo/NN"}, 0, "out 2\n", ""},
		{"--submit-number", []string{"-s", "1", "demo//1/foo"}, 0, "out 1\n", ""},
		{"--try-number wins over the ID", []string{"-t", "2", "demo//1/foo/01"}, 0, "out 2\n", ""},
		{"job.err", []string{"-f", "e", "demo//1/foo"}, 0, "err 2\n", ""},
		{"job script", []string{"-f", "j", "demo//1/foo"}, 0, "#!/bin/bash\n# second\n", ""},
		{"job.status", []string{"-f", "s", "demo//1/foo"}, 0, finishedStatus, ""},
		{"long name", []string{"-f", "job.out", "-s", "01", "demo//1/foo"}, 0, "out 1\n", ""},
		{"custom file", []string{"-f", "job custom.log", "demo//1/foo"}, 0, "custom\n", ""},
		{"Cylc 7 ID", []string{"demo", "foo.1"}, 0, "out 2\n", "WARNING - Cylc7 format is deprecated, using: demo //1/foo"},
		{"print path", []string{"-m", "p", "demo//1/foo"}, 0, filepath.Join(jobDir, "02", "job.out") + "\n", ""},
		{"print path of a missing file", []string{"-m", "p", "-f", "a", "demo//1/foo"}, 0, filepath.Join(jobDir, "02", "job-activity.log") + "\n", ""},
		{"print dir", []string{"-m", "d", "-s", "1", "demo//1/foo"}, 0, filepath.Join(jobDir, "01") + "\n", ""},
		{"list dir", []string{"-m", "l", "demo//1/foo"}, 0, "job\njob custom.log\njob.err\njob.out\njob.status\n", ""},
		{"long mode name", []string{"--mode=list-dir", "-s", "1", "demo//1/foo"}, 0, "job\njob.out\njob.status\n", ""},
		{"prepend path", []string{"--prepend-path", "demo//1/foo"}, 0, "# " + host + ":" + filepath.Join(jobDir, "02", "job.out") + "\nout 2\n", ""},
		{"tail of a finished job", []string{"-m", "t", "demo//1/foo"}, 0, "out 2\n", ""},
		{"auto: a finished job is cat", []string{"-m", "a", "demo//1/foo"}, 0, "out 2\n", ""},

		{"unknown workflow", []string{"nosuch"}, 1, "", "workflow nosuch not found in " + root},
		{"misspelt task", []string{"demo//1/fooo"}, 1, "", "no job logs for task fooo at cycle point 1 (did you mean \"foo\"?)\n  hint: tasks with job logs at 1: foo, foobar"},
		{"unknown point", []string{"demo//2/foo"}, 1, "", "no job logs at cycle point 2 (did you mean \"1\"?)\n  hint: cycle points with job logs: 1"},
		{"unknown job", []string{"-s", "3", "demo//1/foo"}, 1, "", "demo/run1//1/foo has no job 03\n  hint: files in " + jobDir + ": 01, 02, NN"},
		{"bad submit number", []string{"-s", "x", "demo//1/foo"}, 1, "", "illegal submit number: x"},
		{"missing file", []string{"-f", "x", "demo//1/foo"}, 1, "", "file not found: " + filepath.Join(jobDir, "02", "job.xtrace") + "\n  hint: files in " + filepath.Join(jobDir, "02") + ": job, job custom.log, job.err, job.out, job.status"},
		{"job with no job.out", []string{"demo//1/foobar"}, 1, "", "file not found: " + filepath.Join(run, "log/job/1/foobar/01/job.out")},
		{"rotation of a job log", []string{"-r", "0", "demo//1/foo"}, 1, "", "only workflow (not job) logs get rotated"},
		{"file outside the directory", []string{"-f", "../01/job.out", "demo//1/foo"}, 1, "", "file paths must be relative to the log directory"},
		{"absolute file", []string{"-f", "/etc/passwd", "demo"}, 1, "", "file paths must be relative"},
		{"bad mode", []string{"-m", "x", "demo"}, 1, "", "--mode=x: want one of"},
		{"follow and cat", []string{"--follow", "-m", "c", "demo"}, 1, "", "--follow and --mode=c: choose one"},
		{"cycle point only", []string{"demo//1"}, 1, "", "please provide a workflow, task or job ID, not a cycle point"},
		{"pattern", []string{"demo//1/f*"}, 1, "", `task "f*" is a pattern`},
		{"two tasks", []string{"demo", "//1/foo", "//1/bar"}, 1, "", "cat-log takes one workflow or job ID"},
		{"no args", []string{}, 1, "", "no workflow ID given"},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, stdout, stderr := runCLI(append([]string{"cat-log"}, c.args...)...)
			if status != c.status {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", status, c.status, stdout, stderr)
			}
			if want, ok := strings.CutPrefix(c.stdout, "~"); ok {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout %q lacks %q", stdout, want)
				}
			} else if stdout != c.stdout {
				t.Errorf("stdout %q, want %q", stdout, c.stdout)
			}
			if !strings.Contains(stderr, c.stderrHave) {
				t.Errorf("stderr %q lacks %q", stderr, c.stderrHave)
			}
		})
	}
}

func TestCatLogParseID(t *testing.T) {
	for _, c := range []struct {
		args     []string
		want     logID
		upgraded string
		err      string
	}{
		{[]string{"demo"}, logID{workflow: "demo"}, "", ""},
		{[]string{"demo/run2/"}, logID{workflow: "demo/run2"}, "", ""},
		{[]string{"demo//"}, logID{workflow: "demo"}, "", ""},
		{[]string{"a/b//20300101T0000Z/model"}, logID{workflow: "a/b", point: "20300101T0000Z", task: "model"}, "", ""},
		{[]string{"demo//1/foo/03"}, logID{workflow: "demo", point: "1", task: "foo", job: "03"}, "", ""},
		{[]string{"demo//1/foo:running"}, logID{workflow: "demo", point: "1", task: "foo"}, "", ""},
		{[]string{"demo", "//1/foo"}, logID{workflow: "demo", point: "1", task: "foo"}, "", ""},
		{[]string{"demo", "a.b.c.234"}, logID{workflow: "demo", point: "234", task: "a.b.c"}, "demo //234/a.b.c", ""},
		{[]string{"demo", "foo.1:failed"}, logID{workflow: "demo", point: "1", task: "foo"}, "demo //1/foo:failed", ""},
		{[]string{"demo", "20/foo"}, logID{workflow: "demo", point: "20", task: "foo"}, "demo //20/foo", ""},
		{[]string{}, logID{}, "", "no workflow ID given"},
		{[]string{"//1/foo"}, logID{}, "", "no workflow given before it"},
		{[]string{"a", "b"}, logID{}, "", "cat-log takes one workflow or job ID (already given a)"},
		{[]string{"a", "b", "c"}, logID{}, "", "cat-log takes one workflow or job ID"},
		{[]string{"~bob/demo"}, logID{}, "", "other users' workflows are not supported"},
		{[]string{"demo//1/foo/01/x"}, logID{}, "", "want WORKFLOW//POINT/TASK[/JOB]"},
		{[]string{"demo//1/foo/x1"}, logID{}, "", `job "x1": want a submit number or NN`},
		{[]string{"demo//../foo"}, logID{}, "", `bad cycle point ".."`},
		{[]string{"demo//1/"}, logID{}, "", "not a cycle point"},
		{[]string{"demo//1//01"}, logID{}, "", `bad task ""`},
		{[]string{"demo//*/foo"}, logID{}, "", `cycle point "*" is a pattern`},
	} {
		got, upgraded, err := parseLogID(c.args)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("parseLogID(%q) error %v, want %q", c.args, err, c.err)
		case c.err == "" && (err != nil || got != c.want || upgraded != c.upgraded):
			t.Errorf("parseLogID(%q) = %+v, %q, %v; want %+v, %q", c.args, got, upgraded, err, c.want, c.upgraded)
		}
	}
}

// FuzzParseLogID: any arguments give an error or an ID whose parts are
// safe to use as path components under the run's log/job directory.
func FuzzParseLogID(f *testing.F) {
	for _, seed := range [][2]string{
		{"demo//1/foo/01", ""}, {"demo", "foo.1"}, {"demo", "//1/foo"}, {"demo//", ""},
		{"a/b//2030-01-01T00:00Z/x:y", ""}, {"demo", "12/foo:bar"}, {"//x", "y"}, {"demo//../..", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		args := []string{a}
		if b != "" {
			args = append(args, b)
		}
		id, _, err := parseLogID(args)
		if err != nil {
			return
		}
		if id.workflow == "" {
			t.Fatalf("%q: no workflow", args)
		}
		if id.task == "" && (id.point != "" || id.job != "") {
			t.Fatalf("%q: %+v: a point or job without a task", args, id)
		}
		if id.task == "" {
			return
		}
		for _, part := range []string{id.point, id.task} {
			if part == "" || part == "." || part == ".." || strings.ContainsAny(part, "/\x00*?[") {
				t.Fatalf("%q: unsafe path component %q in %+v", args, part, id)
			}
		}
		if id.job != "" && id.job != "NN" && strings.Trim(id.job, "0123456789") != "" {
			t.Fatalf("%q: job %q", args, id.job)
		}
	})
}
