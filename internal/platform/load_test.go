package platform

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// localhostDefaults is Cylc 8.7's [platforms][localhost] with nothing
// configured (cfgspec/globalcfg.py; `cylc config -d -i [platforms]` shows
// the same values apart from settings added or changed since 8.0).
func localhostDefaults() *Platform {
	p := &Platform{
		Name:                               "localhost",
		Pattern:                            "localhost",
		Hosts:                              []string{"localhost"},
		JobRunner:                          "background",
		CommunicationMethod:                "zmq",
		SubmissionPollingIntervals:         []time.Duration{15 * time.Minute},
		ExecutionPollingIntervals:          []time.Duration{15 * time.Minute},
		ExecutionTimeLimitPollingIntervals: []time.Duration{time.Minute, 2 * time.Minute, 7 * time.Minute},
		SSHCommand:                         "ssh -oBatchMode=yes -oConnectTimeout=10",
		RsyncCommand:                       "rsync",
		UseLoginShell:                      true,
		RetrieveJobLogsCommand:             "rsync -a",
		TailCommandTemplate:                "tail -n +1 --follow=name %(filename)s",
		InstallTarget:                      "localhost",
		MaxBatchSubmitSize:                 100,
		SelectionMethod:                    "definition order",
	}
	p.Profiler.CgroupsPath = "/sys/fs/cgroup"
	p.Profiler.PollingInterval = 10 * time.Second
	return p
}

func TestDefaults(t *testing.T) {
	c := mustParse(t, "", Options{})
	got, err := c.Platform("localhost")
	if err != nil {
		t.Fatal(err)
	}
	if want := localhostDefaults(); !reflect.DeepEqual(got, want) {
		t.Errorf("localhost defaults:\n got %+v\nwant %+v", got, want)
	}
	// Any other platform: hosts and install target default to its name,
	// hosts are picked at random.
	c = mustParse(t, "[platforms]\n    [[hpc\\d]]\n", Options{})
	got, err = c.Platform("hpc1")
	if err != nil {
		t.Fatal(err)
	}
	want := localhostDefaults()
	want.Name, want.Pattern, want.Hosts, want.InstallTarget, want.SelectionMethod = "hpc1", `hpc\d`, []string{"hpc1"}, "hpc1", "random"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("hpc1 defaults:\n got %+v\nwant %+v", got, want)
	}
}

func TestEverySetting(t *testing.T) {
	c := mustParse(t, `
[platforms]
    [[all]]
        hosts = h1, h2
        job runner = pbs
        job runner command template = qsub -q big %(job)s
        communication method = poll
        submission polling intervals = PT1M, 2*PT5M
        submission retry delays = PT10S
        execution polling intervals = PT2M
        execution time limit polling intervals = 5*PT2M, PT5M
        ssh command = ssh -q
        rsync command = rsync -v
        use login shell = False
        cylc path = /opt/cylc/bin
        global init-script = """
            module load x
              echo y
        """
        copyable environment variables = A, B
        retrieve job logs = True
        retrieve job logs command = rsync -a --no-p
        retrieve job logs max size = 10M
        retrieve job logs retry delays = PT30S, PT1M
        retrieve job log expected files = job.acct
        tail command template = tail -F %(filename)s
        err tailer = qcat -f -e %(job_id)s
        out tailer = qcat -f -o %(job_id)s
        err viewer = qcat -e %(job_id)s
        out viewer = qcat -o %(job_id)s
        job name length maximum = 15
        install target = shared
        clean job submission environment = True
        job submission environment pass-through = PBS_HOME
        job submission executable paths = /opt/pbs/bin
        max batch submit size = 10
        ssh forward environment variables = "FOO", "BAR"
        [[[meta]]]
            description = the big one
            owner = ops
        [[[profiler]]]
            activate = True
            cgroups path = /cg
            polling interval = PT5S
        [[[selection]]]
            method = definition order
        [[[directives]]]
            -q = big
            -l walltime = 01:00:00
`, Options{})
	got, err := c.Platform("all")
	if err != nil {
		t.Fatal(err)
	}
	m := time.Minute
	want := &Platform{
		Name: "all", Pattern: "all", Hosts: []string{"h1", "h2"},
		Meta:                                []KeyValue{{"description", "the big one"}, {"owner", "ops"}},
		JobRunner:                           "pbs",
		JobRunnerCommandTemplate:            "qsub -q big %(job)s",
		CommunicationMethod:                 "poll",
		SubmissionPollingIntervals:          []time.Duration{m, 5 * m, 5 * m},
		SubmissionRetryDelays:               []time.Duration{10 * time.Second},
		ExecutionPollingIntervals:           []time.Duration{2 * m},
		ExecutionTimeLimitPollingIntervals:  []time.Duration{2 * m, 2 * m, 2 * m, 2 * m, 2 * m, 5 * m},
		SSHCommand:                          "ssh -q",
		RsyncCommand:                        "rsync -v",
		UseLoginShell:                       false,
		CylcPath:                            "/opt/cylc/bin",
		GlobalInitScript:                    "module load x\n  echo y",
		CopyableEnvironmentVariables:        []string{"A", "B"},
		SSHForwardEnvironmentVariables:      []string{"FOO", "BAR"},
		RetrieveJobLogs:                     true,
		RetrieveJobLogsCommand:              "rsync -a --no-p",
		RetrieveJobLogsMaxSize:              "10M",
		RetrieveJobLogsRetryDelays:          []time.Duration{30 * time.Second, m},
		RetrieveJobLogExpectedFiles:         []string{"job.acct"},
		TailCommandTemplate:                 "tail -F %(filename)s",
		ErrTailer:                           "qcat -f -e %(job_id)s",
		OutTailer:                           "qcat -f -o %(job_id)s",
		ErrViewer:                           "qcat -e %(job_id)s",
		OutViewer:                           "qcat -o %(job_id)s",
		JobNameLengthMaximum:                15,
		InstallTarget:                       "shared",
		CleanJobSubmissionEnvironment:       true,
		JobSubmissionEnvironmentPassThrough: []string{"PBS_HOME"},
		JobSubmissionExecutablePaths:        []string{"/opt/pbs/bin"},
		MaxBatchSubmitSize:                  10,
		SelectionMethod:                     "definition order",
		Directives:                          []KeyValue{{"-q", "big"}, {"-l walltime", "01:00:00"}},
	}
	want.Profiler.Activate, want.Profiler.CgroupsPath, want.Profiler.PollingInterval = true, "/cg", 5*time.Second
	if !reflect.DeepEqual(got, want) {
		t.Errorf("every setting:\n got %+v\nwant %+v", got, want)
	}
}

