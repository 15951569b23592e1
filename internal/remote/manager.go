package remote

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"gyre/internal/api"
	"gyre/internal/job"
	"gyre/internal/platform"
)

// LocalInstallTarget is the install target of platforms that share the
// scheduler's file system (Cylc's localhost install target).
const LocalInstallTarget = "localhost"

// Config describes the run whose jobs go to remote platforms.
type Config struct {
	WorkflowID string // "flow/run1": the run's directory under ~/gyre-run on each host
	RunDir     string // the local run directory (absolute)
	// GyreBin is the gyre binary installed on remote hosts; "" means this
	// process's executable.
	GyreBin string
	// Env is the environment ssh and rsync run in, and where the variables
	// forwarded to remote commands are found; nil means this process's.
	Env []string
	// CylcVersion is CYLC_VERSION for remote commands; "" means the Cylc
	// release Gyre follows.
	CylcVersion string
	// Install are more run directory items to install, as in [scheduler]
	// install: "dir/" for a directory, "file" for a file. app, bin, etc
	// and lib are always installed.
	Install []string
}

// Manager installs a run on the platforms' install targets and keeps track
// of their hosts: one per scheduler run, shared by its remote runners.
type Manager struct {
	cfg Config

	mu    sync.Mutex
	inits map[string]*initState // by install target
	bad   map[string]bool       // hosts found unreachable
}

// initState is one install target's remote init: done is closed when it
// has finished, with err saying how. A failed init is forgotten once its
// waiters have their answer, so that the next job tries again.
type initState struct {
	done chan struct{}
	err  error
	pl   *platform.Platform // the platform it was made for, for Tidy
}

// NewManager returns a Manager for a run.
func NewManager(cfg Config) (*Manager, error) {
	if cfg.WorkflowID == "" || strings.HasPrefix(cfg.WorkflowID, "/") || strings.Contains("/"+cfg.WorkflowID+"/", "/../") ||
		strings.ContainsAny(cfg.WorkflowID, " \t\r\n\x00'\"$`\\") {
		return nil, fmt.Errorf("remote: workflow ID %q: want NAME/runN", cfg.WorkflowID)
	}
	if !filepath.IsAbs(cfg.RunDir) {
		return nil, fmt.Errorf("remote: run directory %q: want an absolute path", cfg.RunDir)
	}
	if cfg.GyreBin == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("remote: finding the gyre binary to install on remote hosts: %w", err)
		}
		cfg.GyreBin = exe
	}
	if cfg.Env == nil {
		cfg.Env = os.Environ()
	}
	if cfg.CylcVersion == "" {
		cfg.CylcVersion = platform.DefaultCylcVersion
	}
	return &Manager{cfg: cfg, inits: map[string]*initState{}, bad: map[string]bool{}}, nil
}

// Layout returns where the run's files are on the platform's hosts. It
// needs no connection: the job script is written (with these paths) before
// its platform has been initialised.
func (m *Manager) Layout(pl *platform.Platform) Layout {
	if shared(pl) {
		return sharedLayout(m.cfg.RunDir, m.cfg.GyreBin, pl.CylcPath)
	}
	return remoteLayout(m.cfg.WorkflowID, pl.CylcPath)
}

// shared reports whether a platform's install target is the scheduler's
// own file system.
func shared(pl *platform.Platform) bool { return pl.InstallTarget == LocalInstallTarget }

// Init initialises the platform's install target for the run, once per
// run (Cylc's remote init and remote file install): it makes the run
// directory on a host of the platform and copies the gyre binary (unless
// the platform has a "cylc path"), the scheduler's contact and token
// files, the jobs' shims, and the workflow's app, bin, etc and lib
// directories there. Concurrent callers for the same install target wait
// for one init and share its outcome; a failed init is tried again by the
// next caller. An install target that shares the scheduler's file system
// needs nothing.
func (m *Manager) Init(ctx context.Context, pl *platform.Platform) error {
	if shared(pl) {
		return nil
	}
	target := pl.InstallTarget
	m.mu.Lock()
	if st, ok := m.inits[target]; ok {
		m.mu.Unlock()
		select {
		case <-st.done:
			return st.err
		case <-ctx.Done():
			return fmt.Errorf("remote init: install target %s: waiting for the init under way: %w", target, ctx.Err())
		}
	}
	st := &initState{done: make(chan struct{}), pl: pl}
	m.inits[target] = st
	m.mu.Unlock()

	st.err = m.onHosts(pl, func(host string) error { return m.install(ctx, pl, host) })
	if st.err != nil {
		m.mu.Lock()
		delete(m.inits, target)
		m.mu.Unlock()
	}
	close(st.done)
	return st.err
}

// install does a remote init through one host.
func (m *Manager) install(ctx context.Context, pl *platform.Platform, host string) error {
	l := m.Layout(pl)
	argv, err := sshArgv(pl, host, m.cfg.Env, m.cfg.CylcVersion, false, "mkdir", "-p", "-m", "700", homeWord(l.ServiceDir))
	if err != nil {
		return fmt.Errorf("remote init: platform %s: %w", pl.Name, err)
	}
	if _, err := run(ctx, m.cfg.Env, nil, "remote init", pl.Name, host, argv); err != nil {
		return err
	}
	argv, err = installArgv(pl, host, m.cfg.RunDir, l.RunDir, m.cfg.Install)
	if err != nil {
		return fmt.Errorf("remote file install: platform %s: %w", pl.Name, err)
	}
	if _, err := run(ctx, m.cfg.Env, nil, "remote file install", pl.Name, host, argv); err != nil {
		return err
	}
	stage, err := m.stage(l, pl)
	if stage != "" {
		defer os.RemoveAll(stage)
	}
	if err != nil {
		return fmt.Errorf("remote init: platform %s: %w", pl.Name, err)
	}
	argv, err = serviceArgv(pl, host, stage, l.RunDir)
	if err != nil {
		return fmt.Errorf("remote init: platform %s: %w", pl.Name, err)
	}
	_, err = run(ctx, m.cfg.Env, nil, "remote init", pl.Name, host, argv)
	return err
}

