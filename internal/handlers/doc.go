// Package handlers runs Cylc's task and workflow event handlers: the
// user's commands configured as "<event> handlers" (or "handlers" plus
// "handler events") under [runtime][<ns>][events] and [scheduler][events].
//
// It has three layers, so that the scheduler can keep its goroutine free of
// processes and waiting:
//
//   - Selection (TaskHandlers, WorkflowHandlers) picks the command
//     templates for an event, following Cylc's precedence rules, which
//     differ subtly between task and workflow events.
//   - Expansion (ExpandTask, ExpandWorkflow, and ForTask/ForWorkflow which
//     combine both) fills in Cylc's "%(name)s" template variables with
//     Python %-format semantics and Cylc's shell quoting, producing ready
//     to run Handlers.
//   - Running (Runner) executes Handlers as "bash -c CMD" in their own
//     process groups, at most Limit at a time, kills a whole group at the
//     process pool timeout, retries task handlers after each of their
//     "handler retry delays" on a clock.Clock (never sleeping), and reports
//     every attempt in Cylc's log wording.
//
// Cylc sources followed: cylc/flow/task_events_mgr.py,
// cylc/flow/workflow_events.py, cylc/flow/subprocpool.py,
// cylc/flow/subprocctx.py and cylc/flow/task_action_timer.py (8.7).
package handlers
