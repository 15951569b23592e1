package remote

import (
	"slices"
	"strings"
	"testing"

	"gyre/internal/platform"
)

// testPlatform is a remote platform with Cylc's defaults for the settings
// the package reads.
func testPlatform(edit func(*platform.Platform)) *platform.Platform {
	pl := &platform.Platform{
		Name: "hpc", Hosts: []string{"h1"}, JobRunner: "background", InstallTarget: "hpc",
		SSHCommand: "ssh -oBatchMode=yes -oConnectTimeout=10", RsyncCommand: "rsync",
		UseLoginShell: true, RetrieveJobLogsCommand: "rsync -a", SelectionMethod: platform.DefinitionOrder,
	}
	if edit != nil {
		edit(pl)
	}
	return pl
}

// The argv is Cylc's construct_ssh_cmd's for the same platform (ssh
// command, -n, host, env CYLC_VERSION=..., forwarded variables, bash
// --login -c 'exec "$0" "$@"'), then Gyre's command.
func TestSSHArgv(t *testing.T) {
	gyre := []string{`"$HOME"/gyre-run/flow/run1/.service/gyre`, "jobs-poll", "--runner=background", "--", "'$HOME/gyre-run/flow/run1'", "1/foo/01"}
	for _, c := range []struct {
		name  string
		edit  func(*platform.Platform)
		env   []string
		stdin bool
		want  string
	}{
		{
			name: "defaults",
			want: `ssh -oBatchMode=yes -oConnectTimeout=10 -n h1 env CYLC_VERSION=8.7.0 bash --login -c 'exec "$0" "$@"' ` + strings.Join(gyre, " "),
		},
		{
			name: "no login shell, user in the ssh command",
			edit: func(p *platform.Platform) {
				p.UseLoginShell = false
				p.SSHCommand = "ssh -oBatchMode=yes -l gyreremote"
			},
			want: `ssh -oBatchMode=yes -l gyreremote -n h1 env CYLC_VERSION=8.7.0 ` + strings.Join(gyre, " "),
		},
		{
			name: "forwarded variables: Cylc's, then the platform's, if set",
			edit: func(p *platform.Platform) {
				p.SSHForwardEnvironmentVariables = []string{"PROJECT", "UNSET", "CYLC_CONF_PATH", "ODD"}
			},
			env:  []string{"CYLC_CONF_PATH=/etc/x", "PROJECT=first", "PROJECT=it's mine", "ODD=a b", "CYLC_VERSION=7"},
			want: `ssh -oBatchMode=yes -oConnectTimeout=10 -n h1 env CYLC_VERSION=8.7.0 CYLC_CONF_PATH=/etc/x 'PROJECT=it'"'"'s mine' 'ODD=a b' bash --login -c 'exec "$0" "$@"' ` + strings.Join(gyre, " "),
		},
		{
			name:  "standard input wanted: no -n",
			stdin: true,
			edit:  func(p *platform.Platform) { p.SSHCommand = `ssh -o "ProxyJump gw"` },
			want:  `ssh -o ProxyJump gw h1 env CYLC_VERSION=8.7.0 bash --login -c 'exec "$0" "$@"' ` + strings.Join(gyre, " "),
		},
	} {
		argv, err := sshArgv(testPlatform(c.edit), "h1", c.env, "8.7.0", c.stdin, gyre...)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := strings.Join(argv, " "); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	// The ProxyJump option stays one word.
	argv, _ := sshArgv(testPlatform(func(p *platform.Platform) { p.SSHCommand = `ssh -o "ProxyJump gw"` }), "h1", nil, "8.7.0", false)
	if !slices.Equal(argv[:5], []string{"ssh", "-o", "ProxyJump gw", "-n", "h1"}) {
		t.Errorf("argv %q", argv)
	}
}

func TestSSHArgvErrors(t *testing.T) {
	for _, c := range []struct {
		host, ssh, want string
	}{
		{"h1", `ssh "-l`, `platform setting "ssh command" = ssh "-l: no closing quotation`},
		{"h1", "  ", `platform setting "ssh command" =   : the command is empty`},
		{"-oProxyCommand=x", "ssh", `host "-oProxyCommand=x" is not a host name`},
		{"", "ssh", `host "" is not a host name`},
		{"a b", "ssh", `host "a b" is not a host name`},
	} {
		_, err := sshArgv(testPlatform(func(p *platform.Platform) { p.SSHCommand = c.ssh }), c.host, nil, "8.7.0", false, "true")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("sshArgv(host %q, ssh command %q) error %v; want %s", c.host, c.ssh, err, c.want)
		}
	}
}

