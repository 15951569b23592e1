package config

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"gyre/internal/pyformat"
)

// This file reproduces the few Python behaviours that show through in
// `cylc config` output and value parsing (str() and repr() of floats and
// strings, int() and float() parsing, textwrap.dedent, str.strip), so that
// Gyre prints and accepts exactly what Cylc does.

// Python's repr of floats and strings, and str of values, are
// pyformat's, so `cylc config` output and %-templates print values alike
// from one copy checked against Python 3.
var (
	pyFloatRepr = pyformat.FloatRepr
	pyStrRepr   = pyformat.StrRepr
	pyStr       = pyformat.Str
)

// pyIsSpace is Python's str.isspace for one character, which is what
// str.strip() strips.
func pyIsSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x1f, 0x85:
		return true
	}
	return r > 0x7f && unicode.IsSpace(r)
}

func pyStrip(s string) string { return strings.TrimFunc(s, pyIsSpace) }

// pyDedent is textwrap.dedent: lines holding only blanks are emptied, then
// the longest common leading run of spaces and tabs is removed.
func pyDedent(text string) string {
	lines := strings.Split(text, "\n")
	margin, have := "", false
	for i, line := range lines {
		if strings.Trim(line, " \t") == "" {
			lines[i] = ""
			continue
		}
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		switch {
		case !have:
			margin, have = indent, true
		case strings.HasPrefix(indent, margin):
		case strings.HasPrefix(margin, indent):
			margin = indent
		default:
			n := 0
			for n < len(margin) && n < len(indent) && margin[n] == indent[n] {
				n++
			}
			margin = margin[:n]
		}
	}
	if margin != "" {
		for i, line := range lines {
			lines[i] = strings.TrimPrefix(line, margin)
		}
	}
	return strings.Join(lines, "\n")
}

var (
	rePyInt   = regexp.MustCompile(`^[+-]?[0-9](_?[0-9])*$`)
	rePyFloat = regexp.MustCompile(`^[+-]?(([0-9](_?[0-9])*)?\.?[0-9](_?[0-9])*|[0-9](_?[0-9])*\.)([eE][+-]?[0-9](_?[0-9])*)?$`)
	rePyInf   = regexp.MustCompile(`^[+-]?(?i:inf|infinity|nan)$`)
)

// pyInt parses s as Python's int(s) does (surrounding blanks, a sign,
// underscores between digits), within the range of a Go int.
func pyInt(s string) (int, bool) {
	s = pyStrip(s)
	if !rePyInt.MatchString(s) {
		return 0, false
	}
	v, err := strconv.Atoi(strings.ReplaceAll(s, "_", ""))
	return v, err == nil
}

// pyFloat parses s as Python's float(s) does; values too large become ±inf
// as in Python.
func pyFloat(s string) (float64, bool) {
	s = pyStrip(s)
	if rePyInf.MatchString(s) {
		v, _ := strconv.ParseFloat(s, 64)
		return v, true
	}
	if !rePyFloat.MatchString(s) {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	if err != nil && !math.IsInf(v, 0) && v != 0 {
		return 0, false
	}
	return v, true
}

// intListJoin prints an integer list the way Cylc does, grouping runs into
// START..END[..STEP] and repeats into N*VALUE.
func intListJoin(lst []int) string {
	var rets []string
	items := append([]int(nil), lst...)
	for len(items) > 0 {
		group := []int{items[0]}
		items = items[1:]
		for len(items) > 0 {
			if len(group) == 1 || items[0]-group[len(group)-1] == group[len(group)-1]-group[len(group)-2] {
				group = append(group, items[0])
				items = items[1:]
				continue
			}
			if len(group) == 2 && len(items) >= 2 {
				items = append([]int{group[1]}, items...)
				group = group[:1]
			}
			break
		}
		switch {
		case len(group) <= 2:
			for _, v := range group {
				rets = append(rets, strconv.Itoa(v))
			}
		case group[1]-group[0] > 1:
			rets = append(rets, strconv.Itoa(group[0])+".."+strconv.Itoa(group[len(group)-1])+".."+strconv.Itoa(group[1]-group[0]))
		case group[1]-group[0] == 1:
			rets = append(rets, strconv.Itoa(group[0])+".."+strconv.Itoa(group[len(group)-1]))
		default:
			rets = append(rets, strconv.Itoa(len(group))+"*"+strconv.Itoa(group[0]))
		}
	}
	return strings.Join(rets, ", ")
}
