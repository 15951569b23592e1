package remote

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gyre/internal/platform"
	"gyre/internal/runner"
)

// The whole life of remote jobs, with a fake ssh that runs the remote
// side on this host in another home directory: init (once for concurrent
// callers, after an unreachable host), submit, poll, log retrieval, kill,
// an execution time limit timed after jobs-submit has gone, and tidy.
func TestRemoteJobsThroughFakeSSH(t *testing.T) {
	f := newFixture(t)
	pl := f.platform(func(p *platform.Platform) {
		p.Hosts = []string{"unreachable1", "fakehost"}
	})
	r, err := f.m.NewRunner(pl, runner.Options{UTC: true, KillGrace: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := t.Context()

	// Concurrent inits share one.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = f.m.Init(ctx, pl) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("Init: %v", err)
		}
	}
	var mkdirs int
	for _, c := range f.sshCalls() {
		if strings.Contains(c, "mkdir -p -m 700") {
			mkdirs++
		}
	}
	if mkdirs != 1 {
		t.Errorf("%d remote inits for one install target; ssh calls:\n%s", mkdirs, strings.Join(f.sshCalls(), "\n"))
	}
	for rel, mode := range map[string]os.FileMode{
		".service": 0o700 | os.ModeDir, ".service/token": 0o600, ".service/contact": 0o600,
		".service/gyre": 0o755, ".service/bin/cylc": 0o755, ".service/bin/isodatetime": 0o755,
		"bin/tool": 0o755, "app/a/rose-app.conf": 0o644,
	} {
		fi, err := os.Stat(f.remoteFile(rel))
		if err != nil {
			t.Errorf("not installed: %v", err)
		} else if fi.Mode()&(os.ModeDir|os.ModePerm) != mode {
			t.Errorf("%s: mode %v, want %v", rel, fi.Mode(), mode)
		}
	}
	for _, rel := range []string{"flow.cylc", "data", "log", ".service/tls.key"} {
		if _, err := os.Stat(f.remoteFile(rel)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s installed (%v); only app, bin, etc, lib and the service files are", rel, err)
		}
	}
	if got := readFile(t, f.remoteFile(".service", "token")); got != "secret\n" {
		t.Errorf("remote token %q", got)
	}

	// A job that succeeds: submitted, polled, its logs retrieved.
	j := f.writeJob(r, "hello", `echo "hello from $CYLC_TASK_JOB in $CYLC_WORKFLOW_RUN_DIR"; cylc message -- "$CYLC_WORKFLOW_ID" "$CYLC_TASK_JOB" 'custom output'`, 0)
	res := r.Submit(ctx, []runner.Job{j})
	if res[0].Err != nil {
		t.Fatalf("submit: %v", res[0].Err)
	}
	waitExit(t, res[0].RunnerJobID)
	if local := readFile(t, j.Files.Status); !strings.Contains(local, "CYLC_JOB_ID="+res[0].RunnerJobID) {
		t.Errorf("local job.status after submit:\n%s", local)
	}
	polls := r.Poll(ctx, []runner.JobRef{j.JobRef})
	if polls[0].Err != nil || runner.Judge(polls[0].Status).Message != runner.MsgSucceeded {
		t.Fatalf("poll: %+v", polls[0])
	}
	if m := polls[0].Status.Messages; len(m) != 1 || m[0].Text != "custom output" {
		t.Errorf("messages recorded by the job's cylc message: %+v", m)
	}
	if local := readFile(t, j.Files.Status); !strings.Contains(local, "CYLC_JOB_EXIT=SUCCEEDED") {
		t.Errorf("local job.status after poll:\n%s", local)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(j.Files.Out), "job.out")); err == nil {
		t.Error("job.out is here before retrieval")
	}
	// cat-log reads it there meanwhile.
	var shown strings.Builder
	if err := f.m.Cat(ctx, pl, "log/job/1/hello/01/job.out", false, &shown); err != nil || !strings.Contains(shown.String(), "hello from 1/hello/01") {
		t.Errorf("Cat of the remote job.out = %q, %v", shown.String(), err)
	}
	shown.Reset()
	if err := f.m.Cat(ctx, pl, "log/job/1/hello/01/job.nothing", false, &shown); err == nil {
		t.Error("Cat of a file that is not there: no error")
	}
	if errs := r.Retrieve(ctx, []runner.JobRef{j.JobRef}); errs[0] != nil {
		t.Fatalf("retrieve: %v", errs[0])
	}
	wantOut := "hello from 1/hello/01 in " + f.remoteFile()
	if out := readFile(t, j.Files.Out); !strings.Contains(out, wantOut) {
		t.Errorf("retrieved job.out:\n%s\nwant it to contain %q", out, wantOut)
	}

	// A job killed while it runs.
	g := newGate(t, f.tmp)
	j = f.writeJob(r, "victim", gateScript, 0, g.env...)
	res = r.Submit(ctx, []runner.Job{j})
	if res[0].Err != nil {
		t.Fatalf("submit: %v", res[0].Err)
	}
	g.started()
	if kills := r.Kill(ctx, []runner.JobRef{j.JobRef}); kills[0].Err != nil {
		t.Fatalf("kill: %v", kills[0].Err)
	}
	waitExit(t, res[0].RunnerJobID)
	polls = r.Poll(ctx, []runner.JobRef{j.JobRef})
	if v := runner.Judge(polls[0].Status).Message; polls[0].Err != nil || !strings.HasPrefix(v, runner.MsgFailed) {
		t.Errorf("poll after kill: %s, %+v", v, polls[0])
	}

	// A job over its execution time limit is stopped by the detached
	// jobs-watch, although jobs-submit has long returned.
	j = f.writeJob(r, "slow", gateScript, slowLimit, g.env...)
	res = r.Submit(ctx, []runner.Job{j})
	if res[0].Err != nil {
		t.Fatalf("submit: %v", res[0].Err)
	}
	g.started()
	waitExit(t, res[0].RunnerJobID)
	polls = r.Poll(ctx, []runner.JobRef{j.JobRef})
	if polls[0].Err != nil || polls[0].Status.Exit != "XCPU" {
		t.Errorf("poll after the time limit: %+v", polls[0])
	}

	if err := f.m.Tidy(ctx); err != nil {
		t.Fatalf("tidy: %v", err)
	}
	if _, err := os.Stat(f.remoteFile(".service", "contact")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("contact file left after tidy: %v", err)
	}
	if _, err := os.Stat(f.remoteFile(".service", "token")); err != nil {
		t.Errorf("tidy removed the token: %v", err)
	}

	// Cleaning removes the run directory there, and the workflow's
	// directory that it leaves empty, but not the run root.
	if err := f.m.Clean(ctx, pl); err != nil {
		t.Fatalf("clean: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(f.remoteFile())); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("workflow directory left after clean: %v", err)
	}
	if _, err := os.Stat(filepath.Join(f.remoteHome, "gyre-run")); err != nil {
		t.Errorf("clean removed the run root: %v", err)
	}
}