// The rsync command lines follow Cylc's: file install as
// construct_rsync_over_ssh_cmd, log retrieval as
// _process_job_logs_retrieval.
func TestRsyncArgv(t *testing.T) {
	pl := testPlatform(func(p *platform.Platform) {
		p.RsyncCommand = "rsync --timeout=60"
		p.RetrieveJobLogsCommand = "rsync -a --chmod=u+r"
		p.RetrieveJobLogsMaxSize = "10M"
	})
	keys := []jobKey{{"1", "foo", 1}, {"1", "bar", 2}, {"2", "foo", 1}, {"1", "foo", 1}}
	for _, c := range []struct {
		name string
		argv func() ([]string, error)
		want []string
	}{
		{"install", func() ([]string, error) {
			return installArgv(pl, "h1", "/local/run/", "$HOME/gyre-run/flow/run1", []string{"data/", "README", "bin/"})
		}, []string{
			"rsync", "--timeout=60", "--rsh=ssh -oBatchMode=yes -oConnectTimeout=10", "--delete", "-a", "--checksum", "--out-format=%o %n%L", "--no-t",
			"--exclude=/log", "--exclude=/share", "--exclude=/work", "--exclude=/.service",
			"--include=/app/***", "--include=/bin/***", "--include=/etc/***", "--include=/lib/***",
			"--include=/data/***", "--include=/README", "--exclude=*",
			"/local/run/", "h1:gyre-run/flow/run1/",
		}},
		{"service files", func() ([]string, error) {
			return serviceArgv(pl, "h1", "/tmp/stage", "$HOME/gyre-run/flow/run1")
		}, []string{
			"rsync", "--timeout=60", "--rsh=ssh -oBatchMode=yes -oConnectTimeout=10", "-a", "--copy-links", "--checksum",
			"/tmp/stage/", "h1:gyre-run/flow/run1/",
		}},
		{"job directories", func() ([]string, error) {
			return jobDirsArgv(pl, "h1", "/local/run", "$HOME/gyre-run/flow/run1", keys)
		}, []string{
			"rsync", "--timeout=60", "--rsh=ssh -oBatchMode=yes -oConnectTimeout=10", "-a", "--relative", "--delete", "--ignore-missing-args",
			"/local/run/./log/job/1/foo/01", "/local/run/./log/job/1/foo/NN",
			"/local/run/./log/job/1/bar/02", "/local/run/./log/job/1/bar/NN",
			"/local/run/./log/job/2/foo/01", "/local/run/./log/job/2/foo/NN",
			"h1:gyre-run/flow/run1/",
		}},
		{"retrieval", func() ([]string, error) {
			return retrieveArgv(pl, "h1", "/local/run", "$HOME/gyre-run/flow/run1", keys[:2])
		}, []string{
			"rsync", "-a", "--chmod=u+r", "--rsh=ssh -oBatchMode=yes -oConnectTimeout=10", "--max-size=10M",
			"--include=/1", "--include=/1/bar", "--include=/1/bar/02", "--include=/1/bar/02/**",
			"--include=/1/foo", "--include=/1/foo/01", "--include=/1/foo/01/**",
			"--exclude=/**", "h1:gyre-run/flow/run1/log/job/", "/local/run/log/job/",
		}},
	} {
		got, err := c.argv()
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: %v\n got %q\nwant %q", c.name, err, got, c.want)
		}
	}
	bad := testPlatform(func(p *platform.Platform) { p.RetrieveJobLogsCommand = `rsync '` })
	if _, err := retrieveArgv(bad, "h1", "/l", "$HOME/r", keys); err == nil ||
		!strings.Contains(err.Error(), `"retrieve job logs command"`) {
		t.Errorf("bad retrieve command: error %v", err)
	}
}
