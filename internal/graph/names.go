package graph

import (
	"unicode"
)

// Standard task output names, as they appear in Atom.Output.
const (
	Expired      = "expired"
	Submitted    = "submitted"
	SubmitFailed = "submit-failed"
	Started      = "started"
	Succeeded    = "succeeded"
	Failed       = "failed"
	// Finished is a pseudo-output: on the left of a trigger it means
	// "succeeded or failed", so it never appears in an Atom.
	Finished = "finished"
)

// altQualifiers maps the short forms a graph may use (foo:fail) to the
// standard output names (foo:failed).
var altQualifiers = map[string]string{
	"expire":      Expired,
	"submit":      Submitted,
	"submit-fail": SubmitFailed,
	"start":       Started,
	"succeed":     Succeeded,
	"fail":        Failed,
	"finish":      Finished,
}

// standardOutput returns the standard name for a qualifier; anything that is
// not a known alias is a custom output label and is returned unchanged.
func standardOutput(q string) string {
	if s, ok := altQualifiers[q]; ok {
		return s
	}
	return q
}

// isStandardOutput reports whether name is one of the built-in outputs
// (or the finished pseudo-output).
func isStandardOutput(name string) bool {
	switch name {
	case Expired, Submitted, SubmitFailed, Started, Succeeded, Failed, Finished:
		return true
	}
	return false
}

// famQual is the meaning of a family qualifier such as "fail-any": the
// member output it stands for and whether all members (&) or any (|) count.
type famQual struct {
	output string
	all    bool
}

// famQualifiers are the family triggers. Cylc 8.7 maps "submit-fail-any" to
// the members' "submitted" output, which is a slip in its table (the
// right-hand-side table and the -all form both use submit-failed); here it
// means what it says.
var famQualifiers = map[string]famQual{
	"expire-all":      {Expired, true},
	"expire-any":      {Expired, false},
	"start-all":       {Started, true},
	"start-any":       {Started, false},
	"succeed-all":     {Succeeded, true},
	"succeed-any":     {Succeeded, false},
	"fail-all":        {Failed, true},
	"fail-any":        {Failed, false},
	"submit-all":      {Submitted, true},
	"submit-any":      {Submitted, false},
	"submit-fail-all": {SubmitFailed, true},
	"submit-fail-any": {SubmitFailed, false},
	"finish-all":      {Finished, true},
	"finish-any":      {Finished, false},
}

// famQualifierNames lists the family qualifiers for did-you-mean hints, in
// a fixed order so that ties resolve the same way every time.
var famQualifierNames = []string{
	"succeed-all", "succeed-any", "fail-all", "fail-any", "finish-all",
	"finish-any", "start-all", "start-any", "submit-all", "submit-any",
	"submit-fail-all", "submit-fail-any", "expire-all", "expire-any",
}

// isWord is Python's \w for str patterns (Cylc's names are defined with
// it): letters, digits and other numerics, and underscore.
func isWord(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// isNameChar: characters allowed after the first in a task or family name
// (Cylc's TaskID.NAME_RE).
func isNameChar(r rune) bool {
	return isWord(r) || r == '-' || r == '+' || r == '%' || r == '@'
}

// isXtrigChar: characters of an @xtrigger label after the first.
func isXtrigChar(r rune) bool {
	return isWord(r) || r == '-' || r == '+' || r == '%'
}

// isParamChar: characters inside <...> parameter brackets.
func isParamChar(r rune) bool {
	return isWord(r) || r == ',' || r == '=' || r == '-' || r == '+'
}

// isOffsetChar: characters inside [...] cycle point offsets.
func isOffsetChar(r rune) bool {
	return isWord(r) || r == '-' || r == '+' || r == '^' || r == ':'
}

// isQualChar: characters of a :qualifier.
func isQualChar(r rune) bool {
	return isWord(r) || r == '-'
}

// isSpace is Python's str.isspace closely enough for graph text.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// checkTaskName applies the rules Cylc has for task names that the node
// syntax does not already enforce; it returns "" when name is fine.
func checkTaskName(name string) string {
	if name == "root" {
		return "cannot be: `root`"
	}
	if len(name) >= 5 && name[:5] == "_cylc" {
		return "cannot start with: `_cylc`"
	}
	return ""
}
