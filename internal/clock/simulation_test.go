package clock

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"
)

// TestSimulationYearOfHourlyCycles runs the quiescence protocol documented
// on Virtual with a toy owner and worker: every hour of virtual time the
// owner hands a cycle to the worker and arms the next hour; every tenth
// cycle also arms an immediately-due "retry". The owner advances the clock
// only when its inputs are empty and no reply is outstanding. A year of
// cycles must complete with time never skipping past an event on its way:
// each deadline is received at exactly its own time.
func TestSimulationYearOfHourlyCycles(t *testing.T) {
	const cycles = 365 * 24
	synctest.Test(t, func(t *testing.T) {
		v := NewVirtual(t0)
		batches := make(chan []Due[string], 16)
		tm := NewTimers(v, func(b []Due[string]) { batches <- b })
		work := make(chan int, 16)
		replies := make(chan int, 16)

		ctx, cancel := context.WithCancel(t.Context())
		stopTimers := startTimers(t, tm)
		workerDone := make(chan struct{})
		go func() { // the worker: answers each cycle
			defer close(workerDone)
			for {
				select {
				case <-ctx.Done():
					return
				case c := <-work:
					replies <- c
				}
			}
		}()

		done, retries, outstanding := 0, 0, 0
		tm.Arm("cycle 0", t0)
		for done < cycles {
			select {
			case b := <-batches:
				for _, d := range b {
					if now := v.Now(); !d.At.Equal(now) {
						t.Fatalf("%s due at %v received at %v: the clock ran ahead", d.Key, d.At, now)
					}
					var c int
					if _, err := fmt.Sscanf(d.Key, "cycle %d", &c); err != nil {
						retries++
						continue
					}
					outstanding++
					work <- c
					if c+1 < cycles {
						tm.Arm(fmt.Sprintf("cycle %d", c+1), d.At.Add(time.Hour))
					}
					if c%10 == 0 {
						tm.Arm(fmt.Sprintf("retry %d", c), v.Now())
					}
				}
			case <-replies:
				outstanding--
				done++
			}
			if len(batches) == 0 && len(replies) == 0 && outstanding == 0 && done < cycles {
				if _, ok := v.AdvanceToNext(); !ok {
					t.Fatalf("stalled after %d cycles: nothing armed", done)
				}
			}
		}
		cancel()
		<-workerDone
		stopTimers()

		wantRetries := (cycles + 9) / 10
		if retries != wantRetries {
			t.Errorf("%d retries delivered, want %d", retries, wantRetries)
		}
		if want := t0.Add((cycles - 1) * time.Hour); !v.Now().Equal(want) {
			t.Errorf("virtual time %v at the end, want %v", v.Now(), want)
		}
		// One wake-up per hourly jump, none spent waiting; cycle 0 and the
		// retries were due when armed and went out without one.
		if w := v.Wakeups(); w != cycles-1 {
			t.Errorf("%d wake-ups, want %d", w, cycles-1)
		}
	})
}
