package store

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"gyre/internal/store/persist"
)

// TestReaderDuringWrites: a reader holding a read transaction does not
// block the writer, and sees one consistent commit until it finishes.
func TestReaderDuringWrites(t *testing.T) {
	s := openTemp(t)
	w := s.Writer()
	r := runWriter(t, w)
	write(t, w, spawn("1", "a"), spawn("1", "b"))

	reader, err := OpenReadOnly(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	ctx := context.Background()
	conn, err := reader.read.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var before int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM task_pool`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	// The writer commits while the read transaction is open.
	for i := range 10 {
		write(t, w, spawn("2", fmt.Sprint(i)))
	}
	var during int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM task_pool`).Scan(&during); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	var after int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM task_pool`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if before != 2 || during != 2 || after != 12 {
		t.Errorf("reader saw %d, %d during writes, %d after; want 2, 2, 12", before, during, after)
	}
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
}

// TestReaderProcess: another process reads the database while the writer
// has it open, as `gyre workflow-state` does.
func TestReaderProcess(t *testing.T) {
	s := openTemp(t)
	w := s.Writer()
	r := runWriter(t, w)
	var ops []persist.Op
	for i := range 100 {
		ops = append(ops, spawn("1", fmt.Sprintf("t%03d", i)))
	}
	write(t, w, ops...)

	// The writer is still running, with its connection open.
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childEnv+"="+s.Path())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("reader process: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "pool=100 last=t099") {
		t.Errorf("reader process output:\n%s", out)
	}
	write(t, w, spawn("2", "more")) // and the writer carries on
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
}

// readerChild is the other process of TestReaderProcess (see TestMain).
func readerChild(path string) int {
	s, err := OpenReadOnly(path)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	defer s.Close()
	snap, err := s.LoadSnapshot(context.Background())
	if err != nil || len(snap.Tasks) == 0 {
		fmt.Println("load:", err)
		return 1
	}
	fmt.Printf("pool=%d last=%s\n", len(snap.Tasks), snap.Tasks[len(snap.Tasks)-1].Name)
	return 0
}
