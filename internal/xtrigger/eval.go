package xtrigger

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"gyre/internal/clock"
	"gyre/internal/pyformat"
	"gyre/internal/suggest"
)

// Env is what evaluating a call may use besides its arguments.
type Env struct {
	// RunRoot is where workflow_state looks for other workflows when the
	// call gives no alternate run directory; "" means rundir.Root.
	RunRoot string
	// Clock times xrandom's delay and tells the local time zone's offset;
	// nil means the real clock.
	Clock clock.Clock
	// Random returns numbers in [0, 1) for xrandom; nil means math/rand.
	// It may be called from several goroutines at once.
	Random func() float64
	// Location is the zone of cycle points written without one; nil
	// means the local zone.
	Location *time.Location
}

// Result is the outcome of a call: whether the xtrigger is satisfied, and
// the results it passes to the tasks that depend on it.
type Result struct {
	Signature string
	Satisfied bool
	// Results is the function's results dict (values are string, int,
	// float64, bool or nil); empty when not satisfied.
	Results map[string]any
	// Err is set on a Manager's report of a call that can never succeed
	// (unknown function, bad arguments or templates).
	Err error
	// order is the dict's key order in Cylc.
	order []string
}

// Eval calls c once. An error either condemns the call (unknown function,
// arguments that do not fit it, a bad template: see the message) or says
// why this attempt could not be made (a database that cannot be read), in
// which case Cylc, and Manager, try again at the next interval.
func Eval(ctx context.Context, c Call, env Env) (Result, error) {
	b, err := c.substitute()
	if err != nil {
		return Result{}, err
	}
	r := Result{Signature: b.signature()}
	var res ordered
	switch b.fn {
	case "echo":
		r.Satisfied, res, err = echo(b)
	case "xrandom":
		r.Satisfied, res, err = xrandom(ctx, b, env)
	case "workflow_state":
		r.Satisfied, res, err = workflowState(ctx, b, env)
	case backcompatFunc, "suite_state":
		r.Satisfied, res, err = workflowStateBackcompat(ctx, b, env)
	case "wall_clock":
		err = b.fail("%s", "wall_clock xtriggers are clock deadlines that the task pool keeps; they are not evaluated as calls")
	default:
		err = b.fail("%s", unknownFunc(b.fn))
	}
	if err != nil {
		return Result{}, err
	}
	if r.Satisfied {
		r.Results, r.order = res.dict()
	} else {
		r.Results = map[string]any{}
	}
	return r, nil
}

// builtins are the xtrigger functions Gyre has.
var builtins = []string{"echo", "suite_state", "wall_clock", "workflow_state", "xrandom"}

func unknownFunc(fn string) string {
	return fmt.Sprintf("unknown xtrigger function %q%s: Gyre has Cylc's built-in xtriggers (%s); "+
		"custom Python xtrigger functions cannot run in Gyre",
		fn, suggest.Hint(fn, builtins), strings.Join(builtins, ", "))
}

// fail is a permanent error about this call.
func (b *bound) fail(format string, a ...any) error {
	return &callError{label: b.label, sig: b.signature(), msg: fmt.Sprintf(format, a...)}
}

// ordered is a results dict in Cylc's key order.
type ordered []struct {
	key string
	val any
}

func (o *ordered) add(k string, v any) {
	*o = append(*o, struct {
		key string
		val any
	}{k, v})
}

func (o ordered) dict() (map[string]any, []string) {
	m := make(map[string]any, len(o))
	keys := make([]string, len(o))
	for i, kv := range o {
		m[kv.key] = kv.val
		keys[i] = kv.key
	}
	return m, keys
}

// keys returns the results' keys in Cylc's order: the function's own,
// then any others sorted.
func (r Result) keys() []string {
	keys := make([]string, 0, len(r.Results))
	seen := make(map[string]bool, len(r.order))
	for _, k := range r.order {
		if _, ok := r.Results[k]; ok && !seen[k] {
			keys = append(keys, k)
			seen[k] = true
		}
	}
	for _, k := range sortedKeys(r.Results) {
		if !seen[k] {
			keys = append(keys, k)
		}
	}
	return keys
}

