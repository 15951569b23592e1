package config

import (
	"strings"
	"testing"
)

func TestValidationErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		src  string
		line int
		msg  string // substring of the message
		hint string // substring of the hint
	}{
		{"misspelt runtime item", minimal + "        scirpt = true\n", 6,
			"illegal item: [runtime][foo]scirpt", `did you mean "script"?`},
		{"misspelt section", "[schedulng]\n" + minimal, 1,
			"illegal item: [schedulng]", `did you mean "scheduling"?`},
		{"misspelt nested section", minimal + "        [[[enviroment]]]\n            A = 1\n", 6,
			"illegal item: [runtime][foo][enviroment]", `did you mean "environment"?`},
		{"unknown item without a near miss", "[meta]\n[scheduler]\n    zzz = 1\n" + minimal, 3,
			"illegal item: [scheduler]zzz", ""},
		{"bad boolean", "[scheduler]\n    allow implicit tasks = yes\n" + minimal, 2,
			"invalid boolean: [scheduler]allow implicit tasks = yes", "expected True or False"},
		{"bad integer", minimal + "[scheduling]\n    [[queues]]\n        [[[q]]]\n            limit = many\n", 9,
			"invalid integer: [scheduling][queues][q]limit = many", "expected an integer"},
		{"bad interval", minimal + "        execution time limit = 1 hour\n", 6,
			"invalid ISO 8601 interval: [runtime][foo]execution time limit = 1 hour", "ISO 8601 duration"},
		{"bad interval list", minimal + "        execution retry delays = PT1M, 2*PT5X\n", 6,
			"invalid interval list: [runtime][foo]execution retry delays = PT1M, 2*PT5X", "multipliers"},
		{"bad option", "[scheduling]\n    cycling mode = gregorain\n    [[graph]]\n        R1 = foo\n", 2,
			"invalid option: [scheduling]cycling mode = gregorain", `did you mean "gregorian"?`},
		{"setting where a section belongs", "[scheduling]\n    graph = foo\n", 2,
			`"graph" should be a [section] not a setting: [scheduling]graph`, "[[graph]]"},
		{"section where a setting belongs", minimal + "        [[[script]]]\n", 6,
			`"script" should be a setting not a [section]: [runtime][foo][script]`, "script = VALUE"},
		{"consecutive spaces", minimal + "        [[[environment]]]\n            A  B = 1\n", 7,
			"illegal item (consecutive spaces): [runtime][foo][environment]A  B", ""},
		{"bad quoting", minimal + "        script = \"echo\n", 6,
			`invalid quoting: [runtime][foo]script = "echo`, ""},
		{"bad cycle point", "[scheduling]\n    initial cycle point = 2000-13\n    [[graph]]\n        P1Y = foo\n", 2,
			"invalid cycle point: [scheduling]initial cycle point = 2000-13 (invalid input (out of bounds): month_of_year: 13)", ""},
		{"bad time zone", "[scheduler]\n    cycle point time zone = +1\n" + minimal, 2,
			"invalid cycle point time zone: [scheduler]cycle point time zone = +1", "Z, +13, -0830"},
		{"bad parameter", "[task parameters]\n    m = 1..3, a\n" + minimal, 2,
			"invalid parameter: [task parameters]m = 1..3, a (mixing int range and str)", ""},
		{"unquoted parameterised name with a comma", minimal + "[scheduling]\n    [[queues]]\n        [[[q]]]\n            members = foo<m,n>\n", 9,
			"names containing commas must be quoted", ""},
		{"bad xtrigger", minimal + "[scheduling]\n    [[xtriggers]]\n        x = not a call\n", 8,
			"invalid xtrigger: [scheduling][xtriggers]x = not a call", "function signature"},
		{"spaces in queue members", minimal + "[scheduling]\n    [[queues]]\n        [[[q]]]\n            members = a b\n", 9,
			`list item "a b" cannot contain a space character`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := build(t, c.src)
			if err == nil {
				t.Fatal("no error")
			}
			errs := errorsOf(t, err)
			e := errs[0]
			if e.Pos.Line != c.line || e.Pos.File != "flow.cylc" {
				t.Errorf("position %v, want flow.cylc:%d", e.Pos, c.line)
			}
			if !strings.Contains(e.Msg, c.msg) {
				t.Errorf("message %q does not contain %q", e.Msg, c.msg)
			}
			if !strings.Contains(e.Hint, c.hint) {
				t.Errorf("hint %q does not contain %q", e.Hint, c.hint)
			}
		})
	}
}

