package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// decodeJSON parses a command's stdout as JSON, failing the test if it
// is not exactly one JSON value.
func decodeJSON(t *testing.T, out string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("more than one JSON value in:\n%s", out)
	}
	return v
}

// mustJSON is the generic (map/slice) form of a JSON text, to compare
// with decodeJSON's.
func mustJSON(t *testing.T, text string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("bad expectation %s: %v", text, err)
	}
	return v
}

// checkJSON runs gyre and compares its stdout, as JSON, with want.
func checkJSON(t *testing.T, wantCode int, want string, args ...string) {
	t.Helper()
	code, out, errOut := runCLI(args...)
	if code != wantCode {
		t.Fatalf("gyre %s: exit %d, want %d\nstderr:\n%s", strings.Join(args, " "), code, wantCode, errOut)
	}
	if got, w := decodeJSON(t, out), mustJSON(t, want); !reflect.DeepEqual(got, w) {
		t.Errorf("gyre %s:\n%s\nwant:\n%s", strings.Join(args, " "), out, want)
	}
}

// deprecatedFlow validates with a warning.
const deprecatedFlow = "[cylc]\n    UTC mode = True\n[scheduling]\n    [[graph]]\n        R1 = foo\n[runtime]\n    [[foo]]\n"

const hello = "../../examples/hello"
const famParams = "../../examples/families-params"

func TestFormatFlagRefusesUnknown(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"list", "--format=xml", hello}, `invalid argument "xml" for "--format" flag: unknown format "xml"; use plain or json`},
		{[]string{"validate", "--format=jsn", hello}, `unknown format "jsn" (did you mean "json"?)`},
		{[]string{"graph", "--format=jsn", hello}, `unknown --format "jsn" (did you mean "json"?)`},
		{[]string{"graph", "-r", "--format=json", hello}, "--reference and --format=json contradict each other"},
		{[]string{"list", "--color=sometimes", hello}, `unknown colour mode "sometimes": use auto, always or never`},
	} {
		code, out, errOut := runCLI(c.args...)
		if code != 1 || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("gyre %s: exit %d, stdout %q, stderr %q; want exit 1 and %q", strings.Join(c.args, " "), code, out, errOut, c.want)
		}
	}
}

func TestValidateJSON(t *testing.T) {
	deprecated := writeFlow(t, map[string]string{"flow.cylc": deprecatedFlow})
	bad := writeFlow(t, map[string]string{"flow.cylc": "[scheduling]\n    [[graph]]\n        R1 = a\n[runtime]\n    [[a]]\n        scriptt = true\n"})
	checkJSON(t, 0, `{"valid": true, "tasks": 2, "families": 0, "recurrences": 1, "warnings": []}`, "validate", "--format=json", hello)
	checkJSON(t, 0, `{"valid": true, "tasks": 8, "families": 2, "recurrences": 1, "warnings": []}`, "validate", "--format", "json", famParams)
	checkJSON(t, 0, `{"valid": true, "tasks": 1, "families": 0, "recurrences": 1,
		"warnings": ["`+deprecated+`/flow.cylc:1: (8.0.0) [cylc] -> [scheduler] - value unchanged"]}`, "validate", "--format=json", deprecated)
	checkJSON(t, 1, `{"valid": false, "errors": ["`+bad+`/flow.cylc:6: illegal item: [runtime][a]scriptt\n  hint: did you mean \"script\"?"]}`,
		"validate", "--format=json", bad)
	// The errors are on stdout only.
	if _, _, errOut := runCLI("validate", "--format=json", bad); errOut != "" {
		t.Errorf("stderr %q, want nothing", errOut)
	}
}

