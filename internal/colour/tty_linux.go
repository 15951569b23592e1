package colour

import (
	"os"
	"syscall"
	"unsafe"
)

// isTerminal asks the kernel for f's terminal settings, which only a
// terminal has: /dev/null, also a character device, is not one. The
// standard library's syscall is enough for this one ioctl, so the package
// needs no module beyond it.
func isTerminal(f *os.File) bool {
	rc, err := f.SyscallConn()
	if err != nil {
		return false
	}
	var errno syscall.Errno
	err = rc.Control(func(fd uintptr) {
		var t syscall.Termios
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, uintptr(syscall.TCGETS), uintptr(unsafe.Pointer(&t)))
	})
	return err == nil && errno == 0
}
