package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"gyre/internal/api"
	"gyre/internal/job"
	"gyre/internal/rundir"
	"gyre/internal/suggest"
	"gyre/internal/tail"
)

func init() { register(newCatLog) }

type catLogFlags struct {
	file, mode, submit string
	rotation           int
	rotationSet        bool // --rotation was given
	follow, prepend    bool
}

// The cat-log modes, by Cylc's one-letter names and long names.
var catLogModes = map[string]string{
	"p": "print", "l": "list-dir", "d": "print-dir", "c": "cat", "t": "tail", "a": "auto",
}

// jobLogFiles are Cylc's short names for a job's log files.
var jobLogFiles = map[string]string{
	"j": job.FileJob, "o": job.FileOut, "e": job.FileErr,
	"a": "job-activity.log", "s": job.FileStatus, "x": job.FileXtrace,
}

// workflowLogFiles are Cylc's short names for workflow logs: a glob under
// log/, newest first. The scheduler log is Gyre's single
// log/scheduler/log, then any older logs in Cylc's numbered naming.
var workflowLogFiles = map[string]struct{ what, glob string }{
	"c": {"workflow configuration file (raw)", "config/*-start-*.cylc"},
	"p": {"workflow configuration file (processed)", "config/flow-processed.cylc"},
	"i": {"install log", "install/*-*install.log"},
	"s": {"scheduler log", "scheduler/*-*start*.log"},
	"v": {"version control info (JSON)", "version/*"},
}

