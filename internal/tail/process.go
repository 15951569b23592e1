package tail

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

// A process's exit is an event like a file's change: a Linux pidfd becomes
// readable when its process exits (a zombie counts), and Go's network
// poller parks a goroutine on it until then.

// sysPidfdOpen is pidfd_open(2)'s number, the same on every Linux
// architecture Go supports; the frozen syscall package predates it.
const sysPidfdOpen = 434

// exitWait is a wait for one process's exit.
type exitWait struct {
	f    *os.File
	done chan struct{} // closed once the process has exited or the wait is closed
}

// waitExit starts waiting for pid to exit. A process that has gone already
// gives a wait that is over at once.
func waitExit(pid int) (*exitWait, error) {
	w := &exitWait{done: make(chan struct{})}
	fd, _, errno := syscall.Syscall(sysPidfdOpen, uintptr(pid), 0, 0)
	if errno == syscall.ESRCH {
		close(w.done)
		return w, nil
	}
	if errno != 0 {
		return nil, fmt.Errorf("tail: waiting for process %d: pidfd_open: %w", pid, errno)
	}
	if err := syscall.SetNonblock(int(fd), true); err != nil {
		syscall.Close(int(fd))
		return nil, fmt.Errorf("tail: waiting for process %d: %w", pid, err)
	}
	syscall.CloseOnExec(int(fd))
	w.f = os.NewFile(fd, "pidfd:"+strconv.Itoa(pid))
	rc, err := w.f.SyscallConn()
	if err != nil {
		w.f.Close()
		return nil, fmt.Errorf("tail: waiting for process %d: %w", pid, err)
	}
	go func() {
		defer close(w.done)
		// Read's callback says whether the fd is ready; returning false
		// parks the goroutine until the poller reports it readable, or
		// until close makes Read fail.
		_ = rc.Read(func(fd uintptr) bool { return pidfdExited(fd) })
	}()
	return w, nil
}

// close ends the wait and releases the pidfd; it returns once the waiting
// goroutine has.
func (w *exitWait) close() {
	if w.f != nil {
		w.f.Close()
	}
	<-w.done
}

// pidfdExited reports whether the process behind a pidfd has exited,
// without blocking: a zero-timeout ppoll for POLLIN.
func pidfdExited(fd uintptr) bool {
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
