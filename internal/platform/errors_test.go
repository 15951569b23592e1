package platform

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	const regexHintLine = "\n  hint: " + regexHint
	for _, tc := range []struct {
		name, src string
		want      []string // the error's lines, joined with "\n"
	}{
		{"top-level item", "x = 1\n", []string{
			"global.cylc:1: illegal item: x = 1",
			"  hint: settings belong in a section, e.g. [platforms]",
		}},
		{"unknown section", "[schedulr]\n[scheduler]\nanything = goes\n[install]\n[[symlink dirs]]\n", []string{
			"global.cylc:1: illegal section: [schedulr]",
			`  hint: did you mean "scheduler"?`,
		}},
		{"item under platforms", "[platforms]\nhosts = a\n", []string{
			`global.cylc:2: illegal item: "hosts" should be a [section] not a setting: [platforms]hosts`,
			"  hint: write it as a heading [[hosts]]",
		}},
		{"misspelt setting", "[platforms]\n[[a]]\nhots = a\n", []string{
			"global.cylc:3: illegal item: [platforms][a]hots",
			`  hint: did you mean "hosts"?`,
		}},
		{"removed setting", "[platforms]\n[[a]]\nshell = /bin/bash\n", []string{
			"global.cylc:3: illegal item: [platforms][a]shell",
			"  hint: jobs always run in bash since Cylc 8.7: delete this setting",
		}},
		{"bad boolean", "[platforms]\n[[a]]\nuse login shell = yes\n", []string{
			"global.cylc:3: invalid boolean: [platforms][a]use login shell = yes",
			"  hint: expected True or False",
		}},
		{"bad integer", "[platforms]\n[[a]]\njob name length maximum = x # long\n", []string{
			"global.cylc:3: invalid integer: [platforms][a]job name length maximum = x # long",
			"  hint: expected a whole number, e.g. 236",
		}},
		{"bad option", "[platforms]\n[[a]]\ncommunication method = http\n", []string{
			"global.cylc:3: invalid option: [platforms][a]communication method = http",
			"  hint: expected one of: zmq, poll, ssh",
		}},
		{"bad interval", "[platforms]\n[[a]]\nexecution polling intervals = PT1M, P1X\n", []string{
			"global.cylc:3: invalid ISO 8601 interval list: [platforms][a]execution polling intervals = PT1M, P1X " +
				"(invalid ISO 8601 duration representation: P1X)",
			"  hint: expected ISO 8601 durations, e.g. PT1M, 2*PT5M, PT10M",
		}},
		{"bad multiplier", "[platforms]\n[[a]]\nsubmission retry delays = two*PT1M\n", []string{
			`global.cylc:3: invalid ISO 8601 interval list: [platforms][a]submission retry delays = two*PT1M (bad multiplier in "two*PT1M")`,
			"  hint: expected ISO 8601 durations, e.g. PT1M, 2*PT5M, PT10M",
		}},
		{"bad single interval", "[platforms]\n[[a]]\n[[[profiler]]]\npolling interval = 10s\n", []string{
			"global.cylc:4: invalid ISO 8601 interval: [platforms][a][profiler]polling interval = 10s " +
				"(invalid ISO 8601 duration representation: 10s)",
			"  hint: expected an ISO 8601 duration, e.g. PT10S, PT1M, P1D",
		}},
		{"bad quoting", "[platforms]\n[[a]]\nhosts = 'a\n", []string{
			"global.cylc:3: invalid list: [platforms][a]hosts = 'a (no closing quotation)",
			"  hint: expected a comma separated list of strings, e.g. a, b c, d",
		}},
		{"bad string quoting", "[platforms]\n[[a]]\ncylc path = \"/x\" y\n", []string{
			`global.cylc:3: invalid quoting: [platforms][a]cylc path = "/x" y`,
			"  hint: close the quotes, or remove them",
		}},
		{"subsections", "[platforms]\n[[a]]\ndirectives = 1\n[[[hosts]]]\n[[[other]]]\n[[[meta]]]\nx  y = 1\n[[[[sub]]]]\n", []string{
			`global.cylc:3: illegal item: "directives" should be a [section] not a setting: [platforms][a]directives`,
			"  hint: write it as a heading [[[directives]]]",
			`global.cylc:4: illegal item: "hosts" should be a setting not a [section]: [platforms][a][hosts]`,
			"  hint: write it as a setting: hosts = VALUE",
			"global.cylc:5: illegal section: [platforms][a][other]",
			"  hint: expected one of: meta, profiler, selection, directives",
			"global.cylc:7: illegal item (consecutive spaces): [platforms][a][meta]x  y",
			"  hint: use single spaces between words",
			`global.cylc:8: illegal item: "sub" should be a setting not a [section]: [platforms][a][meta][sub]`,
			"  hint: write it as a setting: sub = VALUE",
		}},
		{"selection and profiler", "[platforms]\n[[a]]\n[[[selection]]]\nmethod = fastest\n[[[profiler]]]\nactivat = True\n", []string{
			"global.cylc:4: invalid option: [platforms][a][selection]method = fastest",
			"  hint: expected one of: random, definition order",
			"global.cylc:6: illegal item: [platforms][a][profiler]activat",
			`  hint: did you mean "activate"?`,
		}},
		{"bad regex", "[platforms]\n[[a(]]\n[[(?=x)]]\n", []string{
			"global.cylc:2: invalid platform name: [platforms][a(] (error parsing regexp: missing closing ): `a(`)" + regexHintLine,
			"global.cylc:3: invalid platform name: [platforms][(?=x)] (error parsing regexp: invalid or unsupported Perl syntax: `(?=`)" +
				regexHintLine,
		}},
		{"localhost regex", "[platforms]\n[[local.*]]\n[[x|l]]\n[[localhost, lo]]\n[[localhost2-x]]\n", []string{
			`global.cylc:2: the "localhost" platform cannot be defined using a regular expression: [platforms][local.*]`,
			"  hint: to give localhost and other platforms the same settings, use a comma separated list: [[localhost, local.*]]",
			`global.cylc:3: the "localhost" platform cannot be defined using a regular expression: [platforms][x|l]`,
			"  hint: to give localhost and other platforms the same settings, use a comma separated list: [[localhost, x|l]]",
		}},
		{"empty name", "[platforms]\n[[a, , b]]\n", []string{
			"global.cylc:2: empty platform name in heading: [platforms][a, , b]",
			"  hint: remove the extra comma",
		}},
		{"groups", "[platform groups]\n[[h]]\nplatform = a\n[[[selection]]]\nmethod = x\n[[[meta]]]\nk = 'v\n[[[other]]]\n[[g(]]\n", []string{
			"global.cylc:3: illegal item: [platform groups][h]platform",
			`  hint: did you mean "platforms"?`,
			"global.cylc:5: invalid option: [platform groups][h][selection]method = x",
			"  hint: expected one of: random, definition order",
			"global.cylc:7: invalid quoting: [platform groups][h][meta]k = 'v",
			"  hint: close the quotes, or remove them",
			"global.cylc:8: illegal section: [platform groups][h][other]",
			"  hint: expected one of: meta, selection",
		}},
		{"merged checks", "[platforms]\n[[a]]\nhosts = h1, h2\n[[b]]\nhosts = h1, h2\njob runner = at\n" +
			"[[c]]\nhosts = h1, h2\njob runner = slurm\n[platform groups]\n[[a]]\nplatforms = b\n[[g(]]\n", []string{
			"global.cylc:13: invalid platform group name: [platform groups][g(] (error parsing regexp: missing closing ): `g(`)" +
				regexHintLine,
			"global.cylc:11: platforms and platform groups must not share names: a",
			"  hint: rename the group or the platform defined at global.cylc:2",
			"global.cylc:3: background is a single-host job runner: platform a (background) hosts: h1, h2",
			"  hint: give the platform one host, or use a job runner that works across hosts (e.g. slurm, pbs)",
			"global.cylc:5: at is a single-host job runner: platform b (at) hosts: h1, h2",
			"  hint: give the platform one host, or use a job runner that works across hosts (e.g. slurm, pbs)",
		}},
		{"single host localhost", "[platforms]\n[[localhost]]\nhosts = a, b\n", []string{
			"global.cylc:3: background is a single-host job runner: platform localhost (background) hosts: a, b",
			"  hint: give the platform one host, or use a job runner that works across hosts (e.g. slurm, pbs)",
		}},
		{"jinja2 not wired", "#!jinja2\n[platforms]\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse("global.cylc", []byte(tc.src), nil, Options{})
			if tc.want == nil {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			want := strings.Join(tc.want, "\n")
			if err == nil || err.Error() != want {
				t.Errorf("error =\n%v\nwant\n%s", err, want)
			}
			var pe *Error
			if !errors.As(err, &pe) || pe.Pos.Line == 0 {
				t.Errorf("error %v has no position", err)
			}
		})
	}
}

