// Package flowfile reads Cylc workflow definition files (flow.cylc and the
// Cylc 7 suite.rc) into a raw, ordered tree of sections and items that keeps
// the source position of everything in it. It inlines %include files, runs
// the Jinja2 stage when the file asks for it, joins continuation lines and
// merges repeated sections. It knows nothing about what the settings mean:
// the config package validates the tree against Cylc's schema, which is why
// item values are kept raw (quotes and trailing comments included) until a
// typed validator can decide how to read them.
package flowfile

import "fmt"

// Pos locates a line of workflow source so that every later error can say
// file:line. Line is 1-based; File is the path as given to Load (or the
// included file's path).
type Pos struct {
	File string
	Line int
}

func (p Pos) String() string {
	if p.File == "" {
		return fmt.Sprintf("line %d", p.Line)
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Value is one raw setting value and where it was written.
type Value struct {
	Text string // raw: quoting, triple quotes and trailing comment retained
	Pos  Pos
}

// Item is a `key = value` setting. A repeated key replaces the earlier value,
// except under [scheduling][graph] (and the Cylc 7 [scheduling][dependencies]),
// where each repeat is appended so graph strings concatenate.
type Item struct {
	Key    string
	Values []Value
}

// Value returns the effective raw text: the last value written.
func (it *Item) Value() string { return it.Values[len(it.Values)-1].Text }

// Pos returns where the effective value was written.
func (it *Item) Pos() Pos { return it.Values[len(it.Values)-1].Pos }

// Section is a [heading] with its items and subsections in first-seen order.
// A heading that appears again merges into the first one.
type Section struct {
	Name     string
	Pos      Pos // first appearance of the heading; zero for the root
	Items    []*Item
	Sections []*Section
}

// Item returns the item named key, or nil.
func (s *Section) Item(key string) *Item {
	for _, it := range s.Items {
		if it.Key == key {
			return it
		}
	}
	return nil
}

// Section returns the direct subsection named name, or nil.
func (s *Section) Section(name string) *Section {
	for _, sub := range s.Sections {
		if sub.Name == name {
			return sub
		}
	}
	return nil
}

// Lookup follows a path of subsection names from s; nil if any is missing.
func (s *Section) Lookup(path ...string) *Section {
	cur := s
	for _, name := range path {
		if cur = cur.Section(name); cur == nil {
			return nil
		}
	}
	return cur
}
