package remote

import (
	"context"
	"fmt"
	"path"

	"gyre/internal/platform"
)

// Clean removes the run directory from a platform's install target, as
// "cylc clean" does for each install target a run used, through one of
// its reachable hosts; the workflow's directories above it go too if that
// leaves them empty. A platform that shares the scheduler's file system
// has nothing of its own to clean. The caller makes sure that no scheduler
// runs the workflow.
func (m *Manager) Clean(ctx context.Context, pl *platform.Platform) error {
	if shared(pl) {
		return nil
	}
	l := m.Layout(pl)
	// rmdir -p would climb to $HOME; stop at the run root.
	var parents []string
	for dir := path.Dir(l.RunDir); path.Base(dir) != runRootName && dir != "." && dir != "/"; dir = path.Dir(dir) {
		parents = append(parents, homeWord(dir))
	}
	script := `rm -rf "$1" && shift && for d; do rmdir "$d" 2>/dev/null || exit 0; done`
	words := append([]string{"sh", "-c", quoteWord(script), "gyre-clean", homeWord(l.RunDir)}, parents...)
	return m.onHosts(pl, func(host string) error {
		argv, err := sshArgv(pl, host, m.cfg.Env, m.cfg.CylcVersion, false, words...)
		if err != nil {
			return fmt.Errorf("remote clean: platform %s: %w", pl.Name, err)
		}
		_, err = run(ctx, m.cfg.Env, nil, "remote clean", pl.Name, host, argv)
		return err
	})
}
