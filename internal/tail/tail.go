// Package tail follows a growing file as "tail -F" does, but woken only by
// events: Linux inotify reports the file's writes and its directory's
// changes (the file appearing, being replaced or renamed away), and a pidfd
// reports the exit of the process writing it. Nothing polls or sleeps, so a
// followed log costs nothing while it is quiet and shows a write at once.
//
// The caller says when following is over (a job has finished, a scheduler
// has stopped) with Options.Done; the files that condition depends on are
// watched too, so it is re-checked exactly when it may have changed.
package tail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"gyre/internal/pidfd"
)

// Options shape a Follow. The zero value follows until the context ends.
type Options struct {
	// Done reports whether following is over. It is called when Follow
	// starts and after every change to the file or to a Watch path; once
	// it returns true Follow copies what the file still holds and returns
	// nil (after Process has exited, if that is set).
	Done func() bool
	// Watch are more paths whose changes may make Done true, such as a
	// job's job.status or a scheduler's contact file. A path need not
	// exist; its directory should.
	Watch []string
	// Process, if set, is asked once Done has returned true for the
	// process that may still be writing the file (0 for none). Follow then
	// also waits for that process to exit, so that what it writes last is
	// not lost: a job writes its last lines after recording its exit.
	Process func() int
	// Note, if set, is told of events worth a message, as tail -F prints
	// them: the file is missing, has appeared, was truncated or replaced.
	Note func(msg string)
}

// Follow copies path to w: what it holds, then what is written to it, until
// ctx ends (returning ctx.Err()) or opt.Done says following is over
// (returning nil). A file that does not exist yet is waited for; one that
// is replaced (renamed over, or removed and created again) is followed
// anew from its start, as is one that is truncated. Follow returns an
// error if the file's directory goes away.
func Follow(ctx context.Context, path string, w io.Writer, opt Options) error {
	in, err := newWatcher()
	if err != nil {
		return err
	}
	fl := &follower{
		path: filepath.Clean(path), out: w, opt: opt, in: in,
		interest: map[int]*names{}, fileWD: -1,
	}
	fl.dir, fl.base = filepath.Dir(fl.path), filepath.Base(fl.path)

	// The reader goroutine turns inotify reads into batches of events; it
	// ends when the watcher is closed, which the deferred teardown does
	// before waiting for it.
	batches := make(chan []event)
	readErr := make(chan error, 1)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		buf := make([]byte, 64<<10)
		for {
			evs, err := in.read(buf)
			if err != nil {
				readErr <- err
				return
			}
			select {
			case batches <- evs:
			case <-stop:
				return
			}
		}
	})
	defer func() {
		close(stop)
		fl.closeFile()
		in.close()
		wg.Wait()
	}()

	// Watches come first, so that no change after the first look is
	// missed.
	if err := fl.watchAll(); err != nil {
		return err
	}
	var exit *pidfd.Wait
	defer func() {
		if exit != nil {
			exit.Close()
		}
	}()
	var exited <-chan struct{} // set once waiting for the writer's exit
	for {
		// Done is asked before copying: whatever was written before it
		// became true is then copied too.
		over := false
		if exited == nil && opt.Done != nil && opt.Done() {
			over = true
			if pid := fl.writer(); pid > 0 {
				if exit, err = pidfd.Watch(pid); err != nil {
					fl.note(err.Error())
				} else {
					exited, over = exit.Done(), false
				}
			}
		}
		if err := fl.sync(); err != nil || over {
			return err
		}
		if err := fl.wait(ctx, batches, readErr, exited); err != nil {
			if errors.Is(err, errExited) {
				return fl.sync()
			}
			return err
		}
	}
}

// errExited ends a wait when the process writing the file has exited.
var errExited = errors.New("tail: writer exited")

// wait blocks until a change that matters, the writer's exit or the end of
// ctx.
func (fl *follower) wait(ctx context.Context, batches <-chan []event, readErr <-chan error, exited <-chan struct{}) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-exited:
			return errExited
		case err := <-readErr:
			return fmt.Errorf("tail: reading inotify events: %w", err)
		case evs := <-batches:
			if fl.matters(evs) {
				return nil
			}
		}
	}
}

// names is the set of directory entries whose events matter for one
// watch; all means every event does.
type names struct {
	all bool
	set map[string]bool
}

// follower is the state of one Follow.
type follower struct {
	path, dir, base string
	out             io.Writer
	opt             Options
	in              *watcher
	interest        map[int]*names // by watch descriptor
	fileWD          int            // the open file's own watch, or -1

	f      *os.File
	fi     fs.FileInfo // f's identity, to recognise a replacement
	off    int64       // how much of f has been copied
	missed bool        // "waiting for the file" has been noted
}

