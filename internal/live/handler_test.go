package live

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"gyre/internal/api"
	"gyre/internal/pool"
)

func TestParseJobID(t *testing.T) {
	for _, tc := range []struct {
		in      string
		id      pool.ID
		n       int
		wantErr string
	}{
		{in: "1/foo/01", id: pool.ID{Point: "1", Name: "foo"}, n: 1},
		{in: "20100808T0000Z/bar/12", id: pool.ID{Point: "20100808T0000Z", Name: "bar"}, n: 12},
		{in: "1/foo/100", id: pool.ID{Point: "1", Name: "foo"}, n: 100},
		{in: "1/foo", wantErr: "want POINT/TASK/NN"},
		{in: "1/foo/01/x", wantErr: "want POINT/TASK/NN"},
		{in: "/foo/01", wantErr: "want POINT/TASK/NN"},
		{in: "1//01", wantErr: "want POINT/TASK/NN"},
		{in: "1/foo/NN", wantErr: `submit number "NN"`},
		{in: "1/foo/00", wantErr: `submit number "00"`},
		{in: "1/foo/-1", wantErr: `submit number "-1"`},
		{in: "1/foo/+1", wantErr: `submit number "+1"`},
	} {
		id, n, err := parseJobID(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), tc.in) {
				t.Errorf("parseJobID(%q) error = %v, want one naming the ID and %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || id != tc.id || n != tc.n {
			t.Errorf("parseJobID(%q) = %v, %d, %v; want %v, %d", tc.in, id, n, err, tc.id, tc.n)
		}
	}
}

func FuzzParseJobID(f *testing.F) {
	for _, s := range []string{"1/foo/01", "20100808T0000Z/bar/12", "1/foo", "//", "1/foo/+1", "a/b/99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, n, err := parseJobID(s)
		if err != nil {
			return
		}
		if n < 1 || id.Point == "" || id.Name == "" {
			t.Fatalf("parseJobID(%q) = %v, %d: accepted an invalid ID", s, id, n)
		}
		if got := id.Point + "/" + id.Name; !strings.HasPrefix(s, got+"/") {
			t.Fatalf("parseJobID(%q) = %v: does not round-trip", s, id)
		}
	})
}

func TestTaskMessage(t *testing.T) {
	for in, want := range map[string]string{
		"succeeded":                          "succeeded",
		"failed/ERR":                         "failed/ERR",
		`aborted/"ERROR: rust never sleeps"`: `failed/"ERROR: rust never sleeps"`,
		"the cheese is ready":                "the cheese is ready",
	} {
		if got := taskMessage(in); got != want {
			t.Errorf("taskMessage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHandlerMessages(t *testing.T) {
	var got []pool.Event
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	h := NewHandler("flow/run1", func(ev pool.Event) { got = append(got, ev) }, nil, nil)
	h.now = func() time.Time { return now }
	err := h.Messages(context.Background(), api.JobMessage{
		Workflow: "flow/run1",
		Job:      "1/foo/02",
		Messages: []api.TaskMessage{
			{Time: "2026-01-01T00:00:00+13:00", Severity: "INFO", Text: "the cheese is ready"},
			{Time: "garbage", Severity: "CRITICAL", Text: "failed/ERR"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := pool.ID{Point: "1", Name: "foo"}
	want := []pool.Event{
		pool.JobMessage{ID: id, SubmitNum: 2, Severity: "INFO", Message: "the cheese is ready",
			Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 13*3600))},
		pool.JobMessage{ID: id, SubmitNum: 2, Severity: "CRITICAL", Message: "failed/ERR", Time: now},
	}
	if len(got) != len(want) {
		t.Fatalf("posted %v, want %v", got, want)
	}
	for i := range want {
		g, w := got[i].(pool.JobMessage), want[i].(pool.JobMessage)
		if g.ID != w.ID || g.SubmitNum != w.SubmitNum || g.Severity != w.Severity || g.Message != w.Message || !g.Time.Equal(w.Time) {
			t.Errorf("event %d = %+v, want %+v", i, g, w)
		}
	}

	for _, tc := range []struct {
		m    api.JobMessage
		code string
	}{
		{api.JobMessage{Workflow: "other/run1", Job: "1/foo/01"}, api.CodeNotFound},
		{api.JobMessage{Workflow: "flow/run1", Job: "1/foo"}, api.CodeBadRequest},
	} {
		var e *api.Error
		if err := h.Messages(context.Background(), tc.m); !errors.As(err, &e) || e.Code != tc.code {
			t.Errorf("Messages(%+v) = %v, want code %s", tc.m, err, tc.code)
		}
	}
}

func TestHandlerCommands(t *testing.T) {
	stopped := 0
	h := NewHandler("flow/run1", func(pool.Event) {}, nil, func() { stopped++ })
	res, err := h.Command(context.Background(), "ping", nil)
	if m, ok := res.(map[string]string); err != nil || !ok || m["workflow"] != "flow/run1" {
		t.Errorf("ping = %v, %v", res, err)
	}
	if _, err := h.Command(context.Background(), "stop", nil); err != nil || stopped != 1 {
		t.Errorf("stop = %v, stopped %d times", err, stopped)
	}
	var e *api.Error
	if _, err := h.Command(context.Background(), "hold", nil); !errors.As(err, &e) || e.Code != api.CodeNotFound || !strings.Contains(e.Message, "not implemented") {
		t.Errorf("hold = %v, want a not-implemented refusal", err)
	}
	if _, err := NewHandler("x/run1", nil, nil, nil).Command(context.Background(), "stop", nil); !errors.As(err, &e) || e.Code != api.CodeConflict {
		t.Errorf("stop without a stop function = %v, want a conflict", err)
	}
	if _, err := h.Stream(context.Background(), 0); !errors.As(err, &e) || e.Code != api.CodeNotFound {
		t.Errorf("Stream = %v, want a not-found refusal", err)
	}
}