func TestListJSON(t *testing.T) {
	titled := writeFlow(t, map[string]string{"flow.cylc": templatedFlow})
	checkJSON(t, 0, `["gather", "model_member1", "model_member2", "model_member3", "post_member1", "post_member2", "post_member3", "prep"]`,
		"list", "--format=json", famParams)
	checkJSON(t, 0, `["MODELS", "POST", "gather", "model_member1", "model_member2", "model_member3", "post_member1", "post_member2", "post_member3", "prep", "root"]`,
		"list", "-n", "--format=json", famParams)
	checkJSON(t, 0, `[
		{"name": "MODELS", "parents": ["root"], "mro": ["MODELS", "root"]},
		{"name": "POST", "parents": ["root"], "mro": ["POST", "root"]},
		{"name": "gather", "parents": ["root"], "mro": ["gather", "root"]},
		{"name": "model_member1", "parents": ["MODELS"], "mro": ["model_member1", "MODELS", "root"]},
		{"name": "model_member2", "parents": ["MODELS"], "mro": ["model_member2", "MODELS", "root"]},
		{"name": "model_member3", "parents": ["MODELS"], "mro": ["model_member3", "MODELS", "root"]},
		{"name": "post_member1", "parents": ["POST"], "mro": ["post_member1", "POST", "root"]},
		{"name": "post_member2", "parents": ["POST"], "mro": ["post_member2", "POST", "root"]},
		{"name": "post_member3", "parents": ["POST"], "mro": ["post_member3", "POST", "root"]},
		{"name": "prep", "parents": ["root"], "mro": ["prep", "root"]},
		{"name": "root", "mro": ["root"]}]`, "list", "-n", "-m", "--format=json", famParams)
	checkJSON(t, 0, `[{"name": "prep", "title": ""}, {"name": "run0", "title": "run 0 of 2"}, {"name": "run1", "title": "run 1 of 2"}]`,
		"list", "-w", "--format=json", titled)
	checkJSON(t, 0, `[{"name": "root", "children": [
		{"name": "MODELS", "children": [{"name": "model_member1"}, {"name": "model_member2"}, {"name": "model_member3"}]},
		{"name": "POST", "children": [{"name": "post_member1"}, {"name": "post_member2"}, {"name": "post_member3"}]},
		{"name": "gather"}, {"name": "prep"}]}]`, "list", "-t", "--format=json", famParams)
	checkJSON(t, 0, `[{"name": "root", "children": [{"name": "prep", "title": ""}, {"name": "run0", "title": "run 0 of 2"}, {"name": "run1", "title": "run 1 of 2"}]}]`,
		"list", "-t", "-w", "--format=json", titled)
}

const configFlow = `[meta]
    title = JSON test
[scheduling]
    initial cycle point = 2000
    [[graph]]
        P1D = """
            a => b
        """
[runtime]
    [[FAM]]
        script = """
            echo one

            echo two
        """
        [[[environment]]]
            X = 1
            Y = "a, b"
    [[a, b]]
        inherit = FAM
`

