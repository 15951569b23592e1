package config

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"gyre/internal/flowfile"
)

// testdata/upgrades.txt holds one small workflow per Cylc 7 → 8 upgrade
// rule, with what Cylc 8.7's `cylc config` prints for it and the warnings
// it logs.

type upgradeCase struct {
	name, flow, config string
	warnings           []string
}

func readUpgradeCases(t *testing.T) []upgradeCase {
	data, err := os.ReadFile("testdata/upgrades.txt")
	if err != nil {
		t.Fatal(err)
	}
	var cases []upgradeCase
	for _, block := range strings.Split(string(data), "=== ")[1:] {
		name, rest, _ := strings.Cut(block, "\n")
		_, rest, _ = strings.Cut(rest, "--- flow.cylc\n")
		flow, rest, _ := strings.Cut(rest, "--- config\n")
		config, warns, _ := strings.Cut(rest, "--- warnings\n")
		cases = append(cases, upgradeCase{name, flow, config, cylcWarnings(warns)})
	}
	return cases
}

// cylcWarnings turns Cylc's log lines into one message per warning, in
// the form of Warning.Msg: continuation lines (indented by the logger) are
// joined, group headers dropped and " * " bullets removed.
func cylcWarnings(log string) []string {
	var msgs []string
	for _, line := range strings.Split(strings.TrimSuffix(log, "\n"), "\n") {
		if strings.HasPrefix(line, "    ") && len(msgs) > 0 {
			msgs[len(msgs)-1] += "\n" + line[4:]
			continue
		}
		msgs = append(msgs, line)
	}
	var out []string
	for _, m := range msgs {
		m = strings.TrimPrefix(m, DeprecatedHeader+"\n")
		switch {
		case m == "" || m == DeprecatedHeader || m == ObsoleteHeader:
			continue
		case strings.HasPrefix(m, " * "):
			m = m[3:]
		case strings.HasPrefix(m, " *** "):
			m = m[5:]
		}
		out = append(out, m)
	}
	return out
}

func TestUpgradeRules(t *testing.T) {
	cases := readUpgradeCases(t)
	if len(cases) < 20 {
		t.Fatalf("only %d upgrade cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := flowfile.Parse("flow.cylc", "/work/wf", []byte(c.flow), flowfile.Options{})
			if err != nil {
				t.Fatal(err)
			}
			w, err := Build(f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, tc := range devCompletions(c.config) {
				if err := w.SetCompletion(tc[0], tc[1]); err != nil {
					t.Fatal(err)
				}
			}
			var got bytes.Buffer
			if err := w.Print(&got, nil, true); err != nil {
				t.Fatal(err)
			}
			if got.String() != c.config {
				t.Errorf("cylc config differs:\n%s", lineDiff(c.config, got.String()))
			}
			var msgs []string
			for _, wr := range w.Warnings {
				msgs = append(msgs, wr.Msg)
			}
			if strings.Join(msgs, "\n---\n") != strings.Join(c.warnings, "\n---\n") {
				t.Errorf("warnings:\n%s\n\nCylc:\n%s", strings.Join(msgs, "\n---\n"), strings.Join(c.warnings, "\n---\n"))
			}
		})
	}
}

// completionsOf lists "completion = " settings per namespace in a `cylc
// config` listing, to replay what the graph layer derives.
func devCompletions(listing string) [][2]string {
	var out [][2]string
	inRT, cur := false, ""
	for _, line := range strings.Split(listing, "\n") {
		switch {
		case line == "[runtime]":
			inRT = true
		case strings.HasPrefix(line, "["):
			inRT = false
		case inRT && strings.HasPrefix(line, "    [[") && !strings.HasPrefix(line, "    [[["):
			cur = strings.TrimSuffix(strings.TrimPrefix(line, "    [["), "]]")
		case inRT && strings.HasPrefix(line, "        completion = "):
			out = append(out, [2]string{cur, strings.TrimPrefix(line, "        completion = ")})
		}
	}
	return out
}
