-- Cylc 8.7's run database tables (cylc/flow/rundb.py), with the same names,
-- columns, types and keys, so that the sqlite3 queries users run against a
-- Cylc log/db keep working. IF NOT EXISTS lets a database written by Cylc
-- 8.7 itself be adopted as it is.
CREATE TABLE IF NOT EXISTS absolute_outputs(cycle TEXT, name TEXT, output TEXT);
CREATE TABLE IF NOT EXISTS broadcast_events(time TEXT, change TEXT, point TEXT, namespace TEXT, key TEXT, value TEXT);
CREATE TABLE IF NOT EXISTS broadcast_states(point TEXT, namespace TEXT, key TEXT, value TEXT, PRIMARY KEY(point, namespace, key));
CREATE TABLE IF NOT EXISTS inheritance(namespace TEXT, inheritance TEXT, PRIMARY KEY(namespace));
CREATE TABLE IF NOT EXISTS task_action_timers(cycle TEXT, name TEXT, ctx_key TEXT, ctx TEXT, delays TEXT, num INTEGER, delay TEXT, timeout TEXT, PRIMARY KEY(cycle, name, ctx_key));
CREATE TABLE IF NOT EXISTS task_events(name TEXT, cycle TEXT, time TEXT, submit_num INTEGER, event TEXT, message TEXT);
CREATE TABLE IF NOT EXISTS task_jobs(cycle TEXT, name TEXT, submit_num INTEGER, flow_nums TEXT, is_manual_submit INTEGER, try_num INTEGER, time_submit TEXT, time_submit_exit TEXT, submit_status INTEGER, time_run TEXT, time_run_exit TEXT, run_signal TEXT, run_status INTEGER, platform_name TEXT, job_runner_name TEXT, job_id TEXT, PRIMARY KEY(cycle, name, submit_num));
CREATE TABLE IF NOT EXISTS task_late_flags(cycle TEXT, name TEXT, value INTEGER, PRIMARY KEY(cycle, name));
CREATE TABLE IF NOT EXISTS task_outputs(cycle TEXT, name TEXT, flow_nums TEXT, outputs TEXT, PRIMARY KEY(cycle, name, flow_nums));
CREATE TABLE IF NOT EXISTS task_pool(cycle TEXT, name TEXT, flow_nums TEXT, status TEXT, is_held INTEGER, PRIMARY KEY(cycle, name, flow_nums));
CREATE TABLE IF NOT EXISTS task_prerequisites(cycle TEXT, name TEXT, flow_nums TEXT, prereq_name TEXT, prereq_cycle TEXT, prereq_output TEXT, satisfied TEXT, PRIMARY KEY(cycle, name, flow_nums, prereq_name, prereq_cycle, prereq_output));
CREATE TABLE IF NOT EXISTS task_states(name TEXT, cycle TEXT, flow_nums TEXT, time_created TEXT, time_updated TEXT, submit_num INTEGER, status TEXT, flow_wait INTEGER, is_manual_submit INTEGER, PRIMARY KEY(name, cycle, flow_nums));
CREATE TABLE IF NOT EXISTS task_timeout_timers(cycle TEXT, name TEXT, timeout REAL, PRIMARY KEY(cycle, name));
CREATE TABLE IF NOT EXISTS tasks_to_hold(name TEXT, cycle TEXT);
CREATE TABLE IF NOT EXISTS workflow_flows(flow_num INTEGER, start_time TEXT, description TEXT, PRIMARY KEY(flow_num));
CREATE TABLE IF NOT EXISTS workflow_params(key TEXT, value TEXT, PRIMARY KEY(key));
CREATE TABLE IF NOT EXISTS workflow_template_vars(key TEXT, value TEXT, PRIMARY KEY(key));
CREATE TABLE IF NOT EXISTS xtriggers(signature TEXT, results TEXT, PRIMARY KEY(signature));
