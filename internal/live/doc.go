// Package live runs a workflow's jobs for real: it is the glue between the
// scheduler actor, which decides what to run, and the edges that run jobs
// and hear from them.
//
//   - Runner (a scheduler.Runner) turns each SubmitJob effect into a Cylc job
//     script under log/job/<point>/<task>/<NN>/, hands it through a
//     runner.Pool to the job runner of the task's platform (global.cylc:
//     background, at, Slurm, PBS, LSF, here or on a host reached with ssh),
//     and translates what the runner reports (submitted, submission failed,
//     the process exited) back into pool events.
//   - Handler (an api.Handler) takes the messages jobs send with "cylc
//     message" and posts them to the scheduler as JobMessage events.
//   - Run wires both to a scheduler with the API server, the run's
//     credentials, its contact file and the "cylc" shim that jobs find on
//     their PATH, and takes them all down again in order.
//
// Nothing here decides anything about task state: a job's messages and its
// exit are reported as they are, and the pool, which ignores what it has
// already heard, is the only judge. The one reconciliation done here is of
// order: a job's exit is never reported before its submission, and an exit
// the job already reported itself is not reported twice.
package live
