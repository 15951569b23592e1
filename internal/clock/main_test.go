package clock

import (
	"sync"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if any test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// collector gathers delivered batches; its add method is a deliver callback.
type collector[K comparable] struct {
	mu      sync.Mutex
	batches [][]Due[K]
	notify  chan struct{} // optional: signalled (non-blocking) on each batch
}

func (c *collector[K]) add(b []Due[K]) {
	c.mu.Lock()
	c.batches = append(c.batches, b)
	c.mu.Unlock()
	if c.notify != nil {
		select {
		case c.notify <- struct{}{}:
		default:
		}
	}
}

// take returns and forgets the batches delivered so far.
func (c *collector[K]) take() [][]Due[K] {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.batches
	c.batches = nil
	return b
}

func keys[K comparable](b []Due[K]) []K {
	out := make([]K, len(b))
	for i, d := range b {
		out[i] = d.Key
	}
	return out
}
