package job

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// singleQuote makes s one literal shell word.
func singleQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// doubleQuote makes s one literal shell word in double quotes. For the
// identifiers Cylc writes as "value" it gives Cylc's text unchanged, while
// keeping a stray '$' or '"' from being run as code.
func doubleQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	return `"` + r.Replace(s) + `"`
}

// homePath writes a path for the job host: a leading "$HOME/" or "~/" is
// left to the job's shell to expand, the rest is literal.
func homePath(p string) string {
	for _, prefix := range []string{"$HOME/", "${HOME}/", "~/"} {
		if rest, ok := strings.CutPrefix(p, prefix); ok {
			return `"${HOME}"/` + singleQuote(rest)
		}
	}
	return singleQuote(p)
}

var (
	tildeDir  = regexp.MustCompile(`^(~[^/\s]*/)(.*)$`)
	tildeOnly = regexp.MustCompile(`^~\S*$`)
)

// envValue is the right-hand side of a user environment assignment, written
// as Cylc writes it: parameter templates filled in, then the whole value in
// double quotes so that $VAR and $(command) are expanded by the job while
// spaces are kept; a leading ~user/ stays outside the quotes so that the
// shell still expands it.
func envValue(value string, params []EnvVar) string {
	value = interpolateParams(value, params)
	if !strings.Contains(value, "\n") {
		if m := tildeDir.FindStringSubmatch(value); m != nil {
			return m[1] + `"` + m[2] + `"`
		}
		if tildeOnly.MatchString(value) {
			return value
		}
	}
	return `"` + value + `"`
}

// pyFormat matches one Python %-conversion with a mapping key, as used in
// Cylc's parameter environment templates: %(name)[flags][width][.prec]type.
var pyFormat = regexp.MustCompile(`%(?:\(([^)]*)\)([#0 +-]*)(\d*)(\.\d+)?[hlL]?([diouxXeEfFgGcrsa])|%)`)

// interpolateParams fills Python-style "%(param)..." templates in value with
// the task's parameter values, as Cylc does for environment values. Values
// without "%(" are returned as they are; a template that Python would reject
// (unknown parameter, wrong type, bad syntax) leaves the value unchanged,
// which is also Cylc's behaviour (it has warned at validation).
func interpolateParams(value string, params []EnvVar) string {
	if !strings.Contains(value, "%(") {
		return value
	}
	lookup := map[string]string{}
	for _, p := range params {
		lookup[p.Name] = p.Value
	}
	var out strings.Builder
	last := 0
	for _, loc := range pyFormat.FindAllStringSubmatchIndex(value, -1) {
		if loc[0] < last {
			continue
		}
		literal := value[last:loc[0]]
		if strings.Contains(literal, "%") {
			return value // a '%' that is not a valid conversion
		}
		out.WriteString(literal)
		last = loc[1]
		if value[loc[0]:loc[1]] == "%%" {
			out.WriteByte('%')
			continue
		}
		if loc[2] < 0 {
			return value // a conversion without a mapping key
		}
		got, ok := formatParam(value, loc, lookup)
		if !ok {
			return value
		}
		out.WriteString(got)
	}
	if strings.Contains(value[last:], "%") {
		return value
	}
	out.WriteString(value[last:])
	return out.String()
}

// formatParam renders one matched conversion; loc holds the submatch indexes
// of key, flags, width, precision and type.
func formatParam(value string, loc []int, lookup map[string]string) (string, bool) {
	part := func(i int) string {
		if loc[2*i] < 0 {
			return ""
		}
		return value[loc[2*i]:loc[2*i+1]]
	}
	key, flags, width, prec, verb := part(1), part(2), part(3), part(4), part(5)
	v, ok := lookup[key]
	if !ok {
		return "", false
	}
	n, isInt := strconv.ParseInt(v, 10, 64)
	spec := "%" + flags + width + prec
	switch verb {
	case "s", "r", "a":
		if verb != "s" && isInt != nil {
			v = "'" + v + "'" // Python's repr of a string
		}
		return fmt.Sprintf(spec+"s", v), true
	case "d", "i", "u":
		if isInt != nil {
			return "", false
		}
		return fmt.Sprintf(spec+"d", n), true
	case "o", "x", "X":
		if isInt != nil {
			return "", false
		}
		return fmt.Sprintf(spec+verb, n), true
	case "c":
		return "", false
	default: // floats
		if isInt != nil {
			return "", false
		}
		if prec == "" {
			spec += ".6"
		}
		return fmt.Sprintf(spec+verb, float64(n)), true
	}
}
