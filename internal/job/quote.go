package job

import (
	"regexp"
	"strconv"
	"strings"

	"gyre/internal/pyformat"
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

// interpolateParams fills Python-style "%(param)..." templates in value with
// the task's parameter values, as Cylc does for environment values (Python's
// "value % params"). Values without "%(" are returned as they are; a
// template that Python would reject (unknown parameter, wrong type, bad
// syntax) leaves the value unchanged, which is also Cylc's behaviour (it has
// warned at validation).
func interpolateParams(value string, params []EnvVar) string {
	if !strings.Contains(value, "%(") {
		return value
	}
	vals := make(map[string]any, len(params))
	for _, p := range params {
		vals[p.Name] = paramValue(p.Value)
	}
	out, err := pyformat.Mapping(value, vals)
	if err != nil {
		return value
	}
	return out
}

// paramValue gives a parameter value the Python type Cylc holds it as:
// integer parameters are ints (so "%(i)03d" works), others strings. Only
// the canonical form counts as an int, so "%(m)s" of "007" stays "007".
func paramValue(v string) any {
	if n, err := strconv.Atoi(v); err == nil && strconv.Itoa(n) == v {
		return n
	}
	return v
}
