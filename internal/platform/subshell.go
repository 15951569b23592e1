package platform

import (
	"regexp"
	"strings"
)

// reSubshell is Cylc's test for a platform given as a command, matched at
// the start of the value as Cylc does.
var reSubshell = regexp.MustCompile(`^\$\(\s*(.*)\s*\)`)

// Subshell reports whether a task's platform setting is `$(command)`, to be
// run at each job submission to get the platform name, and returns the
// command. Such a platform cannot be looked up before then (Cylc's
// is_platform_definition_subshell); backtick commands are rejected earlier,
// by the workflow configuration.
func Subshell(platform string) (command string, ok bool) {
	m := reSubshell.FindStringSubmatch(platform)
	if m == nil {
		return "", false
	}
	return strings.TrimSpace(m[1]), true
}
