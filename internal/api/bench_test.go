package api

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingHandler accepts messages and only counts them, so that the
// benchmarks measure the API and not the fake's bookkeeping.
type countingHandler struct {
	fakeHandler
	n atomic.Int64
}

func (h *countingHandler) Messages(ctx context.Context, m JobMessage) error {
	h.n.Add(int64(len(m.Messages)))
	return nil
}

// reportLatency adds p50 and p99 of the samples as custom metrics.
func reportLatency(b *testing.B, samples []time.Duration) {
	if len(samples) == 0 {
		return
	}
	slices.Sort(samples)
	q := func(p float64) float64 {
		return float64(samples[int(p*float64(len(samples)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}

var benchMessage = JobMessage{Workflow: "flow/run1", Job: "1/foo/01",
	Messages: []TaskMessage{{"2026-01-01T00:00:00Z", "INFO", "succeeded"}}}

// BenchmarkMessageRoundTrip is one job message sent and acknowledged by a
// client that keeps its connection, over each transport.
func BenchmarkMessageRoundTrip(b *testing.B) {
	h := &countingHandler{}
	ts := startServer(b, h, Options{})
	for _, via := range []struct {
		name string
		c    Contact
	}{{"unix", ts.contact}, {"tls", ts.tlsContact()}} {
		b.Run(via.name, func(b *testing.B) {
			cl := dial(b, via.c)
			ctx := context.Background()
			samples := make([]time.Duration, 0, 1024)
			for b.Loop() {
				start := time.Now()
				if err := cl.SendMessages(ctx, benchMessage); err != nil {
					b.Fatal(err)
				}
				samples = append(samples, time.Since(start))
			}
			reportLatency(b, samples)
		})
	}
}

// BenchmarkGyreMessage is the whole of one "gyre message" call after
// process start: parse, print, append to job.status, find the scheduler
// from the contact file, connect (a new connection each time, as a new
// process would) and send.
func BenchmarkGyreMessage(b *testing.B) {
	h := &countingHandler{}
	ts := startServer(b, h, Options{WorkflowID: "flow/run1"})
	runDir := filepath.Dir(ts.dir)
	for _, remote := range []bool{false, true} {
		name := "unix"
		if remote {
			name = "tls"
		}
		b.Run(name, func(b *testing.B) {
			env := map[string]string{
				"CYLC_WORKFLOW_ID": "flow/run1", "CYLC_TASK_JOB": "1/foo/01",
				"CYLC_WORKFLOW_RUN_DIR": runDir,
				"CYLC_TASK_LOG_ROOT":    filepath.Join(b.TempDir(), "job"),
			}
			if remote {
				env["CYLC_WORKFLOW_RUN_DIR"] = b.TempDir() // no contact file here
				env[EnvSchedulerURL] = ts.URL()
				env[EnvFingerprint] = ts.creds.Fingerprint
				env[EnvTokenFile] = filepath.Join(ts.dir, TokenFileName)
			}
			e := Env{Getenv: func(k string) string { return env[k] }, Stdout: discard{}, Stderr: discard{}}
			ctx := context.Background()
			samples := make([]time.Duration, 0, 1024)
			for b.Loop() {
				start := time.Now()
				if err := Message(ctx, e, []string{"custom output ready"}, nil); err != nil {
					b.Fatal(err)
				}
				samples = append(samples, time.Since(start))
			}
			reportLatency(b, samples)
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkConcurrentMessages sends 10 000 messages from 100 clients at
// once (each its own connection, 100 messages each) and checks that every
// one arrived.
func BenchmarkConcurrentMessages(b *testing.B) {
	const clients, perClient = 100, 100
	for _, tlsMode := range []bool{false, true} {
		name := "unix"
		if tlsMode {
			name = "tls"
		}
		b.Run(name, func(b *testing.B) {
			h := &countingHandler{}
			ts := startServer(b, h, Options{})
			c := ts.contact
			if tlsMode {
				c = ts.tlsContact()
			}
			cls := make([]*Client, clients)
			for i := range cls {
				cls[i] = dial(b, c)
			}
			var sent int64
			start := time.Now()
			for b.Loop() {
				var wg sync.WaitGroup
				errs := make(chan error, clients)
				for _, cl := range cls {
					wg.Go(func() {
						ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
						defer cancel()
						for range perClient {
							if err := cl.SendMessages(ctx, benchMessage); err != nil {
								errs <- err
								return
							}
						}
					})
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					b.Fatal(err)
				}
				sent += clients * perClient
			}
			elapsed := time.Since(start)
			if got := h.n.Load(); got != sent {
				b.Fatalf("received %d messages, sent %d", got, sent)
			}
			b.ReportMetric(float64(sent)/elapsed.Seconds(), "msgs/s")
			b.ReportMetric(float64(sent-h.n.Load()), "lost")
		})
	}
}
