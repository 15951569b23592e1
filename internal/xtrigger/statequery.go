package xtrigger

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gyre/internal/rundir"
	"gyre/internal/store"
)

// StateQuery asks another workflow's run database whether tasks have
// reached a status or completed an output, as Cylc's WorkflowPoller does
// for the workflow_state xtrigger and `cylc workflow-state`.
type StateQuery struct {
	// ID is WORKFLOW[//CYCLE[:SELECTOR][/TASK[:SELECTOR]]]; the cycle and
	// task may hold "*" wildcards. The selector is a final task status, or
	// an output trigger or message (ByTrigger, ByMessage), and may be
	// quoted ("the quick brown").
	ID string
	// Offset, if set, moves the cycle point: an ISO 8601 duration (PT6H,
	// -P1D) or an integer one (P1).
	Offset string
	// Flow, if not 0, matches only task instances in that flow.
	Flow int
	// ByTrigger and ByMessage make the selector an output trigger name or
	// an output message instead of a status.
	ByTrigger, ByMessage bool
	// DefaultSelector applies when the ID has none: "succeeded" for the
	// xtrigger, "" (anything) for the command.
	DefaultSelector string
	// RunRoot is where the workflow's run directory is looked for.
	RunRoot string
}

// StatePoller answers one StateQuery repeatedly. Like Cylc's poller it
// finds the workflow, opens its database and converts the cycle point once
// and then only queries, so that a poll can begin before the other
// workflow has been installed or started.
type StatePoller struct {
	q        StateQuery
	env      Env
	name     string // the workflow as the ID gives it
	task     string
	cycleRaw string
	selector string

	workflow string // resolved workflow ID, "" until found
	st       *store.Store
	cycle    string
	cycleSet bool
	why      string // why the last check found nothing

	// Inferred, if set, is told the run-numbered workflow ID once it has
	// been inferred from a bare name (Cylc prints it).
	Inferred func(id string)
}

// NewStatePoller checks q and returns a poller for it; call Close when
// done. Errors here (a malformed ID, an offset with a wildcard cycle) are
// the user's to fix: polling cannot cure them.
func NewStatePoller(q StateQuery, env Env) (*StatePoller, error) {
	id, err := parseID(q.ID)
	if err != nil {
		return nil, err
	}
	if q.ByTrigger && q.ByMessage {
		return nil, errors.New("match output triggers or messages, not both")
	}
	p := &StatePoller{q: q, env: env, name: id.Workflow, task: id.Task, cycleRaw: id.Cycle}
	p.selector = id.selector()
	if p.selector == "" {
		p.selector = q.DefaultSelector
	}
	p.selector = unquote(p.selector)
	if err := checkPolling(p.selector, q.ByTrigger || q.ByMessage); err != nil {
		return nil, err
	}
	if q.Offset != "" && (id.Cycle == "" || strings.Contains(id.Cycle, "*")) {
		c := id.Cycle
		if c == "" {
			c = "None"
		}
		return nil, fmt.Errorf("cycle point %q is not compatible with an offset", c)
	}
	return p, nil
}

// Check queries the database once. No rows and no error means nothing
// matched yet (or the workflow or its database does not exist yet: see
// Why); an error means the query itself is wrong.
func (p *StatePoller) Check(ctx context.Context) ([]Row, error) {
	if p.workflow == "" && !p.find() {
		return nil, nil
	}
	if p.st == nil && !p.open() {
		return nil, nil
	}
	if !p.cycleSet {
		params, err := p.st.Params(ctx)
		if err != nil {
			p.why = err.Error()
			return nil, nil
		}
		cyc, err := adjustPoint(p.cycleRaw, p.q.Offset, params, localOffset(p.env))
		if err != nil {
			return nil, err
		}
		p.cycle, p.cycleSet = cyc, true
	}
	q := store.StateQuery{Task: p.task, Cycle: p.cycle, Selector: p.selector, Flow: p.q.Flow}
	switch {
	case p.q.ByTrigger:
		q.By = store.ByTrigger
	case p.q.ByMessage:
		q.By = store.ByMessage
	}
	res, err := p.st.WorkflowState(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(res) == 0 {
		p.why = fmt.Sprintf("no task matches %s", p.describe())
		return nil, nil
	}
	rows := make([]Row, len(res))
	for i, r := range res {
		rows[i] = Row{TaskState: r, outputs: q.By != store.ByStatus}
	}
	return rows, nil
}

func (p *StatePoller) describe() string {
	s := p.workflow + "//"
	if p.cycle == "" {
		s += "*"
	} else {
		s += p.cycle
	}
	if p.task != "" {
		s += "/" + p.task
	}
	if p.selector != "" {
		s += ":" + p.selector
	}
	return s
}

// find resolves the workflow ID under the run root, following the runN
// link to the latest run.
func (p *StatePoller) find() bool {
	root, err := p.root()
	if err != nil {
		p.why = err.Error()
		return false
	}
	id, _, err := rundir.Resolve(root, p.name)
	if err != nil {
		// A run directory need not hold flow.cylc (another system's, or
		// one being installed): a directory with a database will do.
		if _, serr := os.Stat(filepath.Join(root, p.name, "log", "db")); serr != nil {
			p.why = err.Error()
			return false
		}
		id = p.name
	}
	if id != p.name && p.Inferred != nil {
		p.Inferred(id)
	}
	p.workflow = id
	return true
}

func (p *StatePoller) root() (string, error) {
	if p.q.RunRoot != "" {
		return expandPath(p.q.RunRoot)
	}
	if p.env.RunRoot != "" {
		return p.env.RunRoot, nil
	}
	return rundir.Root(os.Getenv)
}

func (p *StatePoller) open() bool {
	root, err := p.root()
	if err != nil {
		p.why = err.Error()
		return false
	}
	path := filepath.Join(root, p.workflow, "log", "db")
	if _, err := os.Stat(path); err != nil {
		p.why = fmt.Sprintf("workflow %s has no database (%s): has it been started?", p.workflow, path)
		return false
	}
	st, err := store.OpenReadOnly(path)
	if err != nil {
		p.why = err.Error()
		return false
	}
	p.st = st
	return true
}

// Workflow is the workflow ID found (run number inferred), "" before.
func (p *StatePoller) Workflow() string { return p.workflow }

// Cycle is the cycle point queried, in the database's format (with the
// offset applied); "" before the database was opened.
func (p *StatePoller) Cycle() string { return p.cycle }

// Why says why the last Check found nothing.
func (p *StatePoller) Why() string { return p.why }

// Close releases the database.
func (p *StatePoller) Close() error {
	if p.st == nil {
		return nil
	}
	err := p.st.Close()
	p.st = nil
	return err
}

// expandPath expands "~" and environment variables, as Cylc's
// expand_path does for alternate run directories.
func expandPath(p string) (string, error) {
	p = os.ExpandEnv(p)
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot expand %q: %w", p, err)
		}
		p = filepath.Join(home, p[1:])
	}
	return filepath.Abs(p)
}
