package handlers

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"go.uber.org/goleak"

	"gyre/internal/pool"
)

// TestMain fails the run if a test leaves a goroutine behind: Run must own
// every goroutine it starts.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// recorder collects what a Runner reports. Its callbacks never block.
type recorder struct {
	mu      sync.Mutex
	logs    []string // "LEVEL msg"
	results []Result
	logCh   chan string
	resCh   chan Result
}

func newRecorder() *recorder {
	return &recorder{logCh: make(chan string, 1000), resCh: make(chan Result, 1000)}
}

func (r *recorder) log(level pool.Level, msg string) {
	line := level.String() + " " + msg
	r.mu.Lock()
	r.logs = append(r.logs, line)
	r.mu.Unlock()
	r.logCh <- line
}

func (r *recorder) done(res Result) {
	r.mu.Lock()
	r.results = append(r.results, res)
	r.mu.Unlock()
	r.resCh <- res
}

// result waits for the next result.
func (r *recorder) result(t *testing.T) Result {
	t.Helper()
	select {
	case res := <-r.resCh:
		return res
	case <-time.After(20 * time.Second):
		t.Fatal("no result from the runner")
	}
	return Result{}
}

// waitLog waits for a log line with the given prefix and returns it.
func (r *recorder) waitLog(t *testing.T, prefix string) string {
	t.Helper()
	for {
		select {
		case line := <-r.logCh:
			if strings.HasPrefix(line, prefix) {
				return line
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("no log line starting %q", prefix)
		}
	}
}

func (r *recorder) allLogs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.logs...)
}

// running is a Runner under test with Run on its own goroutine.
type running struct {
	*Runner
	rec    *recorder
	cancel context.CancelFunc
	ret    chan error
}

func start(t *testing.T, opts Options, before ...Handler) *running {
	t.Helper()
	rec := newRecorder()
	opts.Log, opts.Done = rec.log, rec.done
	r := New(opts)
	for _, h := range before {
		if !r.Enqueue(h) {
			t.Fatal("Enqueue before Run refused")
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	rr := &running{Runner: r, rec: rec, cancel: cancel, ret: make(chan error, 1)}
	go func() { rr.ret <- r.Run(ctx) }()
	t.Cleanup(func() { rr.stop(t) })
	return rr
}

// stop cancels Run and waits for it to return.
func (rr *running) stop(t *testing.T) {
	t.Helper()
	rr.cancel()
	select {
	case err := <-rr.ret:
		if err != nil {
			t.Errorf("Run returned %v", err)
		}
		rr.ret <- nil // later calls return at once
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return")
	}
}

// fifo makes a named pipe and opens it read-write, so that neither the
// test nor a handler blocks opening it and data written to it stays until
// read. Reading from it is how the test waits on a handler without polling.
type fifo struct {
	path string
	f    *os.File
	rd   *bufio.Reader
}

func newFIFO(t *testing.T, name string) *fifo {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return &fifo{path: path, f: f, rd: bufio.NewReader(f)}
}

func (p *fifo) readLine(t *testing.T) string {
	t.Helper()
	p.f.SetReadDeadline(time.Now().Add(20 * time.Second))
	line, err := p.rd.ReadString('\n')
	if err != nil {
		t.Fatalf("reading %s: %v", p.path, err)
	}
	return strings.TrimSuffix(line, "\n")
}

func (p *fifo) write(t *testing.T, s string) {
	t.Helper()
	if _, err := p.f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// childWatch follows a process through a pidfd, which refers to that
// process for good even if its PID is reused. fd is -1 for a process that
// was already gone (exited and reaped) when the watch began.
type childWatch struct{ fd int }

func watchPID(t *testing.T, pidText string) childWatch {
	t.Helper()
	pid, err := strconv.Atoi(pidText)
	if err != nil {
		t.Fatalf("bad pid %q", pidText)
	}
	fd, _, errno := syscall.Syscall(434 /* pidfd_open */, uintptr(pid), 0, 0)
	if errno == syscall.ESRCH {
		return childWatch{-1}
	}
	if errno != 0 {
		t.Fatalf("pidfd_open %d: %v", pid, errno)
	}
	t.Cleanup(func() { syscall.Close(int(fd)) })
	return childWatch{int(fd)}
}

// exited waits, up to limit, for the process to die; a pidfd becomes
// readable when it does.
func (c childWatch) exited(limit time.Duration) bool {
	if c.fd < 0 {
		return true
	}
	pfd := struct {
		fd              int32
		events, revents int16
	}{fd: int32(c.fd), events: 0x1}
	ts := syscall.NsecToTimespec(limit.Nanoseconds())
	for {
		n, _, errno := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&pfd)), 1,
			uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
		if errno == syscall.EINTR {
			continue
		}
		return errno == 0 && n == 1
	}
}

// kill stops a process the test started, should it still be there.
func (c childWatch) kill() {
	if c.fd < 0 {
		return
	}
	const pidfdSendSignal = 424
	syscall.Syscall6(pidfdSendSignal, uintptr(c.fd), uintptr(syscall.SIGKILL), 0, 0, 0, 0)
}

func taskHandler(cmd string, delays ...time.Duration) Handler {
	return Handler{Name: "event-handler-00", Event: "failed", Cmd: cmd,
		Job: &JobRef{Point: "1", Name: "foo", SubmitNum: 1}, Delays: delays}
}

func workflowHandler(cmd string) Handler {
	return Handler{Name: "workflow-event-handler-00", Event: "startup", Cmd: cmd}
}

// dump shows every field of a result, for failure messages.
func dump(r Result) string {
	return fmt.Sprintf("{attempt %d ret_code %d timedOut %v final %v abandoned %v out %q err %q cmd %q}",
		r.Attempt, r.RetCode, r.TimedOut, r.Final, r.Abandoned, r.Out, r.Err, r.Handler.Cmd)
}
