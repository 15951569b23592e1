package broadcast

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"gyre/internal/config"
	"gyre/internal/flowfile"
)

// ParseSetting reads a `-s/--set` argument: "[section]key=value",
// "[a][b]key=value" or "key=value". The text is split at the first "=", so
// the value may hold more; both sides are trimmed. Cylc 7 names are
// upgraded as Cylc does ([job]execution time limit → execution time
// limit). Whether the setting exists and its value fits its type is for
// the Store's Checker to decide: that needs the workflow.
func ParseSetting(s string) (config.Setting, error) {
	lhs, rhs, ok := strings.Cut(s, "=")
	if !ok {
		return config.Setting{}, fmt.Errorf("--set %q has no value: write [SECTION]ITEM=VALUE", s)
	}
	path, err := parsePath(lhs)
	if err != nil {
		return config.Setting{}, fmt.Errorf("--set %q: %w", s, err)
	}
	return config.Setting{Path: path, Value: strings.TrimSpace(rhs)}, nil
}

// ParseCancel reads a `--cancel` argument, "[section]key" or "key", into
// the path of the setting to cancel.
func ParseCancel(s string) ([]string, error) {
	if strings.Contains(s, "=") {
		return nil, fmt.Errorf("--cancel %q takes no value: write [SECTION]ITEM", s)
	}
	path, err := parsePath(s)
	if err != nil {
		return nil, fmt.Errorf("--cancel %q: %w", s, err)
	}
	return path, nil
}

// parsePath splits "[a][b]key" into its parts and upgrades Cylc 7 names.
func parsePath(s string) ([]string, error) {
	rest := strings.TrimSpace(s)
	var path []string
	for strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return nil, errors.New("a [section] is not closed with ]")
		}
		sect := strings.TrimSpace(rest[1:end])
		if sect == "" {
			return nil, errors.New("empty [] section name")
		}
		path = append(path, sect)
		rest = strings.TrimSpace(rest[end+1:])
	}
	switch {
	case rest == "" && path == nil:
		return nil, errors.New("no setting name")
	case rest == "":
		return nil, fmt.Errorf("[%s] is a section: name a setting in it, e.g. [%s]NAME", path[len(path)-1], strings.Join(path, "]["))
	case strings.ContainsAny(rest, "[]"):
		return nil, fmt.Errorf("bad setting name %q: write [SECTION]ITEM", rest)
	}
	path = append(path, rest)
	up, err := config.UpgradeSettingPath(path)
	if err != nil {
		return nil, err
	}
	return up, nil
}

// ParseFile reads a `-F FILE` broadcast file: the body of a flow.cylc
// [runtime][[NAMESPACE]] section, with items and [section] headings one
// level up from where they sit in flow.cylc:
//
//	script = run-model
//	[environment]
//	    VERSE = the quick brown fox
//
// name is used in messages and to resolve %include (for standard input,
// pass a name such as "<stdin>"). Values are read with flow.cylc's rules
// (quotes, comments, lists, triple-quoted strings) and checked against the
// [runtime] schema, so an error names file:line; each Setting's Value is
// the value as a `-s` argument would carry it. Settings come in file order;
// an empty file gives none (deciding whether that is an error is the
// caller's business, as it may have -s settings too). Jinja2 files are not
// supported.
func ParseFile(name string, data []byte) ([]config.Setting, error) {
	f, err := flowfile.Parse(name, filepath.Dir(name), data, flowfile.Options{})
	if err != nil {
		return nil, err
	}
	var out []config.Setting
	var errs []error
	var walk func(s *flowfile.Section, prefix []string)
	walk = func(s *flowfile.Section, prefix []string) {
		for _, it := range s.Items {
			path, err := config.UpgradeSettingPath(append(prefix[:len(prefix):len(prefix)], it.Key))
			var v string
			if err == nil {
				v, err = config.FileSettingValue(path, it.Value())
			}
			if err != nil {
				errs = append(errs, located(it.Pos(), err))
				continue
			}
			out = append(out, config.Setting{Path: path, Value: v})
		}
		for _, sub := range s.Sections {
			walk(sub, append(prefix[:len(prefix):len(prefix)], sub.Name))
		}
	}
	walk(f.Root, nil)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// located gives a config error the file position it came from.
func located(pos flowfile.Pos, err error) error {
	var ce *config.Error
	if errors.As(err, &ce) {
		at := *ce
		at.Pos = pos
		return &at
	}
	return fmt.Errorf("%s: %w", pos, err)
}
