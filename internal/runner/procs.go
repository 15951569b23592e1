package runner

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"syscall"
)

// Processes are identified and waited on through Linux pidfds: a pidfd
// refers to one process for good (a PID may be reused once the process is
// reaped), becomes readable when the process exits, and can be waited on in
// Go's network poller, so a watcher costs a parked goroutine, not a thread,
// and can be woken by a deadline — which is how watchers stop, and how the
// execution time limit and kill escalation are timed, without timers.

// procMounted reports whether /proc can tell us about processes.
func procMounted() bool {
	_, err := os.Stat("/proc/self/cmdline")
	return err == nil
}

// runs reports whether pid is a live process of the job whose script is
// script. Where /proc is mounted a process counts only if its command line
// names the script (the job shell runs "bash [-l] <script> ..."), so a PID
// reused after the job ended, say across a reboot, is not mistaken for the
// job, and a zombie (whose command line is empty) counts as gone. Without
// /proc, liveness is all there is, as for Cylc's "ps PID".
func runs(pid int, script string) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil {
		return false // ESRCH: gone; EPERM: someone else's process
	}
	cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	switch {
	case err == nil:
		for arg := range bytes.SplitSeq(cmdline, []byte{0}) {
			if string(arg) == script {
				return true
			}
		}
		return false
	case errors.Is(err, fs.ErrNotExist) && procMounted():
		return false // exited since the kill(0)
	default:
		return true
	}
}

// jobGroup returns the process group to signal for a job process, refusing
// the scheduler's own: jobs always lead a group of their own (or run under
// one that at's perl wrapper made), so finding the job in the scheduler's
// group means the PID is not what it should be.
func jobGroup(pid int) (int, error) {
	pgid, err := syscall.Getpgid(pid)
	if err != nil {
		return 0, fmt.Errorf("process %d: %w", pid, err)
	}
	if pgid == syscall.Getpgrp() || pgid <= 1 {
		return 0, fmt.Errorf("process %d is in process group %d, which is not a job's: not signalling it", pid, pgid)
	}
	return pgid, nil
}

// killGroup signals a job's process group; a group that has gone is not an
// error.
func killGroup(pgid int, sig syscall.Signal) error {
	if err := syscall.Kill(-pgid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("signalling process group %d with %s: %w", pgid, signalName(sig), err)
	}
	return nil
}

// statusPID returns the PID in job.status to look for: the job shell's own
// (CYLC_JOB_PID) once it has started, else, for runners whose job ID is a
// PID, the job ID.
func statusPID(pid int, jobID string, idIsPID bool) int {
	if pid > 0 {
		return pid
	}
	if idIsPID {
		if n, err := strconv.Atoi(jobID); err == nil && n > 0 {
			return n
		}
	}
	return 0
}

// findScript returns the PID of a live process running the job script
// script, or 0. It is for the moment between a job's start and the record
// of its PID: a scheduler killed then leaves a job that only its command
// line identifies.
func findScript(script string) int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 1 {
			continue
		}
		if runs(pid, script) {
			return pid
		}
	}
	return 0
}
