package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ErrUnreachable is wrapped by errors of commands that could not reach
// their host: ssh (or rsync over ssh) exited with status 255. The host is
// then counted bad, as in Cylc, and the platform's next host is tried.
var ErrUnreachable = errors.New("host unreachable")

// hostError is a command on (or to) a job host that failed: what was
// being done, where, and what the command said.
type hostError struct {
	op       string // "remote init", "jobs-submit", ...
	platform string
	host     string
	prog     string // the program that failed: "ssh", "rsync"
	code     int    // exit status; -1 if it did not run or was killed
	stderr   string
	err      error
}

func (e *hostError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: platform %s, host %s: ", e.op, e.platform, e.host)
	switch {
	case e.code == 255:
		fmt.Fprintf(&b, "%s could not reach the host (exit status 255)", e.prog)
	case e.code >= 0:
		fmt.Fprintf(&b, "%s exited with status %d", e.prog, e.code)
	default:
		fmt.Fprintf(&b, "%s: %v", e.prog, e.err)
	}
	if e.stderr != "" {
		b.WriteString(": " + e.stderr)
	}
	if e.code == 255 {
		fmt.Fprintf(&b, "\n  hint: check that %q works without a password prompt, and the platform's \"ssh command\"", "ssh "+e.host+" true")
	}
	return b.String()
}

func (e *hostError) Unwrap() error { return e.err }

// maxStderr bounds the standard error quoted in an error message; what is
// cut is the middle, since the first lines say what was done and the last
// why it failed.
const maxStderr = 2000

func trimOutput(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= maxStderr {
		return s
	}
	return s[:maxStderr/2] + "\n[...]\n" + s[len(s)-maxStderr/2:]
}

// waitDelay bounds how long a command's output is waited for once it has
// exited or been cancelled: a process it left behind holding the pipes
// (ssh's ControlMaster, say) must not hang the caller.
const waitDelay = 10 * time.Second

// run runs argv with env, returning its standard output, and a *hostError
// (wrapping ErrUnreachable for exit status 255) if it failed.
func run(ctx context.Context, env []string, stdin io.Reader, op, platformName, host string, argv []string) ([]byte, error) {
	var stdout bytes.Buffer
	err := runTo(ctx, env, stdin, &stdout, op, platformName, host, argv)
	return stdout.Bytes(), err
}

// runTo is run writing the command's standard output to stdout as it
// comes (for cat-log's tail of a remote job log).
func runTo(ctx context.Context, env []string, stdin io.Reader, stdout io.Writer, op, platformName, host string, argv []string) error {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdin = stdin
	cmd.WaitDelay = waitDelay
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = stdout, &stderr
	err := cmd.Run()
	if err == nil {
		return nil
	}
	he := &hostError{op: op, platform: platformName, host: host, prog: filepath.Base(argv[0]),
		code: -1, stderr: trimOutput(stderr.String()), err: err}
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() >= 0 && ctx.Err() == nil {
		he.code = exit.ExitCode()
		he.err = fmt.Errorf("exit status %d", he.code)
		if he.code == 255 {
			he.err = ErrUnreachable
		}
	} else if ctx.Err() != nil {
		he.err = ctx.Err()
	}
	return he
}
