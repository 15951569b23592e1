package colour

import (
	"os"
	"strconv"
	"syscall"
	"testing"
	"unsafe"
)

// openPTY opens a pseudo-terminal and returns its terminal end.
func openPTY(t *testing.T) *os.File {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("opening a pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	ioctl := func(req uintptr, arg unsafe.Pointer) {
		rc, err := master.SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		var errno syscall.Errno
		if err := rc.Control(func(fd uintptr) {
			_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, req, uintptr(arg))
		}); err != nil || errno != 0 {
			t.Fatalf("ioctl %#x: %v %v", req, err, errno)
		}
	}
	var unlock int32
	ioctl(syscall.TIOCSPTLCK, unsafe.Pointer(&unlock))
	var n uint32
	ioctl(syscall.TIOCGPTN, unsafe.Pointer(&n))
	tty, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("opening the pseudo-terminal's slave: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	if !isTerminal(tty) {
		t.Fatal("isTerminal(pty) = false")
	}
	return tty
}

// TestNewTerminal opens a pseudo-terminal: colour is on in Auto mode
// unless the environment says otherwise.
func TestNewTerminal(t *testing.T) {
	tty := openPTY(t)
	for _, c := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{"TERM": "xterm-256color"}, true},
		{nil, true},
		{map[string]string{"NO_COLOR": "1"}, false},
		{map[string]string{"NO_COLOR": ""}, true}, // empty means unset (no-color.org)
		{map[string]string{"TERM": "dumb"}, false},
	} {
		if got := New(tty, Auto, env(c.env)).Enabled(); got != c.want {
			t.Errorf("New(tty, Auto, %v).Enabled() = %v, want %v", c.env, got, c.want)
		}
	}
	if New(tty, Never, env(nil)).Enabled() {
		t.Error("Never on a terminal: colour on")
	}
}
