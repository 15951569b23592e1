package job

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// Job log file names, as Cylc names them (cylc cat-log and users' habits
// depend on them).
const (
	FileJob    = "job"
	FileOut    = "job.out"
	FileErr    = "job.err"
	FileStatus = "job.status"
	FileXtrace = "job.xtrace"
	// LatestLink is the symlink in a task's log directory that points at the
	// latest submit's directory.
	LatestLink = "NN"
)

// Layout gives the paths of a workflow run directory, laid out as Cylc lays
// it out so that users, their scripts and tools find things where they expect.
type Layout struct {
	RunDir string
}

// JobLogRoot is log/job, under which each job has <point>/<task>/<NN>/.
func (l Layout) JobLogRoot() string { return filepath.Join(l.RunDir, "log", "job") }

// TaskLogDir holds a task instance's job directories and its NN link.
func (l Layout) TaskLogDir(point, task string) string {
	return filepath.Join(l.JobLogRoot(), point, task)
}

// JobDir is the log directory of one submit: log/job/<point>/<task>/<NN>.
func (l Layout) JobDir(point, task string, submitNum int) string {
	return filepath.Join(l.TaskLogDir(point, task), fmt.Sprintf("%02d", submitNum))
}

// JobFiles are the paths of one job's log files.
type JobFiles struct {
	Dir, Script, Out, Err, Status string
}

// Job returns the paths of one submit's job script and logs.
func (l Layout) Job(point, task string, submitNum int) JobFiles {
	dir := l.JobDir(point, task, submitNum)
	return JobFiles{
		Dir:    dir,
		Script: filepath.Join(dir, FileJob),
		Out:    filepath.Join(dir, FileOut),
		Err:    filepath.Join(dir, FileErr),
		Status: filepath.Join(dir, FileStatus),
	}
}

// WorkDir is a task instance's default working directory, work/<point>/<task>
// (a "work sub-directory" setting changes it inside the job).
func (l Layout) WorkDir(point, task string) string {
	return filepath.Join(l.RunDir, "work", point, task)
}

// ShareDir is the workflow's shared directory, $CYLC_WORKFLOW_SHARE_DIR.
func (l Layout) ShareDir() string { return filepath.Join(l.RunDir, "share") }

// ShareCycleDir is share/cycle/<point>, $CYLC_TASK_SHARE_CYCLE_DIR.
func (l Layout) ShareCycleDir(point string) string {
	return filepath.Join(l.ShareDir(), "cycle", point)
}

// SchedulerLogDir is log/scheduler, $CYLC_WORKFLOW_LOG_DIR.
func (l Layout) SchedulerLogDir() string { return filepath.Join(l.RunDir, "log", "scheduler") }

// SchedulerLog is the scheduler's log file, log/scheduler/log; jobs grep it
// through cylc__job__poll_grep_workflow_log.
func (l Layout) SchedulerLog() string { return filepath.Join(l.SchedulerLogDir(), "log") }

// ServiceDir is .service, which holds the scheduler's contact file and
// credentials (mode 0700).
func (l Layout) ServiceDir() string { return filepath.Join(l.RunDir, ".service") }

// ContactFile is .service/contact; jobs read CYLC_WORKFLOW_HOST and
// CYLC_WORKFLOW_OWNER from its KEY=VALUE lines.
func (l Layout) ContactFile() string { return filepath.Join(l.ServiceDir(), "contact") }

// PrepareJobDir makes a submit's log directory ready for a new job script the
// way Cylc does: a first submit removes numbered directories left by an
// earlier run of the task; a later submit starts from an empty directory; and
// the NN link is pointed at this submit.
func (l Layout) PrepareJobDir(point, task string, submitNum int) (JobFiles, error) {
	if submitNum < 1 {
		return JobFiles{}, fmt.Errorf("job: %s/%s: submit number %d: must be 1 or more", point, task, submitNum)
	}
	files := l.Job(point, task, submitNum)
	taskDir := filepath.Dir(files.Dir)
	if submitNum == 1 {
		entries, err := os.ReadDir(taskDir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return files, fmt.Errorf("job: %w", err)
		}
		for _, e := range entries {
			if _, err := strconv.Atoi(e.Name()); err == nil && e.Name() != "01" {
				if err := os.RemoveAll(filepath.Join(taskDir, e.Name())); err != nil {
					return files, fmt.Errorf("job: removing an old job log: %w", err)
				}
			}
		}
	} else if err := os.RemoveAll(files.Dir); err != nil {
		return files, fmt.Errorf("job: removing an old job log: %w", err)
	}
	if err := os.MkdirAll(files.Dir, 0o755); err != nil {
		return files, fmt.Errorf("job: %w", err)
	}
	// Old output of a re-used directory must not be mistaken for this job's.
	for _, p := range []string{files.Out, files.Err, files.Status, filepath.Join(files.Dir, FileXtrace)} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return files, fmt.Errorf("job: %w", err)
		}
	}
	link := filepath.Join(taskDir, LatestLink)
	target := filepath.Base(files.Dir)
	if old, err := os.Readlink(link); err == nil && old == target {
		return files, nil
	}
	// Replace the link atomically so readers never see it missing.
	tmp := link + ".tmp"
	_ = os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return files, fmt.Errorf("job: %w", err)
	}
	if err := os.Rename(tmp, link); err != nil {
		_ = os.Remove(tmp)
		return files, fmt.Errorf("job: %w", err)
	}
	return files, nil
}