func TestAllErrorsReported(t *testing.T) {
	_, err := build(t, `
[scheduler]
    allow implicit tasks = maybe
    [[events]]
        stall timeout = soon
[scheduling]
    cycling mode = julian
    [[graph]]
        R1 = foo
[runtime]
    [[foo]]
        scirpt = true
`)
	errs := errorsOf(t, err)
	var lines []int
	for _, e := range errs {
		lines = append(lines, e.Pos.Line)
	}
	if want := []int{2, 4, 6, 11}; !equalInts(lines, want) {
		t.Errorf("errors at lines %v, want %v:\n%v", lines, want, err)
	}
	if !strings.Contains(err.Error(), "flow.cylc:11: illegal item: [runtime][foo]scirpt\n  hint: did you mean \"script\"?") {
		t.Errorf("error text:\n%v", err)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestConfigChecks(t *testing.T) {
	for _, c := range []struct {
		name string
		src  string
		msg  string
		hint string
	}{
		{"no scheduling", "[meta]\n    title = x\n", "missing [scheduling] section", ""},
		{"no graph", "[scheduling]\n    initial cycle point = 1\n", "missing [scheduling][[graph]] section", ""},
		{"empty graph", "[scheduling]\n    [[graph]]\n        R1 = \"\"\n", "no workflow dependency graph defined", ""},
		{"undefined parent", minimal + "        inherit = FAMM\n    [[FAM]]\n", "undefined parent for foo: FAMM", `did you mean "FAM"?`},
		{"null parentage", minimal + "        inherit = None\n", "null parentage for foo", ""},
		{"circular", minimal + "        inherit = bar\n    [[bar]]\n        inherit = foo\n", "circular [runtime] inheritance: foo -> bar -> foo", ""},
		{"bad hierarchy", minimal + "    [[O]]\n    [[X]]\n        inherit = O\n    [[Z]]\n        inherit = O, X\n",
			"Z: bad runtime namespace inheritance hierarchy", "multiple inheritance"},
		{"environment variable name", minimal + "        [[[environment]]]\n            1BAD = x\n",
			"illegal environment variable name: [runtime][foo][environment]1BAD", "letter"},
		{"task name characters", minimal + "    [[foo.bar]]\n", "illegal task/family name [runtime][[foo.bar]]: can only contain", ""},
		{"reserved prefix", minimal + "    [[_cylc_x]]\n", "illegal task/family name [runtime][[_cylc_x]]: cannot start with: `_cylc`", ""},
		{"remote owner", minimal + "        [[[remote]]]\n            owner = me\n", `"[runtime][task][remote]owner" is obsolete at Cylc 8`, "remote-owner"},
		{"runahead limit", "[scheduling]\n    cycling mode = integer\n    runahead limit = PT1H\n    [[graph]]\n        P1 = foo\n",
			`bad runahead limit "PT1H" for integer cycling type`, ""},
		{"install", "[scheduler]\n    install = /abs, a/b\n" + minimal, `"/abs" - Paths cannot be absolute`, ""},
		{"clock trigger spec", minimal + "[scheduling]\n    [[special tasks]]\n        clock-trigger = foo(PT1H\n", "illegal clock-trigger spec: foo(PT1H", ""},
		{"clock trigger offset", "[scheduling]\n    initial cycle point = 2000\n    [[special tasks]]\n        clock-expire = foo(1 hour)\n    [[graph]]\n        P1D = foo\n", "illegal clock-expire spec: 1 hour", ""},
		{"clock trigger cycling", "[scheduling]\n    cycling mode = 360day\n    initial cycle point = 2000\n    [[special tasks]]\n        clock-trigger = foo\n    [[graph]]\n        P1D = foo\n",
			"clock-trigger tasks require [scheduling]cycling mode=gregorian", ""},
		{"undefined parameter", "[task parameters]\n    m = 1..2\n" + minimal + "    [[bar<x>]]\n", "parameter x is not defined in bar<x>", ""},
		{"parameterised name without parameters", minimal + "    [[bar<x>]]\n", "illegal task/family name [runtime][[bar<x>]]", ""},
		{"parameter out of range", "[task parameters]\n    m = 1..2\n" + minimal + "    [[bar<m=3>]]\n", "parameter m out of range: m=3", ""},
		{"parameter offset in a heading", "[task parameters]\n    m = 1..2\n" + minimal + "    [[bar<m-1>]]\n", "parameter index offsets are not supported in name expansion: m-1", ""},
		{"platform with host", minimal + "        platform = hpc\n        [[[remote]]]\n            host = h\n",
			"task 'foo' has the following deprecated '[runtime]' setting(s) which cannot be used with 'platform = hpc':\n * [remote]host", ""},
		{"platform backticks", minimal + "        platform = `pick`\n", "platform = `pick`: backticks are not supported; please use $()", ""},
		{"upgrade conflict", "[cylc]\n    UTC mode = True\n[scheduler]\n    UTC mode = False\n" + minimal, "cannot upgrade deprecated item", ""},
		{"xtrigger name", minimal + "[scheduling]\n    [[xtriggers]]\n        my-clock = wall_clock()\n", `invalid xtrigger name "my-clock" - can only contain`, ""},
		{"URL template", "[meta]\n    URL = http://x/%(nosuch)s\n" + minimal, "invalid template [meta]URL: http://x/%(nosuch)s", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := build(t, c.src)
			if err == nil {
				t.Fatal("no error")
			}
			e := errorsOf(t, err)[0]
			if !strings.Contains(e.Msg, c.msg) {
				t.Errorf("message %q does not contain %q", e.Msg, c.msg)
			}
			if !strings.Contains(e.Hint, c.hint) {
				t.Errorf("hint %q does not contain %q", e.Hint, c.hint)
			}
		})
	}
}

func TestInvalidEventNamesAreDroppedWithAWarning(t *testing.T) {
	w := mustBuild(t, "[scheduler]\n    [[events]]\n        handler events = abort, badger, stall, alpaca\n"+minimal)
	if got := w.Scheduler().Events.HandlerEvents; strings.Join(got, ",") != "abort,stall" {
		t.Errorf("handler events = %v", got)
	}
	if len(w.Warnings) != 1 || w.Warnings[0].Msg != "(type=option) [scheduler][events]handler events = badger, alpaca\nInvalid items have been removed" {
		t.Errorf("warnings = %v", w.Warnings)
	}
}

func TestDidYouMean(t *testing.T) {
	names := []string{"script", "pre-script", "post-script", "init-script", "platform", "inherit"}
	for _, c := range []struct {
		key  string
		want []string
	}{
		{"scirpt", []string{"script"}},
		{"Script", []string{"script"}},
		{"prescript", []string{"pre-script"}},
		{"platfrom", []string{"platform"}},
		{"xyz", nil},
	} {
		if got := closest(c.key, names); strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("closest(%q) = %v, want %v", c.key, got, c.want)
		}
	}
}
