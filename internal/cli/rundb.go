package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gyre/internal/clock"
	"gyre/internal/jinja"
	"gyre/internal/journal"
	"gyre/internal/pool"
	"gyre/internal/store"
	"gyre/internal/store/persist"
	"gyre/internal/workflow"
)

// runDB is the run's database (log/db, as Cylc's): what an earlier start
// left in it, and, once started, its writer.
type runDB struct {
	st         *store.Store
	path       string
	snap       *persist.Snapshot
	restartNum int
	cancel     context.CancelFunc
	done       chan error
}

// openDB opens the run's database and reads what is in it.
func openDB(dir string) (*runDB, error) {
	path := filepath.Join(dir, "log", "db")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	st, err := store.Open(path)
	if err != nil {
		return nil, err
	}
	snap, err := st.LoadSnapshot(context.Background())
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("%w\n  hint: the run database cannot be restarted from; install and play a new run", err)
	}
	db := &runDB{st: st, path: path, snap: snap}
	db.restartNum, _ = strconv.Atoi(snap.Params["n_restart"])
	return db, nil
}

// restart reports whether the run has started before: then it restarts.
func (db *runDB) restart() bool {
	return len(db.snap.Tasks) > 0 || len(db.snap.History) > 0
}

// restartOptions takes the cycle points of a restart from the database,
// as Cylc does: the run carries on where it was, with the same initial
// and warm-start points, and the final and stop points it was given unless
// new ones are given now.
func (db *runDB) restartOptions(pf *playFlags, stderr io.Writer) error {
	p := db.snap.Params
	if pf.startcp != "" || len(pf.startTasks) > 0 {
		return fmt.Errorf("--start-cycle-point and --start-task are for the first start of a run; %s is restarting from its database\n  hint: to start afresh, install and play a new run", db.path)
	}
	if icp := p["icp"]; icp != "" {
		if pf.tf.icp != "" && pf.tf.icp != icp {
			fmt.Fprintf(stderr, "WARNING - ignoring --initial-cycle-point=%s on restart: the run's initial cycle point is %s\n", pf.tf.icp, icp)
		}
		pf.tf.icp = icp
	}
	pf.startcp = p["startcp"]
	if pf.fcp == "" {
		pf.fcp = p["fcp"]
	}
	if pf.stopcp == "" {
		pf.stopcp = p["stopcp"]
	}
	if pf.holdAfter == "" {
		pf.holdAfter = p["holdcp"]
	}
	return nil
}

// templateVars returns the template variables: on a restart those the
// run was started with, overridden by any given now.
func (db *runDB) templateVars(tf *templateFlags) (map[string]any, error) {
	vars := map[string]any{}
	for k, raw := range db.snap.TemplateVars {
		v, err := jinja.ParseValue(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: template variable %s=%s cannot be read back: %w", db.path, k, raw, err)
		}
		vars[k] = v
	}
	given, err := tf.vars()
	if err != nil {
		return nil, err
	}
	for k, v := range given {
		vars[k] = v
	}
	return vars, nil
}

// start records this start's parameters and starts the writer; on a
// restart it also returns the saved pool.
func (db *runDB) start(clk clock.Clock, pf *playFlags, def *pool.Def) (*journal.Journal, *pool.Saved, error) {
	ops := []persist.Op{
		persist.PutWorkflowParam{Key: "icp", Value: def.Initial.String()},
		persist.PutWorkflowParam{Key: "run_mode", Value: pf.mode},
		persist.PutWorkflowParam{Key: "cylc_version", Value: workflow.CylcVersion},
		persist.PutWorkflowParam{Key: "n_restart", Value: strconv.Itoa(db.startNumber() - 1)},
	}
	for key, v := range map[string]string{"fcp": pf.fcp, "startcp": pf.startcp, "stopcp": pf.stopcp, "holdcp": pf.holdAfter} {
		if v != "" {
			ops = append(ops, persist.PutWorkflowParam{Key: key, Value: v})
		}
	}
	for _, s := range pf.tf.set {
		if k, raw, ok := strings.Cut(s, "="); ok {
			ops = append(ops, persist.PutTemplateVar{Key: strings.TrimSpace(k), Value: strings.TrimSpace(raw)})
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	db.cancel, db.done = cancel, make(chan error, 1)
	w := db.st.Writer()
	go func() { db.done <- w.Run(ctx) }()
	committed := make(chan error, 1)
	w.Submit(ops, func(err error) { committed <- err })
	if err := <-committed; err != nil {
		return nil, nil, err
	}
	j := journal.New(w, clk.Now)
	if !db.restart() {
		return j, nil, nil
	}
	saved, outputs := journal.Saved(db.snap)
	j.Restored(saved, outputs)
	return j, saved, nil
}

// startNumber is Cylc's "(re)start number": 1 for the first start.
func (db *runDB) startNumber() int {
	if !db.restart() {
		return 1
	}
	return db.restartNum + 2
}

// close stops the writer, which commits everything queued first.
func (db *runDB) close() error {
	var err error
	if db.cancel != nil {
		db.cancel()
		err = <-db.done
		db.cancel = nil
		if errors.Is(err, context.Canceled) {
			err = nil
		}
	}
	if db.st != nil {
		if cerr := db.st.Close(); err == nil {
			err = cerr
		}
		db.st = nil
	}
	return err
}

// abandon closes the database if close was not reached (an error before
// the run started).
func (db *runDB) abandon() { _ = db.close() }
