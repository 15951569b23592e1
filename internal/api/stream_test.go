package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func eventLog(first uint64, n int) []Event {
	evs := make([]Event, n)
	for i := range evs {
		id := first + uint64(i)
		evs[i] = Event{ID: id, Name: "task", Data: json.RawMessage(fmt.Sprintf(`{"task":"1/t%d","state":"running"}`, id))}
	}
	return evs
}

// collect reads events from the stream until it has n of them.
func collect(t *testing.T, cl *Client, from uint64, n int) []Event {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []Event
	for ev, err := range cl.Stream(ctx, from) {
		if err != nil {
			t.Fatalf("stream: %v", err)
		}
		got = append(got, ev)
		if len(got) == n {
			break
		}
	}
	return got
}

func TestStreamResumesFromIndex(t *testing.T) {
	h := &fakeHandler{events: eventLog(0, 10)}
	ts := startServer(t, h, Options{})
	for _, via := range []Contact{ts.contact, ts.tlsContact()} {
		got := collect(t, dial(t, via), 4, 6)
		if want := h.events[4:]; !reflect.DeepEqual(got, want) {
			t.Errorf("events\n%v\nwant\n%v", got, want)
		}
	}
	if h.froms[0] != 4 || h.froms[1] != 4 {
		t.Errorf("subscriptions from %v, want [4 4]", h.froms)
	}
}

// TestStreamReconnects: the server ends every subscription after three
// events; the client reconnects from the event after the last it got, and
// sees every event exactly once, in order.
func TestStreamReconnects(t *testing.T) {
	h := &fakeHandler{events: eventLog(0, 10), dropAfter: 3}
	ts := startServer(t, h, Options{})
	cl := dial(t, ts.contact)
	clock := newFakeClock()
	cl.retry.wait = clock.Wait
	got := collect(t, cl, 2, 8)
	if want := h.events[2:]; !reflect.DeepEqual(got, want) {
		t.Errorf("events\n%v\nwant\n%v", got, want)
	}
	h.mu.Lock()
	froms := append([]uint64(nil), h.froms...)
	h.mu.Unlock()
	if !reflect.DeepEqual(froms, []uint64{2, 5, 8}) {
		t.Errorf("subscriptions from %v, want [2 5 8]", froms)
	}
	if w := clock.Waits(); len(w) != 2 || w[0] > cl.retry.initial || w[1] > cl.retry.initial {
		t.Errorf("pauses %v: want two short ones (each connection had worked)", w)
	}
}

func TestStreamResync(t *testing.T) {
	h := &fakeHandler{events: eventLog(5, 5), first: 5}
	ts := startServer(t, h, Options{})
	got := collect(t, dial(t, ts.contact), 0, 6)
	if got[0].Name != EventResync || got[0].ID != 4 || string(got[0].Data) != `{"reason":"too old"}` {
		t.Errorf("first event %+v, want a resync at 4", got[0])
	}
	if !reflect.DeepEqual(got[1:], h.events) {
		t.Errorf("events after the resync %v", got[1:])
	}
}

// TestStreamLastEventID: a browser's EventSource reconnects with the id of
// the last event it saw; the stream carries on after it.
func TestStreamLastEventID(t *testing.T) {
	h := &fakeHandler{events: eventLog(0, 10)}
	ts := startServer(t, h, Options{})
	hc, base := rawClient(t, ts, false)
	req, _ := http.NewRequest("GET", base+"/v1/stream?from=1", nil)
	req.Header.Set("Authorization", "Bearer "+ts.creds.Token)
	req.Header.Set("Last-Event-ID", "6")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	ev, err := newSSEReader(resp.Body).Next()
	if err != nil {
		t.Fatal(err)
	}
	if ev.ID != 7 {
		t.Errorf("first event %d after Last-Event-ID 6, want 7", ev.ID)
	}
}

