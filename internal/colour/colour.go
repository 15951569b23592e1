// Package colour decides whether Gyre's command-line output is coloured and
// paints the words that carry meaning: task and workflow states, and log
// levels. Colour is decoration only: with it off every function returns its
// argument unchanged, so piped or redirected output (and every test that
// compares output byte for byte) is exactly what it would be without this
// package.
//
// The palette follows Cylc's own: task states take the job colours of
// Cylc's terminal UI (cylc tui), workflow states its workflow colours, and
// log levels the colours of Cylc's log formatter.
package colour

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// Mode is the user's choice, Cylc's --color=auto|always|never. Its
// pointer is a flag value (it has the Set, String and Type methods of
// pflag.Value) so a bad choice is refused while the command line is read.
type Mode int

// The modes. Auto, the zero value, colours only a terminal.
const (
	Auto Mode = iota
	Always
	Never
)

var modeNames = [...]string{Auto: "auto", Always: "always", Never: "never"}

// Modes lists the mode names, for help text and shell completion.
func Modes() []string { return modeNames[:] }

func (m Mode) String() string {
	if m >= 0 && int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Set reads a mode name.
func (m *Mode) Set(s string) error {
	for i, n := range modeNames {
		if n == s {
			*m = Mode(i)
			return nil
		}
	}
	return fmt.Errorf("unknown colour mode %q: use auto, always or never", s)
}

// Type names the flag's value in help text.
func (m *Mode) Type() string { return "when" }

// Painter adds colour to text, or does nothing when colour is off. A nil
// *Painter is off, so code that has no painter to hand can pass nil.
type Painter struct{ on bool }

// New returns the painter for output written to w in mode m. In Auto mode
// colour is on only when w is a terminal, $NO_COLOR is unset or empty
// (https://no-color.org) and $TERM is not "dumb"; Always and Never are the
// user's explicit word and override the environment, as no-color.org asks
// of command-line options.
func New(w io.Writer, m Mode, getenv func(string) string) *Painter {
	switch m {
	case Always:
		return &Painter{on: true}
	case Never:
		return &Painter{}
	}
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return &Painter{}
	}
	f, ok := w.(*os.File)
	return &Painter{on: ok && isTerminal(f)}
}

// For is New in Auto mode with the process's environment: what a command
// without a --color option uses.
func For(w io.Writer) *Painter { return New(w, Auto, os.Getenv) }

// Enabled reports whether the painter colours anything; code that builds
// coloured text at some cost can skip the work when it does not.
func (p *Painter) Enabled() bool { return p != nil && p.on }

// SGR parameters. Dim is a 256-colour grey rather than the "faint"
// attribute, which Cylc avoids as not portable enough.
const (
	sgrBold        = "1"
	sgrRed         = "31"
	sgrGreen       = "32"
	sgrYellow      = "33"
	sgrCyan        = "36"
	sgrLightRed    = "91"
	sgrLightBlue   = "94"
	sgrLightPurple = "95"
	sgrDim         = "38;5;248"
)

// paint wraps s in the SGR sequence sgr and a reset; empty text stays
// empty so that no stray escapes appear around nothing.
func (p *Painter) paint(s, sgr string) string {
	if !p.Enabled() || s == "" || sgr == "" {
		return s
	}
	return "\x1b[" + sgr + "m" + s + "\x1b[0m"
}

// Bold makes s bold (family names, headings).
func (p *Painter) Bold(s string) string { return p.paint(s, sgrBold) }

// Dim greys s out (secondary detail).
func (p *Painter) Dim(s string) string { return p.paint(s, sgrDim) }

// Good marks success (a valid workflow).
func (p *Painter) Good(s string) string { return p.paint(s, sgrGreen) }

// Bad marks failure (an error message).
func (p *Painter) Bad(s string) string { return p.paint(s, sgrRed) }

