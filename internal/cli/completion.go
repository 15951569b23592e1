package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"gyre/internal/api"
	"gyre/internal/live"
	"gyre/internal/rundir"
)

// Dynamic shell completion. Cobra's "gyre completion SHELL" scripts call
// back into gyre ("gyre __complete ARGS...") for candidates; the functions
// here answer with installed workflow IDs from the run root, task IDs from
// a running scheduler's pool, and directories for commands that read a
// workflow source. They are installed by walking the commands, from what
// each command's usage line says its first argument is, so no command's
// own file has to know about completion.

// completionTimeout bounds the question to a scheduler: a shell waiting
// on a tab press must not hang on a scheduler that does not answer.
const completionTimeout = 2 * time.Second

// maxWorkflowDepth is how deep under the run root run directories are
// looked for: a name of up to four parts and its runN.
const maxWorkflowDepth = 5

// argKind is what a command's first argument is.
type argKind int

const (
	argOther    argKind = iota
	argWorkflow         // WORKFLOW, maybe followed by //POINT/TASK
	argPath             // a workflow source: a directory or its flow.cylc
	argPathOrWorkflow
)

// usageKind reads a command's usage line ("hold WORKFLOW//POINT/TASK...",
// "play PATH|WORKFLOW", "list PATH", "install [PATH]") for the kind of its
// first argument, and whether later arguments are relative task IDs.
func usageKind(use string) (kind argKind, tasks bool) {
	fields := strings.Fields(use)
	if len(fields) < 2 {
		return argOther, false
	}
	first := strings.Trim(fields[1], "[]")
	tasks = strings.Contains(use, "//POINT/TASK")
	switch {
	case strings.HasPrefix(first, "PATH|WORKFLOW"), strings.HasPrefix(first, "WORKFLOW|PATH"):
		return argPathOrWorkflow, tasks
	case strings.HasPrefix(first, "WORKFLOW"):
		return argWorkflow, tasks
	case first == "PATH":
		return argPath, false
	}
	return argOther, false
}

// installCompletion sets the argument completion of every subcommand of
// root that has none, from its usage line, and completes the values of a
// few enumerated options.
func installCompletion(root *cobra.Command) {
	for _, c := range root.Commands() {
		if c.ValidArgsFunction == nil {
			kind, tasks := usageKind(c.Use)
			switch kind {
			case argWorkflow, argPathOrWorkflow, argPath:
				c.ValidArgsFunction = completeArgs(kind, tasks)
			}
		}
		if f := c.Flags().Lookup("format"); f != nil {
			if _, ok := c.GetFlagCompletionFunc("format"); !ok {
				_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"plain", "json"}, cobra.ShellCompDirectiveNoFileComp))
			}
		}
		if f := c.Flags().Lookup("mode"); f != nil && strings.Contains(f.Usage, "simulation") {
			if _, ok := c.GetFlagCompletionFunc("mode"); !ok {
				_ = c.RegisterFlagCompletionFunc("mode", cobra.FixedCompletions([]string{"live", "dummy", "simulation"}, cobra.ShellCompDirectiveNoFileComp))
			}
		}
	}
}

