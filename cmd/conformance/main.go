// Command conformance runs the reference tests from Cylc's functional test
// suite (../shared/conformance/cylc) against Gyre and prints one line per
// case and a closing "conformance: N passed, M failed" line.
//
// Each case must first validate; it passes when a run of it reproduces the
// case's reference.log (the sorted "-triggered off" lines). Cases whose run
// needs features Gyre does not have yet fail with the reason, so the report
// measures progress without failing CI; the runner itself exits non-zero only
// when it cannot do its job (no cases found, a bad index).
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gyre/internal/cli"
)

func main() {
	dir := flag.String("cases", "../shared/conformance/cylc", "directory of conformance cases")
	only := flag.String("run", "", "run only cases whose name contains this")
	verbose := flag.Bool("v", false, "print each failing case's output")
	flag.Parse()
	os.Exit(run(*dir, *only, *verbose))
}

type result struct {
	name   string
	stage  string // the stage reached: validate, run
	ok     bool
	reason string
	output string
}

func run(dir, only string, verbose bool) int {
	cases, err := readIndex(filepath.Join(dir, "INDEX.tsv"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		return 2
	}
	if len(cases) == 0 {
		fmt.Fprintln(os.Stderr, "conformance: no cases in", dir)
		return 2
	}
	runRoot, err := os.MkdirTemp("", "gyre-conformance-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		return 2
	}
	defer os.RemoveAll(runRoot)
	os.Setenv("GYRE_RUN_ROOT", runRoot)

	passed, failed, validated, live := 0, 0, 0, 0
	for _, c := range cases {
		if only != "" && !strings.Contains(c.name, only) {
			continue
		}
		r := runCase(filepath.Join(dir, c.name), c)
		if r.stage != "validate" {
			validated++
		}
		if strings.HasPrefix(r.reason, "needs live mode") {
			live++
		}
		status := "FAIL"
		if r.ok {
			status = "pass"
			passed++
		} else {
			failed++
		}
		fmt.Printf("%-4s %-48s %-9s %s\n", status, c.name, r.stage, r.reason)
		if verbose && !r.ok && r.output != "" {
			fmt.Println(indent(r.output))
		}
	}
	fmt.Printf("validated: %d of %d; needing live mode: %d\n", validated, passed+failed, live)
	fmt.Printf("conformance: %d passed, %d failed\n", passed, failed)
	return 0
}

// caseInfo is the part of INDEX.tsv the runner needs.
type caseInfo struct {
	name     string
	notes    string // driver_notes: extra play options, expected failure
	commands string // cylc_commands_used: the case drives the scheduler
}

func readIndex(path string) ([]caseInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cases []caseInfo
	var cols map[string]int
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		fields := strings.Split(line, "\t")
		if cols == nil {
			cols = map[string]int{}
			for i, f := range fields {
				cols[f] = i
			}
			if _, ok := cols["name"]; !ok {
				return nil, fmt.Errorf("%s: header has no name column", path)
			}
			continue
		}
		ci := caseInfo{name: fields[cols["name"]]}
		if i, ok := cols["driver_notes"]; ok && i < len(fields) {
			ci.notes = fields[i]
		}
		if i, ok := cols["cylc_commands_used"]; ok && i < len(fields) {
			ci.commands = fields[i]
		}
		cases = append(cases, ci)
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].name < cases[j].name })
	return cases, sc.Err()
}

// needsJobs lists cases with no cylc commands whose outcome still depends
// on what their job scripts do (fail, abort, race each other) or on a run
// mode other than simulation: they can only pass in live mode.
var needsJobs = map[string]string{
	"events__34-task-abort":               "job aborts with cylc__job_abort",
	"job-file-trap__02-pipefail":          "job fails on a broken pipe",
	"retries__execution":                  "jobs fail until their last try",
	"retries__submission":                 "submission to a missing host fails",
	"run_modes__02-dummy-message-outputs": "dummy run mode",
	"triggering__01-or-conditional":       "which branch runs depends on a job failing",
	"triggering__04-fam-fail-all":         "family members' jobs fail",
	"triggering__06-fam-succeed-any":      "family members' jobs race",
	"triggering__07-fam-fail-any":         "a family member's job fails",
	"triggering__08-fam-finish-any":       "family members' jobs race",
	"triggering__14-submit-fail":          "submission to a missing platform fails",
}

