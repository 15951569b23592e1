package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs gyre in-process and returns the exit status and both streams.
func runCLI(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	status := Run(context.Background(), args, &out, &errOut)
	return status, out.String(), errOut.String()
}

// writeFlow writes a flow.cylc (and any extra files) into a fresh
// directory and returns the directory.
func writeFlow(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "wf")
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const templatedFlow = `#!Jinja2
{% set N = N | default(2) %}
[scheduling]
    initial cycle point = 2000
    [[graph]]
        P1D = """
{% for i in range(N) %}
            prep => run{{ i }}
{% endfor %}
        """
[runtime]
    [[prep]]
{% for i in range(N) %}
    [[run{{ i }}]]
        [[[meta]]]
            title = run {{ i }} of {{ N }}
{% endfor %}
`

// TestReadCommands covers validate, list and config from the command line:
// exit status, streams and the options that shape loading.
func TestReadCommands(t *testing.T) {
	flow := writeFlow(t, map[string]string{"flow.cylc": templatedFlow, "vars.txt": "N=3\n"})
	circular := writeFlow(t, map[string]string{"flow.cylc": bigCircularFlow(120)})
	hello := filepath.Join("..", "..", "examples", "hello")
	for _, c := range []struct {
		name       string
		args       []string
		status     int
		stdout     string // exact, unless "~" prefixed: substring
		stderrHave string
	}{
		{"validate ok", []string{"validate", hello}, 0, "Valid for cylc-8.7.0: 2 tasks, 0 families, 1 recurrences\n", ""},
		{"validate file path", []string{"validate", filepath.Join(hello, "flow.cylc")}, 0, "~Valid for cylc-8.7.0", ""},
		{"validate missing", []string{"validate", "no/such/workflow"}, 1, "", "no/such/workflow"},
		{"validate no args", []string{"validate"}, 1, "", "accepts 1 arg"},
		{"validate template default", []string{"validate", flow}, 0, "~: 3 tasks", ""},
		{"validate --set", []string{"validate", "--set", "N=5", flow}, 0, "~: 6 tasks", ""},
		{"validate -s", []string{"validate", "-s", "N=1", flow}, 0, "~: 2 tasks", ""},
		{"validate --set-file", []string{"validate", "--set-file", filepath.Join(flow, "vars.txt"), flow}, 0, "~: 4 tasks", ""},
		{"validate --set wins over --set-file", []string{"validate", "--set-file", filepath.Join(flow, "vars.txt"), "--set", "N=4", flow}, 0, "~: 5 tasks", ""},
		{"validate bad --set", []string{"validate", "--set", "N", flow}, 1, "", "--set N"},
		{"validate --icp", []string{"validate", "--icp", "2000-01-01T06", flow}, 0, "~Valid", ""},
		{"validate bad --icp", []string{"validate", "--icp", "soon", flow}, 1, "", "initial cycle point"},
		{"validate skips circular check above 100 tasks", []string{"validate", circular}, 0, "~: 120 tasks", ""},
		{"validate --check-circular", []string{"validate", "--check-circular", circular}, 1, "", "circular edges detected"},
		{"list", []string{"list", "--set", "N=2", flow}, 0, "prep\nrun0\nrun1\n", ""},
		{"list titles", []string{"list", "-w", "--set", "N=2", flow}, 0, "prep  \nrun0  run 0 of 2\nrun1  run 1 of 2\n", ""},
		{"list -a -n", []string{"list", "-a", "-n", flow}, 1, "", "choose either -a or -n"},
		{"list -m -w", []string{"list", "-m", "-w", flow}, 1, "", "please choose --mro or --title, not both"},
		{"list -t -a", []string{"list", "-t", "-a", "--set", "N=1", flow}, 0, "root \n |-prep \n `-run0 \n", "WARNING: -t chosen, ignoring non-tree options."},
		{"list broken", []string{"list", "--set", "N='x'", flow}, 1, "", "error:"},
		{"config item", []string{"config", "-i", "[scheduling]initial cycle point", flow}, 0, "2000\n", ""},
		{"config derived item", []string{"config", "-d", "-i", "[scheduling]initial cycle point", flow}, 0, "20000101T0000Z\n", ""},
		{"config --icp", []string{"config", "-d", "--icp", "2001", "-i", "[scheduling]initial cycle point", flow}, 0, "20010101T0000Z\n", ""},
		{"config completion", []string{"config", "--set", "N=1", "-i", "[runtime][run0]completion", flow}, 0, "succeeded\n", ""},
		{"config unset item", []string{"config", "-i", "[runtime][prep]script", flow}, 1, "", `You have not set "[runtime][prep]script" in this config.`},
		{"config bad item", []string{"config", "-i", "[scheduling]nonsense", flow}, 1, "", `"[scheduling]nonsense" is not a valid configuration for flow.cylc.`},
		{"config --sparse", []string{"config", "--sparse", "-i", "[scheduling]initial cycle point", flow}, 0, "2000\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, stdout, stderr := runCLI(c.args...)
			if status != c.status {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", status, c.status, stdout, stderr)
			}
			if want, ok := strings.CutPrefix(c.stdout, "~"); ok {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout %q lacks %q", stdout, want)
				}
			} else if stdout != c.stdout {
				t.Errorf("stdout %q, want %q", stdout, c.stdout)
			}
			if !strings.Contains(stderr, c.stderrHave) {
				t.Errorf("stderr %q lacks %q", stderr, c.stderrHave)
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
				t.Errorf("Go failure in stderr:\n%s", stderr)
			}
		})
	}
}

// bigCircularFlow is a chain of n tasks whose last feeds its first.
func bigCircularFlow(n int) string {
	var b strings.Builder
	b.WriteString("[scheduling]\n    [[graph]]\n        R1 = \"\"\"\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "            t%d => t%d\n", i-1, i)
	}
	fmt.Fprintf(&b, "            t%d => t0\n        \"\"\"\n[runtime]\n", n-1)
	for i := range n {
		fmt.Fprintf(&b, "    [[t%d]]\n", i)
	}
	return b.String()
}
