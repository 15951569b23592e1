package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"gyre/internal/api"
	"gyre/internal/rundir"
)

func init() { register(newClean) }

type cleanFlags struct {
	rm                    []string
	yes                   bool
	localOnly, remoteOnly bool
}

func newClean() *cobra.Command {
	var cf cleanFlags
	cmd := &cobra.Command{
		Use:   "clean WORKFLOW...",
		Short: "Delete a stopped workflow's run directory",
		Long: `Delete stopped workflows from the run root, as "cylc clean" does: the run
directory, the targets of its symlinked directories (log, share,
share/cycle, work, or the run directory itself), the runN link if it
pointed at the run, and the workflow's directories if they are left empty.
The run is first removed from the remote install targets its jobs used
(--local-only: not; --remote-only: only there).

Given a workflow name rather than a run (demo rather than demo/run1), all
its runs are cleaned; as with several workflows or a glob, that needs
--yes. A workflow whose scheduler is running (its contact file is there
and its process alive, or it answers) is refused; a contact file left by a
scheduler that died is removed first.

--rm cleans only the given files or directories of the run (globs, with
** for any depth, relative to the run directory; DIR[:DIR...] or repeated).`,
		Example: `  gyre clean demo/run1                 # one run
  gyre clean --yes demo                # all runs of demo
  gyre clean demo/run1 --rm log:work   # only the log and work directories
  gyre clean demo/run1 --rm 'log/job/2020*' --rm '**/*.csv'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClean(cmd.Context(), cf, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&cf.rm, "rm", nil, "only clean these files or directories of the run (DIR[:DIR...], globs allowed)")
	f.BoolVarP(&cf.yes, "yes", "y", false, "clean several workflows at once without asking")
	f.BoolVar(&cf.localOnly, "local-only", false, "only clean the local file system, not remote install targets")
	f.BoolVar(&cf.localOnly, "local", false, "alias of --local-only")
	f.BoolVar(&cf.remoteOnly, "remote-only", false, "only clean the run's remote install targets")
	f.BoolVar(&cf.remoteOnly, "remote", false, "alias of --remote-only")
	return cmd
}

func runClean(ctx context.Context, cf cleanFlags, args []string, stdout, stderr io.Writer) error {
	switch {
	case cf.localOnly && cf.remoteOnly:
		return errors.New("--local and --remote options are mutually exclusive")
	case cf.remoteOnly && cf.rm != nil:
		return errors.New("--rm cleans the local run only: it cannot be used with --remote-only")
	}
	rm, err := parseRmDirs(cf.rm)
	if err != nil {
		return err
	}
	root, err := rundir.Root(os.Getenv)
	if err != nil {
		return err
	}
	ids, multi, err := cleanTargets(root, args, stderr)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		if multi {
			fmt.Fprintf(stderr, "WARNING - No stopped workflows matching %s\n", strings.Join(args, ", "))
		}
		return nil
	}
	if multi && !cf.yes {
		fmt.Fprintln(stdout, "Would clean the following workflows:")
		for _, id := range ids {
			fmt.Fprintf(stdout, "  %s\n", id)
		}
		fmt.Fprintln(stderr, "Use --yes to remove multiple workflows in non-interactive mode.")
		return &exitError{code: 1, err: errReported}
	}
	var failed []string
	for _, id := range ids {
		if err := cleanWorkflow(ctx, root, id, rm, cf, stderr); err != nil {
			failed = append(failed, fmt.Sprintf("%s: clean incomplete\n%s", id, indentLines(err.Error(), "    ")))
		}
	}
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "\n"))
	}
	return nil
}

// indentLines indents the non-blank lines of text.
func indentLines(text, indent string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = indent + l
		}
	}
	return strings.Join(lines, "\n")
}

// cleanTargets expands the IDs given to the run directories to clean, as
// Cylc does: a glob matches stopped workflows; a directory that is not a
// workflow stands for the workflows in it (all runs of a name). multi
// reports whether that expansion happened, or several were given.
func cleanTargets(root string, args []string, stderr io.Writer) (ids []string, multi bool, err error) {
	multi = len(args) > 1
	for _, arg := range args {
		id := strings.Trim(filepath.ToSlash(arg), "/")
		if id == "" || filepath.IsAbs(arg) || slices.Contains(strings.Split(id, "/"), "..") || slices.Contains(strings.Split(id, "/"), ".") {
			return nil, false, fmt.Errorf("%s: invalid workflow ID: want NAME or NAME/runN under the run root", arg)
		}
		if strings.ContainsAny(id, "*?[") {
			re, err := fnmatchRegexp(id)
			if err != nil {
				return nil, false, fmt.Errorf("%s: bad glob: %v", arg, err)
			}
			multi = true
			all, err := findWorkflows(root, root, scanMaxDepth)
			if err != nil {
				return nil, false, err
			}
			for _, w := range all {
				if re.MatchString(w) && !fileExists(filepath.Join(root, w, ".service", api.ContactFileName)) {
					ids = append(ids, w)
				}
			}
			continue
		}
		if base := path.Base(id); base == rundir.LatestLink {
			target, err := os.Readlink(filepath.Join(root, filepath.FromSlash(id)))
			if err != nil {
				return nil, false, fmt.Errorf("%s: no %s link to follow: %v", arg, rundir.LatestLink, err)
			}
			id = path.Join(path.Dir(id), target)
		}
		dir := filepath.Join(root, filepath.FromSlash(id))
		if _, err := os.Lstat(dir); err != nil {
			fmt.Fprintf(stderr, "INFO - No directory to clean at %s%s\n", dir, installedHint(root, id))
			continue
		}
		if isWorkflowDir(dir) {
			ids = append(ids, id)
			continue
		}
		inside, err := findWorkflows(root, dir, scanMaxDepth+1)
		if err != nil {
			return nil, false, err
		}
		if len(inside) == 0 {
			ids = append(ids, id)
			continue
		}
		multi = true
		ids = append(ids, inside...)
	}
	slices.SortFunc(ids, naturalCompare)
	return slices.Compact(ids), multi, nil
}

// installedHint suggests the workflows installed, for a name that is not.
func installedHint(root, id string) string {
	names, _ := findWorkflows(root, root, scanMaxDepth)
	if len(names) == 0 {
		return ""
	}
	slices.SortFunc(names, naturalCompare)
	if len(names) > 8 {
		names = names[:8]
	}
	return fmt.Sprintf(" (%s is not installed)\n  hint: installed workflows: %s", id, strings.Join(names, ", "))
}

// symlinkDirs are the run directory's entries that Cylc's "[install]
// symlink dirs" may make links to elsewhere, deepest first; "" is the run
// directory itself.
var symlinkDirs = []string{"work", "share/cycle", "share", "log", ""}

// cleanWorkflow removes one stopped workflow run (or, with rm, parts of
// it) and tidies up after it.
func cleanWorkflow(ctx context.Context, root, id string, rm []string, cf cleanFlags, stderr io.Writer) error {
	runDir := filepath.Join(root, filepath.FromSlash(id))
	if err := checkStopped(ctx, runDir, id, stderr); err != nil {
		return err
	}
	if !cf.localOnly && rm == nil {
		// Remote first: the local run database says where to go, and is
		// kept for another try if a host cannot be reached.
		if err := cleanRemote(ctx, runDir, id, stderr); err != nil {
			return fmt.Errorf("%w\n  hint: the local run is kept; try again, or clean it with --local-only", err)
		}
	}
	if cf.remoteOnly {
		return nil
	}
	links, err := runSymlinks(runDir, id)
	if err != nil {
		return err
	}
	if rm != nil {
		for _, pattern := range rm {
			if err := cleanGlob(runDir, pattern, links, stderr); err != nil {
				return err
			}
		}
	} else {
		for _, d := range symlinkDirs {
			if target, ok := links[d]; ok {
				if err := removeLinkAndTarget(filepath.Join(runDir, d), target, stderr); err != nil {
					return err
				}
			}
		}
		if _, isLink := links[""]; !isLink {
			fmt.Fprintf(stderr, "INFO - Removing directory: %s\n", runDir)
			if err := os.RemoveAll(runDir); err != nil {
				return err
			}
		}
	}
	tidyAfterClean(root, runDir, id, links, stderr)
	return nil
}

// checkStopped refuses a workflow whose scheduler runs: its contact file
// is there and its process is alive, or (on another host) it answers. A
// contact file left by a scheduler that died is removed.
func checkStopped(ctx context.Context, runDir, id string, stderr io.Writer) error {
	service := filepath.Join(runDir, ".service")
	contactPath := filepath.Join(service, api.ContactFileName)
	c, err := api.ReadContact(service)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil {
		alive, aerr := c.Alive()
		if aerr != nil {
			// Cannot see its process from here: ask it.
			if _, _, serr := schedulerStatus(ctx, c); serr == nil {
				alive = true
			} else {
				return fmt.Errorf("cannot tell whether %s is running: %v; its scheduler does not answer (%v)\n  hint: if it has stopped, remove %s", id, aerr, serr, contactPath)
			}
		}
		if alive {
			return fmt.Errorf("cannot clean running workflow %s.\n\nworkflow contact file exists: %s\n\n"+
				"Workflow %q is already running, listening at \"%s:%d\" (PID %d).\n\n"+
				"If you like, you can stop it with one of the following commands:\n"+
				"* gyre stop %s              # wait for active tasks/event handlers\n"+
				"* gyre stop --kill %s       # kill active tasks and wait\n"+
				"* gyre stop --now %s        # don't wait for active tasks",
				id, contactPath, id, c.Host, c.Port, c.PID, id, id, id)
		}
	}
	// Gone, or a contact file too damaged to name a scheduler.
	if err := api.RemoveContact(service); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "INFO - Removed contact file for %s (workflow no longer running).\n", id)
	return nil
}

// runSymlinks finds the run's symlinked directories and their targets.
// A target must end with the workflow ID and the directory, as "symlink
// dirs" lay them out: anything else is not removed.
func runSymlinks(runDir, id string) (map[string]string, error) {
	links := map[string]string{}
	for _, d := range symlinkDirs {
		p := filepath.Join(runDir, d)
		if st, err := os.Lstat(p); err != nil || st.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		target, err := filepath.EvalSymlinks(p)
		if err != nil {
			links[d] = "" // broken: only the link goes
			continue
		}
		if st, err := os.Stat(target); err == nil && !st.IsDir() {
			return nil, fmt.Errorf("invalid symlink at %s: link target is not a directory: %s", p, target)
		}
		want := filepath.Join(filepath.FromSlash(id), d)
		if !strings.HasSuffix(target, string(filepath.Separator)+want) {
			return nil, fmt.Errorf("invalid symlink at %s -> %s: the target should end with %q", p, target, want)
		}
		links[d] = target
	}
	return links, nil
}

// removeLinkAndTarget removes a symlinked directory's target and the link.
func removeLinkAndTarget(link, target string, stderr io.Writer) error {
	if target == "" {
		fmt.Fprintf(stderr, "INFO - Removing broken symlink: %s\n", link)
	} else {
		fmt.Fprintf(stderr, "INFO - Removing symlink and its target directory: %s -> %s\n", link, target)
		if err := os.RemoveAll(target); err != nil {
			return err
		}
	}
	if err := os.Remove(link); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// tidyAfterClean removes what a clean leaves pointless: the runN link to
// the removed run, a _cylc-install directory left alone, and empty
// directories up to the run root (and up to the symlink targets' roots).
func tidyAfterClean(root, runDir, id string, links map[string]string, stderr io.Writer) {
	parent := filepath.Dir(runDir)
	if _, err := os.Lstat(runDir); errors.Is(err, fs.ErrNotExist) {
		latest := filepath.Join(parent, rundir.LatestLink)
		if target, err := os.Readlink(latest); err == nil && target == filepath.Base(runDir) {
			_ = os.Remove(latest)
		}
	}
	if entries, err := os.ReadDir(parent); err == nil && len(entries) == 1 && entries[0].Name() == "_cylc-install" && parent != root {
		fmt.Fprintf(stderr, "INFO - Removing directory: %s\n", filepath.Join(parent, "_cylc-install"))
		_ = os.RemoveAll(filepath.Join(parent, "_cylc-install"))
	}
	removeEmptyParents(runDir, strings.Count(id, "/"), stderr)
	for d, target := range links {
		if target != "" {
			removeEmptyParents(target, strings.Count(path.Join(id, d), "/"), stderr)
		}
	}
}

// removeEmptyParents removes up to n empty parent directories of p.
func removeEmptyParents(p string, n int, stderr io.Writer) {
	for range n {
		p = filepath.Dir(p)
		if os.Remove(p) != nil { // not empty, or not there
			if _, err := os.Stat(p); err == nil {
				return
			}
			continue
		}
		fmt.Fprintf(stderr, "INFO - Removing directory: %s\n", p)
	}
}
