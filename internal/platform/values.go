package platform

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gyre/internal/config"
)

// Raw setting values keep their quotes and trailing comments (flowfile leaves
// them for the typed reader to decide). These functions read them the way
// Cylc's parsec validator does for the types global.cylc platforms use:
// strings (bare, 'quoted', "quoted" or triple quoted), comma separated lists,
// booleans, integers and ISO 8601 intervals with N*VALUE multipliers.

// vtype is a setting's value type; the names are Cylc's, for messages.
type vtype int

const (
	tString vtype = iota
	tStringList
	tBool
	tInt
	tInterval
	tIntervalList
)

// typeHelp is the type's name and what a good value looks like.
var typeHelp = map[vtype][2]string{
	tString:       {"string", "plain text"},
	tStringList:   {"list", "a comma separated list of strings, e.g. a, b c, d"},
	tBool:         {"boolean", "True or False"},
	tInt:          {"integer", "a whole number, e.g. 236"},
	tInterval:     {"ISO 8601 interval", "an ISO 8601 duration, e.g. PT10S, PT1M, P1D"},
	tIntervalList: {"ISO 8601 interval list", "ISO 8601 durations, e.g. PT1M, 2*PT5M, PT10M"},
}

// maxListLen bounds N*VALUE expansion, which would otherwise let a typo such
// as 100000000*PT1M exhaust memory.
const maxListLen = 10000

var (
	errBadQuoting  = errors.New("bad quoting")
	reSingleQuoted = regexp.MustCompile(`^'([^'\\]*(?:\\.[^'\\]*)*)'\s*(?:#.*)?$`)
	reDoubleQuoted = regexp.MustCompile(`^"([^"\\]*(?:\\.[^"\\]*)*)"\s*(?:#.*)?$`)
	reTripleSingle = regexp.MustCompile(`(?s)^'''(.*?)'''\s*(?:#.*)?$`)
	reTripleDouble = regexp.MustCompile(`(?s)^"""(.*?)"""\s*(?:#.*)?$`)
	reInt          = regexp.MustCompile(`^[+-]?\d+(?:_\d+)*$`)
)

// readString reads a single (non-list) value: quotes removed, a trailing
// comment dropped, a triple-quoted block dedented, surrounding space
// stripped.
func readString(raw string) (string, error) {
	for _, q := range []struct {
		prefix string
		re     *regexp.Regexp
	}{{`'''`, reTripleSingle}, {`"""`, reTripleDouble}, {`"`, reDoubleQuoted}, {`'`, reSingleQuoted}} {
		if strings.HasPrefix(raw, q.prefix) {
			m := q.re.FindStringSubmatch(raw)
			if m == nil {
				return "", errBadQuoting
			}
			return strings.TrimSpace(dedent(m[1])), nil
		}
	}
	s, _, _ := strings.Cut(raw, "#")
	return strings.TrimSpace(s), nil
}

// dedent removes the whitespace prefix common to all non-blank lines, as
// Python's textwrap.dedent does for triple-quoted values.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	prefix, first := "", true
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		lead := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		switch {
		case first:
			prefix, first = lead, false
		case strings.HasPrefix(lead, prefix):
		case strings.HasPrefix(prefix, lead):
			prefix = lead
		default:
			n := 0
			for n < len(lead) && n < len(prefix) && lead[n] == prefix[n] {
				n++
			}
			prefix = prefix[:n]
		}
	}
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			lines[i] = ""
		} else {
			lines[i] = l[len(prefix):]
		}
	}
	return strings.Join(lines, "\n")
}

// readList reads a comma separated list. A value starting with a quote is
// a list of quoted words ("a", 'b c'); otherwise items are split on commas,
// an item wrapped in matching quotes may contain commas, and a trailing
// comma is allowed.
func readList(raw string) ([]string, error) {
	if strings.HasPrefix(raw, `"`) || strings.HasPrefix(raw, `'`) {
		return readQuotedList(raw)
	}
	raw = strings.TrimSpace(cutComment(raw))
	var out []string
	for pos := 0; ; {
		item, next, more := nextItem(raw, pos)
		out = append(out, strings.TrimSpace(item))
		if !more {
			break
		}
		pos = next
	}
	if out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out, nil
}

// cutComment drops a trailing "# comment", ignoring '#' inside quotes.
func cutComment(s string) string {
	var quote byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			return s[:i]
		}
	}
	return s
}

