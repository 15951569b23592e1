package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strconv"
	"strings"
)

// Stream subscribes to the scheduler's events from index from onwards. When
// the connection drops it reconnects, with backoff, from one past the last
// event received, so no event the scheduler still holds is missed (events it
// no longer holds are announced by an EventResync event). The sequence ends
// when ctx is done or the loop stops; a refusal that reconnecting cannot fix
// (bad credentials, no such endpoint) is yielded as the last element.
func (c *Client) Stream(ctx context.Context, from uint64) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		next := from
		failures := 0
		for {
			connected, stopped, err := c.streamOnce(ctx, next, func(ev Event) bool {
				next = ev.ID + 1
				return yield(ev, nil)
			})
			if stopped || ctx.Err() != nil {
				return
			}
			if err != nil && !streamRetryable(err) {
				yield(Event{}, err)
				return
			}
			if connected {
				failures = 0 // a fresh outage starts the backoff afresh
			}
			d := c.retry.jitter(c.retry.delay(failures))
			failures++
			if c.retry.wait(ctx, d) != nil {
				return
			}
		}
	}
}

func streamRetryable(err error) bool {
	var perm *permanentError
	if errors.As(err, &perm) {
		return false
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code == CodeUnavailable || e.Code == CodeInternal
	}
	var p *pinError
	return !errors.As(err, &p)
}

// streamOnce holds one connection: it returns when the stream ends, fails
// or emit asks to stop (stopped).
func (c *Client) streamOnce(ctx context.Context, from uint64, emit func(Event) bool) (connected, stopped bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v1/stream?from="+strconv.FormatUint(from, 10), nil)
	if err != nil {
		return false, false, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.hc.Do(req)
	if err != nil {
		return false, false, &transportError{err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, false, readError(resp)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		return false, false, permanent(fmt.Errorf("api: stream: response is %q, not an event stream", ct))
	}
	r := newSSEReader(resp.Body)
	for {
		ev, err := r.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return true, false, nil
			}
			return true, false, err
		}
		if !emit(ev) {
			return true, true, nil
		}
	}
}
