package xtrigger

import (
	"context"
	"strings"
	"testing"
)

// FuzzCall feeds arbitrary function names and string arguments through
// validation, template substitution and evaluation (echo, and
// workflow_state against an empty run root): none may panic, a signature
// that substitutes must name the function, and an argument without "%"
// must pass through unchanged.
func FuzzCall(f *testing.F) {
	for _, s := range [][2]string{
		{"echo", "%(point)s"}, {"echo", "100%%"}, {"echo", "%(pint)s"}, {"echo", "50%"}, {"echo", "%(point)-5d"},
		{"workflow_state", "up//%(point)s/foo:succeeded"}, {"workflow_state", "a///"}, {"workflow_state", `w//1/f:"x y"`},
		{"xrandom", "50"}, {"suite_state", "up"}, {"wall_clock", "PT1H"}, {"custom", "x"}, {"echo", "%(debug)s%(id)s%"},
	} {
		f.Add(s[0], s[1])
	}
	root := f.TempDir()
	f.Fuzz(func(t *testing.T, fn, arg string) {
		x := xt("lab", fn, []any{arg}, map[string]any{"succeed": true})
		if fn == "workflow_state" || fn == "xrandom" {
			x.Kwargs = map[string]any{}
		}
		Validate(x)
		call := Call{Xtrigger: x, Ctx: Context{Point: "1", Name: "foo", Workflow: "w"}}
		sig, err := Signature(call)
		if err != nil {
			if !isPermanent(err) {
				t.Fatalf("template error %v is not permanent", err)
			}
			return
		}
		if !strings.HasPrefix(sig, fn+"(") && !strings.HasPrefix(sig, backcompatFunc+"(") {
			t.Fatalf("signature %q does not name %q", sig, fn)
		}
		if !strings.Contains(arg, "%") && !strings.Contains(sig, arg) {
			t.Fatalf("signature %q lost argument %q", sig, arg)
		}
		if fn == "echo" || fn == "workflow_state" {
			Eval(context.Background(), call, Env{RunRoot: root})
		}
	})
}
