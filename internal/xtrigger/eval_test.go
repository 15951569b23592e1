package xtrigger

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"gyre/internal/clock"
)

// seq returns the given numbers in turn, as Env.Random.
func seq(nums ...float64) func() float64 {
	i := 0
	return func() float64 {
		v := nums[i%len(nums)]
		i++
		return v
	}
}

func eval(t *testing.T, x Call, env Env) Result {
	t.Helper()
	r, err := Eval(context.Background(), x, env)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestEvalBuiltins(t *testing.T) {
	root := fixture(t)
	env := utcEnv(root)
	at := func(point string) Context { return Context{Point: point, Name: "bar", Workflow: "me"} }
	for _, c := range []struct {
		name    string
		call    Call
		random  func() float64
		sat     bool
		json    string
		envVars string
	}{
		{"echo succeed", Call{xt("e", "echo", []any{"Breakfast Time"}, map[string]any{"succeed": true, "egg": "poached"}), at("1")}, nil,
			true, `{"egg": "poached", "succeed": true}`, "e_egg=poached e_succeed=True"},
		{"echo fail", Call{xt("e", "echo", nil, map[string]any{"succeed": false}), at("1")}, nil, false, `{}`, ""},
		{"echo templated", Call{xt("e", "echo", nil, map[string]any{"succeed": true, "p": "%(point)s", "n": nil, "f": 1.5}), at("2")}, nil,
			true, `{"f": 1.5, "n": null, "p": "2", "succeed": true}`, "e_f=1.5 e_n=None e_p=2 e_succeed=True"},
		{"xrandom zero", Call{xt("r", "xrandom", []any{0, 0}, nil), at("1")}, seq(0), false, `{}`, ""},
		{"xrandom miss", Call{xt("r", "xrandom", []any{15.5, 0}, nil), at("1")}, seq(0.3), false, `{}`, ""},
		{"xrandom hit", Call{xt("r", "xrandom", []any{99.99}, nil), at("1")}, seq(0.9, 0.2, 0.5),
			true, `{"COLOR": "orange", "SIZE": "large"}`, "r_COLOR=orange r_SIZE=large"},
		{"xrandom percent as text", Call{xt("r", "xrandom", []any{"50"}, map[string]any{"_": "%(point)s"}), at("1")}, seq(0.49, 0.99, 0.99),
			true, `{"COLOR": "violet", "SIZE": "humongous"}`, "r_COLOR=violet r_SIZE=humongous"},
		{"workflow_state", Call{xt("w", "workflow_state", []any{"up//%(point)s/foo"}, nil), at("20100101T0000Z")}, nil,
			true, `{"workflow": "up/run1", "task": "foo", "point": "20100101T0000Z", "status": "succeeded"}`,
			"w_workflow=up/run1 w_task=foo w_point=20100101T0000Z w_status=succeeded"},
		{"workflow_state all options", Call{xt("w", "workflow_state", []any{"up//20091231T0000Z/foo:x"},
			map[string]any{"offset": "P1D", "is_trigger": true, "flow_num": 1, "alt_cylc_run_dir": root}), at("1")}, nil,
			true, `{"workflow": "up/run1", "task": "foo", "point": "20100101T0000Z", "cylc_run_dir": "` + root +
				`", "offset": "P1D", "flow_num": 1, "trigger": "x"}`, ""},
		{"workflow_state message", Call{xt("w", "workflow_state", []any{`up//20100101T0000Z/foo:"the quick brown"`},
			map[string]any{"is_message": true}), at("1")}, nil,
			true, `{"workflow": "up/run1", "task": "foo", "point": "20100101T0000Z", "message": "the quick brown"}`, ""},
		{"workflow_state not yet", Call{xt("w", "workflow_state", []any{"up//20100102T0000Z/foo"}, nil), at("1")}, nil, false, `{}`, ""},
		{"workflow_state other flow", Call{xt("w", "workflow_state", []any{"up//20100101T0000Z/foo"}, map[string]any{"flow_num": 2}), at("1")}, nil,
			false, `{}`, ""},
		{"workflow_state no such workflow", Call{xt("w", "workflow_state", []any{"nowhere//1/foo"}, nil), at("1")}, nil, false, `{}`, ""},
		{"workflow_state integer", Call{xt("w", "workflow_state", []any{"int//%(point)s/foo:succeeded"}, map[string]any{"offset": "-P1"}), at("2")}, nil,
			true, `{"workflow": "int", "task": "foo", "point": "1", "offset": "-P1", "status": "succeeded"}`, ""},
		{"pre-8.3 workflow_state", Call{xt("w", "workflow_state", []any{"up", "foo", "%(point)s"}, map[string]any{"status": "succeeded"}), at("20100101T0000Z")}, nil,
			true, `{"workflow": "up", "task": "foo", "point": "20100101T0000Z", "offset": null, "status": "succeeded", "message": null, "cylc_run_dir": null}`,
			"w_workflow=up w_task=foo w_point=20100101T0000Z w_offset=None w_status=succeeded w_message=None w_cylc_run_dir=None"},
		// status defaults to succeeded and wins over message, as in Cylc.
		{"pre-8.3 message ignored", Call{xt("w", "workflow_state", []any{"up", "bar", "20100101T0000Z"}, map[string]any{"message": "failed"}), at("1")}, nil,
			false, `{}`, ""},
		{"pre-8.3 message with status=None", Call{xt("w", "workflow_state", []any{"up", "foo", "20100101T0000Z"},
			map[string]any{"message": "the quick brown", "status": nil}), at("1")}, nil,
			true, `{"workflow": "up", "task": "foo", "point": "20100101T0000Z", "offset": null, "status": null, "message": "the quick brown", "cylc_run_dir": null}`, ""},
		{"suite_state", Call{xt("s", "suite_state", []any{"up", "foo", "20091231T0000Z"}, map[string]any{"offset": "P1D", "debug": true}), at("1")}, nil,
			true, `{"workflow": "up", "task": "foo", "point": "20091231T0000Z", "offset": "P1D", "status": "succeeded", "message": null, "cylc_run_dir": null}`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := env
			e.Random = c.random
			r := eval(t, c.call, e)
			if r.Satisfied != c.sat || r.JSON() != c.json {
				t.Errorf("got %v %s\nwant %v %s", r.Satisfied, r.JSON(), c.sat, c.json)
			}
			var vars []string
			for _, kv := range r.EnvVars(c.call.Xtrigger.Label) {
				vars = append(vars, kv[0]+"="+kv[1])
			}
			if c.envVars != "" && strings.Join(vars, " ") != c.envVars {
				t.Errorf("env %s\nwant %s", strings.Join(vars, " "), c.envVars)
			}
			if want, _ := Signature(c.call); r.Signature != want {
				t.Errorf("signature %s, want %s", r.Signature, want)
			}
		})
	}
}

