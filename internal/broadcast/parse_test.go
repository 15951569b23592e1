package broadcast

import (
	"reflect"
	"strings"
	"testing"

	"gyre/internal/config"
)

func TestParseSetting(t *testing.T) {
	tests := []struct {
		in   string
		want config.Setting
		err  string
	}{
		{"script=true", config.Setting{Path: []string{"script"}, Value: "true"}, ""},
		{"[environment]BCAST = ROOT", config.Setting{Path: []string{"environment", "BCAST"}, Value: "ROOT"}, ""},
		{"[environment] FOO=${FOO:-foo}", config.Setting{Path: []string{"environment", "FOO"}, Value: "${FOO:-foo}"}, ""},
		{"  [ events ] execution timeout =  PT1M  ", config.Setting{Path: []string{"events", "execution timeout"}, Value: "PT1M"}, ""},
		{"[environment]X=a=b=c", config.Setting{Path: []string{"environment", "X"}, Value: "a=b=c"}, ""},
		{"[environment]X=", config.Setting{Path: []string{"environment", "X"}, Value: ""}, ""},
		{"[a][b]c=d", config.Setting{Path: []string{"a", "b", "c"}, Value: "d"}, ""},
		{`post-script=echo "$horse"`, config.Setting{Path: []string{"post-script"}, Value: `echo "$horse"`}, ""},
		// Cylc 7 names are upgraded.
		{"[job]execution time limit=PT1H", config.Setting{Path: []string{"execution time limit"}, Value: "PT1H"}, ""},
		{"[events]mail to=me", config.Setting{Path: []string{"mail", "to"}, Value: "me"}, ""},
		{"[suite state polling]run-dir=/x", config.Setting{Path: []string{"workflow state polling", "alt-cylc-run-dir"}, Value: "/x"}, ""},
		{"script", config.Setting{}, `--set "script" has no value`},
		{"=x", config.Setting{}, "no setting name"},
		{"[environment]=x", config.Setting{}, "[environment] is a section"},
		{"[]X=1", config.Setting{}, "empty [] section name"},
		{"[environment X=1", config.Setting{}, "not closed"},
		{"[environment]X]=1", config.Setting{}, "bad setting name"},
		{"[job]shell=bash", config.Setting{}, "obsolete setting: [job]shell"},
	}
	for _, tt := range tests {
		got, err := ParseSetting(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseSetting(%q) = %v, %v; want error %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseSetting(%q) = %#v, %v; want %#v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseCancel(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{"[environment]BCAST", []string{"environment", "BCAST"}, ""},
		{" script ", []string{"script"}, ""},
		{"[job]execution time limit", []string{"execution time limit"}, ""},
		{"[environment]BCAST=x", nil, "takes no value"},
		{"[environment]", nil, "is a section"},
		{"", nil, "no setting name"},
	}
	for _, tt := range tests {
		got, err := ParseCancel(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseCancel(%q) = %v, %v; want error %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseCancel(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseFile(t *testing.T) {
	tests := []struct {
		name, src string
		want      []config.Setting
	}{
		{"items and sections", `
script="""
printenv CYLC_FOOBAR

# a hash in a triple-quoted script is not a comment
if (($CYLC_TASK_TRY_NUMBER < 2 )); then
    false
fi
"""
execution retry delays = PT1S, 2*PT2S  # a comment
[environment]
    CYLC_FOOBAR="""
foo
bar
"""
    CYLC_QUX=quux corge
[events]
    execution timeout = PT60M
    handlers = "a, b", c
`, []config.Setting{
			{Path: []string{"script"}, Value: "printenv CYLC_FOOBAR\n\n# a hash in a triple-quoted script is not a comment\nif (($CYLC_TASK_TRY_NUMBER < 2 )); then\n    false\nfi"},
			{Path: []string{"execution retry delays"}, Value: "PT1S, PT2S, PT2S"},
			{Path: []string{"environment", "CYLC_FOOBAR"}, Value: "foo\nbar"},
			{Path: []string{"environment", "CYLC_QUX"}, Value: "quux corge"},
			{Path: []string{"events", "execution timeout"}, Value: "PT1H"},
			{Path: []string{"events", "handlers"}, Value: "'a, b', c"},
		}},
		{"cylc 7 names", "[job]\n    execution time limit = PT1M\n[events]\n    succeeded handler = echo\n",
			[]config.Setting{
				{Path: []string{"execution time limit"}, Value: "PT1M"},
				{Path: []string{"events", "succeeded handlers"}, Value: "echo"},
			}},
		{"empty", "# nothing\n\n", nil},
	}
	for _, tt := range tests {
		got, err := ParseFile("bc.cylc", []byte(strings.TrimPrefix(tt.src, "\n")))
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: ParseFile = %#v, %v\nwant %#v", tt.name, got, err, tt.want)
		}
	}
}

func TestParseFileErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // substrings of the error
	}{
		{"unknown item", "scirpt = true\n", []string{"bc.cylc:1: unknown [runtime] setting: scirpt", `did you mean "script"?`}},
		{"bad value", "script = x\n[events]\n    execution timeout = soon\n", []string{"bc.cylc:3: invalid ISO 8601 interval: [events]execution timeout = soon"}},
		{"all errors", "scirpt = 1\ninherit = FAM\n[outputs]\n    x = y\n", []string{"bc.cylc:1:", "bc.cylc:2: inheritance cannot be changed", "bc.cylc:4: task outputs cannot be changed"}},
		{"obsolete", "[job]\n    shell = bash\n", []string{"bc.cylc:2: obsolete setting: [job]shell"}},
		{"syntax", "[environment\n    X = 1\n", []string{"bc.cylc:1"}},
		{"bad env name", "[environment]\n    1X = 1\n", []string{"bc.cylc:2: illegal environment variable name"}},
		{"setting as section", "[script]\n    x = 1\n", []string{"bc.cylc:2: script is a setting, not a [section]"}},
	}
	for _, tt := range tests {
		got, err := ParseFile("bc.cylc", []byte(tt.src))
		if err == nil {
			t.Errorf("%s: ParseFile = %v, want an error", tt.name, got)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", tt.name, err, w)
			}
		}
	}
}
