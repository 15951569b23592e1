package tail

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Masks of the watches. A file's own watch sees writes to it, also after it
// has been renamed away (log rotation), and its removal. A directory's
// watch sees files appear, go and, for the files named in Options.Watch,
// change.
const (
	fileMask = syscall.IN_MODIFY | syscall.IN_ATTRIB | syscall.IN_CLOSE_WRITE |
		syscall.IN_DELETE_SELF | syscall.IN_MOVE_SELF
	dirMask = syscall.IN_CREATE | syscall.IN_MOVED_TO | syscall.IN_MOVED_FROM |
		syscall.IN_DELETE | syscall.IN_MODIFY | syscall.IN_CLOSE_WRITE | syscall.IN_ATTRIB |
		syscall.IN_DELETE_SELF | syscall.IN_MOVE_SELF | syscall.IN_ONLYDIR
)

// event is one inotify event: the watch it came from, what happened and,
// for a directory's watch, the name of the entry concerned.
type event struct {
	wd   int
	mask uint32
	name string
}

// watcher is an inotify instance. Its descriptor is non-blocking and read
// through an *os.File, so that a read parks its goroutine in Go's network
// poller (no thread, no timeout) and Close wakes it at once.
type watcher struct {
	fd int
	f  *os.File
}

func newWatcher() (*watcher, error) {
	fd, err := syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("tail: inotify: %w", err)
	}
	// f.Fd() must never be called: it would make the descriptor blocking
	// and the read unwakeable; the raw fd is kept for adding watches.
	return &watcher{fd: fd, f: os.NewFile(uintptr(fd), "inotify")}, nil
}

// add watches path; watches on the same inode share a descriptor and, with
// IN_MASK_ADD, the union of their masks.
func (w *watcher) add(path string, mask uint32) (int, error) {
	wd, err := syscall.InotifyAddWatch(w.fd, path, mask|syscall.IN_MASK_ADD)
	if err != nil {
		return -1, &os.PathError{Op: "inotify_add_watch", Path: path, Err: err}
	}
	return wd, nil
}

// remove drops a watch; one the kernel has dropped already is no error.
func (w *watcher) remove(wd int) {
	_, _ = syscall.InotifyRmWatch(w.fd, uint32(wd))
}

// read blocks until events arrive (or the watcher is closed) and returns
// them.
func (w *watcher) read(buf []byte) ([]event, error) {
	n, err := w.f.Read(buf)
	if err != nil {
		return nil, err
	}
	return parseEvents(buf[:n])
}

func (w *watcher) close() error { return w.f.Close() }

// errShortEvent is a read that ended inside an event record, which the
// kernel never does: it returns whole events or EINVAL.
var errShortEvent = errors.New("tail: inotify: truncated event")

// parseEvents decodes struct inotify_event records: wd, mask, cookie and
// len as native 32-bit integers, then len bytes of NUL-padded name.
func parseEvents(b []byte) ([]event, error) {
	const header = syscall.SizeofInotifyEvent
	var evs []event
	for len(b) > 0 {
		if len(b) < header {
			return evs, errShortEvent
		}
		e := event{
			wd:   int(int32(binary.NativeEndian.Uint32(b[0:4]))),
			mask: binary.NativeEndian.Uint32(b[4:8]),
		}
		size := int(binary.NativeEndian.Uint32(b[12:16]))
		if size > len(b)-header {
			return evs, errShortEvent
		}
		name := b[header : header+size]
		for len(name) > 0 && name[len(name)-1] == 0 {
			name = name[:len(name)-1]
		}
		e.name = string(name)
		evs = append(evs, e)
		b = b[header+size:]
	}
	return evs, nil
}