// An install target of "localhost" shares the scheduler's file system:
// nothing is installed, the jobs run in the local run directory with the
// local binary, and their logs need no retrieval.
func TestSharedInstallTarget(t *testing.T) {
	f := newFixture(t)
	pl := f.platform(func(p *platform.Platform) { p.InstallTarget = LocalInstallTarget })
	r, err := f.m.NewRunner(pl, runner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if l := r.Layout(); l.RunDir != f.localRun || !l.Shared {
		t.Fatalf("layout %+v", l)
	}
	// The scheduler writes the shim for local jobs; here the test does.
	for name, text := range shims(r.Layout().GyreBin) {
		if err := os.MkdirAll(r.Layout().ShimDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(r.Layout().ShimDir, name), []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	j := f.writeJob(r, "local", `echo "in $CYLC_WORKFLOW_RUN_DIR"`, 0)
	res := r.Submit(t.Context(), []runner.Job{j})
	if res[0].Err != nil {
		t.Fatalf("submit: %v", res[0].Err)
	}
	waitExit(t, res[0].RunnerJobID)
	polls := r.Poll(t.Context(), []runner.JobRef{j.JobRef})
	if polls[0].Err != nil || runner.Judge(polls[0].Status).Message != runner.MsgSucceeded {
		t.Fatalf("poll: %+v", polls[0])
	}
	if out := readFile(t, j.Files.Out); !strings.Contains(out, "\nin "+f.localRun+"\n") {
		t.Errorf("job.out %q", out)
	}
	if errs := r.Retrieve(t.Context(), []runner.JobRef{j.JobRef}); errs[0] != nil {
		t.Errorf("retrieve: %v", errs[0])
	}
	if _, err := os.Stat(filepath.Join(f.remoteHome, "gyre-run")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("something was installed in the remote home: %v", err)
	}
	for _, c := range f.sshCalls() {
		if strings.Contains(c, "rsync") || strings.Contains(c, "mkdir") {
			t.Errorf("file transfer to a shared install target: %s", c)
		}
	}
}

// What a caller sees when things go wrong: which operation failed, on
// which platform and host, and what ssh, rsync or the remote side said.
func TestRemoteErrors(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	ref := runner.JobRef{ID: "1/foo/01"}
	ref.Files.Status = filepath.Join(f.localRun, "log/job/1/foo/01/job.status")

	// Every host unreachable.
	pl := f.platform(func(p *platform.Platform) { p.Hosts = []string{"unreachable1", "unreachable2"} })
	r, err := f.m.NewRunner(pl, runner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := r.Submit(ctx, []runner.Job{{JobRef: ref}})
	for _, want := range []string{
		"remote: submitting 1/foo/01: remote init: platform fake, host unreachable1: fakessh could not reach the host (exit status 255): ssh: connect to host unreachable1 port 22: Connection refused",
		"host unreachable2", `hint: check that "ssh unreachable2 true" works`,
	} {
		if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), want) {
			t.Errorf("unreachable hosts: error %v\nwant it to contain %q", res[0].Err, want)
		}
	}
	if !errors.Is(res[0].Err, ErrUnreachable) {
		t.Errorf("error %v does not wrap ErrUnreachable", res[0].Err)
	}

	// A remote command that fails, and one that prints no reply. (A
	// "cylc path" makes the remote gyre a script of the test's.)
	fake := filepath.Join(f.tmp, "fakegyre")
	if err := os.MkdirAll(fake, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ script, want string }{
		{"echo 'gyre: unknown command' >&2; exit 3",
			"remote: job 1/foo/01: jobs-poll: platform fake, host fakehost: fakessh exited with status 3: gyre: unknown command"},
		{"echo 'Welcome!'; echo '{\"id\":\"1/other/01\"}'",
			`remote: jobs-poll: platform fake, host fakehost: no reply for job 1/foo/01; its output began "Welcome!"`},
		{`echo '{"id":"1/foo/01","error":"runner: background: polling 1/foo/01: job.status names job runner \"at\""}'`,
			`remote: jobs-poll: platform fake, host fakehost: runner: background: polling 1/foo/01: job.status names job runner "at"`},
	} {
		if err := os.WriteFile(filepath.Join(fake, "gyre"), []byte("#!/bin/sh\n"+c.script+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		r, err := f.m.NewRunner(f.platform(func(p *platform.Platform) { p.CylcPath = fake }), runner.Options{})
		if err != nil {
			t.Fatal(err)
		}
		polls := r.Poll(ctx, []runner.JobRef{ref})
		if polls[0].Err == nil || polls[0].Err.Error() != c.want {
			t.Errorf("poll error:\n got %v\nwant %s", polls[0].Err, c.want)
		}
	}

	// Init without the scheduler's token file fails, and is tried again
	// by the next caller.
	token := filepath.Join(f.localRun, ".service", "token")
	if err := os.Rename(token, token+".away"); err != nil {
		t.Fatal(err)
	}
	other := f.platform(func(p *platform.Platform) { p.InstallTarget = "other" })
	err = f.m.Init(ctx, other)
	if err == nil || !strings.Contains(err.Error(), "remote init: platform fake: stat ") ||
		!strings.Contains(err.Error(), "token: no such file or directory (remote init copies it to the job hosts; is the scheduler running?)") {
		t.Errorf("init without a token: %v", err)
	}
	if err := os.Rename(token+".away", token); err != nil {
		t.Fatal(err)
	}
	if err := f.m.Init(ctx, other); err != nil {
		t.Errorf("init again, with the token: %v", err)
	}

	// Bad job IDs and a closed runner.
	res = r.Submit(ctx, []runner.Job{{JobRef: runner.JobRef{ID: "1/foo"}}})
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), `job ID "1/foo": want <cycle point>/<task>/<NN>`) {
		t.Errorf("bad job ID: %v", res[0].Err)
	}
	r.Close()
	if polls := r.Poll(ctx, []runner.JobRef{ref}); !errors.Is(polls[0].Err, runner.ErrClosed) {
		t.Errorf("poll after close: %v", polls[0].Err)
	}
}

func TestNewRunnerErrors(t *testing.T) {
	m, err := NewManager(Config{WorkflowID: "flow/run1", RunDir: "/r", GyreBin: "/g"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		edit func(*platform.Platform)
		want string
	}{
		{func(p *platform.Platform) { p.JobRunner = "slurmm" }, `remote: platform hpc: runner: unknown job runner "slurmm" (did you mean "slurm"?)`},
		{func(p *platform.Platform) { p.Hosts = nil }, "remote: platform hpc: it has no hosts"},
		{func(p *platform.Platform) { p.Hosts = []string{"-oProxyCommand=evil"} }, `host "-oProxyCommand=evil" is not a host name`},
		{func(p *platform.Platform) { p.RsyncCommand = "rsync '" }, `platform setting "rsync command" = rsync ': no closing quotation`},
		{func(p *platform.Platform) { p.RetrieveJobLogs, p.RetrieveJobLogsCommand = true, "" }, `platform setting "retrieve job logs command" = : the command is empty`},
	} {
		_, err := m.NewRunner(testPlatform(c.edit), runner.Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewRunner error %v; want %s", err, c.want)
		}
	}
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{WorkflowID: "../x", RunDir: "/r"}, `remote: workflow ID "../x": want NAME/runN`},
		{Config{WorkflowID: "", RunDir: "/r"}, `remote: workflow ID ""`},
		{Config{WorkflowID: "f/run1", RunDir: "rel"}, `remote: run directory "rel": want an absolute path`},
	} {
		if _, err := NewManager(c.cfg); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("NewManager(%+v) error %v; want %s", c.cfg, err, c.want)
		}
	}
}

