package scheduler

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"gyre/internal/pool"
)

// TextLog writes the scheduler log in Cylc's layout
// ("2026-01-01T00:00:00Z INFO - [1/foo/01:submitted] => running") so that
// people and scripts used to Cylc's logs can read it, and keeps the
// reference-test lines.
type TextLog struct {
	mu    sync.Mutex
	out   *bufio.Writer
	echo  io.Writer
	level pool.Level
	// Debug writes DEBUG lines to the log too (not to echo unless its
	// level allows).
	Debug bool
	// RefLines are the "-triggered off" lines of this run, in order.
	RefLines []string
}

// NewTextLog logs to out (buffered; call Flush) and, if echo is not nil,
// copies lines at or above level to it.
//
// Debug lines are written only if Debug is set (gyre play --debug).
func NewTextLog(out io.Writer, echo io.Writer, level pool.Level) *TextLog {
	return &TextLog{out: bufio.NewWriterSize(out, 64<<10), echo: echo, level: level}
}

// Log implements Logger.
func (l *TextLog) Log(t time.Time, level pool.Level, msg string) {
	if level == pool.Debug && !l.Debug {
		return
	}
	line := fmt.Sprintf("%s %s - %s\n", t.Format("2006-01-02T15:04:05Z07:00"), level, msg)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.out.WriteString(line)
	if l.echo != nil && level >= l.level {
		io.WriteString(l.echo, line)
	}
}

// Ref implements Logger.
func (l *TextLog) Ref(line string) {
	l.mu.Lock()
	l.RefLines = append(l.RefLines, line)
	l.mu.Unlock()
}

// Flush writes out buffered log lines.
func (l *TextLog) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.out.Flush()
}

var reTriggered = regexp.MustCompile(`^(.*? -triggered off \[.*\].*)$`)
var reInFlow = regexp.MustCompile(` in flow .*$`)

// TriggerLines extracts the "-triggered off" lines of a log, sorted, as
// Cylc's reference test compares them; with stripFlows the " in flow N"
// suffix is removed (for reference logs from before flows existed).
func TriggerLines(text string, stripFlows bool) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		m := reTriggered.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		s := m[1]
		if i := strings.Index(s, " - "); i >= 0 && reTimestamp.MatchString(s[:i]) {
			s = s[i+3:] // a timestamped log line
		}
		if stripFlows {
			s = reInFlow.ReplaceAllString(s, "")
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

var reTimestamp = regexp.MustCompile(`^\S+ (INFO|DEBUG|WARNING|ERROR|CRITICAL)$`)

// CompareReference compares this run's trigger lines with a reference log
// as Cylc's reference test does; it returns a unified-style diff, or "" if
// they match.
func CompareReference(reference string, run []string) (string, error) {
	ref := TriggerLines(reference, false)
	if len(ref) == 0 {
		return "", fmt.Errorf("no triggering events in reference log")
	}
	strip := !strings.Contains(ref[0], "in flow")
	cur := TriggerLines(strings.Join(run, "\n"), strip)
	if len(cur) == 0 {
		return "", fmt.Errorf("no triggering events in this run")
	}
	return diffLines(ref, cur), nil
}

// diffLines lists lines only in a ("-") or only in b ("+"), both sorted.
func diffLines(a, b []string) string {
	var out strings.Builder
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || i < len(a) && a[i] < b[j]:
			fmt.Fprintf(&out, "-%s\n", a[i])
			i++
		case i >= len(a) || b[j] < a[i]:
			fmt.Fprintf(&out, "+%s\n", b[j])
			j++
		default:
			i++
			j++
		}
	}
	return out.String()
}
