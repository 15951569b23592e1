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
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"gyre/internal/api"
	"gyre/internal/live"
	"gyre/internal/rundir"
)

func init() { register(newScan) }

type scanFlags struct {
	format, states string
	names          []string
	ping, sort     bool
}

// workflowStates are the states scan can select; Cylc's.
var workflowStates = []string{"running", "paused", "stopping", "stopped"}

// scanMaxDepth is how deep workflow IDs go under the run root: Cylc's
// default "[install]max depth".
const scanMaxDepth = 4

// statusTimeout bounds each scheduler's answer to scan and clean: one
// that does not answer in that time is reported, not waited for.
const statusTimeout = 10 * time.Second

func newScan() *cobra.Command {
	var sf scanFlags
	cmd := &cobra.Command{
		Use:   "scan [NAME-GLOB...]",
		Short: "List running (or stopped) workflows",
		Long: `List the workflows in the run root that are running — they have a
contact file, .service/contact — with the scheduler's host, port and PID,
as "cylc scan" does. Each scheduler is asked for its status (running,
paused or stopping) and task counts; one that does not answer is listed as
stale. --states=stopped (or all) lists installed workflows that are not
running too.

Arguments are globs matched against workflow IDs and their leading parts
("demo" matches demo/run1); --name takes Cylc's regular expressions.

Formats: plain (ID HOST:PORT PID STATUS), name (IDs only), rich (also the
version, socket and task counts) and json (the contact file's fields, the
status and task counts).`,
		Example: `  gyre scan                     # running, paused and stopping workflows
  gyre scan --states=all        # every installed workflow
  gyre scan --format=rich 'demo*'
  gyre scan --format=json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd.Context(), sf, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&sf.format, "format", "t", "plain", "output format: plain, name, rich or json")
	f.StringVar(&sf.states, "states", "running,paused,stopping", "workflow states to list, comma-separated ("+strings.Join(workflowStates, ", ")+"), or all")
	f.StringArrayVarP(&sf.names, "name", "n", nil, "list workflows whose ID matches this regular expression (repeatable: any may match)")
	f.BoolVar(&sf.ping, "ping", false, "remove contact files whose scheduler process has gone")
	f.BoolVar(&sf.sort, "sort", false, "sort by ID (always done; accepted for Cylc's sake)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"plain", "name", "rich", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("states", cobra.FixedCompletions(slices.Concat(workflowStates, []string{"all"}), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// scanned is one workflow as scan reports it.
type scanned struct {
	name, path string
	contact    *api.Contact
	raw        map[string]string // the contact file's lines
	// status is running, paused, stopping (from the scheduler), stopped
	// (no contact file) or stale (a contact file, but no answer).
	status  string
	states  map[string]int
	problem string // why it is stale
}

func runScan(ctx context.Context, sf scanFlags, globs []string, stdout, stderr io.Writer) error {
	want := map[string]bool{}
	for s := range strings.SplitSeq(sf.states, ",") {
		s = strings.TrimSpace(s)
		switch {
		case s == "all":
			for _, st := range workflowStates {
				want[st] = true
			}
		case slices.Contains(workflowStates, s):
			want[s] = true
		default:
			return fmt.Errorf("--states=%s: %q is not a workflow state\n  hint: use a comma-separated list of %s, or all", sf.states, s, strings.Join(workflowStates, ", "))
		}
	}
	if !slices.Contains([]string{"plain", "name", "rich", "json"}, sf.format) {
		return fmt.Errorf("--format=%s: want plain, name, rich or json", sf.format)
	}
	match, err := nameMatcher(globs, sf.names)
	if err != nil {
		return err
	}
	root, err := rundir.Root(os.Getenv)
	if err != nil {
		return err
	}
	names, err := findWorkflows(root, root, scanMaxDepth)
	if err != nil {
		return err
	}
	active := want["running"] || want["paused"] || want["stopping"]
	var found []*scanned
	var wg sync.WaitGroup
	for _, name := range names {
		if !match(name) {
			continue
		}
		w := &scanned{name: name, path: filepath.Join(root, filepath.FromSlash(name)), status: "stopped"}
		contactPath := filepath.Join(w.path, ".service", api.ContactFileName)
		if _, err := os.Lstat(contactPath); err != nil {
			if want["stopped"] {
				found = append(found, w)
			}
			continue
		}
		if !active {
			continue
		}
		found = append(found, w)
		wg.Go(func() { w.query(ctx, sf.ping, stderr) })
	}
	wg.Wait()
	found = slices.DeleteFunc(found, func(w *scanned) bool {
		return w.status != "stale" && !want[w.status]
	})
	slices.SortFunc(found, func(a, b *scanned) int { return naturalCompare(a.name, b.name) })
	return printScan(stdout, sf.format, found)
}

// query reads a workflow's contact file and asks its scheduler for its
// status. A scheduler whose process has gone is not dialled: its contact
// file is stale (and removed with --ping).
func (w *scanned) query(ctx context.Context, ping bool, stderr io.Writer) {
	service := filepath.Join(w.path, ".service")
	w.raw = readContactLines(filepath.Join(service, api.ContactFileName))
	c, err := api.ReadContact(service)
	if err != nil {
		w.status, w.problem = "stale", fmt.Sprintf("bad contact file: %v", err)
		return
	}
	w.contact = &c
	alive, aerr := c.Alive()
	if aerr == nil && !alive {
		w.status, w.problem = "stale", fmt.Sprintf("scheduler process %d is not running", c.PID)
		if ping {
			if err := api.RemoveContact(service); err != nil {
				fmt.Fprintf(stderr, "ERROR - %s: %v\n", w.name, err)
			} else {
				fmt.Fprintf(stderr, "INFO - Removed contact file for %s (workflow no longer running).\n", w.name)
				w.status, w.problem, w.contact, w.raw = "stopped", "", nil, nil
			}
		}
		return
	}
	status, states, err := schedulerStatus(ctx, c)
	if err != nil {
		w.status, w.problem = "stale", fmt.Sprintf("scheduler not answering: %v", err)
		return
	}
	w.status, w.states = status, states
}

// schedulerStatus asks a scheduler for its status and task counts.
func schedulerStatus(ctx context.Context, c api.Contact) (string, map[string]int, error) {
	client, err := api.Dial(c)
	if err != nil {
		return "", nil, err
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(ctx, statusTimeout)
	defer cancel()
	var res live.CommandResult
	if err := client.Command(ctx, "status", nil, &res); err != nil {
		return "", nil, err
	}
	return res.Status, res.States, nil
}

// readContactLines reads a contact file's KEY=VALUE lines as they are, for
// the json format (as Cylc prints them).
func readContactLines(path string) map[string]string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	kv := map[string]string{}
	for line := range strings.SplitSeq(string(data), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok && !strings.HasPrefix(k, "#") {
			kv[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return kv
}

// nameMatcher matches workflow IDs against globs (the ID or one of its
// leading parts must match) and Cylc's --name regular expressions (matched
// at the start of the ID). No globs or expressions match everything.
func nameMatcher(globs, regexps []string) (func(string) bool, error) {
	var res, gres []*regexp.Regexp
	for _, r := range regexps {
		re, err := regexp.Compile(`^(?:` + r + `)`)
		if err != nil {
			return nil, fmt.Errorf("--name=%s: %v", r, err)
		}
		res = append(res, re)
	}
	for _, g := range globs {
		re, err := fnmatchRegexp(strings.Trim(g, "/"))
		if err != nil {
			return nil, fmt.Errorf("%s: bad glob: %v", g, err)
		}
		gres = append(gres, re)
	}
	return func(name string) bool {
		if len(gres) == 0 && len(res) == 0 {
			return true
		}
		for _, re := range res {
			if re.MatchString(name) {
				return true
			}
		}
		for _, re := range gres {
			for prefix := name; prefix != "."; prefix = path.Dir(prefix) {
				if re.MatchString(prefix) {
					return true
				}
			}
		}
		return false
	}, nil
}

// fnmatchRegexp translates a glob as Python's fnmatch, which Cylc matches
// workflow IDs with, does: "*" and "?" match "/" too, "[!...]" negates a
// class, and a "[" without its "]" is itself.
func fnmatchRegexp(glob string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString(`^(?s:`)
	for i := 0; i < len(glob); i++ {
		switch c := glob[i]; c {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		case '[':
			j := i + 1
			if j < len(glob) && glob[j] == '!' {
				j++
			}
			if j < len(glob) && glob[j] == ']' {
				j++
			}
			for j < len(glob) && glob[j] != ']' {
				j++
			}
			if j >= len(glob) {
				b.WriteString(`\[`)
				continue
			}
			class := strings.ReplaceAll(glob[i+1:j], `\`, `\\`)
			switch {
			case strings.HasPrefix(class, "!"):
				class = "^" + class[1:]
			case strings.HasPrefix(class, "^"):
				class = `\` + class
			}
			b.WriteString("[" + class + "]")
			i = j
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`)$`)
	return regexp.Compile(b.String())
}

// findWorkflows lists the workflows under dir (in the run root root) as
// IDs relative to root, as Cylc's scan finds them: a directory holding a
// flow.cylc or suite.rc (or a .service directory) is a workflow and is not
// looked into; others are, to maxDepth levels. runN links and
// _cylc-install are skipped. dir itself is not a candidate.
func findWorkflows(root, dir string, maxDepth int) ([]string, error) {
	var found []string
	var walk func(dir string, depth int) error
	walk = func(dir string, depth int) error {
		entries, err := os.ReadDir(dir)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
				return nil
			}
			return err
		}
		for _, e := range entries {
			if e.Name() == rundir.LatestLink || e.Name() == "_cylc-install" {
				continue
			}
			sub := filepath.Join(dir, e.Name())
			if st, err := os.Stat(sub); err != nil || !st.IsDir() {
				continue
			}
			if isWorkflowDir(sub) {
				rel, _ := filepath.Rel(root, sub)
				found = append(found, filepath.ToSlash(rel))
			} else if depth < maxDepth {
				if err := walk(sub, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(dir, 1); err != nil {
		return nil, err
	}
	return found, nil
}

// isWorkflowDir reports whether dir is a workflow run directory.
func isWorkflowDir(dir string) bool {
	for _, f := range []string{"flow.cylc", "suite.rc", ".service"} {
		if _, err := os.Lstat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}

// naturalCompare orders IDs with their numbers as numbers: run2 before
// run10.
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := leadingDigits(a), leadingDigits(b)
		if da != "" && db != "" {
			na, _ := strconv.ParseUint(da, 10, 64)
			nb, _ := strconv.ParseUint(db, 10, 64)
			if na != nb {
				if na < nb {
					return -1
				}
				return 1
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		if a[0] != b[0] {
			return strings.Compare(a[:1], b[:1])
		}
		a, b = a[1:], b[1:]
	}
	return strings.Compare(a, b)
}

func leadingDigits(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}
