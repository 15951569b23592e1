// Package workflow loads a workflow definition through every layer — file,
// template, schema, cycling and graph — and checks what only the layers
// together can check (tasks the graph uses but [runtime] lacks, cycle
// points, recurrences, custom outputs, xtriggers, completion expressions,
// circular dependencies). The result is what the validate, list, graph and
// play commands work from, and it compiles into the pool's definition. It is
// pure apart from reading the workflow files.
//
// The checks follow Cylc 8.7's WorkflowConfig (cylc/flow/config.py) and
// `cylc validate`, and report every problem found rather than the first,
// each located at the file and line it comes from.
package workflow

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gyre/internal/config"
	"gyre/internal/cycle"
	"gyre/internal/flowfile"
	"gyre/internal/graph"
	"gyre/internal/jinja"
	"gyre/internal/param"
)

// CylcVersion is the Cylc version whose language Gyre implements; Jinja2
// templates see it as CYLC_VERSION.
const CylcVersion = "8.7.0"

// suiteRCWarning is Cylc 8.7's warning for a workflow in a suite.rc file,
// which puts Cylc in Cylc 7 compatibility mode.
const suiteRCWarning = "Backward compatibility mode ON - support for suite.rc files will be removed at 8.7.0"

// Options are the command-line choices that shape a workflow's loading.
type Options struct {
	// Vars are template variables (--set, --set-file), Python values.
	Vars map[string]any
	// Env supplies CYLC_* environment template variables; nil means none.
	Env []string
	// Now is the wall-clock time for "now"-relative cycle points.
	Now time.Time
	// InitialCyclePoint and FinalCyclePoint override the workflow's.
	InitialCyclePoint string
	FinalCyclePoint   string
	// WorkflowID names the workflow (default: its directory name).
	WorkflowID string
	// Validate adds the checks only `cylc validate` makes: circular
	// dependencies (for up to 100 tasks, or any number with
	// CheckCircular) and deprecation warnings for polling tasks.
	Validate      bool
	CheckCircular bool
}

// Workflow is a loaded, checked workflow definition.
type Workflow struct {
	File   *flowfile.File
	Config *config.Workflow
	Cycle  *cycle.Context
	Params *param.Set
	// Graphs are the parsed graph strings, one per recurrence section.
	Graphs []*graph.Graph
	Index  *graph.Index
	// Sequences maps each recurrence key to its sequence.
	Sequences map[string]*cycle.Sequence
	// SeqOrder lists recurrence keys in the order the graph gives them.
	SeqOrder []string
	// GraphTasks are the tasks the graph defines, sorted (Cylc's task
	// definitions: what `cylc list` prints).
	GraphTasks []string
	// Families maps each family to every task below it.
	Families map[string][]string
	// Warnings are non-fatal findings (Cylc 7 upgrades and others).
	Warnings []string

	opts Options
	// sources locate each of Graphs in the workflow files.
	sources []graphSource
	// outputs is the optional/required table shared by all Graphs.
	outputs *graph.Outputs
	// defined lists tasks in the order Cylc creates their definitions.
	defined []string
	// taskLines locates the first use of each task in the graph.
	taskLines map[string]flowfile.Pos
}

// graphSource is where one parsed graph string was written.
type graphSource struct {
	item config.GraphItem
	line int // the line of the graph string's first line
}

// Load reads and checks the workflow at path (a directory or its
// flow.cylc / suite.rc).
func Load(path string, opts Options) (*Workflow, error) {
	vars := templateVars(path, opts)
	f, err := flowfile.Load(path, flowfile.Options{
		Template: func(name, dir, src string) (string, error) {
			return jinja.Render(name, dir, src, vars)
		},
	})
	if err != nil {
		return nil, err
	}
	cfg, err := config.Build(f, config.Options{
		InitialCyclePoint: opts.InitialCyclePoint,
		WorkflowID:        opts.WorkflowID,
	})
	if err != nil {
		return nil, err
	}
	w := &Workflow{File: f, Config: cfg, Sequences: map[string]*cycle.Sequence{}, opts: opts}
	if f.Cylc7 {
		w.Warnings = append(w.Warnings, suiteRCWarning)
	}
	for _, warn := range cfg.Warnings {
		w.Warnings = append(w.Warnings, warn.String())
	}
	errs := &checkErrors{file: f.Path}
	w.buildCycling(opts, errs)
	w.buildParams()
	w.buildFamilies()
	w.parseGraphs(errs)
	if errs.err() != nil {
		return nil, errs.err()
	}
	w.checkTasks(errs)
	if errs.err() != nil {
		return nil, errs.err()
	}
	if opts.Validate {
		w.checkCircular(errs)
	}
	return w, errs.err()
}

