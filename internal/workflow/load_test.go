package workflow

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// loadSrc writes src as a flow.cylc and loads it for validation.
func loadSrc(t *testing.T, src string) (*Workflow, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "flow.cylc"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(dir, Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Validate: true})
}

// TestLoadChecks covers the cross-layer checks, each with the message Cylc
// 8.7 gives (checked with Cylc 8.7's `cylc validate`) and the line.
func TestLoadChecks(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string // substrings of the error; nil: valid
	}{
		{"implicit", "[scheduling]\n[[graph]]\nR1 = a => b\n[runtime]\n[[a]]\n",
			[]string{"flow.cylc:3: implicit tasks detected (no entry under [runtime]):\n    * b\nTo allow implicit tasks, use 'flow.cylc[scheduler]allow implicit tasks'"}},
		{"implicit allowed", "[scheduler]\nallow implicit tasks = True\n[scheduling]\n[[graph]]\nR1 = a => b\n", nil},
		{"implicit explicitly disallowed", "[scheduler]\nallow implicit tasks = False\n[scheduling]\n[[graph]]\nR1 = a\n",
			[]string{"implicit tasks detected (no entry under [runtime]):\n    * a\n  hint"}},
		{"implicit over ten", "[scheduling]\n[[graph]]\nR1 = a1 & a2 & a3 & a4 & a5 & a6 & a7 & a8 & a9 & a10 & a11 & a12 => z\n[runtime]\n[[z]]\n",
			[]string{"    * a10\n    and 12 more"}},
		{"custom output", "[scheduling]\n[[graph]]\nR1 = \"\"\"\na => b\nb:x => c\n\"\"\"\n[runtime]\n[[a, b, c]]\n",
			[]string{"flow.cylc:5: Undefined custom output: b:x"}},
		{"terminal custom output", "[scheduling]\n[[graph]]\nR1 = a => b:y?\n[runtime]\n[[a, b]]\n[[[outputs]]]\nx = done\n",
			[]string{"flow.cylc:3: Undefined custom output: b:y", "did you mean b:x?"}},
		{"implicit task custom output", "[scheduler]\nallow implicit tasks = True\n[scheduling]\n[[graph]]\nR1 = a:x => b\n",
			[]string{"Undefined custom output: a:x"}},
		{"root output", "[scheduler]\nallow implicit tasks = True\n[scheduling]\n[[graph]]\nR1 = a:x => b\n[runtime]\n[[root]]\n[[[outputs]]]\nx = the x message\n", nil},
		{"xtrigger undefined", "[scheduling]\ninitial cycle point = 2000\n[[graph]]\nP1D = @late => a\n[runtime]\n[[a]]\n",
			[]string{"flow.cylc:4: xtrigger not defined: late"}},
		{"wall_clock implicit", "[scheduling]\ninitial cycle point = 2000\n[[graph]]\nP1D = @wall_clock => a\n[runtime]\n[[a]]\n", nil},
		{"clock xtrigger integer", "[scheduling]\ncycling mode = integer\n[[xtriggers]]\nc = wall_clock(PT1H)\n[[graph]]\nP1 = @c => a\n[runtime]\n[[a]]\n",
			[]string{"flow.cylc:6: Clock xtriggers require datetime cycling: c = wall_clock(PT1H)"}},
		{"xtrigger name clash", "[scheduling]\ninitial cycle point = 2000\n[[xtriggers]]\na = wall_clock()\n[[graph]]\nP1D = @a => a\n[runtime]\n[[a]]\n",
			[]string{"task and @xtrigger names clash: a"}},
		{"offset only", "[scheduling]\ninitial cycle point = 2000\n[[graph]]\nP1D = \"\"\"\nb\na[-P1D] => b\n\"\"\"\n[runtime]\n[[a, b]]\n",
			[]string{"flow.cylc:6: No cycling sequences defined for a"}},
		{"offset and cycling elsewhere", "[scheduling]\ninitial cycle point = 2000\n[[graph]]\nR1 = a\nP1D = a[-P1D] => b\n[runtime]\n[[a, b]]\n", nil},
		{"integer offset in date-time cycling", "[scheduling]\ninitial cycle point = 2000\n[[graph]]\nP1D = a[-P1] => a\n[runtime]\n[[a]]\n",
			[]string{"flow.cylc:4: invalid cycle point offset a[-P1]"}},
		{"date-time offset in integer cycling", "[scheduling]\ncycling mode = integer\n[[graph]]\nP1 = a[-PT1H] => a\n[runtime]\n[[a]]\n",
			[]string{"flow.cylc:4: invalid cycle point offset a[-PT1H]"}},
		{"offsets from the initial point and absolute", "[scheduling]\ninitial cycle point = 2000\n[[graph]]\nR1 = a[^] => b\nP1D = a\nP1D = a[^+PT6H] & a[20000102T00] => c\n[runtime]\n[[a, b, c]]\n", nil},
		{"suicide only", "[scheduling]\n[[graph]]\nR1 = a => !b\n[runtime]\n[[a, b]]\n", nil},
		{"circular", "[scheduling]\n[[graph]]\nR1 = a => b => a\n[runtime]\n[[a, b]]\n",
			[]string{"circular edges detected:\n  1/a => 1/b\n  1/b => 1/a"}},
		{"circular across cycles is fine", "[scheduling]\ncycling mode = integer\n[[graph]]\nP1 = a => b\nP1 = b[-P1] => a\n[runtime]\n[[a, b]]\n", nil},
		{"duplicate message", "[scheduling]\n[[graph]]\nR1 = a\n[runtime]\n[[a]]\n[[[outputs]]]\nx = ready\ny = ready\n",
			[]string{"flow.cylc:8: Duplicate task message in \"[runtime][a][outputs]y = ready\" - messages must be unique"}},
		{"reserved output", "[scheduling]\n[[graph]]\nR1 = a\n[runtime]\n[[a]]\n[[[outputs]]]\nsucceeded = all done\n",
			[]string{"Invalid task output \"[runtime][a][outputs]succeeded = all done\""}},
		{"bad message colon", "[scheduling]\n[[graph]]\nR1 = a\n[runtime]\n[[a]]\n[[[outputs]]]\nx = the data: ready\n",
			[]string{"cannot contain `:` unless it occurs at the end of the first word"}},
		{"severity message", "[scheduling]\n[[graph]]\nR1 = a\n[runtime]\n[[a]]\n[[[outputs]]]\nx = WARNING: data late\n", nil},
		{"completion undefined name", "[scheduling]\n[[graph]]\nR1 = a\n[runtime]\n[[a]]\ncompletion = succeeded and x\n",
			[]string{"flow.cylc:6: Error in [runtime][a]completion:\n'x' is not defined"}},
		{"completion alt qualifier", "[scheduling]\n[[graph]]\nR1 = a\n[runtime]\n[[a]]\ncompletion = succeed\n",
			[]string{`Use "succeeded" not "succeed" in completion expressions.`}},
		{"completion hyphen", "[scheduling]\n[[graph]]\nR1 = a\n[runtime]\n[[a]]\ncompletion = succeeded or submit-failed\n",
			[]string{`Use "submit_failed" rather than "submit-failed"`}},
		{"completion required missing", "[scheduling]\n[[graph]]\nR1 = a => b\n[runtime]\n[[a, b]]\n[[[outputs]]]\nx = xx\n[[a]]\ncompletion = x\n",
			[]string{"a:succeeded is required in the graph, but not referenced in the completion expression\nx"}},
		{"completion optional expiry", "[scheduling]\n[[graph]]\nR1 = a:expired? => b\n[runtime]\n[[a, b]]\n[[a]]\ncompletion = succeeded\n",
			[]string{"a:expired is permitted in the graph but is not referenced in the completion.\nTry: completion = \"succeeded or expired\""}},
		{"completion ok", "[scheduling]\n[[graph]]\nR1 = a:x => b\n[runtime]\n[[a, b]]\n[[[outputs]]]\nx = xx\n[[a]]\ncompletion = succeeded and x\n", nil},
		{"handler template", "[scheduling]\n[[graph]]\nR1 = a\n[runtime]\n[[a]]\n[[[events]]]\nfailed handlers = echo %(point)s %(fish)s\n",
			[]string{"flow.cylc:7: bad task event handler template a: echo %(point)s %(fish)s: KeyError('fish')"}},
		{"handler template meta", "[scheduling]\n[[graph]]\nR1 = a\n[runtime]\n[[a]]\n[[[meta]]]\nfish = trout\n[[[events]]]\nfailed handlers = echo %(fish)s %(workflow_title)s %(id)s 100%%\n", nil},
		{"polling script", "[scheduling]\n[[graph]]\nR1 = a<up::b> => c\n[runtime]\n[[a]]\nscript = true\n[[c]]\n",
			[]string{"flow.cylc:6: script cannot be defined for automatic workflow polling task 'a'"}},
		{"family as plain left", "[scheduling]\n[[graph]]\nR1 = F => c\n[runtime]\n[[F]]\n[[a]]\ninherit = F\n[[c]]\n",
			[]string{"Family trigger required: F => c"}},
		{"stop after final", "[scheduling]\ninitial cycle point = 2000\nfinal cycle point = 2001\nstop after cycle point = 2002\n[[graph]]\nP1Y = a\n[runtime]\n[[a]]\n", nil},
		{"bad stop point", "[scheduling]\ninitial cycle point = 2000\nstop after cycle point = soon\n[[graph]]\nP1Y = a\n[runtime]\n[[a]]\n",
			[]string{"flow.cylc:3: invalid [scheduling]stop after cycle point = soon"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadSrc(t, c.src)
			if c.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; want %q", c.want)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestLoadWarnings covers the non-fatal findings.
func TestLoadWarnings(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"stop after final", "[scheduling]\ninitial cycle point = 2000\nfinal cycle point = 2001\nstop after cycle point = 2002\n[[graph]]\nP1Y = a\n[runtime]\n[[a]]\n",
			"Stop cycle point '20020101T0000Z' will have no effect as it is after the final cycle point '20010101T0000Z'."},
		{"out of bounds", "[scheduling]\ninitial cycle point = 2000\n[[graph]]\nR1/1999 = a\nP1D = a\n[runtime]\n[[a]]\n",
			"R1/19990101T0000Z/P0Y: sequence out of bounds for initial cycle point 20000101T0000Z"},
		{"queue member", "[scheduling]\n[[queues]]\n[[[q]]]\nmembers = a, nope\n[[graph]]\nR1 = a\n[runtime]\n[[a]]\n",
			"Queues contain tasks not defined in runtime: \n * task 'nope' in queue 'q'"},
		{"event names", "[scheduling]\n[[graph]]\nR1 = a\n[runtime]\n[[a]]\n[[[events]]]\nhandler events = failed, faild\n",
			"Invalid event name(s) for [runtime][a][events]handler events: faild"},
		{"polling", "[scheduling]\n[[graph]]\nR1 = a<up::b> => c\n[runtime]\n[[a, c]]\n",
			"Workflow state polling tasks are deprecated. Please convert to workflow_state xtriggers:\n * a"},
		{"clock trigger", "[scheduling]\ninitial cycle point = 2000\n[[special tasks]]\nclock-trigger = a(PT1H)\n[[graph]]\nP1D = a\n[runtime]\n[[a]]\n",
			"Clock-trigger is deprecated; please use @wall_clock"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w, err := loadSrc(t, c.src)
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(w.Warnings, "\n")
			if !strings.Contains(all, c.want) {
				t.Errorf("warnings lack %q:\n%s", c.want, all)
			}
		})
	}
}