func newCatLog() *cobra.Command {
	var fl catLogFlags
	cmd := &cobra.Command{
		Use:     "cat-log WORKFLOW[//POINT/TASK[/NN]]",
		Aliases: []string{"log"}, // Cylc's alias
		Short:   "Print, follow, or find workflow and job log files",
		Long: `Print, follow (tail), print the path of, or list the directory of a
workflow's scheduler log or a task job's log files, as "cylc cat-log" does.

Given a workflow, the scheduler log; given a task (WORKFLOW//POINT/TASK, or
Cylc 7's "WORKFLOW TASK.POINT"), its latest job's job.out, or the job of
submit NN (WORKFLOW//POINT/TASK/NN, or --submit-number).

Files (-f): for jobs, j (job script), o (job.out, the default), e (job.err),
s (job.status), a (job-activity.log), x (job.xtrace), or any file name in
the job's log directory; for workflows, s (the scheduler log, the default),
c, p (configuration), i (install log), v (version control), or a path
under the workflow's log directory (e.g. scheduler/log).

Modes (-m): c (cat, the default), t (tail: print, then follow new output
until the job has finished or the scheduler has stopped), a (auto: tail a
running job's log, else cat), p (print the file's path), d (print its
directory), l (list its directory).`,
		Example: `  gyre cat-log demo                      # the scheduler log
  gyre cat-log --follow demo             # ... followed until the workflow stops
  gyre cat-log demo//1/foo               # job.out of the latest job of 1/foo
  gyre cat-log -f e -s 1 demo//1/foo     # job.err of its first job
  gyre cat-log -m t demo//2030/model/02  # follow job 02 until it finishes
  gyre cat-log -m l demo//1/foo          # list the job's log files`,
		Args: cobra.ArbitraryArgs, // checked by parseLogID, with Cylc's messages
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCatLog(cmd, fl, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&fl.file, "file", "f", "", "the file: a short name (see above) or a file name")
	f.StringVarP(&fl.mode, "mode", "m", "c", "mode: c(cat), t(tail), a(auto), p(print), d(print-dir), l(list-dir)")
	f.BoolVar(&fl.follow, "follow", false, "follow the file: the same as --mode=t")
	f.IntVarP(&fl.rotation, "rotation", "r", 0, "workflow log rotation: 0 for the current log, 1 for the one before, ...")
	f.StringVarP(&fl.submit, "submit-number", "s", "", "job submit number (default: the latest, NN)")
	f.StringVarP(&fl.submit, "try-number", "t", "", "alias of --submit-number")
	f.BoolVar(&fl.prepend, "prepend-path", false, "print the file's HOST:PATH first, as a # comment")
	_ = cmd.RegisterFlagCompletionFunc("mode", cobra.FixedCompletions([]string{"c", "t", "a", "p", "d", "l"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("file", cobra.FixedCompletions([]string{"o", "e", "j", "s", "a", "x", "c", "p", "i", "v"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runCatLog(cmd *cobra.Command, fl catLogFlags, args []string) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	mode, ok := catLogModes[fl.mode]
	for _, long := range catLogModes {
		if long == fl.mode {
			mode, ok = long, true
		}
	}
	if !ok {
		return fmt.Errorf("--mode=%s: want one of c(cat), t(tail), a(auto), p(print), d(print-dir), l(list-dir)", fl.mode)
	}
	if fl.follow {
		if cmd.Flags().Changed("mode") && mode != "tail" {
			return fmt.Errorf("--follow and --mode=%s: choose one", fl.mode)
		}
		mode = "tail"
	}
	fl.rotationSet = cmd.Flags().Changed("rotation")
	if fl.rotation < 0 {
		return fmt.Errorf("--rotation=%d: want 0 (the current log) or more", fl.rotation)
	}
	if fl.file != "" {
		if err := checkLogFileName(fl.file); err != nil {
			return err
		}
	}
	id, upgraded, err := parseLogID(args)
	if err != nil {
		return err
	}
	if upgraded != "" {
		fmt.Fprintf(stderr, "WARNING - Cylc7 format is deprecated, using: %s\n", upgraded)
	}
	root, err := rundir.Root(os.Getenv)
	if err != nil {
		return err
	}
	wid, runDir, err := rundir.Resolve(root, id.workflow)
	if err != nil {
		return err
	}
	var v logView
	if id.task == "" {
		v, err = workflowLog(wid, runDir, fl, mode)
	} else {
		v, err = jobLog(wid, runDir, id, fl, mode)
	}
	if err != nil {
		return err
	}
	return v.show(cmd, stdout, stderr, fl.prepend)
}

// checkLogFileName refuses file names that would leave the log directory:
// the options, not the path, choose the job or the rotation (as Cylc).
func checkLogFileName(name string) error {
	joined := strings.TrimRight("x/"+name, "/")
	if filepath.IsAbs(name) || filepath.Clean(joined) != joined {
		return fmt.Errorf("--file=%s: file paths must be relative to the log directory, without '.' or '..' (use --submit-number or --rotation to choose another job or log)", name)
	}
	return nil
}

// logView is the file to show and how.
type logView struct {
	path string
	mode string
	// done says when following is over; watch are the files it reads.
	done  func() bool
	watch []string
	// writer is the process that may still write the file once done.
	writer func() int
	// list, for a workflow's list-dir, are its log files.
	list []string
	// remote, for a job that ran on a remote install target, reads the
	// file there (while it runs, or until its logs are retrieved).
	remote func(ctx context.Context, follow bool, w io.Writer) error
}

// show acts out the mode on the file.
func (v logView) show(cmd *cobra.Command, stdout, stderr io.Writer, prepend bool) error {
	path := v.path
	if real, err := filepath.EvalSymlinks(filepath.Dir(path)); err == nil {
		path = filepath.Join(real, filepath.Base(path)) // NN resolved, as Cylc shows it
	}
	switch v.mode {
	case "print":
		fmt.Fprintln(stdout, path)
		return nil
	case "print-dir":
		fmt.Fprintln(stdout, filepath.Dir(path))
		return nil
	case "list-dir":
		if v.path == "" {
			for _, f := range v.list {
				fmt.Fprintln(stdout, f)
			}
			return nil
		}
		entries, err := os.ReadDir(filepath.Dir(path))
		if err != nil {
			return fmt.Errorf("directory not found: %s", filepath.Dir(path))
		}
		for _, e := range entries {
			fmt.Fprintln(stdout, e.Name())
		}
		return nil
	}
	_, err := os.Stat(path)
	finished := v.done == nil || v.done()
	if v.remote != nil && (err != nil || !finished) {
		// As Cylc: a remote job's log is read where the job runs until
		// it has ended and its logs have come back.
		if prepend {
			fmt.Fprintf(stdout, "# remote:%s\n", path)
		}
		err := v.remote(cmd.Context(), v.mode == "tail", stdout)
		if cmd.Context().Err() != nil {
			return nil // interrupted: following ends as tail's does
		}
		return err
	}
	if err != nil && (v.mode == "cat" || finished) {
		return fmt.Errorf("file not found: %s%s", path, dirHint(filepath.Dir(path)))
	}
	if prepend {
		host, _ := os.Hostname()
		fmt.Fprintf(stdout, "# %s:%s\n", host, path)
	}
	if v.mode == "cat" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(stdout, f)
		return err
	}
	err = tail.Follow(cmd.Context(), path, stdout, tail.Options{
		Done: v.done, Watch: v.watch, Process: v.writer,
		Note: func(msg string) { fmt.Fprintf(stderr, "cat-log: %s\n", msg) },
	})
	if cmd.Context().Err() != nil {
		return nil // interrupted: following ends as tail's does
	}
	return err
}

// dirHint lists a directory's files for an error message.
func dirHint(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) == 0 {
		return fmt.Sprintf("\n  hint: %s is empty", dir)
	}
	return fmt.Sprintf("\n  hint: files in %s: %s", dir, strings.Join(names, ", "))
}

// workflowLog picks a workflow log. It is followed until the scheduler
// stops: its contact file goes, and the scheduler process exits (it logs
// its last lines after removing the file).
func workflowLog(wid, runDir string, fl catLogFlags, mode string) (logView, error) {
	logDir := filepath.Join(runDir, "log")
	if mode == "auto" {
		mode = "cat"
	}
	if mode == "list-dir" {
		return logView{mode: mode, list: workflowLogList(logDir)}, nil
	}
	v := logView{mode: mode}
	name := fl.file
	if name == "" {
		name = "s"
	}
	if spec, ok := workflowLogFiles[name]; ok {
		logs, _ := filepath.Glob(filepath.Join(logDir, spec.glob))
		slices.Sort(logs)
		slices.Reverse(logs)
		if name == "s" {
			logs = append([]string{filepath.Join(logDir, "scheduler", "log")}, logs...)
		}
		logs = slices.DeleteFunc(logs, func(p string) bool { _, err := os.Stat(p); return err != nil })
		rot := fl.rotation
		switch {
		case len(logs) == 0:
			return v, fmt.Errorf("%s: log file not found (no %s in %s)%s", wid, spec.what, logDir, listHint(workflowLogList(logDir)))
		case rot >= len(logs):
			return v, fmt.Errorf("--rotation %d invalid (max value is %d)", rot, len(logs)-1)
		}
		v.path = logs[rot]
	} else {
		v.path = filepath.Join(logDir, name)
		if _, err := os.Stat(v.path); err != nil {
			if alt := filepath.Join(logDir, "scheduler", name); fileExists(alt) {
				v.path = alt
			}
		}
	}
	contact := filepath.Join(runDir, ".service", api.ContactFileName)
	v.done = func() bool { return !fileExists(contact) }
	v.watch = []string{contact}
	if c, err := api.ReadContact(filepath.Dir(contact)); err == nil {
		if alive, err := c.Alive(); err == nil && alive {
			v.writer = func() int { return c.PID }
		}
	}
	return v, nil
}

// workflowLogList lists the workflow's log files as Cylc does: those in
// the log directories that hold them, as paths under log/, links left out.
func workflowLogList(logDir string) []string {
	var files []string
	for _, sub := range []string{"config", "install", "scheduler", "version"} {
		entries, _ := os.ReadDir(filepath.Join(logDir, sub))
		for _, e := range entries {
			if e.Type()&fs.ModeSymlink == 0 {
				files = append(files, sub+"/"+e.Name())
			}
		}
	}
	slices.Sort(files)
	return files
}

func listHint(files []string) string {
	if len(files) == 0 {
		return ""
	}
	return "\n  hint: log files: " + strings.Join(files, ", ")
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// jobLog picks a job's log file. A job's log is followed until the job has
// finished: job.status records its exit (or a poll found it gone), and the
// job's process, if it runs here, has exited (it writes its last lines
// after recording its exit).
func jobLog(wid, runDir string, id logID, fl catLogFlags, mode string) (logView, error) {
	if fl.rotationSet {
		return logView{}, errors.New("--rotation: only workflow (not job) logs get rotated")
	}
	jobRoot := filepath.Join(runDir, "log", "job")
	taskDir := filepath.Join(jobRoot, id.point, id.task)
	if _, err := os.Stat(taskDir); err != nil {
		return logView{}, noJobLogs(wid, jobRoot, id)
	}
	submit := fl.submit
	if submit == "" {
		submit = id.job
	}
	if submit == "" || submit == job.LatestLink {
		submit = job.LatestLink
	} else {
		n, err := strconv.Atoi(submit)
		if err != nil || n < 0 {
			return logView{}, fmt.Errorf("illegal submit number: %s", submit)
		}
		submit = fmt.Sprintf("%02d", n)
	}
	jobDir := filepath.Join(taskDir, submit)
	if _, err := os.Stat(jobDir); err != nil && mode != "print" {
		return logView{}, fmt.Errorf("%s//%s/%s has no job %s%s", wid, id.point, id.task, submit, dirHint(taskDir))
	}
	name := fl.file
	if name == "" {
		name = "o"
	}
	if long, ok := jobLogFiles[name]; ok {
		name = long
	}
	v := logView{path: filepath.Join(jobDir, name), mode: mode}
	status := filepath.Join(jobDir, job.FileStatus)
	v.done = func() bool {
		st, ok := readJobStatus(status)
		return !ok || st.Exit != "" || st.RunnerExitPolled != ""
	}
	v.watch = []string{status}
	v.writer = func() int {
		st, _ := readJobStatus(status)
		if st.PID > 0 && runsJob(st.PID, filepath.Join(jobDir, job.FileJob)) {
			return st.PID
		}
		return 0
	}
	if mode == "auto" {
		v.mode = "cat"
		if st, ok := readJobStatus(status); ok && st.Started() && st.Exit == "" && st.RunnerExitPolled == "" {
			v.mode = "tail"
		}
	}
	if v.mode == "cat" || v.mode == "tail" {
		v.remote = remoteJobLog(wid, runDir, id.point, id.task, jobDir, name)
	}
	return v, nil
}

// readJobStatus reads job.status; ok is false if there is none (the job
// has not been submitted, or its submission failed).
func readJobStatus(path string) (job.Status, bool) {
	f, err := os.Open(path)
	if err != nil {
		return job.Status{}, false
	}
	defer f.Close()
	st, _ := job.ParseStatus(f)
	return st, true
}

// runsJob reports whether pid is a process running the job script: a PID
// from job.status may be on another host, or reused since the job ended.
func runsJob(pid int, script string) bool {
	want, err := filepath.EvalSymlinks(script)
	if err != nil {
		return false
	}
	cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return false
	}
	for arg := range strings.SplitSeq(string(cmdline), "\x00") {
		if filepath.Base(arg) != job.FileJob {
			continue
		}
		if real, err := filepath.EvalSymlinks(arg); err == nil && real == want {
			return true
		}
	}
	return false
}

// noJobLogs explains a task with no job logs: which points, or which
// tasks at the point, have them.
func noJobLogs(wid, jobRoot string, id logID) error {
	pointDir := filepath.Join(jobRoot, id.point)
	if names := dirNames(pointDir); len(names) > 0 {
		return fmt.Errorf("%s: no job logs for task %s at cycle point %s%s\n  hint: tasks with job logs at %s: %s",
			wid, id.task, id.point, suggest.Hint(id.task, names), id.point, strings.Join(names, ", "))
	}
	points := dirNames(jobRoot)
	if len(points) == 0 {
		return fmt.Errorf("%s: no job logs for %s/%s: no jobs have been submitted (%s is empty or missing)", wid, id.point, id.task, jobRoot)
	}
	return fmt.Errorf("%s: no job logs at cycle point %s%s\n  hint: cycle points with job logs: %s (use the workflow's cycle point format)",
		wid, id.point, suggest.Hint(id.point, points), strings.Join(points, ", "))
}

func dirNames(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
