package tail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"
)

// Every test checks that Follow leaves no goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// syncBuf is an io.Writer whose content a test can wait on: every write
// wakes the waiters, so tests synchronise on output, never on time.
type syncBuf struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{}
}

func newSyncBuf() *syncBuf { return &syncBuf{changed: make(chan struct{})} }

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.b.Write(p)
	close(s.changed)
	s.changed = make(chan struct{})
	return n, err
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor blocks until the buffer contains want; it fails the test if
// Follow (whose result arrives on result) returns first.
func (s *syncBuf) waitFor(t *testing.T, want string, result <-chan error) {
	t.Helper()
	for {
		s.mu.Lock()
		has, ch := strings.Contains(s.b.String(), want), s.changed
		s.mu.Unlock()
		if has {
			return
		}
		select {
		case <-ch:
		case err := <-result:
			t.Fatalf("Follow returned %v before %q appeared; have %q", err, want, s.String())
		}
	}
}

// start runs Follow in the background; its result arrives on the channel.
func start(ctx context.Context, path string, out io.Writer, opt Options) <-chan error {
	result := make(chan error, 1)
	go func() { result <- Follow(ctx, path, out, opt) }()
	return result
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func TestTailFollowCopiesWritesInOrderUntilDone(t *testing.T) {
	dir := t.TempDir()
	path, marker := filepath.Join(dir, "job.out"), filepath.Join(dir, "job.status")
	appendFile(t, path, "one\n")
	out := newSyncBuf()
	result := start(context.Background(), path, out, Options{
		Done:  func() bool { return exists(marker) },
		Watch: []string{marker},
	})
	out.waitFor(t, "one\n", result)
	appendFile(t, path, "two\n")
	out.waitFor(t, "two\n", result)
	// Written just before the end: it must still be copied.
	appendFile(t, path, "three\n")
	appendFile(t, marker, "CYLC_JOB_EXIT=SUCCEEDED\n")
	if err := <-result; err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "one\ntwo\nthree\n" {
		t.Errorf("output %q, want one two three", got)
	}
}

func TestTailFollowPicksUpAFileCreatedLater(t *testing.T) {
	path := filepath.Join(t.TempDir(), "late.log")
	out, notes := newSyncBuf(), newSyncBuf()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	result := start(ctx, path, out, Options{Note: func(m string) { notes.Write([]byte(m + "\n")) }})
	notes.waitFor(t, "waiting for "+path+" to appear", result)
	appendFile(t, path, "hello\n")
	out.waitFor(t, "hello\n", result)
	appendFile(t, path, "more\n")
	out.waitFor(t, "more\n", result)
	cancel()
	if err := <-result; !errors.Is(err, context.Canceled) {
		t.Errorf("Follow after cancel = %v, want context.Canceled", err)
	}
	if got := out.String(); got != "hello\nmore\n" {
		t.Errorf("output %q", got)
	}
	if !strings.Contains(notes.String(), path+" has appeared") {
		t.Errorf("notes %q lack the appearance", notes.String())
	}
}

func TestTailFollowReplacedAndTruncatedFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "log")
	appendFile(t, path, "old\n")
	out, notes := newSyncBuf(), newSyncBuf()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	result := start(ctx, path, out, Options{Note: func(m string) { notes.Write([]byte(m + "\n")) }})
	out.waitFor(t, "old\n", result)

	// Renamed over, as a log rotation or an atomic rewrite does.
	tmp := filepath.Join(dir, "log.new")
	appendFile(t, tmp, "new file\n")
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	out.waitFor(t, "new file\n", result)
	notes.waitFor(t, "has been replaced", result)

	// Truncated and rewritten shorter: copied again from the start.
	if err := os.WriteFile(path, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notes.waitFor(t, "file truncated", result)
	out.waitFor(t, "new file\nx\n", result)

	// Removed and created again.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	appendFile(t, path, "again\n")
	out.waitFor(t, "x\nagain\n", result)
	cancel()
	if err := <-result; !errors.Is(err, context.Canceled) {
		t.Errorf("Follow = %v, want context.Canceled", err)
	}
	if got, want := out.String(), "old\nnew file\nx\nagain\n"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

// Writes to the file while a writer process runs are copied after Done
// became true, until the process exits.
func TestTailFollowWaitsForTheWriterProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "job.out")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command("cat")
	cmd.Stdout = f
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	out := newSyncBuf()
	result := start(context.Background(), path, out, Options{
		Done:    func() bool { return true },
		Process: func() int { return cmd.Process.Pid },
	})
	if _, err := io.WriteString(stdin, "last words\n"); err != nil {
		t.Fatal(err)
	}
	out.waitFor(t, "last words\n", result)
	stdin.Close() // cat exits
	if err := <-result; err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "last words\n" {
		t.Errorf("output %q", got)
	}
}

func TestTailFollowEndsAtOnce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "log")
	appendFile(t, path, "all of it\n")
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		opt  Options
	}{
		{"done", Options{Done: func() bool { return true }}},
		{"writer gone", Options{Done: func() bool { return true }, Process: func() int { return gone.Process.Pid }}},
		{"writer is this process", Options{Done: func() bool { return true }, Process: os.Getpid}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := Follow(context.Background(), path, &out, c.opt); err != nil {
				t.Fatal(err)
			}
			if out.String() != "all of it\n" {
				t.Errorf("output %q", out.String())
			}
		})
	}
	var out bytes.Buffer
	if err := Follow(context.Background(), filepath.Join(dir, "none"), &out, Options{Done: func() bool { return true }}); err != nil || out.Len() != 0 {
		t.Errorf("missing file, done: %v %q; want nothing", err, out.String())
	}
}

// A Watch directory's changes wake the Done check too, as a scheduler's
// .service directory does when its contact file goes.
func TestTailFollowWatchDirectory(t *testing.T) {
	dir := t.TempDir()
	path, service := filepath.Join(dir, "log"), filepath.Join(dir, ".service")
	if err := os.Mkdir(service, 0o700); err != nil {
		t.Fatal(err)
	}
	contact := filepath.Join(service, "contact")
	appendFile(t, contact, "CYLC_WORKFLOW_PID=1\n")
	appendFile(t, path, "started\n")
	out := newSyncBuf()
	result := start(context.Background(), path, out, Options{
		Done:  func() bool { return !exists(contact) },
		Watch: []string{service},
	})
	out.waitFor(t, "started\n", result)
	appendFile(t, path, "stopping\n")
	if err := os.Remove(contact); err != nil {
		t.Fatal(err)
	}
	if err := <-result; err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "started\nstopping\n" {
		t.Errorf("output %q", got)
	}
}

func TestTailFollowErrors(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	err := Follow(context.Background(), filepath.Join(dir, "nodir", "log"), &out, Options{})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "nodir", "log")) {
		t.Errorf("missing directory: %v", err)
	}
	if err := Follow(context.Background(), dir, &out, Options{Done: func() bool { return true }}); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}

	sub := filepath.Join(dir, "job")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(sub, "job.out")
	appendFile(t, path, "x\n")
	buf := newSyncBuf()
	result := start(context.Background(), path, buf, Options{})
	buf.waitFor(t, "x\n", result)
	if err := os.RemoveAll(sub); err != nil {
		t.Fatal(err)
	}
	if err := <-result; err == nil || !strings.Contains(err.Error(), "its directory has gone") {
		t.Errorf("directory removed: %v", err)
	}
}
