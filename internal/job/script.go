package job

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// runtime is the bash that every job script carries: Gyre's re-expression of
// Cylc's job.sh. It is written into each script rather than installed in the
// run directory, so that a job host needs nothing of Gyre's but the binary.
//
//go:embed runtime.sh
var runtime string

// Write returns the bash job script for spec. The sections come in Cylc's
// order, which users rely on (for example, the workflow bin directory is on
// PATH before the task environment is evaluated, so values may run workflow
// commands): header and directives, re-invocation as a login shell, the
// prelude, the Cylc and user environments, the scripting, the platform's
// global init-script, and the runtime that calls it all.
func Write(spec Spec) ([]byte, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	var b strings.Builder
	writeHeader(&b, &spec)
	if err := writeDirectives(&b, &spec); err != nil {
		return nil, err
	}
	b.WriteString(reinvocation)
	writePrelude(&b, &spec)
	writeCylcEnv(&b, &spec)
	writeUserEnv(&b, &spec)
	writeScripts(&b, &spec)
	if hasCode(spec.GlobalInitScript) {
		b.WriteString("\n\n# GLOBAL INIT-SCRIPT:\n")
		b.WriteString(spec.GlobalInitScript)
	}
	b.WriteString("\n\n# JOB RUNTIME:\n")
	b.WriteString(runtime)
	b.WriteString("\ncylc__job__main\n\n#EOF: " + spec.JobID() + "\n")
	return []byte(b.String()), nil
}

