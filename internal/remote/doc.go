// Package remote runs jobs on platforms whose hosts are reached with ssh,
// the way Cylc 8 does, but with nothing to install on the other side except
// the gyre binary itself.
//
// The local side (the scheduler's host):
//
//   - Manager.Init is Cylc's remote init and file install, once per install
//     target per run: it makes the run directory on the remote host
//     ($HOME/gyre-run/<workflow ID>), then rsyncs the gyre binary (unless the
//     platform's "cylc path" names one already there), the scheduler's
//     contact and token files, the jobs' "cylc" and "isodatetime" shims, and
//     the workflow's app, bin, etc and lib directories. A platform whose
//     install target is "localhost" shares the scheduler's file system, so
//     nothing is installed and only the commands go over ssh.
//   - Runner is a runner.Runner for one platform. Submit copies each batch's
//     job directories over with rsync, then runs "gyre jobs-submit" on a
//     host of the platform in one ssh call; Poll and Kill run "gyre
//     jobs-poll" and "gyre jobs-kill". Retrieve brings job logs back.
//
// The remote side is Serve, which the hidden commands "gyre jobs-submit",
// "gyre jobs-poll", "gyre jobs-kill" and "gyre jobs-watch" call: it runs
// the same internal/runner code there and prints one JSON object per job.
//
// ssh command lines are built as Cylc's construct_ssh_cmd builds them: the
// platform's "ssh command", -n, the host, "env CYLC_VERSION=..." with the
// forwarded variables, then, with "use login shell", bash --login -c 'exec
// "$0" "$@"' in front of the command, so that the user's profile sets up
// PATH (for the batch system's commands) without the command needing a
// second level of quoting. An exit status of 255 from ssh (or from rsync
// over it) means the host could not be reached: the next host of the
// platform is tried.
package remote