// Directives name the job's logs where the batch system on the job host
// will find them: relative to the remote home (where batch commands run),
// or in full on a shared file system.
func TestDirectives(t *testing.T) {
	m, err := NewManager(Config{WorkflowID: "flow/run1", RunDir: "/home/me/gyre-run/flow/run1", GyreBin: "/g"})
	if err != nil {
		t.Fatal(err)
	}
	j := runner.Job{JobRef: runner.JobRef{ID: "1/foo/01"}, ExecutionTimeLimit: 90 * time.Second, WorkflowName: "flow/run1",
		Directives: []runner.Directive{{Name: "--nodes", Value: "2"}}}
	j.Files.Script = "/home/me/gyre-run/flow/run1/log/job/1/foo/01/job" // the local script
	for _, c := range []struct {
		target string
		want   string
	}{
		{"hpc", "#SBATCH --job-name=foo.1.flow/run1\n#SBATCH --output=gyre-run/flow/run1/log/job/1/foo/01/job.out\n" +
			"#SBATCH --error=gyre-run/flow/run1/log/job/1/foo/01/job.err\n#SBATCH --time=1:30\n#SBATCH --nodes=2"},
		{LocalInstallTarget, "#SBATCH --job-name=foo.1.flow/run1\n#SBATCH --output=/home/me/gyre-run/flow/run1/log/job/1/foo/01/job.out\n" +
			"#SBATCH --error=/home/me/gyre-run/flow/run1/log/job/1/foo/01/job.err\n#SBATCH --time=1:30\n#SBATCH --nodes=2"},
	} {
		r, err := m.NewRunner(testPlatform(func(p *platform.Platform) { p.JobRunner, p.InstallTarget = "slurm", c.target }), runner.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(r.Directives(j), "\n"); got != c.want {
			t.Errorf("install target %s: directives\n%s\nwant\n%s", c.target, got, c.want)
		}
	}
	r, _ := m.NewRunner(testPlatform(nil), runner.Options{})
	if d := r.Directives(j); d != nil {
		t.Errorf("background directives %q", d)
	}
}
