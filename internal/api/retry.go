package api

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// backoff is a retry schedule: exponential delays with jitter, so that the
// jobs of a scheduler that comes back do not all knock at the same instant,
// bounded by a budget and by the caller's context. Its clock and its wait
// are fields so that tests can run a five-minute schedule in no time.
type backoff struct {
	initial, max time.Duration
	budget       time.Duration // total time to keep trying; 0: until ctx is done
	now          func() time.Time
	wait         func(ctx context.Context, d time.Duration) error
	jitter       func(d time.Duration) time.Duration
}

func defaultBackoff() backoff {
	return backoff{
		initial: 100 * time.Millisecond,
		max:     10 * time.Second,
		now:     time.Now,
		wait:    sleepCtx,
		jitter:  halfJitter,
	}
}

// sleepCtx waits for d or until ctx is done. It is the one real wait of the
// package, used only between retries.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// halfJitter picks a delay between d/2 and d.
func halfJitter(d time.Duration) time.Duration {
	if d < 2 {
		return d
	}
	return d/2 + rand.N(d/2+1)
}

// delay is the wait after the n-th failure (n from 0), before jitter.
func (b backoff) delay(n int) time.Duration {
	d := b.initial
	for i := 0; i < n && d < b.max; i++ {
		d *= 2
	}
	return min(d, b.max)
}

// permanentError marks a failure that retrying cannot fix.
type permanentError struct{ err error }

func (p *permanentError) Error() string { return p.err.Error() }
func (p *permanentError) Unwrap() error { return p.err }

func permanent(err error) error { return &permanentError{err} }

// gaveUpError is returned when the budget or the context ran out while the
// failure was still one that could have passed.
type gaveUpError struct {
	attempts int
	elapsed  time.Duration
	last     error
}

func (g *gaveUpError) Error() string {
	return fmt.Sprintf("gave up after %d attempts in %s: %v", g.attempts, g.elapsed.Round(time.Millisecond), g.last)
}
func (g *gaveUpError) Unwrap() error { return g.last }

// retry calls attempt until it succeeds or fails permanently, or the budget
// or ctx runs out. Attempts get ctx; the caller bounds each attempt itself.
// onRetry, if not nil, hears of each failure that will be retried.
func (b backoff) retry(ctx context.Context, attempt func(context.Context) error, onRetry func(n int, err error, wait time.Duration)) error {
	start := b.now()
	var deadline time.Time
	if b.budget > 0 {
		deadline = start.Add(b.budget)
	}
	for n := 0; ; n++ {
		err := attempt(ctx)
		if err == nil {
			return nil
		}
		var p *permanentError
		if errors.As(err, &p) {
			return p.err
		}
		if ctx.Err() != nil {
			return &gaveUpError{attempts: n + 1, elapsed: b.now().Sub(start), last: err}
		}
		d := b.jitter(b.delay(n))
		if !deadline.IsZero() {
			left := deadline.Sub(b.now())
			if left <= 0 {
				return &gaveUpError{attempts: n + 1, elapsed: b.now().Sub(start), last: err}
			}
			d = min(d, left)
		}
		if onRetry != nil {
			onRetry(n+1, err, d)
		}
		if b.wait(ctx, d) != nil {
			return &gaveUpError{attempts: n + 1, elapsed: b.now().Sub(start), last: err}
		}
	}
}
