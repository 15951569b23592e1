package journal_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"gyre/internal/journal"
	"gyre/internal/pool"
	"gyre/internal/store"
	"gyre/internal/store/persist"
)

// Broadcast changes reach broadcast_states, and tasks to hold when they
// spawn tasks_to_hold, through the journal; both come back with the saved
// state of a restart.
func TestBroadcastsAndHoldsPersist(t *testing.T) {
	x := pool.BroadcastRow{Point: "*", Namespace: "root", Key: "[environment]X", Value: "1"}
	y := pool.BroadcastRow{Point: "2", Namespace: "foo", Key: "script", Value: "true"}
	snap := journalRoundTrip(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), [][]pool.Effect{
		{pool.BroadcastChanged{Put: []pool.BroadcastRow{x, y}}},
		{pool.BroadcastChanged{Cancel: []pool.BroadcastRow{y}}},
		{pool.FutureHold{ID: pool.ID{Point: "3", Name: "foo"}, Held: true}, pool.FutureHold{ID: pool.ID{Point: "4", Name: "bar"}, Held: true}},
		{pool.FutureHold{ID: pool.ID{Point: "4", Name: "bar"}}},
	})
	saved, _ := journal.Saved(snap)
	if !slices.Equal(saved.Broadcasts, []pool.BroadcastRow{x}) {
		t.Errorf("restored broadcasts %+v; want only %+v", saved.Broadcasts, x)
	}
	if want := []pool.ID{{Point: "3", Name: "foo"}}; !slices.Equal(saved.ToHold, want) {
		t.Errorf("restored tasks to hold %v; want %v", saved.ToHold, want)
	}
}

// journalRoundTrip writes batches of effects through a journal into a
// fresh database (each batch committed before the next), closes it, and
// reads back what a restart would see.
func journalRoundTrip(t *testing.T, now time.Time, batches [][]pool.Effect) *persist.Snapshot {
	t.Helper()
	path := filepath.Join(t.TempDir(), "db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	writerDone := make(chan error, 1)
	go func() { writerDone <- st.Writer().Run(ctx) }()
	j := journal.New(st.Writer(), func() time.Time { return now })
	for _, batch := range batches {
		done := make(chan error, 1)
		j.Write(batch, func(err error) { done <- err })
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	<-writerDone
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	snap, err := st.LoadSnapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap
}
