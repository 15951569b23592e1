package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gyre/internal/store/persist"
)

// Values are written the way Cylc writes them (Python's json.dumps with its
// default ", " and ": " separators and ASCII-only escapes, str() of times),
// so that a query that works on a Cylc database works on Gyre's, and text
// matches byte for byte where users grep for it.

// Time layouts. Cylc writes task times with get_current_time_string()
// (seconds, "Z" in UTC mode, "+HH:MM" otherwise), broadcast event times with
// microseconds, and flow start times with Python's isoformat() (seconds,
// "+00:00" even in UTC).
const (
	layoutTime     = "2006-01-02T15:04:05Z07:00"
	layoutTimeUsec = "2006-01-02T15:04:05.000000Z07:00"
	layoutIsoTime  = "2006-01-02T15:04:05-07:00"
)

// dbTime converts a time for a TEXT column: NULL when zero.
func dbTime(t time.Time, layout string) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(layout)
}

// dbEpoch converts a time to the float seconds since the epoch that Cylc
// stores for timers: NULL when zero.
func dbEpoch(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return float64(t.UnixMicro()) / 1e6
}

// dbBool is how Python's sqlite3 stores a bool.
func dbBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

// parseTimeLayouts are the forms a time may take in a database written by
// Gyre or Cylc: ISO 8601 extended with a zone (the norm), without a zone
// (read as UTC), or in basic format.
var parseTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"20060102T150405.999999999Z0700",
	"20060102T150405Z0700",
}

// parseDBTime reads a time column; empty means unset.
func parseDBTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range parseTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read %q as an ISO 8601 date-time", s)
}

// parseEpoch reads Cylc's float epoch seconds as text (a TEXT-affinity
// column turns the REAL Cylc binds into text); empty means unset.
func parseEpoch(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("cannot read %q as seconds since the epoch", s)
	}
	return epochTime(f)
}

// epochTime converts float epoch seconds, to the microsecond.
func epochTime(f float64) (time.Time, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e14 {
		return time.Time{}, fmt.Errorf("%v is not a time in seconds since the epoch", f)
	}
	return time.UnixMicro(int64(math.Round(f * 1e6))).UTC(), nil
}

// encodeFlowNums writes a flow set as Cylc's serialise_set does: sorted,
// "[1, 2]", "[]" for the none flow. The caller's slice is not modified.
func encodeFlowNums(nums []int) string {
	switch len(nums) {
	case 0:
		return "[]"
	case 1:
		if nums[0] == 1 {
			return "[1]" // the common case, without allocating
		}
		return "[" + strconv.Itoa(nums[0]) + "]"
	}
	if !slices.IsSorted(nums) {
		nums = slices.Sorted(slices.Values(nums))
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, n := range nums {
		if i > 0 {
			if n == nums[i-1] {
				continue
			}
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(n))
	}
	b.WriteByte(']')
	return b.String()
}

// errFlowNums is wrapped by every flow-number decoding error.
var errFlowNums = errors.New("not a JSON list of flow numbers")

// decodeFlowNums reads a flow_nums column: a JSON list of integers. The
// result is sorted and free of duplicates, as it is a set.
func decodeFlowNums(s string) ([]int, error) {
	if nums, ok := decodeFlowNumsFast(s); ok {
		return nums, nil
	}
	var nums []int
	if err := json.Unmarshal([]byte(s), &nums); err != nil || nums == nil { // nil: "null"
		return nil, fmt.Errorf("%w: %q", errFlowNums, s)
	}
	slices.Sort(nums)
	return slices.Compact(nums), nil
}

// decodeFlowNumsFast handles the canonical form Cylc and Gyre write,
// "[1, 2]", without the JSON decoder: a restart reads one per task.
func decodeFlowNumsFast(s string) ([]int, bool) {
	if s == "[1]" {
		return []int{1}, true
	}
	inner, ok := strings.CutPrefix(s, "[")
	if !ok {
		return nil, false
	}
	if inner, ok = strings.CutSuffix(inner, "]"); !ok {
		return nil, false
	}
	if inner == "" {
		return []int{}, true
	}
	var nums []int
	for part := range strings.SplitSeq(inner, ", ") {
		// Only plain non-negative decimals without leading zeros are
		// canonical; anything else goes to the JSON decoder.
		if part == "" || len(part) > 9 || part[0] == '0' && len(part) > 1 {
			return nil, false
		}
		n := 0
		for i := 0; i < len(part); i++ {
			c := part[i]
			if c < '0' || c > '9' {
				return nil, false
			}
			n = n*10 + int(c-'0')
		}
		if len(nums) > 0 && n <= nums[len(nums)-1] {
			return nil, false // not sorted and unique: let the slow path sort
		}
		nums = append(nums, n)
	}
	return nums, true
}

// encodeOutputs writes completed outputs as Cylc 8.3+ does: a JSON object
// {trigger: message} in completion order.
func encodeOutputs(outs []persist.Output) string {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, o := range outs {
		if i > 0 {
			b.WriteString(", ")
		}
		writePyString(&b, o.Trigger)
		b.WriteString(": ")
		writePyString(&b, o.Message)
	}
	b.WriteByte('}')
	return b.String()
}

// decodeOutputs reads a task_outputs column. Three forms exist: Cylc 8.3+
// and Cylc 7 write {trigger: message}; Cylc 8.0-8.2 wrote a list of
// messages, whose triggers are unknown, so each reads as its own trigger
// (true of the standard outputs, which are most of them). Object order is
// kept: it is completion order. NULL or empty text reads as no outputs.
func decodeOutputs(s string) ([]persist.Output, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	if outs, ok := decodeOutputsFast(s); ok {
		return outs, nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("outputs %q: %w", s, err)
	}
	var outs []persist.Output
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, fmt.Errorf("outputs %q: %w", s, err)
			}
			var msg string
			if err := dec.Decode(&msg); err != nil {
				return nil, fmt.Errorf("outputs %q: message of %q is not a string", s, k)
			}
			outs = append(outs, persist.Output{Trigger: k.(string), Message: msg})
		}
	case json.Delim('['):
		for dec.More() {
			var msg string
			if err := dec.Decode(&msg); err != nil {
				return nil, fmt.Errorf("outputs %q: a message is not a string", s)
			}
			outs = append(outs, persist.Output{Trigger: msg, Message: msg})
		}
	default:
		return nil, fmt.Errorf("outputs %q: want a JSON object or list", s)
	}
	if _, err := dec.Token(); err != nil { // the closing delimiter
		return nil, fmt.Errorf("outputs %q: %w", s, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("outputs %q: unexpected text after the JSON value", s)
	}
	if outs == nil {
		outs = []persist.Output{}
	}
	return outs, nil
}

