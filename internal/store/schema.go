package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// cylcColumns are the columns of Cylc 8.7's tables that Gyre reads and
// writes. After migrating, Open checks that each is there: a database
// adopted from an older Cylc (say 8.0, whose task_jobs has no flow_nums)
// fails here with a clear message rather than later in a query.
var cylcColumns = []struct {
	table string
	cols  string
}{
	{"absolute_outputs", "cycle name output"},
	{"broadcast_events", "time change point namespace key value"},
	{"broadcast_states", "point namespace key value"},
	{"inheritance", "namespace inheritance"},
	{"task_action_timers", "cycle name ctx_key ctx delays num delay timeout"},
	{"task_events", "name cycle time submit_num event message"},
	{"task_jobs", "cycle name submit_num flow_nums is_manual_submit try_num time_submit time_submit_exit submit_status time_run time_run_exit run_signal run_status platform_name job_runner_name job_id"},
	{"task_late_flags", "cycle name value"},
	{"task_outputs", "cycle name flow_nums outputs"},
	{"task_pool", "cycle name flow_nums status is_held"},
	{"task_prerequisites", "cycle name flow_nums prereq_name prereq_cycle prereq_output satisfied"},
	{"task_states", "name cycle flow_nums time_created time_updated submit_num status flow_wait is_manual_submit"},
	{"task_timeout_timers", "cycle name timeout"},
	{"tasks_to_hold", "name cycle"},
	{"workflow_flows", "flow_num start_time description"},
	{"workflow_params", "key value"},
	{"workflow_template_vars", "key value"},
	{"xtriggers", "signature results"},
}

// checkColumns reports the first table or column Gyre needs that db lacks.
func checkColumns(ctx context.Context, db *sql.DB, dbPath string) error {
	for _, t := range cylcColumns {
		have, err := tableColumns(ctx, db, t.table)
		if err != nil {
			return dbError(dbPath, "read schema", err)
		}
		if len(have) == 0 {
			return fmt.Errorf("run database %s has no table %s: it is not a Cylc 8 or Gyre run database", dbPath, t.table)
		}
		for c := range strings.FieldsSeq(t.cols) {
			if !have[c] {
				return fmt.Errorf("run database %s: table %s has no column %s: "+
					"the database was written by an older Cylc; restart it with that Cylc, or start the workflow afresh", dbPath, t.table, c)
			}
		}
	}
	return nil
}

func tableColumns(ctx context.Context, db *sql.DB, table string) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		have[name] = true
	}
	return have, rows.Err()
}
