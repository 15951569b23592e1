package flowfile

import (
	"fmt"
	"strings"
)

// builder is the last stage: it reads the processed lines into the tree.
type builder struct {
	lines []Line
	root  *Section
	path  []*Section // open sections, outermost first; len(path) is the depth
	last  *lastValue // the latest multi-line value, to explain an unclosed one
	// jinja2 says the lines came out of Jinja2, which changes the hint for
	// a line holding "{{".
	jinja2 bool

	// Slabs that items, values and sections are carved from: a big
	// workflow has tens of thousands of each, and one allocation per
	// node would dominate the parse time.
	itemSlab    []Item
	valueSlab   []Value
	sectionSlab []Section
}

const slabSize = 256

func (b *builder) newItem(key string, v Value) *Item {
	if len(b.itemSlab) == cap(b.itemSlab) {
		b.itemSlab = make([]Item, 0, slabSize)
	}
	b.itemSlab = append(b.itemSlab, Item{Key: key, Values: b.newValues(v)})
	return &b.itemSlab[len(b.itemSlab)-1]
}

// newValues returns a one-element slice whose capacity is capped, so that
// appending a graph repeat copies it instead of overwriting the slab.
func (b *builder) newValues(v Value) []Value {
	if len(b.valueSlab) == cap(b.valueSlab) {
		b.valueSlab = make([]Value, 0, slabSize)
	}
	b.valueSlab = append(b.valueSlab, v)
	n := len(b.valueSlab)
	return b.valueSlab[n-1 : n : n]
}

func (b *builder) newSection(name string, pos Pos) *Section {
	if len(b.sectionSlab) == cap(b.sectionSlab) {
		b.sectionSlab = make([]Section, 0, slabSize)
	}
	b.sectionSlab = append(b.sectionSlab, Section{Name: name, Pos: pos})
	return &b.sectionSlab[len(b.sectionSlab)-1]
}

// lastValue remembers where the latest multi-line value came from: a value
// left unclosed swallows the lines after it, and the first line that cannot
// be parsed is usually far below the real mistake.
type lastValue struct {
	where  string // [a][b]key
	open   Line   // the line that opened the value
	inside []Line // lines consumed into it
}

func buildTree(lines []Line, jinja2 bool) (*Section, error) {
	b := &builder{lines: lines, root: &Section{}, jinja2: jinja2}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := trimLeftSpace(l.Text)
		if t == "" || t[0] == '#' {
			continue // blank line or full-line comment
		}
		if h, ok := matchHeading(l.Text); ok {
			if err := b.heading(l, h); err != nil {
				return nil, err
			}
			continue
		}
		if key, value, ok := matchItem(l.Text); ok {
			next, err := b.item(i, key, value)
			if err != nil {
				return nil, err
			}
			i = next
			continue
		}
		return nil, b.invalidLine(l)
	}
	return b.root, nil
}

func (b *builder) current() *Section {
	if len(b.path) == 0 {
		return b.root
	}
	return b.path[len(b.path)-1]
}

func (b *builder) heading(l Line, h heading) error {
	if h.open != h.close {
		hint := "a heading needs as many ']' as '['"
		if !strings.ContainsAny(h.name, "[]") {
			hint += ", e.g. " + strings.Repeat("[", h.open) + h.name + strings.Repeat("]", h.open)
		}
		return errorAt(l, fmt.Sprintf("bracket mismatch in section heading (%d '[' but %d ']')", h.open, h.close), hint)
	}
	if depth := len(b.path); h.open > depth+1 {
		return errorAt(l, fmt.Sprintf("section heading at level %d directly under level %d", h.open, depth),
			fmt.Sprintf("headings may go only one level deeper at a time: add the missing parent section, or write %s%s%s",
				strings.Repeat("[", depth+1), h.name, strings.Repeat("]", depth+1)))
	}
	b.path = b.path[:h.open-1]
	parent := b.current()
	sub := parent.Section(h.name)
	if sub == nil {
		if it := parent.Item(h.name); it != nil {
			return errorAt(l, fmt.Sprintf("section %s[%s] clashes with the setting %s%s at %s", sectionPath(b.path), h.name, sectionPath(b.path), h.name, it.Values[0].Pos),
				"a name is either a section or a setting, not both: rename one of them")
		}
		sub = b.newSection(h.name, l.Pos)
		parent.addSection(sub)
	}
	b.path = append(b.path, sub)
	return nil
}

// item adds key = value from line i and returns the index of the last line
// it consumed (a triple-quoted value may span several).
func (b *builder) item(i int, key, value string) (int, error) {
	l := b.lines[i]
	last := i
	if strings.HasPrefix(value, `"""`) || strings.HasPrefix(value, `'''`) {
		var err error
		if value, last, err = b.multiline(i, key, value); err != nil {
			return 0, err
		}
	}
	sect := b.current()
	if sub := sect.Section(key); sub != nil {
		return 0, errorAt(l, fmt.Sprintf("setting %s%s clashes with the section %s[%s] at %s", sectionPath(b.path), key, sectionPath(b.path), key, sub.Pos),
			"a name is either a section or a setting, not both: rename one of them")
	}
	v := Value{Text: value, Pos: l.Pos}
	if it := sect.Item(key); it != nil {
		if b.isGraph() {
			it.Values = append(it.Values, v)
		} else {
			it.Values = b.newValues(v) // override, keeping the first position in Items
		}
	} else {
		sect.addItem(b.newItem(key, v))
	}
	return last, nil
}

// isGraph reports whether the open section is, or is below,
// [scheduling][graph] or Cylc 7's [scheduling][dependencies]: there a
// repeated key adds to the graph instead of replacing it.
func (b *builder) isGraph() bool {
	return len(b.path) >= 2 && b.path[0].Name == "scheduling" &&
		(b.path[1].Name == "graph" || b.path[1].Name == "dependencies")
}

// multiline reads a value that starts with triple quotes: either closed on
// the same line, or continued up to the first line holding the same quotes.
// The value is returned raw, lines joined with "\n", quotes included.
func (b *builder) multiline(i int, key, value string) (string, int, error) {
	quote := value[:3]
	l := b.lines[i]
	if closesWith(value, quote, 3) {
		return value, i, nil
	}
	if strings.Contains(value[3:], quote) {
		return "", 0, errorAt(l, "invalid line: text after the closing "+quote,
			"only a # comment may follow the closing "+quote)
	}
	for j := i + 1; j < len(b.lines); j++ {
		end := b.lines[j]
		if !strings.Contains(end.Text, quote) {
			continue
		}
		if !closesWith(end.Text, quote, 0) {
			return "", 0, errorAt(end, "invalid line: text after the closing "+quote+" of the value opened at "+l.Pos.String(),
				"only a # comment may follow the closing "+quote)
		}
		parts := make([]string, 0, j-i+1)
		parts = append(parts, value)
		for _, m := range b.lines[i+1 : j+1] {
			parts = append(parts, m.Text)
		}
		b.last = &lastValue{where: sectionPath(b.path) + key, open: l, inside: b.lines[i+1 : j+1]}
		return strings.Join(parts, "\n"), j, nil
	}
	return "", 0, errorAt(l, "multi-line string not closed", "add a line with the closing "+quote)
}

// sectionPath renders open sections as [a][b][c].
func sectionPath(path []*Section) string {
	var s strings.Builder
	for _, p := range path {
		s.WriteString("[" + p.Name + "]")
	}
	return s.String()
}
