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
	// AfterJinja2 is set when a line of Jinja2 output could not be traced
	// back to one template line: Line then counts the processed lines
	// (File.Lines), which is what a `view --processed` listing shows.
	AfterJinja2 bool
}

func (p Pos) String() string {
	var s string
	if p.File == "" {
		s = fmt.Sprintf("line %d", p.Line)
	} else {
		s = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	if p.AfterJinja2 {
		s += " (after Jinja2 processing)"
	}
	return s
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
// A heading that appears again merges into the first one. Treat Items and
// Sections as read-only: Item and Section look names up in a private index
// built by the parser.
type Section struct {
	Name     string
	Pos      Pos // first appearance of the heading; zero for the root
	Items    []*Item
	Sections []*Section

	// Name indexes, built by the parser once a section grows past
	// indexThreshold entries, so that a [runtime] with thousands of
	// namespaces is not searched linearly for every heading. They are only
	// trusted while they agree in length with the slices, so a caller that
	// edits Items or Sections directly falls back to the linear search.
	itemIndex    map[string]*Item
	sectionIndex map[string]*Section
}

// Item returns the item named key, or nil.
func (s *Section) Item(key string) *Item {
	if s.itemIndex != nil && len(s.itemIndex) == len(s.Items) {
		if it := s.itemIndex[key]; it == nil || it.Key == key {
			return it
		}
	}
	for _, it := range s.Items {
		if it.Key == key {
			return it
		}
	}
	return nil
}

// Section returns the direct subsection named name, or nil.
func (s *Section) Section(name string) *Section {
	if s.sectionIndex != nil && len(s.sectionIndex) == len(s.Sections) {
		if sub := s.sectionIndex[name]; sub == nil || sub.Name == name {
			return sub
		}
	}
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

// indexThreshold is the size above which a section indexes its children by
// name: below it a linear scan is cheaper than a map.
const indexThreshold = 8

// addItem appends it, keeping the name index up to date.
func (s *Section) addItem(it *Item) {
	s.Items = append(s.Items, it)
	switch {
	case s.itemIndex != nil:
		s.itemIndex[it.Key] = it
	case len(s.Items) > indexThreshold:
		s.itemIndex = make(map[string]*Item, 2*len(s.Items))
		for _, x := range s.Items {
			s.itemIndex[x.Key] = x
		}
	}
}

// addSection appends sub, keeping the name index up to date.
func (s *Section) addSection(sub *Section) {
	s.Sections = append(s.Sections, sub)
	switch {
	case s.sectionIndex != nil:
		s.sectionIndex[sub.Name] = sub
	case len(s.Sections) > indexThreshold:
		s.sectionIndex = make(map[string]*Section, 2*len(s.Sections))
		for _, x := range s.Sections {
			s.sectionIndex[x.Name] = x
		}
	}
}
