package remote

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"gyre/internal/platform"
)

// cylcForwarded are the variables Cylc always passes to remote commands
// when the scheduler has them, before the platform's "ssh forward
// environment variables".
var cylcForwarded = []string{"CYLC_CONF_PATH", "CYLC_COVERAGE", "CLIENT_COMMS_METH", "CYLC_ENV_NAME"}

// loginExec is the script "bash --login -c" runs: the command is passed
// as bash's arguments, so it needs no second level of quoting.
const loginExec = `exec "$0" "$@"`

// sshArgv returns the argv that runs a command on host over ssh, as Cylc's
// construct_ssh_cmd builds it: the platform's ssh command, -n when the
// command reads no standard input, the host, then "env CYLC_VERSION=<v>"
// and the forwarded variables that env (the scheduler's environment) has,
// then, if the platform uses a login shell, bash --login -c 'exec "$0"
// "$@"', then the command. ssh joins its arguments into one line for the
// remote shell, so every word of the command must already be quoted for a
// shell (quoteWord, homeWord).
func sshArgv(pl *platform.Platform, host string, env []string, version string, stdin bool, command ...string) ([]string, error) {
	argv, err := commandWords("ssh command", pl.SSHCommand)
	if err != nil {
		return nil, err
	}
	if err := checkHost(host); err != nil {
		return nil, err
	}
	if !stdin {
		argv = append(argv, "-n")
	}
	argv = append(argv, host, "env", quoteWord("CYLC_VERSION="+version))
	var seen []string
	for _, name := range append(slices.Clone(cylcForwarded), pl.SSHForwardEnvironmentVariables...) {
		if slices.Contains(seen, name) || name == "CYLC_VERSION" {
			continue
		}
		seen = append(seen, name)
		if v, ok := lookupEnv(env, name); ok {
			argv = append(argv, quoteWord(name+"="+v))
		}
	}
	if pl.UseLoginShell {
		argv = append(argv, "bash", "--login", "-c", quoteWord(loginExec))
	}
	return append(argv, command...), nil
}

// checkHost refuses a host name that ssh or rsync would read as something
// else.
func checkHost(host string) error {
	if host == "" || strings.HasPrefix(host, "-") || strings.ContainsAny(host, " \t\r\n\x00:/") {
		return fmt.Errorf("host %q is not a host name", host)
	}
	return nil
}

// lookupEnv finds a variable in env, the last entry winning as for execve's
// consumers.
func lookupEnv(env []string, name string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// rsyncOver returns the start of an rsync argv that reaches the platform's
// hosts through its ssh command: the command setting (split), then
// --rsh. rsync splits the --rsh value itself, quotes included.
func rsyncOver(pl *platform.Platform, setting, command string) ([]string, error) {
	argv, err := commandWords(setting, command)
	if err != nil {
		return nil, err
	}
	if _, err := commandWords("ssh command", pl.SSHCommand); err != nil {
		return nil, err
	}
	return append(argv, "--rsh="+pl.SSHCommand), nil
}

// defaultIncludes are the run directory items Cylc installs on every
// remote install target.
var defaultIncludes = []string{"app/", "bin/", "etc/", "lib/"}

// installArgv is the file install: the workflow's app, bin, etc and lib
// directories (and the extra items, directories ending in "/"), with Cylc's
// options, from the local run directory to the remote one. Everything else
// is excluded, which also protects it from --delete on the remote side.
func installArgv(pl *platform.Platform, host, localRun, remoteRun string, extra []string) ([]string, error) {
	argv, err := rsyncOver(pl, "rsync command", pl.RsyncCommand)
	if err != nil {
		return nil, err
	}
	if err := checkHost(host); err != nil {
		return nil, err
	}
	argv = append(argv, "--delete", "-a", "--checksum", "--out-format=%o %n%L", "--no-t")
	for _, ex := range []string{"/log", "/share", "/work", "/.service"} {
		argv = append(argv, "--exclude="+ex)
	}
	var items []string
	for _, it := range append(slices.Clone(defaultIncludes), extra...) {
		if !slices.Contains(items, it) {
			items = append(items, it)
		}
	}
	for _, it := range items {
		if strings.HasSuffix(it, "/") {
			argv = append(argv, "--include=/"+it+"***")
		} else {
			argv = append(argv, "--include=/"+it)
		}
	}
	return append(argv, "--exclude=*", strings.TrimRight(localRun, "/")+"/", host+":"+rsyncPath(remoteRun)+"/"), nil
}

// serviceArgv copies the staged service files (the binary, contact and
// token files, shims: see stage) to the remote run directory, following
// the stage's links to their files.
func serviceArgv(pl *platform.Platform, host, stage, remoteRun string) ([]string, error) {
	argv, err := rsyncOver(pl, "rsync command", pl.RsyncCommand)
	if err != nil {
		return nil, err
	}
	if err := checkHost(host); err != nil {
		return nil, err
	}
	return append(argv, "-a", "--copy-links", "--checksum",
		strings.TrimRight(stage, "/")+"/", host+":"+rsyncPath(remoteRun)+"/"), nil
}

// jobDirsArgv copies job log directories (each with its task's NN link)
// to the remote run directory, in one call: --relative keeps the path
// below the "/./" marker, and --delete clears what an earlier run left in
// a re-used directory.
func jobDirsArgv(pl *platform.Platform, host, localRun, remoteRun string, keys []jobKey) ([]string, error) {
	argv, err := rsyncOver(pl, "rsync command", pl.RsyncCommand)
	if err != nil {
		return nil, err
	}
	if err := checkHost(host); err != nil {
		return nil, err
	}
	argv = append(argv, "-a", "--relative", "--delete", "--ignore-missing-args")
	local := strings.TrimRight(localRun, "/") + "/./"
	var seen []string
	for _, k := range keys {
		for _, p := range []string{k.dir(), path.Join(path.Dir(k.dir()), "NN")} {
			if !slices.Contains(seen, p) {
				seen = append(seen, p)
				argv = append(argv, local+p)
			}
		}
	}
	return append(argv, host+":"+rsyncPath(remoteRun)+"/"), nil
}

// retrieveArgv brings job log directories back, as Cylc's job log
// retrieval does: the platform's "retrieve job logs command" over its ssh
// command, files over maxSize left behind, and only the jobs' directories
// included (each level of them, as rsync's filter needs).
func retrieveArgv(pl *platform.Platform, host, localRun, remoteRun string, keys []jobKey) ([]string, error) {
	argv, err := rsyncOver(pl, "retrieve job logs command", pl.RetrieveJobLogsCommand)
	if err != nil {
		return nil, err
	}
	if err := checkHost(host); err != nil {
		return nil, err
	}
	if pl.RetrieveJobLogsMaxSize != "" {
		argv = append(argv, "--max-size="+pl.RetrieveJobLogsMaxSize)
	}
	var includes []string
	for _, k := range keys {
		p := "/" + path.Join(k.point, k.task, fmt.Sprintf("%02d", k.submit))
		for _, inc := range []string{p + "/**", p, path.Dir(p), path.Dir(path.Dir(p))} {
			if !slices.Contains(includes, inc) {
				includes = append(includes, inc)
			}
		}
	}
	slices.Sort(includes)
	for _, inc := range includes {
		argv = append(argv, "--include="+inc)
	}
	return append(argv, "--exclude=/**",
		host+":"+rsyncPath(path.Join(remoteRun, "log", "job"))+"/",
		strings.TrimRight(localRun, "/")+"/log/job/"), nil
}