func TestLookupErrors(t *testing.T) {
	c := mustParse(t, "[platforms]\n[[hpc1]]\n[platform groups]\n[[grp]]\n", Options{})
	for _, tc := range []struct{ name, want string }{
		{"hpc2", `No matching platform "hpc2" found` + "\n" +
			`  hint: did you mean "hpc1"? platforms defined in global.cylc: localhost, hpc1; platform groups: grp`},
		{"zzzzzzzzzzzz", `No matching platform "zzzzzzzzzzzz" found` + "\n" +
			`  hint: platforms defined in global.cylc: localhost, hpc1; platform groups: grp`},
		{"grp", "Unable to find a contactable platform from group grp\n" +
			"  hint: the group has no platforms: set [platform groups][grp]platforms"},
	} {
		_, err := c.Platform(tc.name)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Platform(%q) error =\n%v\nwant\n%s", tc.name, err, tc.want)
		}
	}
	c, err := Load([]string{"CYLC_CONF_PATH=" + t.TempDir()}, "/nonexistent", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := `No matching platform "hpc" found` + "\n" +
		`  hint: platforms defined in global.cylc: localhost (no global.cylc file was found)`
	if _, err := c.Platform("hpc"); err == nil || err.Error() != want {
		t.Errorf("no-file lookup error =\n%v\nwant\n%s", err, want)
	}
	if _, err := c.FromCylc7("far", "slurm"); err == nil || err.Error() != `No platform found matching your task: host "far" with job runner "slurm"`+"\n"+
		`  hint: define a platform in global.cylc with hosts = far and job runner = slurm, or set [runtime][<task>]platform` {
		t.Errorf("FromCylc7 error = %v", err)
	}
}
