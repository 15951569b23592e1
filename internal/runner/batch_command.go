package runner

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// command is an external command of a runner.
type command struct {
	path string
	args []string
	show string // how errors name it
}

func (c command) String() string {
	return strings.Join(append([]string{c.show}, c.args...), " ")
}

// run runs the command in the directory runner commands start in ($HOME),
// with env, and returns its standard output and error. An error carries
// what the command said on standard error.
func (c command) run(ctx context.Context, env []string, stdin io.Reader) (string, string, error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, c.path, c.args...)
	cmd.Env = env
	cmd.Dir = startDir(env)
	cmd.Stdin = stdin // nil: /dev/null, as Cylc gives its commands
	cmd.Stdout, cmd.Stderr = &out, &errb
	// Do not wait for pipes held open by anything the command left behind.
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	if err != nil {
		if c.path == "/bin/sh" {
			err = fmt.Errorf("sh -c %s: %w", shellQuote(c.show), err)
		} else {
			err = fmt.Errorf("%s: %w", c, err)
		}
		if msg := strings.TrimSpace(errb.String()); msg != "" {
			err = fmt.Errorf("%w: %s", err, msg)
		}
	}
	return out.String(), errb.String(), err
}

// lookPathEnv finds a runner command on the PATH of env, the environment
// the runner's commands get (exec.LookPath would search the scheduler's).
func lookPathEnv(env []string, runner, name string) (string, error) {
	path, ok := "", false
	for i := len(env) - 1; i >= 0 && !ok; i-- {
		path, ok = strings.CutPrefix(env[i], "PATH=")
	}
	if !ok {
		path = os.Getenv("PATH")
	}
	for _, dir := range filepath.SplitList(path) {
		if !filepath.IsAbs(dir) {
			continue // never a command from wherever the scheduler stands
		}
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("runner: %s: command %q not found on PATH %q (is the %s job runner installed on this host?)",
		runner, name, path, runner)
}
