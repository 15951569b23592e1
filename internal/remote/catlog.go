package remote

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"

	"gyre/internal/platform"
)

// Cat writes a file of the run directory on a platform's install target
// (rel is relative to the run directory) to w, for "cylc cat-log" of a job
// whose logs are still there: with follow, through the platform's "tail
// command template" until ctx ends or the tail does; otherwise by cat. A
// platform sharing the scheduler's file system has nothing of its own to
// show.
func (m *Manager) Cat(ctx context.Context, pl *platform.Platform, rel string, follow bool, w io.Writer) error {
	if shared(pl) {
		return fmt.Errorf("platform %s shares this host's file system: read the file here", pl.Name)
	}
	file := homeWord(path.Join(m.Layout(pl).RunDir, rel))
	words := []string{"cat", file}
	if follow {
		tmpl := pl.TailCommandTemplate
		if !strings.Contains(tmpl, "%(filename)s") {
			return fmt.Errorf("platform %s: tail command template %q has no %%(filename)s", pl.Name, tmpl)
		}
		// The template is shell text; the file name goes in quoted.
		words = []string{strings.ReplaceAll(tmpl, "%(filename)s", file)}
	}
	return m.onHosts(pl, func(host string) error {
		argv, err := sshArgv(pl, host, m.cfg.Env, m.cfg.CylcVersion, false, words...)
		if err != nil {
			return fmt.Errorf("cat-log: platform %s: %w", pl.Name, err)
		}
		return runTo(ctx, m.cfg.Env, nil, w, "cat-log", pl.Name, host, argv)
	})
}
