package pidfd

import (
	"os/exec"
	"testing"
	"time"
)

// A wait ends when its process exits, and not before.
func TestWatch(t *testing.T) {
	cmd := exec.Command("cat")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w, err := Watch(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	select {
	case <-w.Done():
		t.Fatal("the wait ended while cat was running")
	default:
	}
	stdin.Close() // cat exits at end of input
	select {
	case <-w.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("the wait did not end when cat exited")
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	// The process has gone (reaped): a wait for it is over at once.
	gone, err := Watch(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-gone.Done():
	default:
		t.Error("a wait for a reaped process is not over")
	}
}

// Close ends a wait whose process is still running.
func TestCloseEndsWait(t *testing.T) {
	cmd := exec.Command("cat")
	stdin, _ := cmd.StdinPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	w, err := Watch(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	select {
	case <-w.Done():
	default:
		t.Error("Close returned with the wait still on")
	}
}