func TestConfigJSON(t *testing.T) {
	flow := writeFlow(t, map[string]string{"flow.cylc": configFlow})
	script := "echo one\n\necho two"
	env := `{"X": "1", "Y": "a, b"}`
	checkJSON(t, 0, `{
		"meta": {"title": "JSON test"},
		"scheduling": {"initial cycle point": "2000", "graph": {"P1D": "a => b"}},
		"runtime": {
			"root": {},
			"FAM": {"script": "echo one\n\necho two", "environment": `+env+`},
			"a": {"script": "echo one\n\necho two", "inherit": "FAM", "completion": "succeeded", "environment": `+env+`},
			"b": {"script": "echo one\n\necho two", "inherit": "FAM", "completion": "succeeded", "environment": `+env+`}
		}}`, "config", "--format=json", flow)
	checkJSON(t, 0, `"2000"`, "config", "--format=json", "-i", "[scheduling]initial cycle point", flow)
	checkJSON(t, 0, `"echo one\n\necho two"`, "config", "--format=json", "-i", "[runtime][a]script", flow)
	checkJSON(t, 0, env, "config", "--format=json", "-i", "[runtime][b][environment]", flow)
	checkJSON(t, 0, `{"[meta]title": "JSON test", "[runtime][a]environment": `+env+`}`,
		"config", "--format=json", "-i", "[meta]title", "-i", "[runtime][a]environment", flow)

	// The JSON follows the order of the plain output, which is Cylc's.
	_, out, _ := runCLI("config", "--format=json", flow)
	if i, j := strings.Index(out, `"meta"`), strings.Index(out, `"runtime"`); i < 0 || j < i {
		t.Errorf("sections out of order:\n%s", out)
	}
	// --defaults: every setting, with the same values as the plain output.
	code, out, errOut := runCLI("config", "--format=json", "--defaults", flow)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	v := decodeJSON(t, out).(map[string]any)
	sched := v["scheduler"].(map[string]any)
	if sched["UTC mode"] != "False" || sched["cycle point time zone"] != "Z" {
		t.Errorf("--defaults scheduler: %v", sched)
	}
	if a := v["runtime"].(map[string]any)["a"].(map[string]any); a["script"] != script || a["execution time limit"] != "" {
		t.Errorf("--defaults [runtime][a]: %v", a)
	}
	// Items that do not exist are errors, as in plain output.
	code, out, errOut = runCLI("config", "--format=json", "-i", "[runtime][nope]", flow)
	if code != 1 || out != "" || !strings.Contains(errOut, `You have not set "[runtime]nope" in this config.`) {
		t.Errorf("missing item: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestParseConfigText(t *testing.T) {
	for _, c := range []struct {
		text string
		base int
		want string
	}{
		{"", 0, `{}`},
		{"a = 1\nb = \n[s]\n    c = x = y\n    [[t]]\n        d = 2\n[u]\n", 0,
			`{"a": "1", "b": "", "s": {"c": "x = y", "t": {"d": "2"}}, "u": {}}`},
		// A selected section: its subsections have one bracket more than its depth.
		{"X = 1\n[[[[env]]]]\n    Y = 2\n", 3, `{"X": "1", "env": {"Y": "2"}}`},
		{"script = \"\"\"\n    one\n    \n    two\n\"\"\"\nnext = 1\n", 0, `{"script": "one\n\ntwo", "next": "1"}`},
		{"[s]\n    k = \"\"\"\n        x\n\n    \"\"\"\n", 0, `{"s": {"k": "x\n"}}`},
		// Unterminated quotes: the value is kept as written.
		{"k = \"\"\"\n    x\n", 0, `{"k": "\"\"\"", "x": ""}`},
		// A header deeper than its parent is kept, not lost.
		{"[[[deep]]]\n    k = v\n", 0, `{"deep": {"k": "v"}}`},
		{"[]\n", 0, `{"[]": ""}`},
	} {
		var buf strings.Builder
		if err := writeJSON(&buf, parseConfigText(c.text, c.base)); err != nil {
			t.Fatal(err)
		}
		if got, want := decodeJSON(t, buf.String()), mustJSON(t, c.want); !reflect.DeepEqual(got, want) {
			t.Errorf("parseConfigText(%q, %d) = %s, want %s", c.text, c.base, buf.String(), c.want)
		}
	}
}

// FuzzParseConfigText: any text gives valid JSON, and a multi-line value
// written as Config.Print writes it comes back as it was.
func FuzzParseConfigText(f *testing.F) {
	f.Add("a\nb", "[s]\n    k = v\n")
	f.Add("x\n\ny\n", "[[[x]]]\n")
	f.Add(" lead", "k = \"\"\"\n")
	f.Fuzz(func(t *testing.T, value, text string) {
		var buf strings.Builder
		if err := writeJSON(&buf, parseConfigText(text, 1)); err != nil || !json.Valid([]byte(buf.String())) {
			t.Fatalf("parseConfigText(%q): %v\n%s", text, err, buf.String())
		}
		if !strings.Contains(value, "\n") || strings.Contains(value, "\r") {
			return // Print quotes only multi-line values; \r is a line end too
		}
		var printed strings.Builder
		printed.WriteString("[s]\n    k = \"\"\"\n")
		for _, line := range strings.SplitAfter(value, "\n") {
			if line != "" {
				printed.WriteString("        " + line)
			}
		}
		printed.WriteString("\n    \"\"\"\n")
		if strings.Contains("\n"+value+"\n", "\n    \"\"\"\n") {
			return // the value holds the closing quotes themselves
		}
		got := parseConfigText(printed.String(), 0)
		s, _ := got.lookup("s")
		v, _ := (*s.(*jsonObject)).lookup("k")
		if v != value {
			t.Errorf("value %q came back as %q from:\n%s", value, v, printed.String())
		}
	})
}

func TestGraphJSON(t *testing.T) {
	checkJSON(t, 0, `{"nodes": [{"id": "1/goodbye", "task": "goodbye", "point": "1"}, {"id": "1/hello", "task": "hello", "point": "1"}],
		"edges": [{"source": "1/hello", "target": "1/goodbye", "conditional": false, "suicide": false}]}`, "graph", "--format=json", hello)
	checkJSON(t, 0, `{"nodes": [{"id": "MODELS", "task": "MODELS"}, {"id": "POST", "task": "POST"}, {"id": "gather", "task": "gather"},
		{"id": "model_member1", "task": "model_member1"}, {"id": "model_member2", "task": "model_member2"}, {"id": "model_member3", "task": "model_member3"},
		{"id": "post_member1", "task": "post_member1"}, {"id": "post_member2", "task": "post_member2"}, {"id": "post_member3", "task": "post_member3"},
		{"id": "prep", "task": "prep"}, {"id": "root", "task": "root"}],
		"edges": [{"source": "MODELS", "target": "model_member1", "conditional": false, "suicide": false},
		{"source": "MODELS", "target": "model_member2", "conditional": false, "suicide": false},
		{"source": "MODELS", "target": "model_member3", "conditional": false, "suicide": false},
		{"source": "POST", "target": "post_member1", "conditional": false, "suicide": false},
		{"source": "POST", "target": "post_member2", "conditional": false, "suicide": false},
		{"source": "POST", "target": "post_member3", "conditional": false, "suicide": false},
		{"source": "root", "target": "MODELS", "conditional": false, "suicide": false},
		{"source": "root", "target": "POST", "conditional": false, "suicide": false},
		{"source": "root", "target": "gather", "conditional": false, "suicide": false},
		{"source": "root", "target": "prep", "conditional": false, "suicide": false}]}`, "graph", "-n", "--format=json", famParams)
	cond := writeFlow(t, map[string]string{"flow.cylc": "[scheduling]\n    [[graph]]\n        R1 = \"a | b => c\"\n[runtime]\n    [[a, b, c]]\n"})
	code, out, _ := runCLI("graph", "--format=json", cond)
	if code != 0 || !strings.Contains(out, `"source": "1/a",
      "target": "1/c",
      "conditional": true`) {
		t.Errorf("conditional edge: exit %d\n%s", code, out)
	}
	// -o FILE.json chooses JSON.
	file := filepath.Join(t.TempDir(), "g.json")
	if code, out, errOut := runCLI("graph", "-o", file, hello); code != 0 || out != "" {
		t.Fatalf("graph -o: exit %d, %q %q", code, out, errOut)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if v := decodeJSON(t, string(data)).(map[string]any); len(v["nodes"].([]any)) != 2 || len(v["edges"].([]any)) != 1 {
		t.Errorf("g.json: %s", data)
	}
}

func TestWorkflowStateJSON(t *testing.T) {
	wsRoot(t)
	checkJSON(t, 0, `[
		{"cycle": "2052", "task": "foo", "status": "waiting", "flows": [1]},
		{"cycle": "2051", "task": "bar", "status": "succeeded", "flows": [1]},
		{"cycle": "2051", "task": "foo", "status": "succeeded", "flows": [1]},
		{"cycle": "2052", "task": "bar", "status": "succeeded", "flows": [2]}]`, "workflow-state", "up", "--max-polls=1", "--format=json")
	checkJSON(t, 0, `[{"cycle": "2051", "task": "foo", "outputs": {"submitted": "submitted", "started": "started", "succeeded": "succeeded", "x": "hello"}, "flows": [1]}]`,
		"workflow-state", "up//2051/foo:x", "--triggers", "--max-polls=1", "--format=json")
	checkJSON(t, 0, `[{"cycle": "2052", "task": "bar", "outputs": {"submitted": "submitted", "started": "started", "succeeded": "succeeded"}, "flows": [2]},
		{"cycle": "2052", "task": "foo", "outputs": {}, "flows": [1]}]`, "workflow-state", "up//2052", "--messages", "--max-polls=1", "--format=json")
	checkJSON(t, 1, `[]`, "workflow-state", "up//2052/foo:succeeded", "--max-polls=1", "--format=json")
	// Output triggers keep the database's order, not an alphabetical one.
	_, out, _ := runCLI("workflow-state", "up//2051/foo:x", "--triggers", "--max-polls=1", "--format=json")
	if strings.Index(out, `"submitted"`) > strings.Index(out, `"started"`) {
		t.Errorf("outputs reordered:\n%s", out)
	}
}

var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestColourOutput: --color=always colours what carries meaning and
// nothing else (the text without the escapes is the plain output); auto
// colours nothing that is not a terminal; NO_COLOR and TERM=dumb only
// affect auto.
func TestColourOutput(t *testing.T) {
	deprecated := writeFlow(t, map[string]string{"flow.cylc": deprecatedFlow})
	bad := writeFlow(t, map[string]string{"flow.cylc": "[scheduling]\n    [[graph]]\n        R1 = a\n[runtime]\n    [[a]]\n        scriptt = true\n"})
	t.Setenv("NO_COLOR", "1") // --color=always overrides it
	for _, c := range []struct {
		name      string
		args      []string
		stdoutHas string
		stderrHas string
	}{
		{"valid", []string{"validate", hello}, "\x1b[32mValid for cylc-8.7.0\x1b[0m: 2 tasks", ""},
		{"warning", []string{"validate", deprecated}, "", "\x1b[33mWARNING:\x1b[0m " + deprecated},
		{"error", []string{"validate", bad}, "", "\x1b[31merror:\x1b[0m " + bad},
		{"list families bold", []string{"list", "-n", famParams}, "\x1b[1mMODELS\x1b[0m\n\x1b[1mPOST\x1b[0m\ngather\n", ""},
		{"list tree", []string{"list", "-t", famParams}, "\x1b[1mroot\x1b[0m \n |-\x1b[1mMODELS\x1b[0m \n | |-model_member1 \n", ""},
		{"list tree titles", []string{"list", "-t", "-w", famParams}, " |-\x1b[1mMODELS\x1b[0m          \n", ""},
		{"graph warning", []string{"graph", "-r", "-g", "NOPE", famParams}, "", "\x1b[33mWARNING:\x1b[0m Ignoring undefined family NOPE"},
		{"list tree box", []string{"list", "-t", "-b", famParams}, "\x1b[1mroot\x1b[0m", ""},
		{"list mro", []string{"list", "-n", "-m", famParams}, "\x1b[1mPOST\x1b[0m           POST root\ngather         gather root\n", ""},
		{"list tree warning", []string{"list", "-t", "-a", famParams}, "", "\x1b[33mWARNING:\x1b[0m -t chosen"},
		{"config warning", []string{"config", deprecated}, "", "\x1b[33mWARNING:\x1b[0m"},
		{"config error", []string{"config", bad}, "", "\x1b[31merror:\x1b[0m"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, plainOut, plainErr := runCLI(c.args...)
			for _, flag := range []string{"--color=always", "--colour=always"} {
				_, out, errOut := runCLI(append([]string{flag}, c.args...)...)
				if !strings.Contains(out, c.stdoutHas) || !strings.Contains(errOut, c.stderrHas) {
					t.Errorf("%s: stdout %q, stderr %q; want %q and %q", flag, out, errOut, c.stdoutHas, c.stderrHas)
				}
				if sgr.ReplaceAllString(out, "") != plainOut || sgr.ReplaceAllString(errOut, "") != plainErr {
					t.Errorf("%s: without escapes, the output differs from the plain output:\n%q\n%q", flag, out, plainOut)
				}
			}
			for _, mode := range []string{"--color=never", "--color=auto"} {
				_, out, errOut := runCLI(append([]string{mode}, c.args...)...)
				if out != plainOut || errOut != plainErr {
					t.Errorf("%s: output differs from the default", mode)
				}
			}
			if strings.Contains(plainOut+plainErr, "\x1b") {
				t.Errorf("default output has escapes: %q %q", plainOut, plainErr)
			}
		})
	}
}

func TestColourWorkflowState(t *testing.T) {
	wsRoot(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"up//2052"}, "2052/foo:waiting\n2052/bar:\x1b[32msucceeded\x1b[0m(flows=2)\n"},
		{[]string{"int//2", "--old-format"}, "foo, 2, \x1b[91mfailed\x1b[0m\n"},
		{[]string{"int//1", "--triggers"}, "1/foo:{'submitted': 'submitted', 'started': 'started', 'succeeded': 'succeeded'}\n"},
	} {
		code, out, errOut := runCLI(append([]string{"--color=always", "workflow-state", "--max-polls=1"}, c.args...)...)
		if code != 0 || out != c.want {
			t.Errorf("workflow-state %q: exit %d, %q, want %q\n%s", c.args, code, out, c.want, errOut)
		}
	}
	_, _, errOut := runCLI("--color=always", "workflow-state", "--max-polls=1", "up//2052/foo:succeeded")
	if !strings.Contains(errOut, "\n\x1b[31mERROR\x1b[0m - failed after 1 polls") {
		t.Errorf("stderr %q", errOut)
	}
	_, _, errOut = runCLI("--color=always", "workflow-state", "--max-polls=1", "up", "--point=2051", "--task=foo")
	if !strings.HasPrefix(errOut, "\x1b[33mWARNING\x1b[0m - --task") {
		t.Errorf("stderr %q", errOut)
	}
}