// decodeOutputsFast reads the form encodeOutputs writes when no string
// needs an escape: {"a": "b", "c": "d"}, printable ASCII without
// backslashes. A restart reads one per task; anything else goes to the
// JSON decoder.
func decodeOutputsFast(s string) ([]persist.Output, bool) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '\\' {
			return nil, false
		}
	}
	if s == "{}" {
		return []persist.Output{}, true
	}
	rest, ok := strings.CutPrefix(s, "{")
	if !ok {
		return nil, false
	}
	// quoted cuts a leading "text" off rest.
	quoted := func() (string, bool) {
		r, ok := strings.CutPrefix(rest, `"`)
		if !ok {
			return "", false
		}
		text, after, ok := strings.Cut(r, `"`)
		rest = after
		return text, ok
	}
	outs := make([]persist.Output, 0, 4)
	for {
		trig, ok := quoted()
		if !ok {
			return nil, false
		}
		if rest, ok = strings.CutPrefix(rest, ": "); !ok {
			return nil, false
		}
		msg, ok := quoted()
		if !ok {
			return nil, false
		}
		outs = append(outs, persist.Output{Trigger: trig, Message: msg})
		if rest == "}" {
			return outs, true
		}
		if rest, ok = strings.CutPrefix(rest, ", "); !ok {
			return nil, false
		}
	}
}

// encodeStrings writes a JSON list of strings, Python style.
func encodeStrings(ss []string) string {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, s := range ss {
		if i > 0 {
			b.WriteString(", ")
		}
		writePyString(&b, s)
	}
	b.WriteByte(']')
	return b.String()
}

// encodeDelays writes a JSON list of float seconds as Python does: [30.0, 60.0].
func encodeDelays(ds []float64) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, d := range ds {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pyFloat(d))
	}
	b.WriteByte(']')
	return b.String()
}

// decodeDelays reads a delays column.
func decodeDelays(s string) ([]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var ds []float64
	if err := json.Unmarshal([]byte(s), &ds); err != nil {
		return nil, fmt.Errorf("delays %q: not a JSON list of numbers", s)
	}
	return ds, nil
}

// pyFloat formats a float as Python's repr does for the values timers hold:
// integral values keep a ".0".
func pyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case math.IsNaN(f):
		return "NaN"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// writePyString writes s as a JSON string the way Python's json.dumps does
// with ensure_ascii: everything outside printable ASCII is a \u escape.
// Invalid UTF-8 is written as U+FFFD, as it could not come from Python.
func writePyString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r >= 0x20 && r < 0x7f:
			b.WriteByte(byte(r))
		default:
			if r == utf8.RuneError {
				r = 0xfffd
			}
			units := []rune{r}
			if r > 0xffff {
				r -= 0x10000
				units = []rune{0xd800 + (r>>10)&0x3ff, 0xdc00 + r&0x3ff}
			}
			for _, u := range units {
				b.WriteString(`\u`)
				b.WriteByte(hex[u>>12&0xf])
				b.WriteByte(hex[u>>8&0xf])
				b.WriteByte(hex[u>>4&0xf])
				b.WriteByte(hex[u&0xf])
			}
		}
	}
	b.WriteByte('"')
}
