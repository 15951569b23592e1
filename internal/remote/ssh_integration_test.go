package remote

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gyre/internal/api"
	"gyre/internal/job"
	"gyre/internal/platform"
	"gyre/internal/runner"
)

// gyreBin is the gyre binary built for the tests that use sshd, in a
// directory every user can read.
var gyreBin string

// buildGyre builds gyre once per test binary when GYRE_TEST_SSH=1.
func buildGyre() (cleanup func(), err error) {
	if os.Getenv("GYRE_TEST_SSH") != "1" {
		return func() {}, nil
	}
	dir, err := os.MkdirTemp("", "gyre-remote-test-")
	if err != nil {
		return func() {}, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	if err := os.Chmod(dir, 0o755); err != nil {
		return cleanup, err
	}
	gyreBin = filepath.Join(dir, "gyre")
	out, err := exec.Command("go", "build", "-o", gyreBin, "gyre/cmd/gyre").CombinedOutput()
	if err != nil {
		return cleanup, fmt.Errorf("building gyre for the ssh tests: %v\n%s", err, out)
	}
	return cleanup, nil
}

// The tests below use the sshd that scripts/start-sshd runs on 127.0.0.2
// (this machine, under a name Gyre takes for another host). They run with
// GYRE_TEST_SSH=1; then an sshd that cannot be reached fails them.

// sshHost is the sshd of scripts/start-sshd.
const sshHost = "127.0.0.2"

// remoteUser's home is a file system of its own, as far as Gyre can tell.
const remoteUser = "gyreremote"

func needSSH(t *testing.T, user string) {
	t.Helper()
	if os.Getenv("GYRE_TEST_SSH") != "1" {
		t.Skip("set GYRE_TEST_SSH=1 (after scripts/start-sshd) to test with a real sshd")
	}
	out, err := exec.Command("ssh", "-oBatchMode=yes", "-oConnectTimeout=10", "-l", user, sshHost, "true").CombinedOutput()
	if err != nil {
		t.Fatalf("GYRE_TEST_SSH=1 but ssh %s@%s fails (run scripts/start-sshd): %v\n%s", user, sshHost, err, out)
	}
}

// sshFixture is a local run directory for a workflow with an ID of its own,
// and gates that the other user's jobs can use.
type sshFixture struct {
	id, localRun string
	gate         *gate
	m            *Manager
}

func newSSHFixture(t *testing.T) *sshFixture {
	t.Helper()
	// Directories the remote user's jobs can reach: not t.TempDir's 0700.
	shared, err := os.MkdirTemp("", "gyre-remote-ssh-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(shared) })
	if err := os.Chmod(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	s := &sshFixture{id: fmt.Sprintf("remote-test-%d/%s", os.Getpid(), strings.ToLower(t.Name()))}
	s.localRun = filepath.Join(shared, "gyre-run", s.id)
	svc := job.Layout{RunDir: s.localRun}.ServiceDir()
	if err := os.MkdirAll(svc, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{api.ContactFileName: "CYLC_WORKFLOW_ID=" + s.id + "\n", api.TokenFileName: "secret\n"} {
		if err := os.WriteFile(filepath.Join(svc, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(s.localRun, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.localRun, "bin", "tool"), []byte("#!/bin/sh\necho tool\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s.gate = newGate(t, shared)
	s.m, err = NewManager(Config{WorkflowID: s.id, RunDir: s.localRun, GyreBin: gyreBin})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sshPlatform is a background platform on the test sshd.
func sshPlatform(sshCommand, installTarget string) *platform.Platform {
	return testPlatform(func(p *platform.Platform) {
		p.Name, p.Hosts, p.InstallTarget = "sshtest", []string{sshHost}, installTarget
		p.SSHCommand = sshCommand
		p.RetrieveJobLogs = true
	})
}

// Jobs on another user's account, reached over ssh: remote init installs
// the run under its home; a job runs as that user, is polled, its logs
// come back, another is killed, another stopped at its time limit.
func TestSSHRemoteUser(t *testing.T) {
	needSSH(t, remoteUser)
	s := newSSHFixture(t)
	remoteRun := filepath.Join("/home", remoteUser, "gyre-run", s.id)
	t.Cleanup(func() {
		_ = exec.Command("ssh", "-oBatchMode=yes", "-l", remoteUser, sshHost,
			"rm", "-rf", "gyre-run/"+strings.Split(s.id, "/")[0]).Run()
	})
	pl := sshPlatform("ssh -oBatchMode=yes -oConnectTimeout=10 -l "+remoteUser, "gyreremote")
	r, err := s.m.NewRunner(pl, runner.Options{UTC: true, KillGrace: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := s.m.Init(t.Context(), pl); err != nil {
		t.Fatalf("Init: %v", err)
	}
	u, err := user.Lookup(remoteUser)
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{".service/gyre", ".service/token", ".service/contact", ".service/bin/cylc", "bin/tool"} {
		fi, err := os.Stat(filepath.Join(remoteRun, rel))
		if err != nil {
			t.Errorf("not installed: %v", err)
			continue
		}
		if uid := fi.Sys().(*syscall.Stat_t).Uid; fmt.Sprint(uid) != u.Uid {
			t.Errorf("%s is owned by uid %d, not %s", rel, uid, remoteUser)
		}
	}
	exerciseJobs(t, s, r, remoteRun)
}

// Jobs on a host that shares the scheduler's file system (install target
// localhost), reached over ssh as this user: nothing is installed, the
// commands run over ssh.
func TestSSHSharedInstallTarget(t *testing.T) {
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	needSSH(t, me.Username)
	s := newSSHFixture(t)
	pl := sshPlatform("ssh -oBatchMode=yes -oConnectTimeout=10", LocalInstallTarget)
	r, err := s.m.NewRunner(pl, runner.Options{UTC: true, KillGrace: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// The scheduler writes its run's shim; here the test does.
	l := r.Layout()
	if err := os.MkdirAll(l.ShimDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range shims(l.GyreBin) {
		if err := os.WriteFile(filepath.Join(l.ShimDir, name), []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	exerciseJobs(t, s, r, s.localRun)
}

// exerciseJobs runs jobs on the platform of r, whose run directory on the
// job host is remoteRun.
func exerciseJobs(t *testing.T, s *sshFixture, r *Runner, remoteRun string) {
	t.Helper()
	ctx := t.Context()
	f := &fixture{t: t, localRun: s.localRun}

	j := f.writeJob(r, "hello", `echo "user=$(id -un) run=$CYLC_WORKFLOW_RUN_DIR"; cylc message -- "$CYLC_WORKFLOW_ID" "$CYLC_TASK_JOB" 'custom output'`, 0)
	res := r.Submit(ctx, []runner.Job{j})
	if res[0].Err != nil {
		t.Fatalf("submit: %v", res[0].Err)
	}
	waitExit(t, res[0].RunnerJobID)
	remoteStatus := filepath.Join(remoteRun, "log/job/1/hello/01/job.status")
	if st := readFile(t, remoteStatus); !strings.Contains(st, "CYLC_JOB_EXIT=SUCCEEDED") {
		t.Errorf("job.status on the job host:\n%s", st)
	}
	polls := r.Poll(ctx, []runner.JobRef{j.JobRef})
	if polls[0].Err != nil || runner.Judge(polls[0].Status).Message != runner.MsgSucceeded {
		t.Fatalf("poll: %+v", polls[0])
	}
	if m := polls[0].Status.Messages; len(m) != 1 || m[0].Text != "custom output" {
		t.Errorf("messages the job recorded through its cylc shim: %+v", m)
	}
	if errs := r.Retrieve(ctx, []runner.JobRef{j.JobRef}); errs[0] != nil {
		t.Fatalf("retrieve: %v", errs[0])
	}
	owner, err := exec.Command("stat", "-c", "%U", remoteStatus).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "user=" + strings.TrimSpace(string(owner)) + " run=" + remoteRun
	if out := readFile(t, j.Files.Out); !strings.Contains(out, want) {
		t.Errorf("job.out here:\n%s\nwant it to contain %q", out, want)
	}
	if st := readFile(t, j.Files.Status); !strings.Contains(st, "CYLC_JOB_EXIT=SUCCEEDED") {
		t.Errorf("job.status here:\n%s", st)
	}

	j = f.writeJob(r, "victim", gateScript, 0, s.gate.env...)
	res = r.Submit(ctx, []runner.Job{j})
	if res[0].Err != nil {
		t.Fatalf("submit: %v", res[0].Err)
	}
	s.gate.started()
	if kills := r.Kill(ctx, []runner.JobRef{j.JobRef}); kills[0].Err != nil {
		t.Fatalf("kill: %v", kills[0].Err)
	}
	waitExit(t, res[0].RunnerJobID)
	polls = r.Poll(ctx, []runner.JobRef{j.JobRef})
	if v := runner.Judge(polls[0].Status).Message; polls[0].Err != nil || !strings.HasPrefix(v, runner.MsgFailed) {
		t.Errorf("poll after kill: %s, %+v", v, polls[0])
	}

	j = f.writeJob(r, "slow", gateScript, slowLimit, s.gate.env...)
	res = r.Submit(ctx, []runner.Job{j})
	if res[0].Err != nil {
		t.Fatalf("submit: %v", res[0].Err)
	}
	s.gate.started()
	waitExit(t, res[0].RunnerJobID)
	polls = r.Poll(ctx, []runner.JobRef{j.JobRef})
	if polls[0].Err != nil || polls[0].Status.Exit != "XCPU" {
		t.Errorf("poll after the time limit: %+v", polls[0])
	}

	if err := s.m.Tidy(ctx); err != nil {
		t.Fatalf("tidy: %v", err)
	}
}
