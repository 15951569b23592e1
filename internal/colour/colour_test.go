package colour

import (
	"bytes"
	"os"
	"regexp"
	"testing"
)

// env is a fake environment for New.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestNewModes(t *testing.T) {
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, c := range []struct {
		name string
		out  any
		mode Mode
		env  map[string]string
		want bool
	}{
		{"always on a buffer", &bytes.Buffer{}, Always, nil, true},
		{"always beats NO_COLOR", &bytes.Buffer{}, Always, map[string]string{"NO_COLOR": "1"}, true},
		{"always beats TERM=dumb", &bytes.Buffer{}, Always, map[string]string{"TERM": "dumb"}, true},
		{"never", &bytes.Buffer{}, Never, nil, false},
		{"auto on a buffer", &bytes.Buffer{}, Auto, nil, false},
		{"auto on a pipe", w, Auto, nil, false},
		{"auto on /dev/null", devNull, Auto, nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var p *Painter
			switch o := c.out.(type) {
			case *bytes.Buffer:
				p = New(o, c.mode, env(c.env))
			case *os.File:
				p = New(o, c.mode, env(c.env))
			}
			if got := p.Enabled(); got != c.want {
				t.Errorf("Enabled() = %v, want %v", got, c.want)
			}
		})
	}
}

func TestModeFlag(t *testing.T) {
	for _, c := range []struct {
		in      string
		want    Mode
		wantErr bool
	}{
		{"auto", Auto, false}, {"always", Always, false}, {"never", Never, false},
		{"yes", Auto, true}, {"", Auto, true}, {"Always", Auto, true},
	} {
		var m Mode
		err := m.Set(c.in)
		if (err != nil) != c.wantErr || m != c.want {
			t.Errorf("Set(%q) = %v, %v; want %v, error %v", c.in, m, err, c.want, c.wantErr)
		}
		if err == nil && m.String() != c.in {
			t.Errorf("Set(%q).String() = %q", c.in, m.String())
		}
	}
	if got := Mode(7).String(); got != "Mode(7)" {
		t.Errorf("Mode(7).String() = %q", got)
	}
	if m := Always; m.Type() != "when" {
		t.Errorf("Type() = %q", m.Type())
	}
}

