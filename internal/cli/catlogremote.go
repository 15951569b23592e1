package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"gyre/internal/remote"
	"gyre/internal/store"
)

// remoteJobLog returns how to read a job log on the remote install target
// where the job ran, or nil for a job on this host, one sharing its file
// system, or one the run database does not place (cat-log then reads the
// local file, as for any job). jobDir is the job's log directory (its NN
// link resolved), name the log file's name.
func remoteJobLog(wid, runDir, point, task, jobDir, name string) func(ctx context.Context, follow bool, w io.Writer) error {
	if real, err := filepath.EvalSymlinks(jobDir); err == nil {
		jobDir = real
	}
	submit, err := strconv.Atoi(filepath.Base(jobDir))
	if err != nil {
		return nil
	}
	st, err := store.OpenReadOnly(filepath.Join(runDir, "log", "db"))
	if err != nil {
		return nil
	}
	plName, err := st.JobPlatform(context.Background(), point, task, submit)
	st.Close()
	if err != nil || plName == "" {
		return nil
	}
	cfg, err := loadPlatforms()
	if err != nil {
		return nil
	}
	pl, err := cfg.Platform(plName)
	if err != nil || !hasOwnFiles(pl) {
		return nil
	}
	rel := filepath.ToSlash(filepath.Join("log", "job", point, task, filepath.Base(jobDir), name))
	return func(ctx context.Context, follow bool, w io.Writer) error {
		m, err := remote.NewManager(remote.Config{WorkflowID: wid, RunDir: runDir, Env: os.Environ()})
		if err != nil {
			return err
		}
		return m.Cat(ctx, pl, rel, follow, w)
	}
}
