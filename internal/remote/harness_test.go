package remote

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"gyre/internal/api"
	"gyre/internal/job"
	"gyre/internal/pidfd"
	"gyre/internal/platform"
	"gyre/internal/runner"
)

// patience bounds every wait on a real process: a safety net that turns a
// hang into a failure, not a delay (tests wait on events).
const patience = 60 * time.Second

// slowLimit is the execution time limit of the tests' job that overruns
// it: long enough for a job on a loaded machine to have started (and set
// its traps) before it is over, which a one-second limit was not.
const slowLimit = 8 * time.Second

// fakeSSH stands in for ssh: it drops the options, logs the command line,
// and runs the command in $HOME through a shell, as sshd runs it on the
// remote host. Hosts named unreachable* fail as ssh does, with status 255.
const fakeSSH = `#!/bin/sh
while [ $# -gt 0 ]; do
	case $1 in
	-l|-o|-p|-i) shift 2 ;;
	-*) shift ;;
	*) break ;;
	esac
done
host=$1
shift
case $host in
unreachable*)
	echo "ssh: connect to host $host port 22: Connection refused" >&2
	exit 255 ;;
esac
printf '%s\n' "$*" >>"${FAKE_SSH_LOG:?}"
cd "$HOME" || exit 255
exec sh -c "$*"
`

// fixture is a local run directory with the scheduler's service files and
// installable directories, and a "remote" home directory reached through
// the fake ssh.
type fixture struct {
	t          *testing.T
	tmp        string
	localRun   string
	remoteHome string
	sshLog     string
	env        []string
	m          *Manager
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	tmp := t.TempDir()
	f := &fixture{
		t: t, tmp: tmp,
		localRun:   filepath.Join(tmp, "local", "gyre-run", "flow", "run1"),
		remoteHome: filepath.Join(tmp, "remote-home"),
		sshLog:     filepath.Join(tmp, "ssh.log"),
	}
	write := func(path, text string, mode os.FileMode) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(tmp, "fakessh"), fakeSSH, 0o755)
	svc := job.Layout{RunDir: f.localRun}.ServiceDir()
	write(filepath.Join(svc, api.ContactFileName), "CYLC_WORKFLOW_ID=flow/run1\n", 0o600)
	write(filepath.Join(svc, api.TokenFileName), "secret\n", 0o600)
	write(filepath.Join(svc, "tls.key"), "private\n", 0o600)
	write(filepath.Join(f.localRun, "flow.cylc"), "[scheduling]\n", 0o644)
	write(filepath.Join(f.localRun, "bin", "tool"), "#!/bin/sh\necho tool\n", 0o755)
	write(filepath.Join(f.localRun, "app", "a", "rose-app.conf"), "x=1\n", 0o644)
	write(filepath.Join(f.localRun, "data", "big"), "not installed\n", 0o644)
	write(filepath.Join(f.localRun, "log", "scheduler", "log"), "not installed\n", 0o644)
	if err := os.MkdirAll(f.remoteHome, 0o755); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	f.env = append(env, "HOME="+f.remoteHome, "FAKE_SSH_LOG="+f.sshLog)
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f.m, err = NewManager(Config{WorkflowID: "flow/run1", RunDir: f.localRun, GyreBin: bin, Env: f.env})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// platform is a platform whose hosts are reached with the fake ssh.
func (f *fixture) platform(edit func(*platform.Platform)) *platform.Platform {
	return testPlatform(func(p *platform.Platform) {
		p.Name, p.InstallTarget = "fake", "fake"
		p.Hosts = []string{"fakehost"}
		p.SSHCommand = filepath.Join(f.tmp, "fakessh") + " -oBatchMode=yes"
		p.RetrieveJobLogs = true
		if edit != nil {
			edit(p)
		}
	})
}

// sshCalls returns the command lines the fake ssh ran.
func (f *fixture) sshCalls() []string {
	b, err := os.ReadFile(f.sshLog)
	if err != nil && !os.IsNotExist(err) {
		f.t.Fatal(err)
	}
	return slices.DeleteFunc(strings.Split(string(b), "\n"), func(s string) bool { return s == "" })
}

