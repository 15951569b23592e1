// Command conformance runs the reference tests from Cylc's functional test
// suite (../shared/conformance/cylc) against Gyre and prints one line per
// case and a closing "conformance: N passed, M failed" line.
//
// Each case must first validate; it passes when a run of it reproduces the
// case's reference.log (the sorted "-triggered off" lines). Most cases run in
// simulation mode; those whose outcome depends on what their jobs do (they
// fail, abort, send messages, race) run in live mode with real jobs, as
// Cylc's own tests do, and are marked "live" in the report (-live=false
// leaves them out, as before live mode existed). Cases whose run needs
// features Gyre does not have yet fail with the reason, so the report
// measures progress without failing CI; the runner itself exits non-zero only
// when it cannot do its job (no cases found, a bad index).
//
// Live cases run in-process like the others, so their jobs' "cylc" shim runs
// this program: given "cylc VERB ..." as arguments it behaves as gyre does.
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
	if len(os.Args) > 1 && (os.Args[1] == "cylc" || os.Args[1] == "isodatetime") {
		// A live case's job calling its "cylc" (or "isodatetime") command
		// (see the package doc).
		os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	dir := flag.String("cases", "../shared/conformance/cylc", "directory of conformance cases")
	only := flag.String("run", "", "run only cases whose name contains this")
	verbose := flag.Bool("v", false, "print each failing case's output")
	flag.BoolVar(&runLive, "live", true, "run the cases that need real jobs in live mode")
	flag.BoolVar(&keepRuns, "keep", false, "keep the run directories (their path is printed) to read the logs")
	flag.Parse()
	os.Exit(run(*dir, *only, *verbose))
}

// runLive enables the live-mode cases.
var runLive = true

// keepRuns keeps the run root, for reading a failing case's logs.
var keepRuns bool

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
	if keepRuns {
		fmt.Println("run directories kept in", runRoot)
	} else {
		defer os.RemoveAll(runRoot)
	}
	os.Setenv("GYRE_RUN_ROOT", runRoot)
	if err := cylcOnPath(runRoot); err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		return 2
	}
	// A live case that aborts leaves its running jobs behind, as Cylc does;
	// they give up messaging the stopped scheduler after this, not after
	// the usual five minutes.
	if os.Getenv("GYRE_MESSAGE_RETRY_BUDGET") == "" {
		os.Setenv("GYRE_MESSAGE_RETRY_BUDGET", "20s")
	}

	passed, failed, validated, live, liveRun, livePassed := 0, 0, 0, 0, 0, 0
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
		if r.stage == "live" {
			liveRun++
			if r.ok {
				livePassed++
			}
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
	fmt.Printf("live mode: %d passed of %d run\n", livePassed, liveRun)
	fmt.Printf("conformance: %d passed, %d failed\n", passed, failed)
	return 0
}

// cylcOnPath puts a "cylc" command that runs this program first on PATH,
// as Cylc's own tests have the Cylc under test there: event handlers
// such as "stall handlers = cylc stop %(workflow)s" then reach Gyre (jobs
// have their run's own shim already).
func cylcOnPath(runRoot string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	bin := filepath.Join(runRoot, ".bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return err
	}
	script := "#!/bin/sh\nexec '" + strings.ReplaceAll(self, "'", `'\''`) + "' cylc \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "cylc"), []byte(script), 0o755); err != nil {
		return err
	}
	return os.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
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
	why, jobs := needsJobs[c.name]
	switch {
	case c.commands != "" && !(runLive && jobCommandsOnly(c.commands)):
		r.reason = "needs live mode: drives the scheduler with cylc " + c.commands
		return r
	case jobs && !runLive:
		r.reason = "needs live mode: " + why
		return r
	}
	isLive := jobs || c.commands != ""
	mode, timeout := "--mode=simulation", caseTimeout
	if isLive {
		r.stage = "live"
		mode, timeout = "--mode=live", liveCaseTimeout
	}
	// As Cylc's reference tests run: with --debug, whose log lines some
	// jobs wait for.
	play := []string{"play", path, "--no-detach", mode, "--reference-test", "--quiet", "--debug"}
	play = append(play, playOptions(path, c.notes)...) // a later --mode wins
	code, out = gyreTimeout(timeout, play...)
	expectFail := strings.Contains(c.notes, "expected to FAIL") || liveExpectFail[c.name]
	switch {
	case code == 0 && !expectFail, code != 0 && expectFail && strings.Contains(out, "stalled"):
		r.ok = true
	default:
		r.reason = lastLine(out)
		r.output = out
	}
	if check := liveChecks[c.name]; r.ok && check != nil {
		if err := check(filepath.Join(os.Getenv("GYRE_RUN_ROOT"), filepath.Base(path), "run1")); err != nil {
			r.ok = false
			r.reason = err.Error()
		}
	}
	return r
}

// jobCommands are the cylc commands Gyre's jobs can use (through the cylc
// shim): a case that uses no others can run in live mode.
var jobCommands = map[string]bool{
	"message": true, "cycle-point": true, "cyclepoint": true, "cycletime": true,
	"hold": true, "release": true, "trigger": true, "kill": true, "poll": true, "remove": true,
	"set": true, "pause": true, "play": true, "stop": true, "ping": true, "dump": true, "show": true,
	"reload": true, "shutdown": true, "ext-trigger": true, "broadcast": true, "cat-log": true, "scan": true,
}

func jobCommandsOnly(commands string) bool {
	for _, c := range strings.Split(commands, ",") {
		if !jobCommands[strings.TrimSpace(c)] {
			return false
		}
	}
	return true
}

// liveExpectFail lists live cases whose Cylc test expects the run to fail
// (workflow_run_fail) though INDEX.tsv's notes do not say so.
var liveExpectFail = map[string]bool{"job-file-trap__02-pipefail": true}

// liveChecks are the checks a live case's Cylc test makes beyond the
// reference log, on the run directory.
var liveChecks = map[string]func(runDir string) error{
	"job-file-trap__02-pipefail": func(runDir string) error {
		for task, exit := range map[string]string{"t1": "ERR", "t2": "EXIT"} {
			path := filepath.Join(runDir, "log", "job", "1", task, "01", "job.status")
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if !strings.Contains(string(data), "\nCYLC_JOB_EXIT="+exit+"\n") || !strings.Contains(string(data), "CYLC_JOB_EXIT_TIME=") {
				return fmt.Errorf("%s: want CYLC_JOB_EXIT=%s and CYLC_JOB_EXIT_TIME, got:\n%s", path, exit, data)
			}
		}
		return nil
	},
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

// liveCaseTimeout bounds a live case: its jobs are real processes (the
// slowest cases sleep a few seconds), and Cylc's reference tests allow a
// few minutes of inactivity, more than a report should wait for.
const liveCaseTimeout = 90 * time.Second

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
