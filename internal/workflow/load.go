// Package workflow loads a workflow definition through every layer — file,
// template, schema, cycling and graph — and checks what only the layers
// together can check (tasks the graph uses but [runtime] lacks, cycle
// points, recurrences, custom outputs, xtriggers). The result is what the
// validate, list, graph and play commands work from, and it compiles into
// the pool's definition. It is pure apart from reading the workflow files.
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
	// GraphTasks are the tasks the graph uses, sorted.
	GraphTasks []string
	// Families maps each family to every task below it.
	Families map[string][]string
	// Warnings are non-fatal findings (Cylc 7 upgrades and others).
	Warnings []string
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
	w := &Workflow{File: f, Config: cfg, Sequences: map[string]*cycle.Sequence{}}
	for _, warn := range cfg.Warnings {
		w.Warnings = append(w.Warnings, warn.String())
	}
	errs := &checkErrors{file: f.Path}
	w.buildCycling(opts, errs)
	w.buildParams(errs)
	w.buildFamilies()
	w.parseGraphs(errs)
	if errs.err() != nil {
		return nil, errs.err()
	}
	w.checkTasks(errs)
	if errs.err() != nil {
		return nil, errs.err()
	}
	return w, nil
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

func (w *Workflow) buildCycling(opts Options, errs *checkErrors) {
	s := w.Config.Scheduling()
	sch := w.Config.Scheduler()
	settings := cycle.Settings{
		CyclingMode:        s.CyclingMode,
		TimeZone:           sch.CyclePointTimeZone,
		Format:             sch.CyclePointFormat,
		ExpandedYearDigits: sch.CyclePointNumExpandedYear,
		InitialCyclePoint:  s.InitialCyclePoint,
		FinalCyclePoint:    s.FinalCyclePoint,
		InitialConstraints: s.InitialCyclePointConstraints,
		FinalConstraints:   s.FinalCyclePointConstraints,
	}
	if sch.UTCMode != nil {
		settings.UTCMode = *sch.UTCMode
	}
	if opts.InitialCyclePoint != "" {
		settings.InitialCyclePoint = opts.InitialCyclePoint
	}
	if opts.FinalCyclePoint != "" {
		settings.FinalCyclePoint = opts.FinalCyclePoint
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Unix(0, 0).UTC()
	}
	ctx, err := cycle.NewContext(settings, now)
	if err != nil {
		errs.add(w.Config.Tree.Get("scheduling").Pos(), err.Error())
		return
	}
	w.Cycle = ctx
}

func (w *Workflow) buildParams(errs *checkErrors) {
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
	outputs := graph.NewOutputs()
	inGraph := map[string]bool{}
	for _, item := range w.Config.Scheduling().Graph {
		for _, key := range cycle.SplitSections(item.Recurrence) {
			key = strings.TrimSpace(key)
			seq, err := w.Cycle.ParseRecurrence(key)
			if err != nil {
				errs.add(item.Pos, fmt.Sprintf("invalid cycling recurrence [scheduling][graph]%s: %v", key, err))
				continue
			}
			g, err := graph.Parse(item.Graph, graph.Options{
				Key: key, File: item.Pos.File, Line: graphLine(item),
				Families: w.Families, ExpandParams: w.Params.ExpandGraph,
				Cylc7: w.Config.Cylc7, ExpireTriggers: sched.ExpireTriggers, Outputs: outputs,
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
			for _, t := range g.Tasks {
				inGraph[t] = true
			}
		}
	}
	for t := range inGraph {
		w.GraphTasks = append(w.GraphTasks, t)
	}
	sort.Strings(w.GraphTasks)
	w.Index = graph.NewIndex(w.Graphs...)
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

// checkTasks finds graph tasks with no [runtime] definition (allowed only
// as implicit tasks), families used as tasks, and undefined custom outputs.
func (w *Workflow) checkTasks(errs *checkErrors) {
	sched := w.Config.Scheduler()
	var implicit []string
	for _, t := range w.GraphTasks {
		ns := w.Config.Namespaces[t]
		if ns == nil {
			implicit = append(implicit, t)
			continue
		}
		if ns.IsFamily {
			errs.add(flowfile.Pos{File: w.File.Path}, fmt.Sprintf("family %s used as a task in the graph: use %s:succeed-all (or another family trigger)", t, t))
		}
	}
	if len(implicit) > 0 {
		allowed := sched.AllowImplicitTasks || w.Config.Cylc7 && !sched.AllowImplicitTasksSet
		if !allowed {
			msg := "implicit tasks detected (no entry under [runtime]):\n    * " + strings.Join(implicit, "\n    * ")
			errs.add(flowfile.Pos{File: w.File.Path}, msg+"\n  hint: define them under [runtime], or set [scheduler]allow implicit tasks = True")
			return
		}
		for _, t := range implicit {
			if err := w.Config.AddImplicitTask(t); err != nil {
				errs.addErr(err)
			}
		}
	}
	for _, g := range w.Graphs {
		for _, ref := range g.CustomOutputs {
			rt, ok := w.Config.Runtime(ref.Task)
			if !ok {
				continue
			}
			found := false
			for _, o := range rt.Outputs {
				if o.Key == ref.Output {
					found = true
				}
			}
			if !found {
				errs.add(flowfile.Pos{File: w.File.Path, Line: ref.Line},
					fmt.Sprintf("undefined custom output %s:%s\n  hint: define it under [runtime][%s][outputs]", ref.Task, ref.Output, ref.Task))
			}
		}
	}
}

// checkErrors collects located errors so that validation reports them all.
type checkErrors struct {
	file string
	list []error
}

func (c *checkErrors) add(pos flowfile.Pos, msg string) {
	if pos.File == "" {
		pos.File = c.file
	}
	c.list = append(c.list, &flowfile.Error{Pos: pos, Msg: msg})
}

func (c *checkErrors) addErr(err error) { c.list = append(c.list, err) }

func (c *checkErrors) err() error {
	if len(c.list) == 0 {
		return nil
	}
	return errors.Join(c.list...)
}
