package task

import "strings"

// The standard outputs every task has, with the trigger names the graph uses
// after qualifier normalisation.
const (
	OutExpired      = "expired"
	OutSubmitted    = "submitted"
	OutSubmitFailed = "submit-failed"
	OutStarted      = "started"
	OutSucceeded    = "succeeded"
	OutFailed       = "failed"
	// OutFinished is a pseudo-output: succeeded or failed.
	OutFinished = "finished"
)

// StandardOutputs in Cylc's sort order.
var StandardOutputs = []string{
	OutExpired, OutSubmitted, OutSubmitFailed, OutStarted, OutSucceeded, OutFailed,
}

// IsStandard reports whether name is one of the standard outputs (finished
// included).
func IsStandard(name string) bool {
	switch name {
	case OutExpired, OutSubmitted, OutSubmitFailed, OutStarted, OutSucceeded, OutFailed, OutFinished:
		return true
	}
	return false
}

// qualifiers maps the graph's trigger qualifiers, in present and past tense,
// to the output they refer to.
var qualifiers = map[string]string{
	"succeed": OutSucceeded, "succeeded": OutSucceeded,
	"fail": OutFailed, "failed": OutFailed,
	"finish": OutFinished, "finished": OutFinished,
	"submit": OutSubmitted, "submitted": OutSubmitted,
	"submit-fail": OutSubmitFailed, "submit-failed": OutSubmitFailed,
	"start": OutStarted, "started": OutStarted,
	"expire": OutExpired, "expired": OutExpired,
}

// NormaliseQualifier maps a trigger qualifier such as "succeed" or
// "submit-fail" to its output name. Custom output names come back unchanged
// with ok false, so the caller can look them up in the task's outputs.
func NormaliseQualifier(q string) (output string, standard bool) {
	if o, ok := qualifiers[q]; ok {
		return o, true
	}
	return q, false
}

// CompletionVar is how an output is named inside a completion expression:
// Python identifiers cannot contain '-', so Cylc writes submit_failed.
func CompletionVar(output string) string { return strings.ReplaceAll(output, "-", "_") }

// Need says whether the workflow needs an output. It starts Unset and the
// graph makes it Required (a plain trigger) or Optional (a trigger marked
// with ?); Cylc treats Unset as neither when deriving completion.
type Need uint8

// The three states of an output's need.
const (
	Unset Need = iota
	Required
	Optional
)

func (n Need) String() string {
	switch n {
	case Required:
		return "required"
	case Optional:
		return "optional"
	}
	return "unset"
}

// Output is one output of a task definition: its trigger name (used in the
// graph and by `set --out`), the message a job sends to complete it, and
// whether the graph needs it.
type Output struct {
	Trigger string
	Message string
	Need    Need
}

// StandardOutputDefs returns the standard outputs with their need unset;
// the graph then marks them, and SettleNeeds applies Cylc's defaults.
func StandardOutputDefs() []Output {
	out := make([]Output, 0, len(StandardOutputs))
	for _, name := range StandardOutputs {
		out = append(out, Output{Trigger: name, Message: name})
	}
	return out
}

// SettleNeeds applies Cylc's rules once the graph has been read: if the graph
// says nothing about succeeded or failed, success is required; in Cylc 7
// back-compat mode submitted and succeeded are always required.
func SettleNeeds(outs []Output, cylc7 bool) {
	find := func(name string) *Output {
		for i := range outs {
			if outs[i].Trigger == name {
				return &outs[i]
			}
		}
		return nil
	}
	succ, fail := find(OutSucceeded), find(OutFailed)
	if succ != nil && succ.Need == Unset && (fail == nil || fail.Need == Unset) {
		succ.Need = Required
	}
	if cylc7 {
		for _, name := range []string{OutSubmitted, OutSucceeded} {
			if o := find(name); o != nil {
				o.Need = Required
			}
		}
	}
}
