package graph

import (
	"regexp"
	"strings"
)

// pollingRE matches Cylc's inter-workflow trigger notation,
// NAME<WORKFLOW::TASK[:STATUS]>.
var pollingRE = regexp.MustCompile(
	`([\pL\pN_][\pL\pN_\-+%@]*)(<([\pL\pN_.\-/]+)::([\pL\pN_][\pL\pN_\-+%@]*)(:[\pL\pN_\-]+)?>)`)

// extractPolling records and removes inter-workflow trigger notation from
// a logical line ("foo<other::bar:fail> => baz" becomes "foo => baz"),
// keeping the line map in step with the shortened text.
func (p *parser) extractPolling(f *fullLine) {
	if !strings.Contains(f.text, "::") {
		return
	}
	ms := pollingRE.FindAllStringSubmatchIndex(f.text, -1)
	if ms == nil {
		return
	}
	var out []byte
	prev := 0
	orig := make([]int, len(f.parts))
	for i := range f.parts {
		orig[i] = f.parts[i].offset
	}
	for _, m := range ms {
		name := f.text[m[2]:m[3]]
		pl := Polling{
			Workflow: f.text[m[6]:m[7]],
			Task:     f.text[m[8]:m[9]],
			Raw:      f.text[m[4]:m[5]],
		}
		if m[10] >= 0 {
			pl.Status = standardOutput(f.text[m[10]+1 : m[11]])
		}
		p.g.Polling[name] = pl
		out = append(out, f.text[prev:m[4]]...)
		prev = m[5]
		// Physical lines starting after the removed text move back by its
		// length; one starting inside it now starts where it was.
		for i, o := range orig {
			switch {
			case o >= m[5]:
				f.parts[i].offset -= m[5] - m[4]
			case o > m[4]:
				f.parts[i].offset -= o - m[4]
			}
		}
	}
	out = append(out, f.text[prev:]...)
	f.text = string(out)
}