func TestVersionHierarchy(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"8.7.0", []string{"", "8", "8.7", "8.7.0"}},
		{"8.0.1a2.dev", []string{"", "8", "8.0", "8.0.1", "8.0.1a2", "8.0.1a2.dev"}},
		{"8.1rc1", []string{"", "8", "8.1", "8.1rc1"}},
		{"weird", []string{"", "weird"}},
	} {
		if got := versionHierarchy(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("versionHierarchy(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestConfigFiles(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		home string
		want []string
	}{
		{[]string{"CYLC_CONF_PATH=/conf"}, "/home/u", []string{"/conf/global.cylc"}},
		{nil, "/home/u", []string{
			"/etc/cylc/flow/global.cylc", "/etc/cylc/flow/8/global.cylc",
			"/etc/cylc/flow/8.7/global.cylc", "/etc/cylc/flow/8.7.0/global.cylc",
			"/home/u/.cylc/flow/global.cylc", "/home/u/.cylc/flow/8/global.cylc",
			"/home/u/.cylc/flow/8.7/global.cylc", "/home/u/.cylc/flow/8.7.0/global.cylc",
		}},
		{[]string{"CYLC_SITE_CONF_PATH=/site", "HOME=/h", "CYLC_CONF_PATH="}, "/ignored", []string{
			"/site/flow/global.cylc", "/site/flow/8/global.cylc",
			"/site/flow/8.7/global.cylc", "/site/flow/8.7.0/global.cylc",
			"/h/.cylc/flow/global.cylc", "/h/.cylc/flow/8/global.cylc",
			"/h/.cylc/flow/8.7/global.cylc", "/h/.cylc/flow/8.7.0/global.cylc",
		}},
	} {
		if got := ConfigFiles(tc.env, tc.home, ""); !slices.Equal(got, tc.want) {
			t.Errorf("ConfigFiles(%q, %q) =\n%q\nwant\n%q", tc.env, tc.home, got, tc.want)
		}
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadHierarchy(t *testing.T) {
	dir := t.TempDir()
	site, home := filepath.Join(dir, "site"), filepath.Join(dir, "home")
	env := []string{"CYLC_SITE_CONF_PATH=" + site}
	// Nothing there: Cylc's defaults.
	c, err := Load(env, home, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Files) != 0 || !slices.Equal(c.PlatformNames(), []string{"localhost"}) {
		t.Errorf("no files: Files %q, platforms %q", c.Files, c.PlatformNames())
	}

	// Site and user files; the merge is by heading as written, in the
	// order first seen, and comma lists are expanded only afterwards, so
	// the user's [[a, b]] settings are applied to b after the user's
	// [[b]] (as Cylc does).
	writeFile(t, filepath.Join(site, "flow", "global.cylc"), `
[platforms]
    [[x]]
        hosts = sx
    [[a, b]]
        job runner = slurm
        cylc path = /site
[platform groups]
    [[g]]
        platforms = x
`)
	writeFile(t, filepath.Join(site, "flow", "8.7", "global.cylc"), `
[platforms]
    [[x]]
        cylc path = /site-8.7
`)
	writeFile(t, filepath.Join(home, ".cylc", "flow", "global.cylc"), `
[platforms]
    [[b]]
        cylc path = /user-b
    [[a, b]]
        cylc path = /user-ab
    [[x]]
        job runner = pbs
`)
	writeFile(t, filepath.Join(home, ".cylc", "flow", "9", "global.cylc"), "[platforms]\n[[ignored]]\n")
	c, err = Load(env, home, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []string{
		filepath.Join(site, "flow", "global.cylc"),
		filepath.Join(site, "flow", "8.7", "global.cylc"),
		filepath.Join(home, ".cylc", "flow", "global.cylc"),
	}
	if !slices.Equal(c.Files, wantFiles) {
		t.Errorf("Files = %q, want %q", c.Files, wantFiles)
	}
	if got, want := c.PlatformNames(), []string{"localhost", "x", "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("PlatformNames = %q, want %q", got, want)
	}
	for _, tc := range []struct{ name, runner, path, host string }{
		{"x", "pbs", "/site-8.7", "sx"},
		{"a", "slurm", "/user-ab", "a"},
		{"b", "slurm", "/user-b", "b"},
		{"g", "pbs", "/site-8.7", "sx"},
	} {
		p, err := c.Platform(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		if p.JobRunner != tc.runner || p.CylcPath != tc.path || p.Hosts[0] != tc.host {
			t.Errorf("%s: runner %q cylc path %q hosts %q; want %q %q %q", tc.name, p.JobRunner, p.CylcPath, p.Hosts, tc.runner, tc.path, tc.host)
		}
	}

	// CYLC_CONF_PATH replaces the whole hierarchy.
	conf := filepath.Join(dir, "conf")
	writeFile(t, filepath.Join(conf, "global.cylc"), "[platforms]\n[[only]]\n")
	c, err = Load(append(env, "CYLC_CONF_PATH="+conf), home, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.PlatformNames(); !slices.Equal(got, []string{"localhost", "only"}) {
		t.Errorf("CYLC_CONF_PATH: platforms %q", got)
	}

	// $HOME in the environment wins over the home argument, as in Cylc.
	c, err = Load(append(env, "HOME="+filepath.Join(dir, "nohome")), home, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Files, wantFiles[:2]) {
		t.Errorf("HOME: files %q, want the two site files", c.Files)
	}
	if p, err := c.Platform("b"); err != nil || p.CylcPath != "/site" {
		t.Errorf("HOME: b = %+v, %v; want the site's settings", p, err)
	}
}

func TestLoadTemplatesAndIncludes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "hpc.cylc"), "    [[hpc]]\n        job runner = slurm\n")
	writeFile(t, filepath.Join(dir, "global.cylc"), `#!Jinja2
[platforms]
{% for n in range(2) %}
    [[{{ environ['SITE'] }}{{ n }}]]
        cylc path = /cylc/{{ CYLC_VERSION }}
{% endfor %}
%include hpc.cylc
`)
	c, err := Load([]string{"CYLC_CONF_PATH=" + dir, "SITE=dc"}, "/nonexistent", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.PlatformNames(), []string{"localhost", "dc0", "dc1", "hpc"}; !slices.Equal(got, want) {
		t.Errorf("PlatformNames = %q, want %q", got, want)
	}
	p, err := c.Platform("dc1")
	if err != nil || p.CylcPath != "/cylc/8.7.0" {
		t.Errorf("dc1 = %+v, %v", p, err)
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "global.cylc")
	writeFile(t, path, "[platforms]\n    [[x]]\n        hots = a\n")
	_, err := Load([]string{"CYLC_CONF_PATH=" + dir}, "/nonexistent", Options{})
	want := path + `:3: illegal item: [platforms][x]hots` + "\n" + `  hint: did you mean "hosts"?`
	if err == nil || err.Error() != want {
		t.Errorf("error =\n%v\nwant\n%s", err, want)
	}
	// A syntax error comes from the flow file parser, also located.
	writeFile(t, path, "[platforms]\n    [[x]\n")
	if _, err := Load([]string{"CYLC_CONF_PATH=" + dir}, "/nonexistent", Options{}); err == nil ||
		!strings.HasPrefix(err.Error(), path+":2:") {
		t.Errorf("syntax error = %v", err)
	}
}
