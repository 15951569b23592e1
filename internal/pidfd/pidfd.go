// Package pidfd waits for processes through Linux pidfds: a pidfd becomes
// readable when its process exits (a zombie counts), so Go's network
// poller can park a goroutine on it until then, with no polling loop and
// no timer. The job runner watches jobs this way and the log follower the
// process that writes a log.
package pidfd

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

// sysPidfdOpen is pidfd_open(2)'s number, the same on every Linux
// architecture Go supports; the frozen syscall package predates it.
const sysPidfdOpen = 434

// Open returns a pidfd (close-on-exec) for pid. A process that has gone
// gives an error wrapping syscall.ESRCH.
func Open(pid int) (int, error) {
	fd, _, errno := syscall.Syscall(sysPidfdOpen, uintptr(pid), 0, 0)
	if errno != 0 {
		return -1, fmt.Errorf("pidfd_open %d: %w", pid, errno)
	}
	syscall.CloseOnExec(int(fd))
	return int(fd), nil
}

// File wraps a pidfd for the network poller, which needs it non-blocking;
// the file owns the fd from then on (it is closed on error too).
func File(fd, pid int) (*os.File, error) {
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("pidfd of %d: %w", pid, err)
	}
	return os.NewFile(uintptr(fd), "pidfd:"+strconv.Itoa(pid)), nil
}

// Exited reports whether the process behind a pidfd has exited (its pidfd
// is readable), without waiting and without reaping it: a zero-timeout
// ppoll for POLLIN.
func Exited(fd uintptr) bool {
	const pollIn = 0x1
	pfd := struct {
		fd              int32
		events, revents int16
	}{fd: int32(fd), events: pollIn}
	var zero syscall.Timespec
	n, _, errno := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&pfd)), 1,
		uintptr(unsafe.Pointer(&zero)), 0, 0, 0)
	return errno == 0 && n == 1 && pfd.revents&pollIn != 0
}

// Wait is a wait for one process's exit.
type Wait struct {
	f    *os.File
	done chan struct{}
}

// Watch starts waiting for pid to exit. A process that has gone already
// gives a wait that is over at once.
func Watch(pid int) (*Wait, error) {
	w := &Wait{done: make(chan struct{})}
	fd, err := Open(pid)
	if err != nil {
		if errors.Is(err, syscall.ESRCH) {
			close(w.done)
			return w, nil
		}
		return nil, err
	}
	if w.f, err = File(fd, pid); err != nil {
		return nil, err
	}
	rc, err := w.f.SyscallConn()
	if err != nil {
		w.f.Close()
		return nil, fmt.Errorf("waiting for process %d: %w", pid, err)
	}
	go func() {
		defer close(w.done)
		// Read's callback says whether the fd is ready; returning false
		// parks the goroutine until the poller reports it readable, or
		// until Close makes Read fail.
		_ = rc.Read(func(fd uintptr) bool { return Exited(fd) })
	}()
	return w, nil
}

// Done is closed once the process has exited (or the wait is closed).
func (w *Wait) Done() <-chan struct{} { return w.done }

// Close ends the wait and releases the pidfd; it returns once the waiting
// goroutine has.
func (w *Wait) Close() {
	if w.f != nil {
		w.f.Close()
	}
	<-w.done
}