// templateVars are the variables Jinja2 sees: the user's, the CYLC_*
// environment, CYLC_VERSION, CYLC_TEMPLATE_VARS and the source directory.
func templateVars(path string, opts Options) map[string]any {
	vars := map[string]any{}
	for _, kv := range opts.Env {
		k, v, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(k, "CYLC_") && k != "CYLC_VERSION" && k != "CYLC_ENV_NAME" {
			vars[k] = v
		}
	}
	user := map[string]any{}
	for k, v := range opts.Vars {
		vars[k] = v
		user[k] = v
	}
	vars["CYLC_VERSION"] = CylcVersion
	user["CYLC_VERSION"] = CylcVersion
	vars["CYLC_TEMPLATE_VARS"] = user
	dir := path
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		dir = filepath.Dir(path)
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	vars["CYLC_WORKFLOW_SRC_DIR"] = dir
	return vars
}

func (w *Workflow) buildParams() {
	w.Params = w.Config.Params
	if w.Params == nil {
		w.Params, _ = param.NewSet(nil, nil)
	}
}

// buildFamilies maps each family to every task that inherits from it at
// any depth, which is what family triggers expand to.
func (w *Workflow) buildFamilies() {
	w.Families = map[string][]string{}
	for _, name := range w.Config.NamespaceOrder {
		ns := w.Config.Namespaces[name]
		if ns.IsFamily {
			continue
		}
		for _, anc := range ns.MRO[1:] {
			if anc != "root" {
				w.Families[anc] = append(w.Families[anc], name)
			}
		}
	}
	for _, m := range w.Families {
		sort.Strings(m)
	}
}

func (w *Workflow) parseGraphs(errs *checkErrors) {
	if w.Cycle == nil {
		return
	}
	sched := w.Config.Scheduler()
	w.outputs = graph.NewOutputs()
	for _, item := range graphItems(w.Config.Scheduling().Graph) {
		for _, key := range cycle.SplitSections(item.Recurrence) {
			key = strings.TrimSpace(key)
			seq, err := w.Cycle.ParseRecurrence(key)
			if err != nil {
				errs.add(item.Pos, "see the Cylc documentation on cycling: e.g. R1, T00, PT6H, +P1D/P1D, R1/$",
					"cannot process recurrence [scheduling][graph]%s (initial cycle point=%s) (final cycle point=%s): %v",
					key, w.Cycle.Initial(), w.finalString(), err)
				continue
			}
			line := graphLine(item)
			g, err := graph.Parse(item.Graph, graph.Options{
				Key: key, File: item.Pos.File, Line: line,
				Families: w.Families, ExpandParams: w.Params.ExpandGraph,
				Cylc7: w.Config.Cylc7, ExpireTriggers: sched.ExpireTriggers, Outputs: w.outputs,
			})
			if err != nil {
				errs.addErr(err)
				continue
			}
			if _, seen := w.Sequences[key]; !seen {
				w.SeqOrder = append(w.SeqOrder, key)
			}
			w.Sequences[key] = seq
			w.Graphs = append(w.Graphs, g)
			w.sources = append(w.sources, graphSource{item: item, line: line})
		}
	}
	w.Index = graph.NewIndex(w.Graphs...)
}

// graphItems are the graph sections in Cylc's order. A section headed
// "graph" (a Cylc 7 graph with no recurrence) is Cylc's one-off sequence,
// R1: like Cylc, it moves to the end, or replaces an R1 section.
func graphItems(items []config.GraphItem) []config.GraphItem {
	var out []config.GraphItem
	var async *config.GraphItem
	for i := range items {
		if items[i].Recurrence == "graph" {
			async = &items[i]
			continue
		}
		out = append(out, items[i])
	}
	if async == nil {
		return out
	}
	a := *async
	a.Recurrence = "R1"
	for i := range out {
		if out[i].Recurrence == "R1" {
			out[i].Graph, out[i].Raw, out[i].Pos = a.Graph, a.Raw, a.Pos
			return out
		}
	}
	return append(out, a)
}

// finalString is the final cycle point as Cylc's messages show it.
func (w *Workflow) finalString() string {
	if p, ok := w.Cycle.Final(); ok {
		return p.String()
	}
	return "None"
}

// graphLine is the source line of the first line of a graph string: the
// line of the item, plus one when the value opens with a bare """.
func graphLine(item config.GraphItem) int {
	line := item.Pos.Line
	if len(item.Raw) > 0 {
		line = item.Raw[0].Pos.Line
		v := strings.TrimSpace(item.Raw[0].Text)
		if v == `"""` || v == `'''` || strings.HasPrefix(v, `"""`+"\n") || strings.HasPrefix(v, `'''`+"\n") {
			line++
		}
	}
	return line
}

// checkErrors collects located errors so that validation reports them all.
type checkErrors struct {
	file string
	list []error
}

// add records a located error; hint may be "".
func (c *checkErrors) add(pos flowfile.Pos, hint, format string, args ...any) {
	if pos.File == "" {
		pos.File = c.file
	}
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	c.list = append(c.list, &flowfile.Error{Pos: pos, Msg: msg, Hint: hint})
}

func (c *checkErrors) addErr(err error) { c.list = append(c.list, err) }

func (c *checkErrors) err() error {
	if len(c.list) == 0 {
		return nil
	}
	return errors.Join(c.list...)
}
