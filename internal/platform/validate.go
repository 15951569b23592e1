package platform

import (
	"fmt"
	"slices"
	"strings"

	"gyre/internal/flowfile"
)

// Validation of one file's tree. Cylc validates each global.cylc file on
// its own before merging it over the previous ones, so a bad value in the
// site file is an error even when the user file overrides it; the same
// happens here. Every problem in the file is reported, not just the first.

// rawSection is a [platforms] or [platform groups] entry as written in one
// file, before comma expansion and merging.
type rawSection struct {
	name string // the heading text
	sec  *flowfile.Section
}

// fileSections are the platform entries one file defines, in order.
type fileSections struct {
	platforms, groups []rawSection
}

// validateFile checks the tree of one file and returns its platform and
// group sections.
func validateFile(root *flowfile.Section) (fileSections, errorList) {
	var out fileSections
	var errs errorList
	for _, it := range root.Items {
		errs.add(it.Pos(), "settings belong in a section, e.g. [platforms]",
			"illegal item: %s = %s", it.Key, strings.TrimSpace(it.Value()))
	}
	for _, s := range root.Sections {
		switch s.Name {
		case "platforms":
			out.platforms = validateEntries(s, "platforms", validatePlatform, &errs)
		case "platform groups":
			out.groups = validateEntries(s, "platform groups", validateGroup, &errs)
		default:
			if !slices.Contains(topSections, s.Name) {
				errs.add(s.Pos, didYouMean(s.Name, topSections), "illegal section: [%s]", s.Name)
			}
			// Other known sections are the scheduler's business.
		}
	}
	return out, errs
}

// validateEntries checks the [[<name>]] subsections of [platforms] or
// [platform groups]; items directly under it are errors.
func validateEntries(s *flowfile.Section, top string, check func(*flowfile.Section, string, *errorList),
	errs *errorList) []rawSection {
	for _, it := range s.Items {
		errs.add(it.Pos(), fmt.Sprintf("write it as a heading [[%s]]", it.Key),
			"illegal item: %q should be a [section] not a setting: [%s]%s", it.Key, top, it.Key)
	}
	var out []rawSection
	for _, sub := range s.Sections {
		check(sub, "["+top+"]["+sub.Name+"]", errs)
		out = append(out, rawSection{name: sub.Name, sec: sub})
	}
	return out
}

// validatePlatform checks one [[<platform name>]] section by reading every
// value into a scratch Platform.
func validatePlatform(s *flowfile.Section, path string, errs *errorList) {
	scratch := defaultPlatform(false)
	checkSettings(s, path, platformSettings, platformSubsections, scratch, errs)
	for _, sub := range s.Sections {
		subPath := path + "[" + sub.Name + "]"
		switch sub.Name {
		case "meta", "directives":
			checkFreeForm(sub, subPath, errs)
		case "profiler":
			checkSettings(sub, subPath, profilerSettings, nil, scratch, errs)
		case "selection":
			checkSettings(sub, subPath, selectionSettings, nil, scratch, errs)
		default:
			if _, ok := platformSettings[sub.Name]; ok {
				errs.add(sub.Pos, "write it as a setting: "+sub.Name+" = VALUE",
					"illegal item: %q should be a setting not a [section]: %s", sub.Name, subPath)
				continue
			}
			errs.add(sub.Pos, didYouMean(sub.Name, platformSubsections), "illegal section: %s", subPath)
		}
	}
}

// validateGroup checks one [[<group>]] section of [platform groups].
func validateGroup(s *flowfile.Section, path string, errs *errorList) {
	for _, it := range s.Items {
		if it.Key != "platforms" {
			errs.add(it.Pos(), didYouMean(it.Key, []string{"platforms"}), "illegal item: %s%s", path, it.Key)
			continue
		}
		if _, err := readList(it.Value()); err != nil {
			msg, hint := badValue(path+it.Key, it.Value(), setting{typ: tStringList}, err)
			errs.add(it.Pos(), hint, "%s", msg)
		}
	}
	for _, sub := range s.Sections {
		subPath := path + "[" + sub.Name + "]"
		switch sub.Name {
		case "meta":
			checkFreeForm(sub, subPath, errs)
		case "selection":
			checkSettings(sub, subPath, selectionSettings, nil, defaultPlatform(false), errs)
		default:
			errs.add(sub.Pos, didYouMean(sub.Name, []string{"meta", "selection"}), "illegal section: %s", subPath)
		}
	}
}

// checkSettings reads the items of s against a settings table. Subsections
// are left to the caller, but one named like a setting is reported here.
func checkSettings(s *flowfile.Section, path string, table map[string]setting, subsections []string,
	scratch *Platform, errs *errorList) {
	names := settingNames(table)
	for _, it := range s.Items {
		st, ok := table[it.Key]
		switch {
		case !ok && slices.Contains(subsections, it.Key):
			errs.add(it.Pos(), fmt.Sprintf("write it as a heading [[[%s]]]", it.Key),
				"illegal item: %q should be a [section] not a setting: %s%s", it.Key, path, it.Key)
		case !ok:
			hint := removedSettings[it.Key]
			if hint == "" {
				hint = didYouMean(it.Key, names)
			}
			errs.add(it.Pos(), hint, "illegal item: %s%s", path, it.Key)
		default:
			if err := st.set(scratch, it.Value()); err != nil {
				msg, hint := badValue(path+it.Key, it.Value(), st, err)
				errs.add(it.Pos(), hint, "%s", msg)
			}
		}
	}
	if subsections != nil {
		return
	}
	for _, sub := range s.Sections {
		hint := "write it as a setting: " + sub.Name + " = VALUE"
		if _, ok := table[sub.Name]; !ok {
			hint = didYouMean(sub.Name, names)
		}
		errs.add(sub.Pos, hint, "illegal section: %s[%s]", path, sub.Name)
	}
}

// checkFreeForm checks a section of user-named string settings ([meta],
// [directives]).
func checkFreeForm(s *flowfile.Section, path string, errs *errorList) {
	for _, it := range s.Items {
		if strings.Contains(it.Key, "  ") {
			errs.add(it.Pos(), "use single spaces between words", "illegal item (consecutive spaces): %s%s", path, it.Key)
			continue
		}
		if _, err := readString(it.Value()); err != nil {
			msg, hint := badValue(path+it.Key, it.Value(), setting{typ: tString}, err)
			errs.add(it.Pos(), hint, "%s", msg)
		}
	}
	for _, sub := range s.Sections {
		errs.add(sub.Pos, "write it as a setting: "+sub.Name+" = VALUE",
			"illegal item: %q should be a setting not a [section]: %s[%s]", sub.Name, path, sub.Name)
	}
}
