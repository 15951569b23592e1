package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gyre/internal/store/persist"
)

// TestCommitSurvivesKill: once a batch's callback has run, the batch is in
// the database even if the process is killed with SIGKILL straight after,
// before any checkpoint or clean close.
func TestCommitSurvivesKill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childWriteEnv+"="+path)
	stdin, err := cmd.StdinPipe() // held open: the child waits on it
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "committed" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q, %v", line, err)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() == 0 {
		t.Fatalf("no write-ahead log left by the killed writer (%v): the test would prove nothing", err)
	}

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.LoadSnapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Tasks) != 100 || snap.Params["uuid_str"] != "killed" {
		t.Errorf("after kill -9: %d tasks, params %v; want the 100 committed", len(snap.Tasks), snap.Params)
	}
	if got := queryStrings(t, s.read, `PRAGMA integrity_check`); strings.Join(got, ",") != "ok" {
		t.Errorf("integrity_check = %q", got)
	}
}

// writerChild is the process TestCommitSurvivesKill kills: it commits a
// batch, says so, and waits to be killed.
func writerChild(path string) int {
	s, err := Open(path)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	w := s.Writer()
	go w.Run(context.Background())
	ops := []persist.Op{putParam("uuid_str", "killed")}
	for i := range 100 {
		ops = append(ops, spawn("1", fmt.Sprintf("t%03d", i)))
	}
	if err := writeErr(w, ops...); err != nil {
		fmt.Println(err)
		return 1
	}
	fmt.Println("committed")
	os.Stdin.Read(make([]byte, 1)) // until killed
	return 1
}
