package actor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
)

func ready[T any](m *Mailbox[T]) bool {
	select {
	case <-m.Ready():
		return true
	default:
		return false
	}
}

func TestMailboxBatches(t *testing.T) {
	m := NewMailbox[int]()
	if ready(m) {
		t.Fatal("empty mailbox is Ready")
	}
	if got := m.Drain(); got != nil {
		t.Fatalf("Drain of empty mailbox = %v, want nil", got)
	}
	for i := range 3 {
		if !m.Send(i) {
			t.Fatalf("Send(%d) refused by an open mailbox", i)
		}
	}
	if m.Len() != 3 {
		t.Errorf("Len = %d, want 3", m.Len())
	}
	if !ready(m) {
		t.Fatal("mailbox with messages is not Ready")
	}
	// The signal was consumed by ready(); a fresh send re-arms it, and
	// Drain must consume it again so the owner never wakes to nothing.
	m.Send(3)
	if got := m.Drain(); !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Fatalf("Drain = %v, want [0 1 2 3]", got)
	}
	if ready(m) {
		t.Error("Ready still signalled after Drain took everything")
	}
	m.Send(4)
	m.Send(5)
	if got := m.Drain(); !slices.Equal(got, []int{4, 5}) {
		t.Fatalf("second Drain = %v, want [4 5]", got)
	}
	if m.Len() != 0 {
		t.Errorf("Len after Drain = %d, want 0", m.Len())
	}
}

// TestMailboxReusesBatches checks the swap: steady traffic allocates nothing.
func TestMailboxReusesBatches(t *testing.T) {
	m := NewMailbox[int]()
	for i := range 64 { // grow both slices
		m.Send(i)
	}
	m.Drain()
	for i := range 64 {
		m.Send(i)
	}
	m.Drain()
	allocs := testing.AllocsPerRun(100, func() {
		for i := range 64 {
			m.Send(i)
		}
		if len(m.Drain()) != 64 {
			t.Fatal("lost messages")
		}
	})
	if allocs != 0 {
		t.Errorf("send+drain of 64 messages allocates %.1f times, want 0", allocs)
	}
}

// TestMailboxClearsRecycledBatch: a drained batch must not keep messages
// alive once the owner has moved on.
func TestMailboxClearsRecycledBatch(t *testing.T) {
	m := NewMailbox[*int]()
	x := 1
	m.Send(&x)
	first := m.Drain()
	m.Drain() // the owner is done with first: its array is recycled
	if first[0] != nil {
		t.Error("recycled batch still references a delivered message")
	}
}

func TestMailboxClose(t *testing.T) {
	m := NewMailbox[string]()
	m.Send("last words")
	m.Close()
	m.Close() // harmless
	if m.Send("too late") {
		t.Error("Send accepted after Close")
	}
	if !m.Closed() {
		t.Error("Closed = false after Close")
	}
	if !ready(m) {
		t.Error("Close did not wake the owner")
	}
	batch, err := m.Receive(t.Context())
	if err != nil || !slices.Equal(batch, []string{"last words"}) {
		t.Fatalf("Receive = %q, %v; want [last words], nil", batch, err)
	}
	if _, err := m.Receive(t.Context()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Receive on closed, drained mailbox: err = %v, want ErrClosed", err)
	}
	if ready(m) {
		t.Error("closed, drained mailbox keeps waking its owner")
	}
}

func TestMailboxReceiveCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := NewMailbox[int]()
		ctx, cancel := context.WithCancel(t.Context())
		errc := make(chan error, 1)
		go func() {
			_, err := m.Receive(ctx)
			errc <- err
		}()
		synctest.Wait()
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("Receive = %v, want context.Canceled", err)
		}
	})
}

// TestMailboxManySenders: every message arrives exactly once, each sender's
// messages in the order sent, and no sender ever waits for the owner.
func TestMailboxManySenders(t *testing.T) {
	const senders, each = 8, 500
	synctest.Test(t, func(t *testing.T) {
		type msg struct{ from, seq int }
		m := NewMailbox[msg]()
		var wg sync.WaitGroup
		for s := range senders {
			wg.Go(func() {
				for i := range each {
					m.Send(msg{s, i})
				}
			})
		}
		// Senders finish without the owner having read anything: Send
		// cannot block.
		wg.Wait()
		m.Close()
		next := make([]int, senders)
		wakes := 0
		for {
			batch, err := m.Receive(t.Context())
			if errors.Is(err, ErrClosed) {
				break
			}
			wakes++
			for _, v := range batch {
				if v.seq != next[v.from] {
					t.Fatalf("sender %d: got seq %d, want %d", v.from, v.seq, next[v.from])
				}
				next[v.from]++
			}
		}
		for s, n := range next {
			if n != each {
				t.Errorf("sender %d: received %d messages, want %d", s, n, each)
			}
		}
		if wakes != 1 {
			t.Errorf("owner woke %d times for one burst, want 1", wakes)
		}
	})
}

// TestMailboxOwnerLoop runs the documented select loop against live
// senders and a final Close.
func TestMailboxOwnerLoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := NewMailbox[int]()
		sum := make(chan int, 1)
		go func() {
			total := 0
			for {
				<-m.Ready()
				closed := m.Closed()
				for _, v := range m.Drain() {
					total += v
				}
				if closed {
					sum <- total
					return
				}
			}
		}()
		for i := 1; i <= 100; i++ {
			m.Send(i)
			if i%10 == 0 {
				synctest.Wait() // let the owner take a batch
			}
		}
		m.Close()
		if got := <-sum; got != 5050 {
			t.Errorf("owner summed %d, want 5050", got)
		}
	})
}

func BenchmarkMailboxSendDrain(b *testing.B) {
	for _, batch := range []int{1, 64, 1024} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			m := NewMailbox[int]()
			b.ReportAllocs()
			n := 0
			for i := 0; b.Loop(); i++ {
				m.Send(i)
				if i%batch == batch-1 {
					n += len(m.Drain())
				}
			}
			n += len(m.Drain())
			if n == 0 {
				b.Fatal("nothing received")
			}
		})
	}
}

// BenchmarkMailboxParallelSend measures contended senders against one
// owner draining concurrently.
func BenchmarkMailboxParallelSend(b *testing.B) {
	m := NewMailbox[int]()
	done := make(chan int)
	go func() {
		n := 0
		for {
			batch, err := m.Receive(context.Background())
			if err != nil {
				done <- n
				return
			}
			n += len(batch)
		}
	}()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Send(1)
		}
	})
	m.Close()
	if n := <-done; n != b.N {
		b.Fatalf("received %d, sent %d", n, b.N)
	}
}
