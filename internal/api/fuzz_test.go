package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func FuzzDecodeMessage(f *testing.F) {
	for _, s := range []string{
		`{"workflow":"flow/run1","job":"1/foo/01","messages":[{"time":"2026-01-01T00:00:00Z","severity":"INFO","text":"started"}]}`,
		`{"workflow":"w","job":"20260101T0000Z/bar/12","messages":[{"time":"t","severity":"CUSTOM","text":"multi\nline"}]}`,
		`{"workflow":"w","job":"1/foo/01","messages":[]}`,
		`{"workflow":"w","job":"1/foo/01","messages":null}`,
		`{"workflow":"w","job":"1/foo","messages":[{"time":"t","severity":"I|NFO","text":"x"}]}`,
		`{"workflow":"w","extra":1}`,
		`{} {}`, `[]`, `null`, ``, `{"workflow":"\ud800"}`, "{\"workflow\":\"w\xff\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := decodeMessage(bytes.NewReader(data))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || (e.Code != CodeBadRequest && e.Code != CodeTooLarge) || e.Message == "" {
				t.Fatalf("decode error %#v is not a clear bad request", err)
			}
			return
		}
		// Whatever is accepted is valid, fits job.status, and survives a
		// round trip through the encoder.
		if err := m.validate(); err != nil {
			t.Fatalf("accepted an invalid batch: %v", err)
		}
		for _, msg := range m.Messages {
			if strings.ContainsAny(msg.Time+msg.Severity, "|\r\n") {
				t.Fatalf("accepted %+v, which would break job.status", msg)
			}
		}
		again, err := decodeMessage(strings.NewReader(mustJSON(m)))
		if err != nil || !reflect.DeepEqual(again, m) {
			t.Fatalf("round trip: %+v, %v; want %+v", again, err, m)
		}
	})
}

func FuzzDecodeCommand(f *testing.F) {
	for _, s := range []string{
		`{"command":"stop","args":{"mode":"now"}}`,
		`{"command":"hold"}`,
		`{"command":"set-outputs","args":null}`,
		`{"command":"Stop"}`, `{"command":"x","args":[1]}`, `{"command":"x","args":"s"}`,
		`{"command":"x","other":1}`, `{"command":""}`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		name, args, err := decodeCommand(bytes.NewReader(data))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeBadRequest || e.Message == "" {
				t.Fatalf("decode error %#v is not a clear bad request", err)
			}
			return
		}
		if !commandPattern.MatchString(name) {
			t.Fatalf("accepted command name %q", name)
		}
		if len(args) > 0 {
			var v any
			if err := json.Unmarshal(args, &v); err != nil {
				t.Fatalf("args %q are not JSON: %v", args, err)
			}
			if _, isObject := v.(map[string]any); !isObject && v != nil {
				t.Fatalf("args %s are not an object", args)
			}
		}
	})
}

func FuzzParseContact(f *testing.F) {
	for _, s := range []string{
		"CYLC_WORKFLOW_HOST=h\nCYLC_WORKFLOW_PORT=43001\nGYRE_SOCKET=/x/gyre.sock\n",
		"CYLC_SUITE_PID=1\n# c\n\nX=y=z\n",
		"CYLC_WORKFLOW_PORT=99999\n", "junk", "=v\n", "CYLC_WORKFLOW_PID=\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseContact(bytes.NewReader(data))
		if err != nil {
			if !strings.Contains(err.Error(), "line ") && !strings.Contains(err.Error(), "contact file") {
				t.Fatalf("error %q does not say where", err)
			}
			return
		}
		if c.Port < 0 || c.Port > 65535 || c.PID < 0 {
			t.Fatalf("out-of-range numbers accepted: %+v", c)
		}
		// What was read can be written and read back unchanged, unless it
		// holds values the writer refuses.
		out, err := formatContact(c)
		if err != nil {
			return
		}
		again, err := ParseContact(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("re-reading %q: %v", out, err)
		}
		if !reflect.DeepEqual(again, c) {
			t.Fatalf("round trip:\n%+v\nwant\n%+v", again, c)
		}
	})
}

func FuzzParseSSE(f *testing.F) {
	for _, s := range []string{
		"id: 1\nevent: task\ndata: {\"a\":1}\n\n",
		": comment\nretry: 5\r\nid: 2\r\ndata: a\r\ndata: b\r\n\r\n",
		"data\n\nid: x\n\n", "id: 18446744073709551616\ndata: x\n\n", "\r\r\r", "id: 3\x00\ndata: z\n\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := newSSEReader(bytes.NewReader(data))
		var events []Event
		for range len(data) + 1 { // each event takes at least one byte
			ev, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "event stream:") {
					t.Fatalf("error %q does not say it is the event stream", err)
				}
				return
			}
			if strings.ContainsAny(ev.Name, "\r\n") {
				t.Fatalf("event name %q holds a line break", ev.Name)
			}
			events = append(events, ev)
		}
		// Writing what was parsed and parsing it again gives the same events
		// (the writer normalises line breaks in data to LF).
		var b bytes.Buffer
		for _, ev := range events {
			if err := writeEvent(&b, ev); err != nil {
				t.Fatal(err)
			}
		}
		r2 := newSSEReader(&b)
		for i, want := range events {
			got, err := r2.Next()
			if err != nil {
				t.Fatalf("re-reading event %d: %v", i, err)
			}
			if len(want.Data) == 0 {
				want.Data = json.RawMessage("null")
			}
			if got.ID != want.ID || got.Name != want.Name || string(got.Data) != string(want.Data) {
				t.Fatalf("event %d: %+v, want %+v", i, got, want)
			}
		}
	})
}
