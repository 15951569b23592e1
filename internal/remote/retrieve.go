package remote

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"gyre/internal/job"
	"gyre/internal/runner"
)

// Retrieve copies finished jobs' log directories (job.out, job.err,
// job.status, job.xtrace, ...) back from the remote run directory to the
// local one, in one rsync, when the platform's "retrieve job logs" is set;
// Cylc does this once a job has succeeded or failed, and so should the
// caller. It returns one error per job (nil when its logs are here): the
// rsync's failure, or a missing job.out or "retrieve job log expected
// files" entry, which the caller may retry after the platform's "retrieve
// job logs retry delays". On an install target that shares the scheduler's
// file system, or with retrieval off, there is nothing to do.
func (r *Runner) Retrieve(ctx context.Context, refs []runner.JobRef) []error {
	errs := make([]error, len(refs))
	if !r.pl.RetrieveJobLogs || r.layout.Shared {
		return errs
	}
	ids := make([]string, len(refs))
	for i, ref := range refs {
		ids[i] = ref.ID
	}
	keys, ok, perr := r.prepare(ids)
	copy(errs, perr)
	if len(ok) == 0 {
		return errs
	}
	err := r.m.onHosts(r.pl, func(host string) error {
		argv, err := retrieveArgv(r.pl, host, r.m.cfg.RunDir, r.layout.RunDir, keys)
		if err != nil {
			return err
		}
		_, err = run(ctx, r.m.cfg.Env, nil, "retrieving job logs", r.pl.Name, host, argv)
		return err
	})
	for n, i := range ok {
		if err != nil {
			errs[i] = fmt.Errorf("remote: job %s: %w", ids[i], err)
			continue
		}
		dir := filepath.Join(r.m.cfg.RunDir, keys[n].dir())
		var missing []error
		for _, name := range append([]string{job.FileOut}, r.pl.RetrieveJobLogExpectedFiles...) {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				missing = append(missing, err)
			}
		}
		if len(missing) > 0 {
			errs[i] = fmt.Errorf("remote: retrieving the logs of job %s from platform %s: %w", ids[i], r.pl.Name, errors.Join(missing...))
		}
	}
	return errs
}