// nextItem returns the list item starting at pos: up to the next comma, or
// the text between matching quotes when the item starts with one and the
// closing quote is followed by a comma or the end.
func nextItem(s string, pos int) (item string, next int, more bool) {
	if pos < len(s) && (s[pos] == '"' || s[pos] == '\'') {
		q := s[pos]
		for i := pos + 1; i < len(s); i++ {
			if s[i] != q {
				continue
			}
			if i+1 == len(s) {
				return s[pos+1 : i], i + 1, false
			}
			if s[i+1] == ',' {
				return s[pos+1 : i], i + 2, true
			}
		}
	}
	if i := strings.IndexByte(s[pos:], ','); i >= 0 {
		return s[pos : pos+i], pos + i + 1, true
	}
	return s[pos:], len(s), false
}

// readQuotedList tokenises a list whose first item is quoted, in the manner
// of the shell-like lexer Cylc uses: quoted and bare text join into one
// word, commas separate words, '#' outside quotes starts a comment, and a
// backslash escapes the next character (inside double quotes, only a quote
// or a backslash).
func readQuotedList(raw string) ([]string, error) {
	var out []string
	var word strings.Builder
	flush := func() {
		if w := strings.TrimSpace(word.String()); w != "" {
			out = append(out, w)
		}
		word.Reset()
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '#':
			flush()
			return out, nil
		case ',':
			flush()
		case '\\':
			if i+1 == len(raw) {
				return nil, errors.New("no escaped character")
			}
			i++
			word.WriteByte(raw[i])
		case '"', '\'':
			j := i + 1
			for ; j < len(raw) && raw[j] != c; j++ {
				if c == '"' && raw[j] == '\\' && j+1 < len(raw) && (raw[j+1] == '"' || raw[j+1] == '\\') {
					j++
				}
				word.WriteByte(raw[j])
			}
			if j == len(raw) {
				return nil, errors.New("no closing quotation")
			}
			i = j
		default:
			word.WriteByte(c)
		}
	}
	flush()
	return out, nil
}

// readBool reads True/true/False/false; empty is false (Cylc's None).
func readBool(raw string) (bool, error) {
	s, err := readString(raw)
	if err != nil {
		return false, err
	}
	switch s {
	case "True", "true":
		return true, nil
	case "False", "false", "":
		return false, nil
	}
	return false, errNoDetail
}

// errNoDetail marks a bad value for which the type's help says it all.
var errNoDetail = errors.New("")

// readInt reads an integer as Python's int() does (underscores between
// digits allowed); empty is 0 (Cylc's None).
func readInt(raw string) (int, error) {
	s, err := readString(raw)
	if err != nil || s == "" {
		return 0, err
	}
	if !reInt.MatchString(s) {
		return 0, errNoDetail
	}
	n, err := strconv.Atoi(strings.ReplaceAll(s, "_", ""))
	if err != nil {
		return 0, errors.New("out of range")
	}
	return n, nil
}

// readInterval reads one ISO 8601 interval; ok is false for an empty value.
func readInterval(raw string) (d time.Duration, ok bool, err error) {
	s, err := readString(raw)
	if err != nil || s == "" {
		return 0, false, err
	}
	d, err = parseDuration(s)
	return d, err == nil, err
}

// parseDuration reads an ISO 8601 interval as Cylc does (in seconds: a
// year is 365 days, a month 30), refusing one too long for a Duration.
func parseDuration(s string) (time.Duration, error) {
	iv, err := config.ParseInterval(s)
	if err != nil {
		return 0, err
	}
	if math.Abs(float64(iv)) >= math.MaxInt64/1e9 {
		return 0, fmt.Errorf("interval too long: %s", s)
	}
	return iv.Duration(), nil
}

// readIntervalList reads intervals with N*VALUE multipliers, e.g.
// "PT1M, 2*PT5M, PT10M". An empty value is nil.
func readIntervalList(raw string) ([]time.Duration, error) {
	items, err := readList(raw)
	if err != nil {
		return nil, err
	}
	var out []time.Duration
	for _, it := range items {
		n, val := 1, it
		if m, v, ok := strings.Cut(it, "*"); ok {
			n, err = readInt(m)
			if err != nil || strings.TrimSpace(m) == "" {
				return nil, fmt.Errorf("bad multiplier in %q", it)
			}
			val = v
		}
		d, ok, err := readInterval(strings.TrimSpace(val))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("empty interval in %q", it)
		}
		if n > maxListLen-len(out) {
			return nil, fmt.Errorf("more than %d intervals", maxListLen)
		}
		for range n {
			out = append(out, d)
		}
	}
	return out, nil
}
