package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"gyre/internal/flowfile"
)

const broadcastWorkflow = `
[scheduling]
    [[graph]]
        R1 = foo & bar & baz
[runtime]
    [[root]]
        script = true
        [[[environment]]]
            A = 1
            B = $A
    [[FAM]]
        execution retry delays = PT1M
        [[[environment]]]
            C = fam
        [[[directives]]]
            --mem = 1G
    [[foo]]
        inherit = FAM
        [[[meta]]]
            URL = https://example.com/%(task)s
    [[bar]]
        platform = hpc
    [[baz]]
        [[[remote]]]
            host = otherhost
`

func TestCheckSetting(t *testing.T) {
	w := mustBuild(t, broadcastWorkflow)
	tests := []struct {
		path  []string
		value string
		err   string // "" for valid; else substrings of the error, "|"-separated
	}{
		{[]string{"script"}, "true", ""},
		{[]string{"script"}, `echo "${FOO#*bar}"`, ""},
		{[]string{"environment", "X"}, "the quick brown fox", ""},
		{[]string{"environment", "_x1"}, "", ""},
		{[]string{"directives", "--mem"}, "2G", ""},
		{[]string{"events", "execution timeout"}, "PT1M", ""},
		{[]string{"execution retry delays"}, "3*PT1M, PT1H", ""},
		{[]string{"execution retry delays"}, "[PT1M, PT2M]", ""},
		{[]string{"run mode"}, "skip", ""},
		{[]string{"meta", "my key"}, "x", ""},
		{[]string{"remote", "host"}, "h", ""},
		{[]string{"simulation", "speedup factor"}, "2.5", ""},
		{[]string{"workflow state polling", "max-polls"}, "3", ""},
		{[]string{"skip", "disable task event handlers"}, "false", ""},
		{[]string{"scirpt"}, "x", `unknown [runtime] setting: scirpt|did you mean "script"?`},
		{[]string{"events", "execution timout"}, "PT1M", `unknown [runtime] setting: [events]execution timout|did you mean "execution timeout"?`},
		{[]string{"environment", "1X"}, "x", "illegal environment variable name: [environment]1X"},
		{[]string{"environment", "A-B"}, "x", "illegal environment variable name"},
		{[]string{"inherit"}, "FAM", "inheritance cannot be changed by broadcast"},
		{[]string{"outputs", "x"}, "msg", "task outputs cannot be changed by broadcast"},
		{[]string{"parameter environment templates", "X"}, "%(i)s", "cannot be broadcast|[environment]NAME=value"},
		{[]string{"events", "execution timeout"}, "PT1X", "invalid ISO 8601 interval: [events]execution timeout = PT1X|expected an ISO 8601 duration"},
		{[]string{"execution retry delays"}, "1, 2", "invalid interval list"},
		{[]string{"run mode"}, "skp", `invalid option: run mode = skp|did you mean "skip"?`},
		{[]string{"environment"}, "x", "[environment] is a section, not a setting|[environment]NAME=VALUE"},
		{[]string{"events"}, "x", "[events] is a section, not a setting|[events]handlers=VALUE"},
		{[]string{"script", "x"}, "y", "script is a setting, not a [section]"},
		{[]string{"meta", "my  key"}, "x", "consecutive spaces"},
		{[]string{"workflow state polling", "max-polls"}, "many", "invalid integer"},
		{[]string{"script"}, `"unclosed`, "invalid quoting: script = \"unclosed"},
		{[]string{"environment", ""}, "x", "empty name"},
		{nil, "x", "empty setting name"},
	}
	for _, tt := range tests {
		err := w.CheckSetting(tt.path, tt.value)
		if tt.err == "" {
			if err != nil {
				t.Errorf("CheckSetting(%q, %q): unexpected error %v", tt.path, tt.value, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("CheckSetting(%q, %q): no error, want %q", tt.path, tt.value, tt.err)
			continue
		}
		var ce *Error
		if !errors.As(err, &ce) {
			t.Errorf("CheckSetting(%q, %q): error %T is not an *Error", tt.path, tt.value, err)
		}
		for _, want := range strings.Split(tt.err, "|") {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("CheckSetting(%q, %q) = %q, want it to contain %q", tt.path, tt.value, err, want)
			}
		}
	}
}

func TestUpgradeSettingPath(t *testing.T) {
	tests := []struct {
		in, want []string
		err      string
	}{
		{[]string{"script"}, []string{"script"}, ""},
		{[]string{"job", "execution time limit"}, []string{"execution time limit"}, ""},
		{[]string{"job", "batch system"}, []string{"job", "batch system"}, ""},
		{[]string{"events", "mail to"}, []string{"mail", "to"}, ""},
		{[]string{"events", "succeeded handler"}, []string{"events", "succeeded handlers"}, ""},
		{[]string{"suite state polling", "interval"}, []string{"workflow state polling", "interval"}, ""},
		{[]string{"suite state polling", "run-dir"}, []string{"workflow state polling", "alt-cylc-run-dir"}, ""},
		{[]string{"suite state polling"}, []string{"suite state polling"}, ""},
		{[]string{"events", "reset timer"}, nil, "obsolete setting: [events]reset timer"},
		{[]string{"job", "shell"}, nil, "obsolete setting: [job]shell"},
		{[]string{"events", "mail smtp"}, nil, "global.cylc[scheduler][mail]smtp"},
		{[]string{"suite state polling", "template"}, nil, "obsolete setting"},
	}
	for _, tt := range tests {
		got, err := UpgradeSettingPath(tt.in)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("UpgradeSettingPath(%q) = %q, %v; want error %q", tt.in, got, err, tt.err)
			}
		case err != nil || !reflect.DeepEqual(got, tt.want):
			t.Errorf("UpgradeSettingPath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestFileSettingValue(t *testing.T) {
	tests := []struct {
		path      []string
		raw, want string
		err       string
	}{
		{[]string{"script"}, `"echo hi" # comment`, "echo hi", ""},
		{[]string{"script"}, "echo hi # comment", "echo hi", ""},
		{[]string{"script"}, "\"\"\"\n    echo one\n    echo two\n\"\"\"", "echo one\necho two", ""},
		{[]string{"environment", "X"}, "'a # b'", "a # b", ""},
		{[]string{"events", "handlers"}, `"b, c", a`, `'b, c', a`, ""},
		{[]string{"events", "handlers"}, `a, "b, c"`, `a, '"b', 'c"'`, ""}, // as Cylc reads it
		{[]string{"events", "execution timeout"}, "PT60S", "PT1M", ""},
		{[]string{"execution retry delays"}, "2*PT1M, PT1H", "PT1M, PT1M, PT1H", ""},
		{[]string{"skip", "disable task event handlers"}, "false", "False", ""},
		{[]string{"simulation", "speedup factor"}, "2", "2.0", ""},
		{[]string{"events", "execution timeout"}, "", "", ""},
		{[]string{"events", "execution timeout"}, "soon", "", "invalid ISO 8601 interval"},
		{[]string{"scirpt"}, "x", "", `did you mean "script"?`},
	}
	for _, tt := range tests {
		got, err := FileSettingValue(tt.path, tt.raw)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("FileSettingValue(%q, %q) = %q, %v; want error %q", tt.path, tt.raw, got, err, tt.err)
			}
		case err != nil || got != tt.want:
			t.Errorf("FileSettingValue(%q, %q) = %q, %v; want %q", tt.path, tt.raw, got, err, tt.want)
		}
	}
}

