package platform

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, src string, opts Options) *Config {
	t.Helper()
	c, err := Parse("global.cylc", []byte(src), nil, opts)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return c
}

// sitePlatforms re-expresses the platforms of Cylc's tests/unit/
// test_platforms.py as a global.cylc. The expected lookups below were
// obtained from Cylc's platform_from_name and platform_name_from_job_info
// on this same file (CYLC_CONF_PATH pointing at it).
const sitePlatforms = `
[platforms]
    [[desktop\d\d, laptop\d\d]]
        job runner = background
    [[sugar]]
        hosts = localhost
        job runner = slurm
    [[hpc-no-logs]]
        hosts = hpc1, hpc2
        job runner = pbs
        retrieve job logs = False
    [[hpc-logs]]
        hosts = hpc1, hpc2
        job runner = pbs
        retrieve job logs = True
    [[hpc1-bg]]
        hosts = hpc1
    [[hpc2-bg]]
        hosts = hpc2
        job runner = background
    [[hpc.*]]
        hosts = hpcx
        job runner = slurm
        install target = hpc
    [[nu.*]]
        job runner = slurm
        hosts = localhost
    [["vld\d{2,3}"]]
[platform groups]
    [[g1]]
        platforms = hpc-logs, sugar
        [[[selection]]]
            method = definition order
`

func TestPlatformLookup(t *testing.T) {
	c := mustParse(t, sitePlatforms, Options{})
	wantNames := []string{"localhost", `desktop\d\d`, `laptop\d\d`, "sugar", "hpc-no-logs", "hpc-logs",
		"hpc1-bg", "hpc2-bg", "hpc.*", "nu.*", `vld\d{2,3}`}
	if got := c.PlatformNames(); !slices.Equal(got, wantNames) {
		t.Errorf("PlatformNames = %q, want %q", got, wantNames)
	}
	for _, tc := range []struct {
		name, wantName, pattern string
		hosts                   []string
		runner, target, method  string
	}{
		{"", "localhost", "localhost", []string{"localhost"}, "background", "localhost", DefinitionOrder},
		{"localhost", "localhost", "localhost", []string{"localhost"}, "background", "localhost", DefinitionOrder},
		{"desktop01", "desktop01", `desktop\d\d`, []string{"desktop01"}, "background", "desktop01", Random},
		{"laptop22", "laptop22", `laptop\d\d`, []string{"laptop22"}, "background", "laptop22", Random},
		{"sugar", "sugar", "sugar", []string{"localhost"}, "slurm", "sugar", Random},
		// The last-defined match wins: hpc.* hides the earlier hpc platforms.
		{"hpc1", "hpc1", "hpc.*", []string{"hpcx"}, "slurm", "hpc", Random},
		{"hpc-logs", "hpc-logs", "hpc.*", []string{"hpcx"}, "slurm", "hpc", Random},
		{"hpc1-bg", "hpc1-bg", "hpc.*", []string{"hpcx"}, "slurm", "hpc", Random},
		{"nutmeg", "nutmeg", "nu.*", []string{"localhost"}, "slurm", "nutmeg", Random},
		// A quoted heading keeps its comma as a {m,n} repetition.
		{"vld123", "vld123", `vld\d{2,3}`, []string{"vld123"}, "background", "vld123", Random},
		// A group resolves to a member, which is then looked up.
		{"g1", "hpc-logs", "hpc.*", []string{"hpcx"}, "slurm", "hpc", Random},
		// Jobless run modes fall back on localhost (Cylc 8.7).
		{"simulation", "localhost", "localhost", []string{"localhost"}, "background", "localhost", DefinitionOrder},
		{"skip", "localhost", "localhost", []string{"localhost"}, "background", "localhost", DefinitionOrder},
	} {
		p, err := c.Platform(tc.name)
		if err != nil {
			t.Errorf("Platform(%q): %v", tc.name, err)
			continue
		}
		if p.Name != tc.wantName || p.Pattern != tc.pattern || !slices.Equal(p.Hosts, tc.hosts) ||
			p.JobRunner != tc.runner || p.InstallTarget != tc.target || p.SelectionMethod != tc.method {
			t.Errorf("Platform(%q) = name %q pattern %q hosts %q runner %q target %q method %q; want %q %q %q %q %q %q",
				tc.name, p.Name, p.Pattern, p.Hosts, p.JobRunner, p.InstallTarget, p.SelectionMethod,
				tc.wantName, tc.pattern, tc.hosts, tc.runner, tc.target, tc.method)
		}
	}
	for _, name := range []string{"vld1", "moo", "desktop1", "sugarx"} {
		if _, err := c.Platform(name); !errors.Is(err, ErrNoPlatform) {
			t.Errorf("Platform(%q) error = %v, want ErrNoPlatform", name, err)
		}
	}
}

