package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"gyre/internal/remote"
	"gyre/internal/store"
)

// cleanRemote removes a stopped run from the remote install targets its
// jobs used, as "cylc clean" does before it cleans the local run: the run
// database says which platforms they were, the global configuration where
// those are. Each install target is cleaned once; platforms on this host
// or sharing its file system have nothing there. A run that never ran a
// job (no database) has nothing remote; one whose database cannot be read
// is cleaned here only, with a warning.
func cleanRemote(ctx context.Context, runDir, id string, stderr io.Writer) error {
	st, err := store.OpenReadOnly(filepath.Join(runDir, "log", "db"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	var names []string
	if err == nil {
		names, err = st.Platforms(ctx)
		st.Close()
	}
	if err != nil {
		// Nothing says where the jobs went: clean what is here.
		fmt.Fprintf(stderr, "WARNING - %v\n  not cleaning remote install targets: the run database does not say which\n", err)
		return nil
	}
	cfg, err := loadPlatforms()
	if err != nil {
		return fmt.Errorf("global configuration: %w", err)
	}
	var m *remote.Manager
	cleaned := map[string]bool{}
	var errs []error
	for _, name := range names {
		pl, err := cfg.Platform(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("platform %s, used by the run: %w", name, err))
			continue
		}
		if !hasOwnFiles(pl) || cleaned[pl.InstallTarget] {
			continue
		}
		cleaned[pl.InstallTarget] = true
		if m == nil {
			if m, err = remote.NewManager(remote.Config{WorkflowID: id, RunDir: runDir, Env: os.Environ()}); err != nil {
				return err
			}
		}
		fmt.Fprintf(stderr, "INFO - Removing the run from install target %s (platform %s)\n", pl.InstallTarget, pl.Name)
		if err := m.Clean(ctx, pl); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