// completeArgs is the completion function for a command whose first
// argument is of kind; with tasks, later arguments are task IDs relative
// to the workflow ("//POINT/TASK").
func completeArgs(kind argKind, tasks bool) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		ctx := cmd.Context()
		if ctx == nil {
			ctx = context.Background()
		}
		if len(args) > 0 {
			if tasks && strings.HasPrefix(toComplete, "//") {
				wf, _, _ := strings.Cut(args[0], "//")
				return taskCandidates(ctx, wf, "//", toComplete)
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		if kind == argPath {
			return []string{"cylc", "rc"}, cobra.ShellCompDirectiveFilterFileExt
		}
		if wf, _, ok := strings.Cut(toComplete, "//"); ok {
			return taskCandidates(ctx, wf, wf+"//", toComplete)
		}
		ids := workflowCandidates(toComplete)
		if kind == argWorkflow {
			return ids, cobra.ShellCompDirectiveNoFileComp
		}
		// PATH|WORKFLOW: both, the directories listed here because a
		// shell's own directory completion cannot be mixed with
		// candidates. Directories end in "/" and take no space after
		// them, so the user can carry on into them.
		dirs := dirCandidates(toComplete)
		if len(dirs) == 0 {
			return ids, cobra.ShellCompDirectiveNoFileComp
		}
		return append(ids, dirs...), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

// workflowCandidates lists the installed workflow IDs starting with
// prefix; nothing if the run root cannot be read.
func workflowCandidates(prefix string) []string {
	root, err := rundir.Root(os.Getenv)
	if err != nil {
		return nil
	}
	var out []string
	for _, id := range installedWorkflows(root) {
		if strings.HasPrefix(id, prefix) {
			out = append(out, id)
		}
	}
	return out
}

var runDirRe = regexp.MustCompile(`^run[0-9]+$`)

// installedWorkflows lists the workflows under the run root, sorted: each
// run directory (one holding flow.cylc or suite.rc) by its ID, NAME/runN
// or a plain NAME for a run without numbered runs, and NAME alone too
// when it has a runN link to its latest run (as rundir.Resolve reads it).
// Run directories are not searched further, so their logs and work
// directories cost nothing however large.
func installedWorkflows(root string) []string {
	seen := map[string]bool{}
	var walk func(dir, id string, depth int)
	walk = func(dir, id string, depth int) {
		if id != "" && isRunDir(dir) {
			seen[id] = true
			if parent, base := filepath.Dir(id), filepath.Base(id); parent != "." && runDirRe.MatchString(base) {
				if _, err := os.Readlink(filepath.Join(root, parent, rundir.LatestLink)); err == nil {
					seen[filepath.ToSlash(parent)] = true
				}
			}
			return
		}
		if depth >= maxWorkflowDepth {
			return
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			name := e.Name()
			if !e.IsDir() || strings.HasPrefix(name, ".") {
				continue // runN is a link, so the latest run is not listed twice
			}
			walk(filepath.Join(dir, name), pathJoin(id, name), depth+1)
		}
	}
	walk(root, "", 0)
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func pathJoin(a, b string) string {
	if a == "" {
		return b
	}
	return a + "/" + b
}

func isRunDir(dir string) bool {
	for _, f := range []string{"flow.cylc", "suite.rc"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err == nil && !st.IsDir() {
			return true
		}
	}
	return false
}

// dirCandidates lists the directories matching a partly typed path, each
// ending in "/"; hidden ones only when the prefix asks for them.
func dirCandidates(toComplete string) []string {
	dir, base := filepath.Split(toComplete)
	readDir := dir
	if readDir == "" {
		readDir = "."
	}
	entries, err := os.ReadDir(readDir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		isDir := e.IsDir()
		if !isDir && e.Type()&os.ModeSymlink != 0 {
			st, err := os.Stat(filepath.Join(readDir, name))
			isDir = err == nil && st.IsDir()
		}
		if isDir {
			out = append(out, dir+name+"/")
		}
	}
	return out
}

// taskCandidates asks the scheduler of a running workflow for its pool
// and offers each task's and each cycle point's ID, written after lead
// (the workflow's "WF//", or "//" for an ID relative to it), that starts
// with toComplete. A task's state is its description. A workflow that is
// not running, or a scheduler that does not answer in time, gives nothing.
// When a cycle point is offered no space follows the completion, so that
// "/TASK" can be typed after it.
func taskCandidates(ctx context.Context, workflow, lead, toComplete string) ([]string, cobra.ShellCompDirective) {
	directive := cobra.ShellCompDirectiveNoFileComp
	pool, err := dumpPool(ctx, workflow)
	if err != nil {
		return nil, directive
	}
	var out []string
	var points []string
	for _, t := range pool {
		if id := lead + t.ID; strings.HasPrefix(id, toComplete) {
			out = append(out, cobra.CompletionWithDesc(id, t.State))
		}
		if point, _, ok := strings.Cut(t.ID, "/"); ok && !slices.Contains(points, point) {
			points = append(points, point)
		}
	}
	for _, p := range points {
		if id := lead + p; strings.HasPrefix(id, toComplete) {
			out = append(out, cobra.CompletionWithDesc(id, "every task at "+p))
			directive |= cobra.ShellCompDirectiveNoSpace
		}
	}
	return out, directive
}

// dumpPool dials the workflow's scheduler, as dialWorkflow does for the
// control commands, and returns its task pool.
func dumpPool(ctx context.Context, workflow string) ([]live.TaskSummary, error) {
	root, err := rundir.Root(os.Getenv)
	if err != nil {
		return nil, err
	}
	_, dir, err := rundir.Resolve(root, workflow)
	if err != nil {
		return nil, err
	}
	contact, err := api.ReadContact(filepath.Join(dir, ".service"))
	if err != nil {
		return nil, err
	}
	if alive, err := contact.Alive(); err == nil && !alive {
		return nil, os.ErrNotExist // a contact file left by a dead scheduler
	}
	client, err := api.Dial(contact)
	if err != nil {
		return nil, err
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(ctx, completionTimeout)
	defer cancel()
	var res live.CommandResult
	if err := client.Command(ctx, "dump", live.CommandArgs{}, &res); err != nil {
		return nil, err
	}
	return res.Pool, nil
}