func TestPlatformResultsAreIndependent(t *testing.T) {
	c := mustParse(t, "[platforms]\n[[a.*]]\nhosts = h1, h2\njob runner = slurm\n", Options{})
	p1, _ := c.Platform("a1")
	p1.Hosts[0] = "changed"
	p1.SubmissionPollingIntervals[0] = 0
	p2, _ := c.Platform("a2")
	if p2.Hosts[0] != "h1" || p2.SubmissionPollingIntervals[0] != 15*time.Minute {
		t.Errorf("a lookup leaked into the next: %q %v", p2.Hosts, p2.SubmissionPollingIntervals)
	}
}

func TestCommaSeparatedHeadings(t *testing.T) {
	// Cylc's test_expand_commas: a name keeps the position where it was
	// first seen, and later sections naming it override earlier ones.
	c := mustParse(t, `
[platforms]
    [[foo]]
        [[[meta]]]
            x = 1
    [["bar"]]  # double quoted name
        [[[meta]]]
            x = 2
    [[baz, bar, pub]]
        [[[meta]]]
            x = 3
    [['pub']]
        [[[meta]]]
            x = 4
`, Options{})
	if got, want := c.PlatformNames(), []string{"localhost", "foo", "bar", "baz", "pub"}; !slices.Equal(got, want) {
		t.Errorf("PlatformNames = %q, want %q", got, want)
	}
	for name, want := range map[string]string{"foo": "1", "bar": "3", "baz": "3", "pub": "4"} {
		p, err := c.Platform(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Meta) != 1 || p.Meta[0] != (KeyValue{"x", want}) {
			t.Errorf("%s meta = %v, want x = %s", name, p.Meta, want)
		}
	}
}

