package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// envReadyFD names the descriptor on which a detached scheduler tells the
// "gyre play" that started it that it is up. Its presence is also how the
// scheduler knows it is the daemon.
const envReadyFD = "GYRE_DAEMON_READY_FD"

// detach runs the scheduler of the installed workflow id as a daemon: this
// binary again, with --no-detach, in a session of its own, its standard
// input and output on /dev/null. Until the daemon is up its standard error
// comes back here, so a workflow that fails to load or start reports why,
// and with the daemon's exit status, exactly as it would in the
// foreground. Once it is up (its contact file is written, or, in
// simulation mode, its run has started), detach prints where it runs and
// returns; the daemon logs to log/scheduler/log from then on.
func detach(cmd *cobra.Command, id, dir string) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding the gyre binary to run the scheduler: %w", err)
	}
	args := append([]string{"play", id, "--no-detach"}, replayFlags(cmd.Flags())...)
	readyR, readyW, err := os.Pipe()
	if err != nil {
		return err
	}
	defer readyR.Close()
	errR, errW, err := os.Pipe()
	if err != nil {
		readyW.Close()
		return err
	}
	c := exec.Command(self, args...)
	c.Dir = dir
	c.Env = append(os.Environ(), envReadyFD+"=3")
	c.Stderr = errW
	c.ExtraFiles = []*os.File{readyW}
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	startErr := c.Start()
	readyW.Close()
	errW.Close()
	if startErr != nil {
		errR.Close()
		return fmt.Errorf("starting the scheduler: %w", startErr)
	}

	// The daemon's standard error is read until it lets go of it: when it
	// is up (it then writes errors to its log) or when it exits.
	var stderrBuf bytes.Buffer
	var wg sync.WaitGroup
	wg.Go(func() {
		_, _ = io.Copy(&stderrBuf, errR)
		errR.Close()
	})
	line, _ := bufio.NewReader(readyR).ReadString('\n')
	if pid, ok := strings.CutPrefix(strings.TrimSpace(line), "ready "); ok {
		wg.Wait()
		_ = c.Process.Release()
		io.Copy(cmd.ErrOrStderr(), &stderrBuf)
		host, _ := os.Hostname()
		fmt.Fprintf(cmd.OutOrStdout(), "%s: %s PID=%s\n", id, host, pid)
		fmt.Fprintf(cmd.OutOrStdout(), "  log: %s\n", filepath.Join(dir, "log", "scheduler", "log"))
		return nil
	}
	// No word from it: it has failed (or finished) already.
	waitErr := c.Wait()
	wg.Wait()
	io.Copy(cmd.ErrOrStderr(), &stderrBuf)
	var ee *exec.ExitError
	switch {
	case waitErr == nil:
		return nil
	case errors.As(waitErr, &ee) && ee.ExitCode() > 0:
		return &exitError{code: ee.ExitCode(), err: errReported}
	default:
		return fmt.Errorf("the scheduler of %s did not start: %w", id, waitErr)
	}
}

// replayFlags gives back the flags the user set, for the daemon's command
// line; the workflow is passed by its ID, so it is not installed twice.
func replayFlags(fs *pflag.FlagSet) []string {
	var out []string
	fs.Visit(func(f *pflag.Flag) {
		if f.Name == "workflow-name" || f.Name == "no-detach" {
			return
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				out = append(out, "--"+f.Name+"="+v)
			}
			return
		}
		out = append(out, "--"+f.Name+"="+f.Value.String())
	})
	return out
}

// daemonReady tells the "gyre play" that detached this scheduler that it
// is up, then sends this process's standard error to the scheduler log
// (logPath) since nobody reads the pipe any more. It does nothing in a
// scheduler that was not detached.
func daemonReady(logPath string) {
	fdText := os.Getenv(envReadyFD)
	if fdText == "" {
		return
	}
	os.Unsetenv(envReadyFD)
	if f, err := os.OpenFile(logPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
		_ = syscall.Dup3(int(f.Fd()), 2, 0)
		f.Close()
	}
	fd, err := strconv.Atoi(fdText)
	if err != nil {
		return
	}
	ready := os.NewFile(uintptr(fd), "ready")
	fmt.Fprintf(ready, "ready %d\n", os.Getpid())
	ready.Close()
}
