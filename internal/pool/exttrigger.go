package pool

import "strings"

// External triggers (Cylc's [special tasks]external-trigger) are events
// from outside the workflow, sent with "cylc ext-trigger WORKFLOW MESSAGE
// ID". A task with one waits for it as for an xtrigger: the pool asks for
// it with CallXtrigger under the label ExtTriggerLabel(MESSAGE), and the
// scheduler's xtrigger component answers XtriggerSatisfied when an event
// with that message arrives (each event satisfies one task).

// extTriggerPrefix marks an external trigger's xtrigger label.
const extTriggerPrefix = "_cylc_ext_trigger:"

// ExtTriggerLabel is the xtrigger label that stands for the external
// trigger message msg.
func ExtTriggerLabel(msg string) string { return extTriggerPrefix + msg }

// ExtTriggerMessage returns the message behind an external trigger's
// label, and whether label is one.
func ExtTriggerMessage(label string) (string, bool) {
	return strings.CutPrefix(label, extTriggerPrefix)
}

// WaitsOn reports whether t is still waiting for the xtrigger (or
// external trigger) label.
func (t *Proxy) WaitsOn(label string) bool { return t.inPool && t.xtrigs[label] }
