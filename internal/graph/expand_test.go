package graph

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestExpandHook(t *testing.T) {
	var seen []string
	hook := func(ret []string, err error) func(string) ([]string, error) {
		return func(line string) ([]string, error) {
			seen = append(seen, line)
			return ret, err
		}
	}
	tests := []struct {
		name string
		src  string
		hook func(string) ([]string, error)
		want map[string][]string // triggers (describe)
		lone []string            // tasks
		err  string
	}{
		{"marker dropped here", "foo => bar<m-1> => baz", hook([]string{"foo=>bar_m-32768=>baz"}, nil),
			map[string][]string{}, []string{"foo"}, ""},
		{"already dropped by hook", "foo => bar<m-1> => baz", hook([]string{"foo"}, nil),
			map[string][]string{}, []string{"foo"}, ""},
		{"marker in first segment", "x<m-1> & y => z<m>", hook([]string{"x_m-32768&y=>z_m0", "x_m0&y=>z_m1"}, nil),
			map[string][]string{"z_m0": {"y:succeeded"}, "z_m1": {"x_m0:succeeded", "y:succeeded"}},
			[]string{"x_m0", "y", "z_m0", "z_m1"}, ""},
		{"marker in conditional", "(x<m-1> | y) => z<m>", hook([]string{"(x_m-32768|y)=>z_m0"}, nil),
			map[string][]string{"z_m0": {"y:succeeded"}}, []string{"y", "z_m0"}, ""},
		{"marker alone ends chain", "a<m-1> => b<m>", hook([]string{"a_m-32768=>b_m0", "a_m0=>b_m1"}, nil),
			map[string][]string{"b_m1": {"a_m0:succeeded"}}, []string{"a_m0", "b_m1"}, ""},
		{"duplicate lines", "a<m> => b", hook([]string{"a_x=>b", " a_x => b "}, nil),
			map[string][]string{"b": {"a_x:succeeded"}}, []string{"a_x", "b"}, ""},
		{"hook error", "a => b<m>", hook(nil, errors.New("parameter m is not defined")), nil, nil,
			"f:4: parameter m is not defined"},
		{"bad expansion", "a => b<m>", hook([]string{"a=>b<m>"}, nil), nil, nil,
			"f:4: Bad graph node format: b<m> (after parameter expansion of a=>b<m>)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen = nil
			g, err := Parse("\n\n"+tt.src, Options{File: "f", Line: 2, ExpandParams: tt.hook})
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Fatalf("got %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(g); !equalView(got, tt.want) {
				t.Errorf("triggers %v, want %v", got, tt.want)
			}
			if fmt.Sprint(g.Tasks) != fmt.Sprint(tt.lone) {
				t.Errorf("tasks %v, want %v", g.Tasks, tt.lone)
			}
			if want := strings.Join(strings.Fields(tt.src), ""); len(seen) != 1 || seen[0] != want {
				t.Errorf("hook saw %q, want [%q]", seen, want)
			}
		})
	}
}

// TestExpandHookJoinedLine: the hook gets one logical line, continuation
// lines joined and whitespace removed; lines without parameters skip it.
func TestExpandHookJoinedLine(t *testing.T) {
	var seen []string
	expand := func(line string) ([]string, error) {
		seen = append(seen, line)
		return []string{strings.ReplaceAll(line, "<m>", "_1")}, nil
	}
	g, err := Parse("a<m> =>\n  b<m>\n  => c\nd => e", Options{ExpandParams: expand})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0] != "a<m>=>b<m>=>c" {
		t.Errorf("hook saw %q", seen)
	}
	if got := describe(g); got["c"][0] != "b_1:succeeded" || got["b_1"][0] != "a_1:succeeded" {
		t.Errorf("triggers %v", got)
	}
}