// asCylc7 lists cases whose Cylc test renames flow.cylc to suite.rc
// before running, to exercise Cylc 7 back-compatibility mode.
var asCylc7 = map[string]bool{"optional-outputs__03-c7backcompat": true}

func runCase(path string, c caseInfo) result {
	r := result{name: c.name, stage: "validate"}
	if asCylc7[c.name] {
		dir, err := copyAsSuiteRC(path)
		if err != nil {
			r.reason = err.Error()
			return r
		}
		defer os.RemoveAll(filepath.Dir(dir))
		path = dir
	}
	args := []string{"validate", path}
	args = append(args, setOptions(path, c.notes)...)
	code, out := gyre(args...)
	if code != 0 {
		r.reason = firstLine(out)
		r.output = out
		return r
	}
	r.stage = "run"
	if c.commands != "" {
		r.reason = "needs live mode: drives the scheduler with cylc " + c.commands
		return r
	}
	if why, ok := needsJobs[c.name]; ok {
		r.reason = "needs live mode: " + why
		return r
	}
	play := []string{"play", path, "--no-detach", "--mode=simulation", "--reference-test", "--quiet"}
	play = append(play, playOptions(path, c.notes)...)
	code, out = gyreTimeout(caseTimeout, play...)
	expectFail := strings.Contains(c.notes, "expected to FAIL")
	switch {
	case code == 0 && !expectFail, code != 0 && expectFail && strings.Contains(out, "stalled"):
		r.ok = true
	default:
		r.reason = lastLine(out)
		r.output = out
	}
	return r
}

// copyAsSuiteRC copies a case to a temporary directory (named like the
// case, since the name becomes the workflow's) with flow.cylc renamed
// suite.rc.
func copyAsSuiteRC(path string) (string, error) {
	tmp, err := os.MkdirTemp("", "gyre-c7-")
	if err != nil {
		return "", err
	}
	dir := filepath.Join(tmp, filepath.Base(path))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", err
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(path, e.Name()))
		if err != nil {
			return "", err
		}
		name := e.Name()
		if name == "flow.cylc" {
			name = "suite.rc"
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// setOptions are the template options a case needs just to be read.
func setOptions(path, notes string) []string {
	var opts []string
	for _, f := range strings.Fields(notes) {
		if v, ok := strings.CutPrefix(f, "--set-file="); ok {
			opts = append(opts, "--set-file="+filepath.Join(path, v))
		}
	}
	return opts
}

// playOptions are the options INDEX.tsv's driver notes give for the run.
func playOptions(path, notes string) []string {
	opts := setOptions(path, notes)
	for _, f := range strings.Fields(notes) {
		for _, p := range []string{"--fcp=", "--icp=", "--startcp=", "--mode="} {
			if strings.HasPrefix(f, p) {
				opts = append(opts, f)
			}
		}
	}
	return opts
}

// caseTimeout bounds one case's run: a simulated workflow finishes in well
// under a second, so a case still running is one that never ends by itself.
const caseTimeout = 30 * time.Second

func gyre(args ...string) (int, string) {
	return gyreTimeout(0, args...)
}

func gyreTimeout(d time.Duration, args ...string) (int, string) {
	ctx := context.Background()
	if d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	var out bytes.Buffer
	code := cli.Run(ctx, args, &out, &out)
	if ctx.Err() != nil {
		return 1, fmt.Sprintf("timed out after %s\n%s", d, out.String())
	}
	return code, out.String()
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return s
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], "gyre:") || strings.Contains(lines[i], "error") {
			return firstLine(lines[i])
		}
	}
	return firstLine(lines[len(lines)-1])
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}
