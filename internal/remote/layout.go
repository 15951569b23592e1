package remote

import (
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"gyre/internal/api"
	"gyre/internal/job"
)

// runRootName is the run root under the remote home, as locally
// (~/gyre-run): the same relative path on every host.
const runRootName = "gyre-run"

// Layout says where a run's files are on a platform's hosts. On a remote
// install target the paths start with "$HOME/", for the job script and the
// remote shell to expand (job.Spec accepts that form); on an install target
// that shares the scheduler's file system they are the local paths.
type Layout struct {
	RunDir      string // $HOME/gyre-run/<workflow ID>
	ServiceDir  string // RunDir/.service (mode 0700)
	ShimDir     string // ServiceDir/bin: the jobs' "cylc" and "isodatetime"
	GyreBin     string // ServiceDir/gyre, or <cylc path>/gyre
	ContactFile string // ServiceDir/contact, copied from the scheduler's
	TokenFile   string // ServiceDir/token: job.Contact.TokenFile
	// Shared is set when the install target is the scheduler's own file
	// system: nothing is copied and job logs need no retrieval.
	Shared bool
}

// remoteLayout is the layout of a run on a remote install target. A
// non-empty cylcPath is the platform's "cylc path": the directory holding
// a gyre already installed there, used instead of a copy.
func remoteLayout(workflowID, cylcPath string) Layout {
	run := path.Join("$HOME", runRootName, workflowID)
	l := withService(run)
	if cylcPath != "" {
		l.GyreBin = path.Join(cylcPath, gyreName)
	}
	return l
}

// sharedLayout is the layout of a run whose install target shares the
// scheduler's file system: its own run directory and binary, and the shim
// the scheduler wrote.
func sharedLayout(runDir, gyreBin, cylcPath string) Layout {
	l := withService(runDir)
	l.GyreBin = gyreBin
	if cylcPath != "" {
		l.GyreBin = path.Join(cylcPath, gyreName)
	}
	l.Shared = true
	return l
}

// gyreName is the binary's name in the service directory and under a
// platform's "cylc path".
const gyreName = "gyre"

func withService(run string) Layout {
	svc := path.Join(run, ".service")
	return Layout{
		RunDir:      run,
		ServiceDir:  svc,
		ShimDir:     path.Join(svc, "bin"),
		GyreBin:     path.Join(svc, gyreName),
		ContactFile: path.Join(svc, api.ContactFileName),
		TokenFile:   path.Join(svc, api.TokenFileName),
	}
}

// rsyncPath is a path in the form rsync's remote side takes it: relative
// to the home directory, where ssh starts.
func rsyncPath(p string) string {
	rest, _ := cutHome(p)
	if rest == "" {
		return "."
	}
	return rest
}

// jobKey is a job ID taken apart: "<point>/<task>/<NN>".
type jobKey struct {
	point, task string
	submit      int
}

// parseJobID reads a job ID as the scheduler makes them. It refuses
// anything that could name a file outside the job log directory.
func parseJobID(id string) (jobKey, error) {
	parts := strings.Split(id, "/")
	if len(parts) != 3 {
		return jobKey{}, fmt.Errorf("job ID %q: want <cycle point>/<task>/<NN>", id)
	}
	for _, p := range parts[:2] {
		if p == "" || p == "." || p == ".." || strings.HasPrefix(p, "-") ||
			strings.ContainsAny(p, " \t\r\n\x00'\"$`\\") {
			return jobKey{}, fmt.Errorf("job ID %q: %q is not a cycle point or task name", id, p)
		}
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil || n < 1 || fmt.Sprintf("%02d", n) != parts[2] {
		return jobKey{}, fmt.Errorf("job ID %q: submit number %q: want two or more digits, 01 or more", id, parts[2])
	}
	return jobKey{point: parts[0], task: parts[1], submit: n}, nil
}

// files returns a job's files under a (resolved) run directory.
func (k jobKey) files(runDir string) job.JobFiles {
	return job.Layout{RunDir: runDir}.Job(k.point, k.task, k.submit)
}

// dir is the job's log directory relative to the run directory.
func (k jobKey) dir() string {
	return filepath.Join("log", "job", k.point, k.task, fmt.Sprintf("%02d", k.submit))
}