// stage lays out, in a new temporary directory, the service files a remote
// run directory gets: .service/{gyre,contact,token} as links to the local
// files (rsync copies what they point at) and the shims in .service/bin.
func (m *Manager) stage(l Layout, pl *platform.Platform) (string, error) {
	dir, err := os.MkdirTemp("", "gyre-remote-init-")
	if err != nil {
		return "", err
	}
	// rsync gives the remote run directory the stage's mode.
	if err := os.Chmod(dir, 0o755); err != nil {
		return dir, err
	}
	svc := filepath.Join(dir, ".service")
	if err := os.MkdirAll(filepath.Join(svc, "bin"), 0o755); err != nil {
		return dir, err
	}
	if err := os.Chmod(svc, 0o700); err != nil {
		return dir, err
	}
	local := job.Layout{RunDir: m.cfg.RunDir}.ServiceDir()
	links := map[string]string{
		api.ContactFileName: filepath.Join(local, api.ContactFileName),
		api.TokenFileName:   filepath.Join(local, api.TokenFileName),
	}
	if pl.CylcPath == "" {
		bin, err := filepath.Abs(m.cfg.GyreBin)
		if err != nil {
			return dir, err
		}
		links[gyreName] = bin
	}
	for name, src := range links {
		if _, err := os.Stat(src); err != nil {
			return dir, fmt.Errorf("%w (remote init copies it to the job hosts; is the scheduler running?)", err)
		}
		if err := os.Symlink(src, filepath.Join(svc, name)); err != nil {
			return dir, err
		}
	}
	for name, text := range shims(l.GyreBin) {
		if err := os.WriteFile(filepath.Join(svc, "bin", name), []byte(text), 0o755); err != nil {
			return dir, err
		}
	}
	return dir, nil
}

// shims returns the jobs' "cylc" and "isodatetime" commands on a remote
// host, as the scheduler writes them locally: scripts that run the gyre
// binary, found through the remote home directory.
func shims(gyreBin string) map[string]string {
	out := map[string]string{}
	for _, name := range []string{"cylc", "isodatetime"} {
		out[name] = "#!/bin/sh\n# Gyre: jobs' \"" + name + "\" command.\nexec " + homeWord(gyreBin) + " " + name + " \"$@\"\n"
	}
	return out
}

// Tidy removes the scheduler's contact file from every install target
// initialised, as Cylc's remote tidy does at shutdown, so that jobs still
// running there know that the scheduler has gone. The run directories
// stay, with the jobs' logs. The caller bounds the time it takes with ctx
// (Cylc gives it 10 seconds).
func (m *Manager) Tidy(ctx context.Context) error {
	m.mu.Lock()
	var done []*initState
	for _, st := range m.inits {
		select {
		case <-st.done:
			if st.err == nil {
				done = append(done, st)
			}
		default:
		}
	}
	m.mu.Unlock()
	var errs []error
	for _, st := range done {
		l := m.Layout(st.pl)
		err := m.onHosts(st.pl, func(host string) error {
			argv, err := sshArgv(st.pl, host, m.cfg.Env, m.cfg.CylcVersion, false, "rm", "-f", homeWord(l.ContactFile))
			if err != nil {
				return err
			}
			_, err = run(ctx, m.cfg.Env, nil, "remote tidy", st.pl.Name, host, argv)
			return err
		})
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// onHosts calls try with a host of the platform, and again with another
// host for as long as the host tried was unreachable; unreachable hosts
// are remembered for later calls. When every host has failed they are
// forgotten, so that the next call tries them all again (as Cylc resets
// its bad hosts), and the errors are returned together.
func (m *Manager) onHosts(pl *platform.Platform, try func(host string) error) error {
	if len(pl.Hosts) == 0 {
		return fmt.Errorf("platform %s has no hosts", pl.Name)
	}
	m.mu.Lock()
	if allBad(pl.Hosts, m.bad) {
		m.forget(pl.Hosts)
	}
	m.mu.Unlock()
	var errs []error
	for range pl.Hosts {
		m.mu.Lock()
		bad := maps.Clone(m.bad)
		m.mu.Unlock()
		host, err := pl.SelectHost(bad, nil)
		if errors.Is(err, platform.ErrNoHosts) {
			break
		}
		if err != nil {
			return err
		}
		err = try(host)
		if !errors.Is(err, ErrUnreachable) {
			return err
		}
		errs = append(errs, err)
		m.mu.Lock()
		m.bad[host] = true
		m.mu.Unlock()
	}
	m.mu.Lock()
	m.forget(pl.Hosts)
	m.mu.Unlock()
	return errors.Join(errs...)
}

// allBad reports whether every host is known to be unreachable.
func allBad(hosts []string, bad map[string]bool) bool {
	for _, h := range hosts {
		if !bad[h] {
			return false
		}
	}
	return true
}

// forget clears hosts from the unreachable ones; m.mu is held.
func (m *Manager) forget(hosts []string) {
	for _, h := range hosts {
		delete(m.bad, h)
	}
}