func TestEvalErrors(t *testing.T) {
	env := utcEnv(t.TempDir())
	for _, c := range []struct {
		call      Call
		want      string
		permanent bool
	}{
		{Call{Xtrigger: xt("x", "ecko", nil, nil)}, `unknown xtrigger function "ecko" (did you mean "echo"?)`, true},
		{Call{Xtrigger: xt("x", "my_trigger", nil, nil)}, "custom Python xtrigger functions cannot run in Gyre", true},
		{Call{Xtrigger: xt("x", "wall_clock", []any{"PT1H"}, nil)}, "clock deadlines that the task pool keeps", true},
		{Call{Xtrigger: xt("x", "echo", []any{1}, nil)}, "echo requires a succeed=True or succeed=False argument", true},
		{Call{Xtrigger: xt("x", "xrandom", []any{"lots"}, nil)}, `percent: could not convert string to float: 'lots'`, true},
		{Call{Xtrigger: xt("x", "xrandom", nil, nil)}, "missing a required argument: 'percent'", true},
		{Call{Xtrigger: xt("x", "workflow_state", nil, map[string]any{"bogus": 1})}, "missing a required argument: 'workflow_task_id'", true},
		{Call{Xtrigger: xt("x", "workflow_state", []any{5}, nil)}, "workflow_task_id must be an ID", true},
		{Call{Xtrigger: xt("x", "workflow_state", []any{"w//1/f"}, map[string]any{"flow_num": "two"})}, "flow_num must be an integer", true},
		{Call{Xtrigger: xt("x", "echo", []any{"%(nope)s"}, nil)}, "illegal template %(nope)s", true},
		// Not the call's fault in principle (Cylc retries these too).
		{Call{Xtrigger: xt("x", "workflow_state", []any{"w//1/f:elephant"}, nil)}, `no such task state "elephant"`, false},
	} {
		_, err := Eval(context.Background(), c.call, env)
		if err == nil || !strings.Contains(err.Error(), c.want) || isPermanent(err) != c.permanent {
			t.Errorf("%s: error %v (permanent %v), want %q (permanent %v)",
				c.call.Xtrigger.Signature(), err, isPermanent(err), c.want, c.permanent)
		}
	}
}

// xrandom's delay runs on the clock it is given, and ends early when the
// context does.
func TestXrandomDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		v := clock.NewVirtual(start)
		env := Env{Clock: v, Random: seq(0.5, 0, 0)}
		call := Call{Xtrigger: xt("r", "xrandom", []any{100, 30}, nil)}
		done := make(chan Result, 1)
		go func() {
			r, err := Eval(context.Background(), call, env)
			if err != nil {
				t.Error(err)
			}
			done <- r
		}()
		synctest.Wait()
		if v.Advance(29*time.Second) != 0 {
			t.Fatal("delay ended early")
		}
		synctest.Wait()
		select {
		case <-done:
			t.Fatal("result before the delay ended")
		default:
		}
		v.Advance(time.Second)
		if r := <-done; !r.Satisfied || r.Results["COLOR"] != "red" {
			t.Errorf("result %+v", r)
		}

		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() {
			_, err := Eval(ctx, call, env)
			errc <- err
		}()
		synctest.Wait()
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled delay: %v", err)
		}
	})
}

func TestResultJSONValues(t *testing.T) {
	r := Result{Results: map[string]any{"a": math.Inf(1), "b": 1e16, "c": "é\n\"", "d": false, "e": 3}}
	want := `{"a": Infinity, "b": 1e+16, "c": "\u00e9\n\"", "d": false, "e": 3}`
	if got := r.JSON(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