// writeJob writes a job's script locally, as the scheduler does for a
// remote platform, and returns the job to submit.
func (f *fixture) writeJob(r *Runner, task, script string, limit time.Duration, env ...string) runner.Job {
	f.t.Helper()
	l := r.Layout()
	spec := job.Spec{
		WorkflowID: "flow/run1", WorkflowName: "flow", CyclingMode: "integer", InitialCyclePoint: "1",
		TaskName: task, CyclePoint: "1", SubmitNum: 1, UTC: true, Script: script,
		RunDir: l.RunDir, ShimDir: l.ShimDir, GyreBin: l.GyreBin, CommsMethod: job.CommsPoll,
		RunnerName: r.Name(), ExecutionTimeLimit: limit,
		Contact: job.Contact{TokenFile: l.TokenFile},
	}
	rj := runner.Job{
		JobRef: runner.JobRef{ID: spec.JobID(), Files: job.Layout{RunDir: f.localRun}.Job("1", task, 1)},
		Env:    env, ExecutionTimeLimit: limit, WorkflowName: "flow/run1",
	}
	if d := r.Directives(rj); len(d) > 0 {
		spec.Directives = func() []string { return d }
	}
	files, err := job.Layout{RunDir: f.localRun}.PrepareJobDir("1", task, 1)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := job.WriteFile(files.Script, spec); err != nil {
		f.t.Fatal(err)
	}
	return rj
}

// remoteFile is a file of the remote run directory.
func (f *fixture) remoteFile(rel ...string) string {
	return filepath.Join(append([]string{f.remoteHome, "gyre-run", "flow", "run1"}, rel...)...)
}

// waitExit waits for a job process to exit, through its pidfd.
func waitExit(t *testing.T, pidText string) {
	t.Helper()
	var pid int
	for _, c := range pidText {
		if c < '0' || c > '9' {
			t.Fatalf("job ID %q is not a PID", pidText)
		}
		pid = pid*10 + int(c-'0')
	}
	w, err := pidfd.Watch(pid)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	select {
	case <-w.Done():
	case <-time.After(patience):
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		t.Fatalf("job process %d did not exit", pid)
	}
}

// gate is a pair of FIFOs, world-writable so that jobs of another user can
// use them: a job writes a line to out when it has started, and waits for
// a line on in.
type gate struct {
	t       *testing.T
	in, out *os.File
	lines   *bufio.Reader
	env     []string
}

// gateScript is a job script that reports it has started, then waits.
const gateScript = `echo started >"${GATE_OUT:?}"; read -r _ <"${GATE_IN:?}"`

func newGate(t *testing.T, dir string) *gate {
	t.Helper()
	g := &gate{t: t}
	paths := []string{filepath.Join(dir, "gate-in"), filepath.Join(dir, "gate-out")}
	for i, p := range paths {
		if err := syscall.Mkfifo(p, 0o666); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, 0o666); err != nil {
			t.Fatal(err)
		}
		// Opened read-write, a FIFO neither blocks its opener nor sees end
		// of file while jobs come and go.
		file, err := os.OpenFile(p, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			g.in = file
		} else {
			g.out = file
		}
	}
	g.lines = bufio.NewReader(g.out)
	g.env = []string{"GATE_IN=" + paths[0], "GATE_OUT=" + paths[1]}
	t.Cleanup(func() { g.in.Close(); g.out.Close() })
	return g
}

// started waits for a job to say it has started.
func (g *gate) started() {
	g.t.Helper()
	if err := g.out.SetReadDeadline(time.Now().Add(patience)); err != nil {
		g.t.Fatal(err)
	}
	if line, err := g.lines.ReadString('\n'); err != nil || line != "started\n" {
		g.t.Fatalf("waiting for a job to start: %q, %v", line, err)
	}
}

// readFile returns a file's text, failing the test if it cannot be read.
func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