func TestRuntimeWith(t *testing.T) {
	w := mustBuild(t, broadcastWorkflow)
	before, _ := w.Runtime("foo")

	rt, err := w.RuntimeWith("foo", []Setting{
		{Path: []string{"environment", "N1"}, Value: "x"},
		{Path: []string{"environment", "B"}, Value: "2"},
		{Path: []string{"environment", "N2"}, Value: `"quoted"`},
		{Path: []string{"script"}, Value: `echo ${X#*y}`},
		{Path: []string{"events", "execution timeout"}, Value: "PT5M"},
		{Path: []string{"execution retry delays"}, Value: "PT1M, 2*PT2M"},
		{Path: []string{"directives", "--time"}, Value: "1:00"},
		{Path: []string{"directives", "--mem"}, Value: "4G"},
		{Path: []string{"run mode"}, Value: "skip"},
		{Path: []string{"environment", "N1"}, Value: "last wins"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// New variables go first (each in front of the previous), existing
	// ones keep their place: Cylc's poverride(prepend=True).
	wantEnv := []KeyValue{{"N2", "quoted"}, {"N1", "last wins"}, {"A", "1"}, {"B", "2"}, {"C", "fam"}}
	if !reflect.DeepEqual(rt.Environment, wantEnv) {
		t.Errorf("Environment = %v, want %v", rt.Environment, wantEnv)
	}
	wantDirs := []KeyValue{{"--time", "1:00"}, {"--mem", "4G"}}
	if !reflect.DeepEqual(rt.Directives, wantDirs) {
		t.Errorf("Directives = %v, want %v", rt.Directives, wantDirs)
	}
	if rt.Script != "echo ${X#*y}" {
		t.Errorf("Script = %q", rt.Script)
	}
	if rt.Events.ExecutionTimeout == nil || *rt.Events.ExecutionTimeout != 300 {
		t.Errorf("ExecutionTimeout = %v, want 300", rt.Events.ExecutionTimeout)
	}
	if want := []Interval{60, 120, 120}; !reflect.DeepEqual(rt.ExecutionRetryDelays, want) {
		t.Errorf("ExecutionRetryDelays = %v, want %v", rt.ExecutionRetryDelays, want)
	}
	if rt.RunMode != "skip" {
		t.Errorf("RunMode = %q", rt.RunMode)
	}
	if rt.Meta.URL != "https://example.com/foo" {
		t.Errorf("Meta.URL = %q (the expanded template should be kept)", rt.Meta.URL)
	}

	// The workflow itself is unchanged.
	after, _ := w.Runtime("foo")
	if !reflect.DeepEqual(before, after) {
		t.Errorf("RuntimeWith changed the workflow:\nbefore %+v\nafter  %+v", before, after)
	}
	if after.Script != "true" || len(after.Environment) != 3 {
		t.Errorf("after: Script %q, Environment %v", after.Script, after.Environment)
	}

	// No overrides: the namespace's own settings.
	plain, err := w.RuntimeWith("foo", nil)
	if err != nil || !reflect.DeepEqual(plain, before) {
		t.Errorf("RuntimeWith(foo, nil) = %+v, %v", plain, err)
	}

	// A broadcast URL is used as given.
	rt, err = w.RuntimeWith("foo", []Setting{{Path: []string{"meta", "URL"}, Value: "https://x/%(task)s"}})
	if err != nil || rt.Meta.URL != "https://x/%(task)s" {
		t.Errorf("Meta.URL = %q, %v", rt.Meta.URL, err)
	}
}

func TestRuntimeWithErrors(t *testing.T) {
	w := mustBuild(t, broadcastWorkflow)
	tests := []struct {
		name      string
		overrides []Setting
		err       string
	}{
		{"fooo", nil, `no such namespace: fooo|did you mean "foo"?`},
		{"foo", []Setting{{Path: []string{"scirpt"}, Value: "x"}}, "unknown [runtime] setting: scirpt"},
		{"foo", []Setting{{Path: []string{"events", "execution timeout"}, Value: "x"}}, "invalid ISO 8601 interval"},
		// platform set in the workflow, [remote]host broadcast:
		{"bar", []Setting{{Path: []string{"remote", "host"}, Value: "h"}},
			"task 'bar' has the following deprecated '[runtime]' setting(s) which cannot be used with 'platform = hpc':\n * [remote]host"},
		// [remote]host set in the workflow, platform broadcast:
		{"baz", []Setting{{Path: []string{"platform"}, Value: "hpc2"}}, "'platform = hpc2':\n * [remote]host"},
		{"foo", []Setting{{Path: []string{"platform"}, Value: "p"}, {Path: []string{"job", "batch system"}, Value: "slurm"}}, "* [job]batch system"},
	}
	for _, tt := range tests {
		_, err := w.RuntimeWith(tt.name, tt.overrides)
		if err == nil {
			t.Errorf("RuntimeWith(%s, %v): no error, want %q", tt.name, tt.overrides, tt.err)
			continue
		}
		for _, want := range strings.Split(tt.err, "|") {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("RuntimeWith(%s, %v) = %q, want it to contain %q", tt.name, tt.overrides, err, want)
			}
		}
	}
	// An empty string is still a value (Cylc tests "is not None").
	if _, err := w.RuntimeWith("baz", []Setting{{Path: []string{"remote", "host"}, Value: ""}, {Path: []string{"platform"}, Value: "p"}}); err == nil {
		t.Errorf("empty [remote]host with platform: no error")
	}
	// A platform broadcast to a task with no Cylc 7 settings is fine.
	if _, err := w.RuntimeWith("foo", []Setting{{Path: []string{"platform"}, Value: "p"}}); err != nil {
		t.Errorf("platform on foo: %v", err)
	}
}

func TestSettingKey(t *testing.T) {
	for _, tt := range []struct {
		path []string
		want string
	}{
		{[]string{"script"}, "script"},
		{[]string{"environment", "X"}, "[environment]X"},
		{[]string{"a", "b", "c"}, "[a][b]c"},
		{nil, ""},
	} {
		if got := (Setting{Path: tt.path}).Key(); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

// FuzzBroadcastSetting: checking and applying a broadcast never panics, and
// a setting that CheckSetting accepts applies (foo has no Cylc 7 host
// settings for a platform to conflict with).
func FuzzBroadcastSetting(f *testing.F) {
	ff, err := flowfile.Parse("flow.cylc", "/work/wf", []byte(strings.TrimLeft(broadcastWorkflow, "\n")), flowfile.Options{})
	if err != nil {
		f.Fatal(err)
	}
	w, err := Build(ff, Options{})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range [][2]string{
		{"script", "true"}, {"environment\x00X", "1"}, {"events\x00execution timeout", "PT1M"},
		{"execution retry delays", "[3*PT1M, PT1H]"}, {"run mode", "skp"}, {"meta\x00URL", "x"},
		{"script", `"""a"""`}, {"script", `"unclosed`}, {"events\x00handlers", `'a, b', c`},
		{"simulation\x00speedup factor", "1e400"}, {"workflow state polling\x00max-polls", "99999999999999999999"},
		{"environment", "x"}, {"outputs\x00x", "y"}, {"directives\x00-l  x", "1"}, {"execution retry delays", "1000001*PT1S"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		path := strings.Split(key, "\x00")
		if err := w.CheckSetting(path, value); err != nil {
			return
		}
		if _, err := w.RuntimeWith("foo", []Setting{{Path: path, Value: value}}); err != nil {
			t.Fatalf("CheckSetting(%q, %q) passed but RuntimeWith failed: %v", path, value, err)
		}
		if _, err := FileSettingValue(path, value); err != nil && !strings.Contains(err.Error(), "invalid") {
			t.Fatalf("FileSettingValue(%q, %q): the path was accepted by CheckSetting: %v", path, value, err)
		}
	})
}