// stateSGR maps the states to colours. Task states: cylc tui's job
// colours (submitted dark cyan, running light blue, succeeded dark green,
// failed light red, submit-failed light magenta); preparing shares
// submitted's colour, being the first half of a submission; expired is
// greyed out, a task that will never run; waiting keeps the default
// colour, as tui draws it. Workflow states: tui's workflow colours
// (running light blue, paused brown, which terminals show as yellow,
// stopping light magenta, stopped light red).
var stateSGR = map[string]string{
	"waiting":       "",
	"preparing":     sgrCyan,
	"submitted":     sgrCyan,
	"running":       sgrLightBlue,
	"succeeded":     sgrGreen,
	"failed":        sgrLightRed,
	"submit-failed": sgrLightPurple,
	"expired":       sgrDim,
	"paused":        sgrYellow,
	"stopping":      sgrLightPurple,
	"stopped":       sgrLightRed,
}

// modifierSGR colours the modifiers Cylc appends to a state in
// parentheses: held in the paused colour (the task is paused), queued and
// runahead greyed (the task is only waiting its turn).
var modifierSGR = map[string]string{
	"held":     sgrYellow,
	"queued":   sgrDim,
	"runahead": sgrDim,
}

// State paints a task state as Cylc writes it — "running",
// "waiting(held)", "waiting(queued)(runahead)" — or a workflow state
// (running, paused, stopping, stopped). Text that is not a state is
// returned unchanged.
func (p *Painter) State(s string) string {
	if !p.Enabled() {
		return s
	}
	base, mods, hasMods := strings.Cut(s, "(")
	sgr, ok := stateSGR[base]
	if !ok {
		return s
	}
	out := p.paint(base, sgr)
	if !hasMods {
		return out
	}
	// mods is "held)(queued)": each modifier is painted with its
	// parentheses; anything unexpected leaves s as it is.
	if !strings.HasSuffix(mods, ")") {
		return s
	}
	for _, m := range strings.Split(strings.TrimSuffix(mods, ")"), ")(") {
		msgr, ok := modifierSGR[m]
		if !ok {
			return s
		}
		out += p.paint("("+m+")", msgr)
	}
	return out
}

// levelSGR holds the colours of Cylc's log formatter.
var levelSGR = map[string]string{
	"CRITICAL": sgrRed + ";" + sgrBold,
	"ERROR":    sgrRed,
	"WARNING":  sgrYellow,
	"DEBUG":    sgrDim,
}

// Level paints a log level's name or tag in its colour: "WARNING",
// "WARNING:", "ERROR -", "error:" (any case, with a trailing colon, dash
// or blanks). INFO and anything that is not a level come back unchanged.
func (p *Painter) Level(s string) string {
	if !p.Enabled() {
		return s
	}
	name := strings.ToUpper(strings.TrimRight(s, ": -"))
	return p.paint(s, levelSGR[name])
}

// LogLine paints a whole line of a Gyre or Cylc log ("TIME LEVEL - text")
// in its level's colour, as Cylc's log formatter does on a terminal.
// Continuation lines and INFO lines are returned unchanged.
func (p *Painter) LogLine(line string) string {
	if !p.Enabled() {
		return line
	}
	_, rest, ok := strings.Cut(line, " ")
	if !ok {
		return line
	}
	level, _, ok := strings.Cut(rest, " - ")
	if !ok {
		return line
	}
	return p.paint(line, levelSGR[level])
}

// LogWriter returns a writer that paints each record written to it with
// LogLine before passing it on to w: the echo of a scheduler log on a
// terminal. Each Write must be one whole record (a line, or a message and
// its continuation lines), as the scheduler's text log writes them; a
// trailing newline is kept outside the colour. With colour off (or a nil
// w) it is w itself.
func (p *Painter) LogWriter(w io.Writer) io.Writer {
	if !p.Enabled() || w == nil {
		return w
	}
	return logWriter{w: w, p: p}
}

type logWriter struct {
	w io.Writer
	p *Painter
}

// Write reports len(b) written when the painted record was written whole,
// as callers count what they gave, not the escapes added.
func (l logWriter) Write(b []byte) (int, error) {
	rec := string(b)
	body, nl := strings.CutSuffix(rec, "\n")
	out := l.p.LogLine(body)
	if nl {
		out += "\n"
	}
	if _, err := io.WriteString(l.w, out); err != nil {
		return 0, err
	}
	return len(b), nil
}