func TestCommasInPatterns(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a, b", "a|b"},
		{"a ,b", "a|b"},
		{`vld\d{2,3}`, `vld\d{2,3}`},
		{`x{1, 2}, y`, `x{1, 2}|y`},
		{"plain", "plain"},
	} {
		if got := commasToAlternatives(tc.in); got != tc.want {
			t.Errorf("commasToAlternatives(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"a, b", []string{"a", "b"}},
		{`"a, b", c`, []string{"a, b", "c"}},
		{`'x', "y"`, []string{"x", "y"}},
		{`a"b`, []string{"a", "b"}},
		{"one", []string{"one"}},
	} {
		if got := expandHeading(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("expandHeading(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// A quoted heading with a plain comma matches either side.
	c := mustParse(t, "[platforms]\n[[\"p1, p2\"]]\njob runner = slurm\n", Options{})
	for _, n := range []string{"p1", "p2"} {
		if p, err := c.Platform(n); err != nil || p.JobRunner != "slurm" {
			t.Errorf("Platform(%q) = %v, %v", n, p, err)
		}
	}
}

func TestLocalhostOverride(t *testing.T) {
	// [platforms][localhost] may be set; it stays first in the search
	// order, so any later definition matching a name still wins over it.
	c := mustParse(t, `
[platforms]
    [[other]]
    [[localhost]]
        hosts = localhost, myhost
        job runner = slurm
        [[[selection]]]
            method = random
`, Options{})
	if got, want := c.PlatformNames(), []string{"localhost", "other"}; !slices.Equal(got, want) {
		t.Errorf("PlatformNames = %q, want %q", got, want)
	}
	p, err := c.Platform("localhost")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Hosts, []string{"localhost", "myhost"}) || p.JobRunner != "slurm" || p.SelectionMethod != Random {
		t.Errorf("localhost = %q %q %q", p.Hosts, p.JobRunner, p.SelectionMethod)
	}
}

func TestGroups(t *testing.T) {
	const src = `
[platforms]
    [[a]]
        hosts = a1, a2
        job runner = slurm
    [[b]]
        hosts = b1
    [[c]]
        hosts = c1
[platform groups]
    [[ab]]
        platforms = a, b
        [[[selection]]]
            method = definition order
    [[abc]]
        platforms = a, b, c
    [[g.*]]
        platforms = c
    [[gx]]
        platforms = b
    [[empty]]
    [[ghost]]
        platforms = nosuch
`
	// rnd always picks the last candidate, so random choices are visible.
	last := func(n int) int { return n - 1 }
	c := mustParse(t, src, Options{Rand: last})
	for _, tc := range []struct {
		name string
		bad  []string
		want string // platform name, or error text
	}{
		{"ab", nil, "a"},
		{"ab", []string{"a1"}, "a"},
		{"ab", []string{"a1", "a2"}, "b"},
		{"ab", []string{"a1", "a2", "b1"}, "Unable to find a contactable platform from group ab"},
		{"abc", nil, "c"},
		{"abc", []string{"c1"}, "b"},
		// Groups are regular expressions too, searched last-defined first.
		{"gy", nil, "c"},
		{"gx", nil, "b"},
		{"empty", nil, "Unable to find a contactable platform from group empty"},
		{"ghost", nil, `No matching platform "nosuch" found`},
		{"ghost", []string{"x"}, `No matching platform "nosuch" found`},
	} {
		bad := map[string]bool{}
		for _, h := range tc.bad {
			bad[h] = true
		}
		p, err := c.PlatformAvoiding(tc.name, bad)
		got := ""
		if err != nil {
			got = strings.SplitN(err.Error(), "\n", 2)[0]
		} else {
			got = p.Name
		}
		if got != tc.want {
			t.Errorf("PlatformAvoiding(%q, %q) = %q, want %q", tc.name, tc.bad, got, tc.want)
		}
	}
	_, err := c.PlatformAvoiding("ab", map[string]bool{"a1": true, "a2": true, "b1": true})
	if !errors.Is(err, ErrNoPlatforms) {
		t.Errorf("all-bad group error %v does not wrap ErrNoPlatforms", err)
	}
	if got := c.GroupNames(); !slices.Equal(got, []string{"ab", "abc", "g.*", "gx", "empty", "ghost"}) {
		t.Errorf("GroupNames = %q", got)
	}
	// The first candidate with a different random source.
	c = mustParse(t, src, Options{Rand: func(int) int { return 0 }})
	if p, err := c.Platform("abc"); err != nil || p.Name != "a" {
		t.Errorf("Platform(abc) with rnd=0 = %v, %v; want a", p, err)
	}
}

func TestSelectHost(t *testing.T) {
	c := mustParse(t, `
[platforms]
    [[r]]
        hosts = h1, h2, h3
        job runner = slurm
    [[d]]
        hosts = h1, h2, h3
        job runner = pbs
        [[[selection]]]
            method = definition order
`, Options{})
	second := func(n int) int { return 1 }
	for _, tc := range []struct {
		platform string
		bad      []string
		want     string
	}{
		{"d", nil, "h1"},
		{"d", []string{"h1"}, "h2"},
		{"d", []string{"h1", "h2"}, "h3"},
		{"r", nil, "h2"},
		{"r", []string{"h2"}, "h3"},
		{"r", []string{"h1", "h2"}, "h3"}, // second of one is bounded to it
		{"localhost", nil, "localhost"},
		{"d", []string{"h1", "h2", "h3"}, "Unable to find contactable host for platform: d"},
	} {
		p, err := c.Platform(tc.platform)
		if err != nil {
			t.Fatal(err)
		}
		bad := map[string]bool{}
		for _, h := range tc.bad {
			bad[h] = true
		}
		got, err := p.SelectHost(bad, second)
		if err != nil {
			got = strings.SplitN(err.Error(), "\n", 2)[0]
			if !errors.Is(err, ErrNoHosts) {
				t.Errorf("SelectHost error %v does not wrap ErrNoHosts", err)
			}
		}
		if got != tc.want {
			t.Errorf("%s.SelectHost(%q) = %q, want %q", tc.platform, tc.bad, got, tc.want)
		}
	}
	// Without a random source one of the good hosts is still chosen.
	p, _ := c.Platform("r")
	if h, err := p.SelectHost(map[string]bool{"h1": true}, nil); err != nil || (h != "h2" && h != "h3") {
		t.Errorf("SelectHost(nil rnd) = %q, %v", h, err)
	}
	bogus := &Platform{Name: "x", Hosts: []string{"h"}, SelectionMethod: "fastest"}
	if _, err := bogus.SelectHost(nil, nil); err == nil ||
		!strings.Contains(err.Error(), `method "fastest" is not a supported host selection method`) {
		t.Errorf("unknown method error = %v", err)
	}
}

func TestIsLocal(t *testing.T) {
	mine := func(h string) bool { return h == "myhost" || h == "myhost.example.org" }
	c := mustParse(t, `
[platforms]
    [[here]]
        hosts = localhost4.localdomain4, myhost
        job runner = slurm
    [[there]]
        hosts = myhost, far
        job runner = slurm
    [[named]]
`, Options{LocalHost: mine})
	for name, want := range map[string]bool{"localhost": true, "here": true, "there": false, "named": false} {
		p, err := c.Platform(name)
		if err != nil {
			t.Fatal(err)
		}
		if p.IsLocal() != want {
			t.Errorf("%s.IsLocal() = %v, want %v", name, p.IsLocal(), want)
		}
	}
	if !(&Platform{}).IsLocal() {
		t.Error("a platform with no hosts is not remote (Cylc: any() of nothing)")
	}
}

func TestSubshell(t *testing.T) {
	for _, tc := range []struct {
		in, cmd string
		ok      bool
	}{
		{"normal", "", false},
		{"$(yes)", "yes", true},
		{"$( pick-platform --cycle 2020 )", "pick-platform --cycle 2020", true},
		{"$(a (b)) tail", "a (b)", true},
		{"x$(y)", "", false},
		{"`echo x`", "", false},
	} {
		cmd, ok := Subshell(tc.in)
		if cmd != tc.cmd || ok != tc.ok {
			t.Errorf("Subshell(%q) = %q, %v; want %q, %v", tc.in, cmd, ok, tc.cmd, tc.ok)
		}
	}
}

// With no global configuration there is localhost alone, with Cylc's
// defaults.
func TestDefault(t *testing.T) {
	c := Default(Options{})
	p, err := c.Platform("localhost")
	if err != nil {
		t.Fatal(err)
	}
	if p.JobRunner != "background" || !p.IsLocal() || len(p.ExecutionPollingIntervals) != 1 || p.ExecutionPollingIntervals[0] != 15*time.Minute {
		t.Errorf("default localhost = runner %q, local %t, execution polls %v; want background, true, [15m]", p.JobRunner, p.IsLocal(), p.ExecutionPollingIntervals)
	}
	if _, err := c.Platform("hpc"); !errors.Is(err, ErrNoPlatform) {
		t.Errorf("Platform(hpc) error %v; want ErrNoPlatform", err)
	}
}

// HasRemote says whether any platform's jobs run elsewhere, so that the
// scheduler knows to listen beyond loopback.
func TestHasRemote(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{
		{"", false},
		{"[platforms]\n[[slurm_here]]\nhosts = localhost\njob runner = slurm\n", false},
		{"[platforms]\n[[slurm_here]]\nhosts = localhost\n[[hpc]]\nhosts = login1, login2\njob runner = slurm\n", true},
		{"[platforms]\n[[hpc\\d+]]\njob runner = pbs\n", true}, // the name is the host
	} {
		if got := mustParse(t, c.src, Options{}).HasRemote(); got != c.want {
			t.Errorf("HasRemote of %q = %t; want %t", c.src, got, c.want)
		}
	}
}