// watchAll sets the directory watches: the followed file's directory
// (which must exist) and those of the Watch paths (which may not yet: the
// Done check that follows covers them).
func (fl *follower) watchAll() error {
	wd, err := fl.in.add(fl.dir, dirMask)
	if err != nil {
		return fmt.Errorf("tail: %s: %w", fl.path, err)
	}
	fl.interested(wd, fl.base)
	for _, p := range fl.opt.Watch {
		p = filepath.Clean(p)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			if wd, err := fl.in.add(p, dirMask); err == nil {
				fl.interest[wd] = &names{all: true}
			}
			continue
		}
		if wd, err := fl.in.add(filepath.Dir(p), dirMask); err == nil {
			fl.interested(wd, filepath.Base(p))
		}
	}
	return nil
}

func (fl *follower) interested(wd int, name string) {
	n := fl.interest[wd]
	if n == nil {
		n = &names{set: map[string]bool{}}
		fl.interest[wd] = n
	}
	if n.set != nil {
		n.set[name] = true
	}
}

// matters reports whether any of evs concerns the file, a Watch path or a
// watched directory itself; the rest (siblings' writes) are ignored.
func (fl *follower) matters(evs []event) bool {
	for _, e := range evs {
		if e.mask&syscall.IN_Q_OVERFLOW != 0 || (e.wd == fl.fileWD && fl.fileWD >= 0) {
			return true
		}
		n := fl.interest[e.wd]
		if n != nil && (n.all || e.name == "" || n.set[e.name]) {
			return true
		}
	}
	return false
}

// sync brings the output up to date with the file at path, whatever has
// happened to it since the last look: events only say when to look.
func (fl *follower) sync() error {
	st, err := os.Stat(fl.path)
	switch {
	case err == nil && fl.f != nil && !os.SameFile(st, fl.fi):
		// Replaced: finish the old file (a writer may have added to it
		// before the switch), then start on the new one.
		if err := fl.copy(); err != nil {
			return err
		}
		fl.closeFile()
		fl.note(fmt.Sprintf("%s has been replaced; following the new file", fl.path))
		if err := fl.open(); err != nil {
			return err
		}
	case err == nil && fl.f == nil:
		if fl.missed {
			fl.note(fmt.Sprintf("%s has appeared; following it", fl.path))
		}
		if err := fl.open(); err != nil {
			return err
		}
	case errors.Is(err, fs.ErrNotExist):
		if _, derr := os.Stat(fl.dir); derr != nil {
			if fl.f != nil {
				_ = fl.copy()
			}
			return fmt.Errorf("tail: %s: its directory has gone: %w", fl.path, derr)
		}
		if fl.f != nil && removed(fl.f) {
			// Removed, not renamed away: nobody will read what is still
			// written to it. It is let go as tail -F does, which also
			// lets its directory's removal be seen (an open file keeps
			// the kernel from reporting it).
			if err := fl.copy(); err != nil {
				return err
			}
			fl.closeFile()
			fl.note(fmt.Sprintf("%s has been removed", fl.path))
		}
		if fl.f == nil && !fl.missed {
			fl.missed = true
			fl.note(fmt.Sprintf("waiting for %s to appear", fl.path))
		}
		// A renamed-away file may still be written by whoever has it
		// open, as in a log rotation: it is read on until a new one
		// appears.
	case err != nil:
		return fmt.Errorf("tail: %w", err)
	}
	if fl.f == nil {
		return nil
	}
	return fl.copy()
}

// open opens the file at path and watches it.
func (fl *follower) open() error {
	f, err := os.Open(fl.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // gone again already: the next event will tell
	}
	if err != nil {
		return fmt.Errorf("tail: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("tail: %w", err)
	}
	if fi.IsDir() {
		f.Close()
		return fmt.Errorf("tail: %s is a directory", fl.path)
	}
	fl.f, fl.fi, fl.off = f, fi, 0
	if wd, err := fl.in.add(fl.path, fileMask); err == nil {
		fl.fileWD = wd
	}
	return nil
}

// copy writes out what the open file holds beyond what was copied; a file
// now shorter than that was truncated and is copied from its start.
func (fl *follower) copy() error {
	fi, err := fl.f.Stat()
	if err != nil {
		return fmt.Errorf("tail: %w", err)
	}
	if fi.Size() < fl.off {
		fl.note(fmt.Sprintf("%s: file truncated", fl.path))
		fl.off = 0
	}
	n, err := io.Copy(fl.out, io.NewSectionReader(fl.f, fl.off, math.MaxInt64-fl.off))
	fl.off += n
	if err != nil {
		return fmt.Errorf("tail: copying %s: %w", fl.path, err)
	}
	return nil
}

func (fl *follower) closeFile() {
	if fl.f == nil {
		return
	}
	fl.f.Close()
	fl.f = nil
	if fl.fileWD >= 0 {
		fl.in.remove(fl.fileWD)
		fl.fileWD = -1
	}
}

// writer is the process to wait for before finishing: never this one,
// whose exit would never come (a scheduler run in-process, as in tests).
func (fl *follower) writer() int {
	if fl.opt.Process == nil {
		return 0
	}
	if pid := fl.opt.Process(); pid > 0 && pid != os.Getpid() {
		return pid
	}
	return 0
}

func (fl *follower) note(msg string) {
	if fl.opt.Note != nil {
		fl.opt.Note(msg)
	}
}

// removed reports whether an open file has no name left.
func removed(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && st.Nlink == 0
}
