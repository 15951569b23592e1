package handlers

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"gyre/internal/pool"
)

// maxOutput bounds what is kept of each of a handler's output streams: the
// rest is read and dropped, so a chatty handler neither blocks on a full
// pipe nor fills the scheduler's memory.
const maxOutput = 1 << 20

// proc is one attempt of a handler as a process.
type proc struct {
	e        *entry
	deadline time.Time // the timeout, as armed
	pid      int       // 0 if it never started
	startErr error

	// Set by Run's goroutine only.
	killSent bool
	killOK   bool // the group existed when killed
	timedOut bool
	killed   chan struct{} // closed once the group has been sent SIGKILL

	// Set by the process goroutine before it reports.
	state    *os.ProcessState
	out, err capBuf
}

// start launches e's current attempt; a command that cannot be started
// finishes at once, with return code 1 as in Cylc.
func (l *loop) start(e *entry) {
	p := &proc{e: e, killed: make(chan struct{})}
	p.deadline = l.clk.Now().Add(l.opts.Timeout)
	l.running[e.id] = p
	// Armed before the process exists, so that a test on a virtual clock
	// can move time as soon as the handler shows signs of life.
	l.timers.Arm(timerKey{e.id, timedOut}, p.deadline)
	l.opts.Log(pool.Debug, e.h.Cmd)
	if err := l.launch(p); err != nil {
		p.startErr = err
		l.finish(p)
	}
}

// launch starts "bash -c CMD" as the leader of a new process group, so
// that the whole group, background children included, can be killed. The
// output goes to pipes of our own rather than through os/exec's copying
// goroutines, so that waiting for the leader never waits on a descendant
// that keeps the pipes open.
func (l *loop) launch(p *proc) error {
	rOut, wOut, err := os.Pipe()
	if err != nil {
		return err
	}
	rErr, wErr, err := os.Pipe()
	if err != nil {
		rOut.Close()
		wOut.Close()
		return err
	}
	cmd := exec.Command("bash", "-c", p.e.h.Cmd)
	cmd.Env = l.opts.Env
	cmd.Dir = l.opts.Dir
	cmd.Stdout, cmd.Stderr = wOut, wErr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	wOut.Close()
	wErr.Close()
	if err != nil {
		rOut.Close()
		rErr.Close()
		if cmd.Dir != "" {
			return fmt.Errorf("cannot start the handler in directory %q: %w", cmd.Dir, err)
		}
		return fmt.Errorf("cannot start the handler: %w", err)
	}
	p.pid = cmd.Process.Pid
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		p.wait(cmd, rOut, rErr)
		l.mu.Lock()
		l.exited = append(l.exited, p)
		l.poke()
		l.mu.Unlock()
	}()
	return nil
}

// wait collects the attempt's exit status and output. The attempt is over
// when the leader has exited and the pipes are at end of file, as in
// Cylc; once the group has been killed, output is collected only as far
// as it has already been written, since whatever still holds the pipes
// escaped the group and may never let go.
func (p *proc) wait(cmd *exec.Cmd, rOut, rErr *os.File) {
	var readers sync.WaitGroup
	readers.Add(2)
	go func() { defer readers.Done(); p.out.readFrom(rOut) }()
	go func() { defer readers.Done(); p.err.readFrom(rErr) }()
	_ = cmd.Wait() // the status is in cmd.ProcessState
	done := make(chan struct{})
	go func() { readers.Wait(); close(done) }()
	select {
	case <-done:
	case <-p.killed:
		past := time.Unix(1, 0)
		rOut.SetReadDeadline(past)
		rErr.SetReadDeadline(past)
		<-done
	}
	rOut.Close()
	rErr.Close()
	p.state = cmd.ProcessState
}

// kill sends SIGKILL to the attempt's process group, once.
func (p *proc) kill(timeout bool) {
	if timeout {
		p.timedOut = true
	}
	if p.killSent || p.pid == 0 {
		return
	}
	p.killSent = true
	p.killOK = syscall.Kill(-p.pid, syscall.SIGKILL) == nil
	close(p.killed)
}

// result is the attempt's outcome, worded as Cylc's subprocess pool
// records it: a signal is a negative return code, and a kill at the
// timeout adds "killed on timeout (PT10M)" to the error output.
func (p *proc) result(timeout time.Duration) Result {
	r := Result{Handler: p.e.h, Attempt: p.e.attempt, Out: p.out.String(), Err: p.err.String(), TimedOut: p.timedOut}
	if p.startErr != nil {
		r.RetCode, r.Err = 1, p.startErr.Error()
		return r
	}
	if ws, ok := p.state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		r.RetCode = -int(ws.Signal())
	} else {
		r.RetCode = p.state.ExitCode()
	}
	if p.timedOut && p.killOK {
		r.Err += "\nkilled on timeout (" + intervalText(timeout) + ")"
	}
	return r
}

// capBuf keeps the first maxOutput bytes written to it.
type capBuf struct{ b []byte }

func (c *capBuf) write(p []byte) {
	if room := maxOutput - len(c.b); room > 0 {
		c.b = append(c.b, p[:min(room, len(p))]...)
	}
}

func (c *capBuf) String() string { return string(c.b) }

// readFrom reads f to end of file, or until its read deadline is set,
// after which it takes only what is already buffered in the pipe.
func (c *capBuf) readFrom(f *os.File) {
	buf := make([]byte, 32<<10)
	for {
		n, err := f.Read(buf)
		c.write(buf[:n])
		if err == nil {
			continue
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			c.drain(f, buf)
		}
		return
	}
}

// drain reads what f has buffered without waiting for more (bounded, in
// case a writer outside the killed group keeps it full).
func (c *capBuf) drain(f *os.File, buf []byte) {
	f.SetReadDeadline(time.Time{})
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	rc.Read(func(fd uintptr) bool {
		for total := 0; total < maxOutput; {
			n, _ := syscall.Read(int(fd), buf)
			if n <= 0 {
				break
			}
			c.write(buf[:n])
			total += n
		}
		return true // never wait for readiness
	})
}
