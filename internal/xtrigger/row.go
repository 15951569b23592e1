package xtrigger

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gyre/internal/pyformat"
	"gyre/internal/store"
)

// Row is one task instance a StateQuery matched.
type Row struct {
	store.TaskState
	outputs bool // an output query: the value is the completed outputs
}

// value is the status, or the outputs as the Python dict Cylc prints
// ({'submitted': 'submitted', 'x': 'the quick brown'}).
func (r Row) value() string {
	if !r.outputs {
		return r.Status
	}
	parts := make([]string, len(r.Outputs))
	for i, o := range r.Outputs {
		parts[i] = pyformat.StrRepr(o.Trigger) + ": " + pyformat.StrRepr(o.Message)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// flows is Cylc's repr_flow_nums: nothing for the original flow alone,
// else "(flows=1,2)", or "(flows=none)" for a no-flow instance.
func (r Row) flows() string {
	if len(r.FlowNums) == 1 && r.FlowNums[0] == 1 {
		return ""
	}
	if len(r.FlowNums) == 0 {
		return "(flows=none)"
	}
	nums := slices.Sorted(slices.Values(r.FlowNums))
	s := make([]string, len(nums))
	for i, n := range nums {
		s[i] = strconv.Itoa(n)
	}
	return "(flows=" + strings.Join(s, ",") + ")"
}

// Line is the row as `cylc workflow-state` prints it: "CYCLE/TASK:VALUE"
// followed by any flows, or with old, "TASK, CYCLE, VALUE[, FLOWS]".
// pretty prints outputs as indented JSON, as --pretty does.
func (r Row) Line(old, pretty bool) string {
	f := r.flows()
	if old {
		s := r.Name + ", " + r.Cycle + ", " + r.value()
		if f != "" {
			s += ", " + f
		}
		return s
	}
	v := r.value()
	if pretty && r.outputs {
		if p, ok := r.prettyOutputs(); ok {
			v = p
		}
	}
	return r.Cycle + "/" + r.Name + ":" + v + f
}

// prettyOutputs is what Cylc's --pretty makes of the printed dict: it
// swaps its quotes for double quotes and re-dumps it as JSON indented by
// four; where that swap does not give valid JSON (a quote, backslash or
// control character in an output) Cylc prints the dict as it was.
func (r Row) prettyOutputs() (string, bool) {
	if len(r.Outputs) == 0 {
		return "{}", true
	}
	var b strings.Builder
	b.WriteString("{")
	for i, o := range r.Outputs {
		for _, s := range []string{o.Trigger, o.Message} {
			if strings.ContainsAny(s, `'"\`) || strings.ContainsFunc(s, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
				return "", false
			}
		}
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n    %s: %s", jsonString(o.Trigger), jsonString(o.Message))
	}
	b.WriteString("\n}")
	return b.String(), true
}

// jsonString is Python's json.dumps of a string (ensure_ascii): non-ASCII
// characters are written as \u escapes, surrogate pairs beyond the BMP.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\f':
			b.WriteString(`\f`)
		case c < 0x20 || (c >= 0x7f && c < 0x10000):
			if c == 0x7f {
				b.WriteRune(c)
				continue
			}
			fmt.Fprintf(&b, `\u%04x`, c)
		case c >= 0x10000:
			c -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(c>>10), 0xdc00+(c&0x3ff))
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