func TestStreamRefusals(t *testing.T) {
	h := &fakeHandler{events: eventLog(0, 3)}
	ts := startServer(t, h, Options{})
	bad := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(bad, []byte("wrong\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wrongToken := ts.contact
	wrongToken.TokenFile = bad
	tests := []struct {
		name string
		c    Contact
		from uint64
		code string
	}{
		{"wrong token", wrongToken, 0, CodeUnauthorized},
		{"from the future", ts.contact, 99, CodeBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			for ev, err := range dial(t, tt.c).Stream(context.Background(), tt.from) {
				n++
				var e *Error
				if !errors.As(err, &e) || e.Code != tt.code {
					t.Fatalf("got %+v, %v; want a %s error", ev, err, tt.code)
				}
			}
			if n != 1 {
				t.Errorf("%d elements, want the error alone", n)
			}
		})
	}
}

// TestShutdownEndsStreams: Run returns although a subscriber is still
// connected, and the subscriber sees the end of the stream.
func TestShutdownEndsStreams(t *testing.T) {
	h := &fakeHandler{events: eventLog(0, 2)}
	ts := startServer(t, h, Options{})
	hc, base := rawClient(t, ts, true)
	req, _ := http.NewRequest("GET", base+"/v1/stream", nil)
	req.Header.Set("Authorization", "Bearer "+ts.creds.Token)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := newSSEReader(resp.Body)
	for range 2 {
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if err := ts.stop(); err != nil {
		t.Fatal(err)
	}
	if ev, err := r.Next(); err == nil {
		t.Errorf("stream went on after shutdown: %+v", ev)
	}
}

func TestSSEWriteRead(t *testing.T) {
	events := []Event{
		{ID: 0, Name: "", Data: json.RawMessage(`{"a":1}`)},
		{ID: 1, Name: "task", Data: json.RawMessage("{\n  \"pretty\": true\n}")},
		{ID: 2, Name: EventResync, Data: nil},
		{ID: 1 << 60, Name: "x", Data: json.RawMessage(`"line1\r\nline2"`)},
	}
	var b strings.Builder
	for _, ev := range events {
		if err := writeEvent(&b, ev); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.HasPrefix(b.String(), "id: 0\ndata: {\"a\":1}\n\nid: 1\nevent: task\ndata: {\ndata:   \"pretty\": true\ndata: }\n\n") {
		t.Errorf("wire format:\n%s", b.String())
	}
	r := newSSEReader(strings.NewReader(b.String()))
	for i, want := range events {
		got, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if len(want.Data) == 0 {
			want.Data = json.RawMessage("null")
		}
		if got.ID != want.ID || got.Name != want.Name || string(got.Data) != string(want.Data) {
			t.Errorf("event %d: %+v (%s), want %+v (%s)", i, got, got.Data, want, want.Data)
		}
	}
	if _, err := writeEventTo("x\ny"); err == nil {
		t.Error("event name with a line break accepted")
	}
}

func writeEventTo(name string) (string, error) {
	var b strings.Builder
	err := writeEvent(&b, Event{Name: name})
	return b.String(), err
}

func TestSSEParse(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Event
		err      string
	}{
		{name: "comments, retry and unknown fields ignored", in: ": hi\nretry: 10\nfoo: bar\nid: 3\ndata: x\n\n",
			want: []Event{{ID: 3, Data: json.RawMessage("x")}}},
		{name: "CR and CRLF line ends", in: "id: 1\rdata: a\r\n\r\nid: 2\r\ndata:b\r\r",
			want: []Event{{ID: 1, Data: json.RawMessage("a")}, {ID: 2, Data: json.RawMessage("b")}}},
		{name: "no data: not dispatched, id kept", in: "id: 5\nevent: x\n\ndata: y\n\n",
			want: []Event{{ID: 5, Data: json.RawMessage("y")}}},
		{name: "only one space stripped", in: "data:  two\n\n", want: []Event{{Data: json.RawMessage(" two")}}},
		{name: "field without colon", in: "data\n\n", want: []Event{{Data: json.RawMessage("")}}},
		{name: "unterminated event discarded", in: "id: 1\ndata: a\n\nid: 2\ndata: b\n", want: []Event{{ID: 1, Data: json.RawMessage("a")}}},
		{name: "id with NUL ignored", in: "id: 1\x00\ndata: a\n\n", want: []Event{{Data: json.RawMessage("a")}}},
		{name: "non-numeric id", in: "id: abc\ndata: a\n\n", err: `id "abc" is not an event index`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newSSEReader(strings.NewReader(tt.in))
			var got []Event
			var err error
			for {
				var ev Event
				ev, err = r.Next()
				if err != nil {
					break
				}
				got = append(got, ev)
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err.Error() != "EOF" {
				t.Fatalf("error %v, want EOF", err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("events %+v, want %+v", got, tt.want)
			}
		})
	}
}