// JSON is the results as Cylc's json.dumps writes them, for the run
// database's xtriggers table.
func (r Result) JSON() string {
	parts := make([]string, 0, len(r.Results))
	for _, k := range r.keys() {
		parts = append(parts, jsonString(k)+": "+jsonValue(r.Results[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// EnvVars is the results as the environment variables Cylc broadcasts to the
// tasks that depend on the xtrigger: LABEL_KEY=str(value).
func (r Result) EnvVars(label string) [][2]string {
	var env [][2]string
	for _, k := range r.keys() {
		env = append(env, [2]string{label + "_" + k, pyformat.Str(r.Results[k])})
	}
	return env
}

func jsonValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		if v {
			return "true"
		}
		return "false"
	case int:
		return strconv.Itoa(v)
	case float64:
		switch {
		case math.IsNaN(v):
			return "NaN"
		case math.IsInf(v, 1):
			return "Infinity"
		case math.IsInf(v, -1):
			return "-Infinity"
		}
		return pyformat.FloatRepr(v)
	}
	return jsonString(pyformat.Str(v))
}

// truthy is Python's truth value of a parsed argument.
func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case int:
		return v != 0
	case float64:
		return v != 0
	case string:
		return v != ""
	}
	return true
}

// echo returns its keyword arguments, satisfied as succeed= says.
func echo(b *bound) (bool, ordered, error) {
	succeed, ok := b.kwargs["succeed"]
	if !ok {
		return false, nil, b.fail("echo requires a succeed=True or succeed=False argument")
	}
	var res ordered
	for _, k := range sortedKeys(b.kwargs) {
		res.add(k, b.kwargs[k])
	}
	return truthy(succeed), res, nil
}

var (
	xrandomColors = []string{"red", "orange", "yellow", "green", "blue", "indigo", "violet"}
	xrandomSizes  = []string{"tiny", "small", "medium", "large", "huge", "humongous"}
)

// xrandom waits secs seconds, then is satisfied with percent% likelihood,
// returning a random COLOR and SIZE.
func xrandom(ctx context.Context, b *bound, env Env) (bool, ordered, error) {
	args, err := bindArgs(xrandomParams, b.args, b.kwargs)
	if err != nil {
		return false, nil, b.fail("%v", err)
	}
	percent, err := pyFloat(args["percent"])
	if err != nil {
		return false, nil, b.fail("percent: %v", err)
	}
	secs, err := pyFloat(args["secs"])
	if err != nil {
		return false, nil, b.fail("secs: %v", err)
	}
	if secs > 0 {
		if err := wait(ctx, env.Clock, time.Duration(secs*float64(time.Second))); err != nil {
			return false, nil, err
		}
	}
	random := env.Random
	if random == nil {
		random = rand.Float64
	}
	if random() >= percent/100 {
		return false, nil, nil
	}
	pick := func(list []string) string {
		i := int(random() * float64(len(list)))
		return list[min(max(i, 0), len(list)-1)]
	}
	var res ordered
	res.add("COLOR", pick(xrandomColors))
	res.add("SIZE", pick(xrandomSizes))
	return true, res, nil
}

// wait returns after d on clk (the real clock if nil), or when ctx ends.
func wait(ctx context.Context, clk clock.Clock, d time.Duration) error {
	if clk == nil {
		clk = clock.Real{}
	}
	a := clk.NewAlarm()
	defer a.Stop()
	a.Set(clk.Now().Add(d))
	select {
	case <-a.C():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// pyFloat is Python's float() of a parsed argument.
func pyFloat(v any) (float64, error) {
	switch v := v.(type) {
	case int:
		return float64(v), nil
	case float64:
		return v, nil
	case bool:
		if v {
			return 1, nil
		}
		return 0, nil
	case string:
		f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(v), "_", ""), 64)
		if err != nil {
			return 0, fmt.Errorf("could not convert string to float: %s", pyformat.StrRepr(v))
		}
		return f, nil
	}
	return 0, fmt.Errorf("float() argument must be a string or a real number, not %s", pyformat.Str(v))
}
