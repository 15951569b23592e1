// Package xtrigger evaluates Cylc's built-in xtrigger functions (echo,
// xrandom, workflow_state and its Cylc 7 form suite_state) away from the
// scheduler goroutine, and answers the workflow-state queries that the
// workflow_state xtrigger and `gyre workflow-state` share.
//
// A Call is an [scheduling][xtriggers] definition bound to the task that
// needs it: its string arguments have the task's templates ("%(point)s",
// "%(workflow)s", ...) substituted, as Cylc's XtriggerManager does, and
// the substituted call's Signature identifies it. Tasks whose calls have
// the same signature share one evaluation, so an xtrigger that depends only
// on the cycle point is evaluated once per point however many tasks wait on
// it.
//
// Eval runs one call once. Manager runs calls for the scheduler: it never
// blocks the caller, evaluates each signature at most once at a time,
// retries unsatisfied calls every Interval seconds on the clock it is given
// (so tests and simulation run in virtual time), remembers satisfied
// results, and reports each satisfied call once to every task waiting on
// it.
//
// wall_clock xtriggers are not evaluated here: the pool turns them into
// clock deadlines itself. Custom xtrigger functions (Python modules in the
// workflow's lib/python) cannot run in Gyre; calling one is an error that
// says so.
package xtrigger