func TestState(t *testing.T) {
	on := &Painter{on: true}
	for _, c := range []struct{ in, want string }{
		{"waiting", "waiting"},
		{"preparing", "\x1b[36mpreparing\x1b[0m"},
		{"submitted", "\x1b[36msubmitted\x1b[0m"},
		{"running", "\x1b[94mrunning\x1b[0m"},
		{"succeeded", "\x1b[32msucceeded\x1b[0m"},
		{"failed", "\x1b[91mfailed\x1b[0m"},
		{"submit-failed", "\x1b[95msubmit-failed\x1b[0m"},
		{"expired", "\x1b[38;5;248mexpired\x1b[0m"},
		{"waiting(held)", "waiting\x1b[33m(held)\x1b[0m"},
		{"running(held)", "\x1b[94mrunning\x1b[0m\x1b[33m(held)\x1b[0m"},
		{"waiting(queued)(runahead)", "waiting\x1b[38;5;248m(queued)\x1b[0m\x1b[38;5;248m(runahead)\x1b[0m"},
		{"paused", "\x1b[33mpaused\x1b[0m"},
		{"stopping", "\x1b[95mstopping\x1b[0m"},
		{"stopped", "\x1b[91mstopped\x1b[0m"},
		// Not states: unchanged.
		{"", ""},
		{"finished", "finished"},
		{"running(", "running("},
		{"running(held", "running(held"},
		{"running(bogus)", "running(bogus)"},
		{"Running", "Running"},
	} {
		if got := on.State(c.in); got != c.want {
			t.Errorf("State(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := (&Painter{}).State(c.in); got != c.in {
			t.Errorf("off: State(%q) = %q", c.in, got)
		}
		var nilP *Painter
		if got := nilP.State(c.in); got != c.in {
			t.Errorf("nil: State(%q) = %q", c.in, got)
		}
	}
}

func TestLevel(t *testing.T) {
	on := &Painter{on: true}
	for _, c := range []struct{ in, want string }{
		{"WARNING", "\x1b[33mWARNING\x1b[0m"},
		{"WARNING:", "\x1b[33mWARNING:\x1b[0m"},
		{"ERROR", "\x1b[31mERROR\x1b[0m"},
		{"error:", "\x1b[31merror:\x1b[0m"},
		{"ERROR -", "\x1b[31mERROR -\x1b[0m"},
		{"CRITICAL", "\x1b[31;1mCRITICAL\x1b[0m"},
		{"DEBUG", "\x1b[38;5;248mDEBUG\x1b[0m"},
		{"INFO", "INFO"},
		{"warning about", "warning about"},
		{"", ""},
	} {
		if got := on.Level(c.in); got != c.want {
			t.Errorf("Level(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := (&Painter{}).Level(c.in); got != c.in {
			t.Errorf("off: Level(%q) = %q", c.in, got)
		}
	}
}

func TestLogLine(t *testing.T) {
	on := &Painter{on: true}
	for _, c := range []struct{ in, want string }{
		{"2026-01-01T00:00:00Z WARNING - stalled", "\x1b[33m2026-01-01T00:00:00Z WARNING - stalled\x1b[0m"},
		{"2026-01-01T00:00:00Z ERROR - [1/a/01:running] failed", "\x1b[31m2026-01-01T00:00:00Z ERROR - [1/a/01:running] failed\x1b[0m"},
		{"2026-01-01T00:00:00Z CRITICAL - boom", "\x1b[31;1m2026-01-01T00:00:00Z CRITICAL - boom\x1b[0m"},
		{"2026-01-01T00:00:00Z DEBUG - detail", "\x1b[38;5;248m2026-01-01T00:00:00Z DEBUG - detail\x1b[0m"},
		{"2026-01-01T00:00:00Z INFO - [1/a:waiting] => preparing", "2026-01-01T00:00:00Z INFO - [1/a:waiting] => preparing"},
		{"    continuation of a message", "    continuation of a message"},
		{"nospace", "nospace"},
		{"", ""},
	} {
		if got := on.LogLine(c.in); got != c.want {
			t.Errorf("LogLine(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := (&Painter{}).LogLine(c.in); got != c.in {
			t.Errorf("off: LogLine(%q) = %q", c.in, got)
		}
	}
}

func TestStyles(t *testing.T) {
	on, off := &Painter{on: true}, &Painter{}
	for _, c := range []struct {
		f    func(*Painter, string) string
		want string
	}{
		{(*Painter).Bold, "\x1b[1mx\x1b[0m"},
		{(*Painter).Dim, "\x1b[38;5;248mx\x1b[0m"},
		{(*Painter).Good, "\x1b[32mx\x1b[0m"},
		{(*Painter).Bad, "\x1b[31mx\x1b[0m"},
	} {
		if got := c.f(on, "x"); got != c.want {
			t.Errorf("on: got %q, want %q", got, c.want)
		}
		if got := c.f(off, "x"); got != "x" {
			t.Errorf("off: got %q", got)
		}
		if got := c.f(on, ""); got != "" {
			t.Errorf("on, empty: got %q", got)
		}
	}
}

var sgrRe = regexp.MustCompile("\x1b\\[[0-9;]*m")

// FuzzPaint: painting only ever adds escape sequences; the text itself
// is never changed, whatever it is.
func FuzzPaint(f *testing.F) {
	for _, s := range []string{"waiting(held)", "running", "x(held)(queued)", "2026 WARNING - x", "ERROR:", "((", ")"} {
		f.Add(s)
	}
	on := &Painter{on: true}
	f.Fuzz(func(t *testing.T, s string) {
		if sgrRe.MatchString(s) {
			return // input that already holds escapes cannot be checked this way
		}
		for name, got := range map[string]string{"State": on.State(s), "Level": on.Level(s), "LogLine": on.LogLine(s)} {
			if plain := sgrRe.ReplaceAllString(got, ""); plain != s {
				t.Errorf("%s(%q) = %q: text changed to %q", name, s, got, plain)
			}
		}
	})
}

func TestLogWriter(t *testing.T) {
	var buf bytes.Buffer
	if w := (&Painter{}).LogWriter(&buf); w != &buf {
		t.Errorf("off: LogWriter did not return the writer itself")
	}
	if w := (&Painter{on: true}).LogWriter(nil); w != nil {
		t.Errorf("LogWriter(nil) = %v, want nil", w)
	}
	w := (&Painter{on: true}).LogWriter(&buf)
	for _, rec := range []string{
		"2026-01-01T00:00:00Z INFO - started\n",
		"2026-01-01T00:00:00Z WARNING - stalled\n  1/a waiting\n",
		"2026-01-01T00:00:00Z ERROR - no newline",
	} {
		if n, err := w.Write([]byte(rec)); n != len(rec) || err != nil {
			t.Errorf("Write(%q) = %d, %v", rec, n, err)
		}
	}
	want := "2026-01-01T00:00:00Z INFO - started\n" +
		"\x1b[33m2026-01-01T00:00:00Z WARNING - stalled\n  1/a waiting\x1b[0m\n" +
		"\x1b[31m2026-01-01T00:00:00Z ERROR - no newline\x1b[0m"
	if buf.String() != want {
		t.Errorf("got %q\nwant %q", buf.String(), want)
	}
}