// WriteFile writes the job script for spec to path, executable, replacing any
// earlier script atomically so a runner never starts a half-written job.
func WriteFile(path string, spec Spec) error {
	data, err := Write(spec)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".job-*.tmp")
	if err != nil {
		return fmt.Errorf("job: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("job: writing %s: %w", path, err)
	}
	if err := tmp.Chmod(0o755); err != nil {
		tmp.Close()
		return fmt.Errorf("job: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("job: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("job: %w", err)
	}
	return nil
}

// reinvocation re-runs the script under "bash -l" so the user's login
// environment is loaded. It must follow the directives: some batch systems
// stop reading directives at the first command.
const reinvocation = `
if [[ $1 == 'noreinvoke' ]]; then
    shift
else
    exec bash -l "$0" noreinvoke "$@"
fi
`

// writeHeader writes the comment block Cylc writes; runners and "cylc
// cat-log" read some of these lines back.
func writeHeader(b *strings.Builder, s *Spec) {
	b.WriteString("#!/bin/bash -l\n#\n# ++++ THIS IS A CYLC JOB SCRIPT ++++")
	limit := ""
	if s.ExecutionTimeLimit > 0 {
		limit = pyFloat(s.ExecutionTimeLimit.Seconds())
	}
	for _, line := range [][2]string{
		{"# Workflow: ", s.WorkflowID},
		{"# Task: ", s.CyclePoint + "/" + s.TaskName},
		{"# Job log directory: ", s.JobID()},
		{"# Job runner: ", s.RunnerName},
		{"# Job runner command template: ", s.RunnerCommandTemplate},
		{"# Execution time limit: ", limit},
	} {
		if line[1] != "" {
			b.WriteString("\n" + line[0] + line[1])
		}
	}
}

// pyFloat formats seconds as Python prints a float ("60.0", "90.5").
func pyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func writeDirectives(b *strings.Builder, s *Spec) error {
	if s.Directives == nil {
		return nil
	}
	lines := s.Directives()
	if len(lines) == 0 {
		return nil
	}
	b.WriteString("\n\n# DIRECTIVES:")
	for _, line := range lines {
		if strings.ContainsAny(line, "\n\r") {
			return fmt.Errorf("job: %s: directive %q must be a single line", s.JobID(), line)
		}
		b.WriteString("\n" + line)
	}
	return nil
}

// writePrelude writes what must be set before anything else runs: the
// signals to trap, where "cylc" and "gyre" are, and the workflow ID.
func writePrelude(b *strings.Builder, s *Spec) {
	fail := s.FailSignals
	if fail == nil {
		fail = defaultFailSignals
	}
	fmt.Fprintf(b, "\nCYLC_FAIL_SIGNALS='%s'", strings.Join(fail, " "))
	if len(s.VacationSignals) > 0 {
		fmt.Fprintf(b, "\nCYLC_VACATION_SIGNALS='%s'", strings.Join(s.VacationSignals, " "))
	}
	if s.ShimDir != "" {
		b.WriteString("\nexport PATH=" + homePath(s.ShimDir) + ":$PATH")
	}
	fmt.Fprintf(b, "\nexport CYLC_VERBOSE=%t\nexport CYLC_DEBUG=%t", s.Verbose || s.Debug, s.Debug)
	version := s.CylcVersion
	if version == "" {
		version = cylcVersion
	}
	b.WriteString("\nexport CYLC_VERSION=" + singleQuote(version))
	b.WriteString("\nexport CYLC_WORKFLOW_ID=" + doubleQuote(s.WorkflowID))
	if s.GyreBin != "" {
		b.WriteString("\nexport GYRE_BIN=" + homePath(s.GyreBin))
	}
	for _, v := range s.CopyableEnv {
		b.WriteString("\nexport " + v.Name + "=" + singleQuote(v.Value))
	}
}

// writeCylcEnv writes the function that exports the Cylc-defined workflow
// and task environment; the runtime derives the rest (paths, point, name).
func writeCylcEnv(b *strings.Builder, s *Spec) {
	b.WriteString("\n\ncylc__job__inst__cylc_env() {\n    # CYLC WORKFLOW ENVIRONMENT:")
	mode := s.CyclingMode
	if mode == "" {
		mode = "gregorian"
	}
	final := s.FinalCyclePoint
	if final == "" {
		final = "None" // what Cylc writes for "no final point"
	}
	name := s.WorkflowName
	if name == "" {
		name = s.WorkflowID
	}
	// Sorted by name, as Cylc writes them.
	for _, v := range []EnvVar{
		{"CYLC_CYCLING_MODE", mode},
		{"CYLC_UTC", pyBool(s.UTC)},
		{"CYLC_WORKFLOW_FINAL_CYCLE_POINT", final},
		{"CYLC_WORKFLOW_INITIAL_CYCLE_POINT", s.InitialCyclePoint},
		{"CYLC_WORKFLOW_NAME", name},
		{"CYLC_WORKFLOW_NAME_BASE", filepath.Base(name)},
	} {
		b.WriteString("\n    export " + v.Name + "=" + doubleQuote(v.Value))
	}
	if s.UTC {
		b.WriteString("\n    export TZ=\"UTC\"")
	}
	b.WriteString("\n    export CYLC_WORKFLOW_UUID=" + doubleQuote(s.WorkflowUUID))

	comms := s.CommsMethod
	if comms == "" {
		comms = CommsZMQ
	}
	try := max(s.TryNum, 1)
	flows := slices.Clone(s.FlowNums)
	slices.Sort(flows)
	flowStrs := make([]string, len(flows))
	for i, f := range flows {
		flowStrs[i] = strconv.Itoa(f)
	}
	b.WriteString("\n\n    # CYLC TASK ENVIRONMENT:")
	b.WriteString("\n    export CYLC_TASK_COMMS_METHOD=" + comms)
	b.WriteString("\n    export CYLC_TASK_JOB=" + doubleQuote(s.JobID()))
	b.WriteString("\n    export CYLC_TASK_NAMESPACE_HIERARCHY=" + doubleQuote(strings.Join(s.NamespaceHierarchy, " ")))
	fmt.Fprintf(b, "\n    export CYLC_TASK_TRY_NUMBER=%d", try)
	b.WriteString("\n    export CYLC_TASK_FLOW_NUMBERS=" + strings.Join(flowStrs, ","))
	b.WriteString("\n    export CYLC_PROFILER=False")
	for _, p := range s.Params {
		b.WriteString("\n    export CYLC_TASK_PARAM_" + p.Name + "=" + doubleQuote(p.Value))
	}
	if s.WorkSubDir != "" {
		// Not exported: the runtime expands it once the variables it may
		// refer to exist.
		b.WriteString("\n    CYLC_TASK_WORK_DIR_BASE=" + singleQuote(s.WorkSubDir))
	}

	b.WriteString("\n\n    # GYRE ENVIRONMENT:")
	runDir := s.RunDir
	if runDir == "" {
		runDir = "$HOME/cylc-run/" + s.WorkflowID
	}
	b.WriteString("\n    export CYLC_WORKFLOW_RUN_DIR=" + homePath(runDir))
	for _, v := range []EnvVar{
		{"GYRE_SCHEDULER_URL", singleQuote(s.Contact.URL)},
		{"GYRE_SCHEDULER_FINGERPRINT", singleQuote(s.Contact.Fingerprint)},
		{"GYRE_TOKEN_FILE", homePath(s.Contact.TokenFile)},
	} {
		if v.Value != "''" {
			b.WriteString("\n    export " + v.Name + "=" + v.Value)
		}
	}
	b.WriteString("\n}")
}

func pyBool(v bool) string {
	if v {
		return "True"
	}
	return "False"
}

// writeUserEnv writes the task's [environment]. All names are exported first
// and assigned after, one per line: a bare assignment lets the error trap see
// a failing $(command), which "export X=$(command)" would hide, and early
// export lets a later value's command use an earlier variable.
func writeUserEnv(b *strings.Builder, s *Spec) {
	if len(s.Environment) == 0 {
		return
	}
	b.WriteString("\n\ncylc__job__inst__user_env() {\n    # TASK RUNTIME ENVIRONMENT:\n    export")
	for _, v := range s.Environment {
		b.WriteString(" " + v.Name)
	}
	for _, v := range s.Environment {
		b.WriteString("\n    " + v.Name + "=" + envValue(v.Value, s.Params))
	}
	b.WriteString("\n}")
}

// writeScripts writes each non-empty script item as a function the runtime
// calls at its moment. An item of only comments gets no function, because a
// bash function needs at least one command.
func writeScripts(b *strings.Builder, s *Spec) {
	for _, item := range []struct{ prefix, value string }{
		{"init-", s.InitScript}, {"env-", s.EnvScript}, {"err-", s.ErrScript},
		{"pre-", s.PreScript}, {"", s.Script}, {"post-", s.PostScript},
		{"exit-", s.ExitScript},
	} {
		if !hasCode(item.value) {
			continue
		}
		fmt.Fprintf(b, "\n\ncylc__job__inst__%sscript() {\n# %sSCRIPT:\n%s\n}",
			strings.ReplaceAll(item.prefix, "-", "_"), strings.ToUpper(item.prefix), item.value)
	}
}

// hasCode reports whether a script item has a line that is not blank or a
// comment.
func hasCode(script string) bool {
	for line := range strings.Lines(script) {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			return true
		}
	}
	return false
}
