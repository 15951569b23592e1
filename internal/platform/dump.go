package platform

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"gyre/internal/flowfile"
)

// writtenEntry is one [platforms] or [platform groups] heading as written,
// with the sections (from every file) that wrote it.
type writtenEntry struct {
	heading  string
	sections []*flowfile.Section
}

// Dump writes the [platforms] and [platform groups] sections as the global
// configuration sets them, in global.cylc syntax: the files merged, each
// setting once with its last value, defaults left out. It is what
// "cylc config --platforms" prints, so that users can see which settings
// took effect without reading every file.
func (c *Config) Dump(w io.Writer) error {
	for i, title := range []string{"platforms", "platform groups"} {
		if len(c.written[i]) == 0 {
			continue
		}
		if _, err := fmt.Fprintf(w, "[%s]\n", title); err != nil {
			return err
		}
		for _, e := range c.written[i] {
			if err := dumpSection(w, e.heading, e.sections, 2); err != nil {
				return err
			}
		}
	}
	return nil
}

// dumpSection writes one heading at the given depth with the merged items
// and subsections of secs.
func dumpSection(w io.Writer, heading string, secs []*flowfile.Section, depth int) error {
	indent := func(d int) string { return fmt.Sprintf("%*s", 4*(d-1), "") }
	open, close := strings.Repeat("[", depth), strings.Repeat("]", depth)
	if _, err := fmt.Fprintf(w, "%s%s%s%s\n", indent(depth), open, heading, close); err != nil {
		return err
	}
	var keys []string
	values := map[string]string{}
	var subs []string
	subSecs := map[string][]*flowfile.Section{}
	for _, s := range secs {
		for _, it := range s.Items {
			if _, ok := values[it.Key]; !ok {
				keys = append(keys, it.Key)
			}
			values[it.Key] = it.Value()
		}
		for _, sub := range s.Sections {
			if !slices.Contains(subs, sub.Name) {
				subs = append(subs, sub.Name)
			}
			subSecs[sub.Name] = append(subSecs[sub.Name], sub)
		}
	}
	for _, k := range keys {
		if _, err := fmt.Fprintf(w, "%s%s = %s\n", indent(depth+1), k, values[k]); err != nil {
			return err
		}
	}
	for _, name := range subs {
		if err := dumpSection(w, name, subSecs[name], depth+1); err != nil {
			return err
		}
	}
	return nil
}
