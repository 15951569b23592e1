package api

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gyre/internal/suggest"
)

// messageOptions are the options of "gyre message", Cylc's names and
// aliases: --severity (also -s, --priority, -p) and --comms-timeout.
type messageOptions struct {
	severity     string
	commsTimeout time.Duration // per attempt; 0: the default
}

var messageLongOptions = []string{"--severity", "--priority", "--comms-timeout", "--verbose", "--quiet", "--debug"}

// parseMessageArgs separates options from operands as Cylc's option parser
// does: options may come anywhere before "--", "-" alone is an operand (read
// messages from stdin), and everything after "--" is an operand, which is
// how job scripts protect messages that start with '-'. The verbosity
// options are accepted and ignored.
func parseMessageArgs(args []string) (messageOptions, []string, error) {
	var opts messageOptions
	var operands []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			operands = append(operands, args[i+1:]...)
			break
		}
		if a == "-" || !strings.HasPrefix(a, "-") {
			operands = append(operands, a)
			continue
		}
		name, value, hasValue := a, "", false
		if strings.HasPrefix(a, "--") {
			name, value, hasValue = strings.Cut(a, "=")
		} else if len(a) > 2 {
			name, value, hasValue = a[:2], a[2:], true
		}
		takeValue := func() (string, error) {
			if hasValue {
				return value, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("option %s requires a value", name)
			}
			i++
			return args[i], nil
		}
		switch name {
		case "--severity", "--priority", "-s", "-p":
			v, err := takeValue()
			if err != nil {
				return opts, nil, err
			}
			if strings.ContainsAny(v, "|\r\n") {
				return opts, nil, fmt.Errorf("%s=%q: a severity is one word such as WARNING, without '|' or line breaks", name, v)
			}
			opts.severity = v
		case "--comms-timeout":
			v, err := takeValue()
			if err != nil {
				return opts, nil, err
			}
			secs, err := strconv.ParseFloat(v, 64)
			if err != nil || secs <= 0 || secs > 3600 {
				return opts, nil, fmt.Errorf("--comms-timeout=%q: want a number of seconds, more than 0 and at most 3600", v)
			}
			opts.commsTimeout = time.Duration(secs * float64(time.Second))
		case "--verbose", "-v", "--quiet", "-q", "--debug":
			if hasValue && strings.HasPrefix(a, "--") {
				return opts, nil, fmt.Errorf("option %s takes no value", name)
			}
			if hasValue { // "-vv" and the like
				if strings.Trim(value, "vq") != "" {
					return opts, nil, fmt.Errorf("no such option: %s%s", a, suggestOption(a))
				}
			}
		default:
			return opts, nil, fmt.Errorf("no such option: %s%s (to send a message starting with '-', put it after \"--\")", name, suggestOption(name))
		}
	}
	return opts, operands, nil
}

func suggestOption(name string) string {
	if !strings.HasPrefix(name, "--") {
		return ""
	}
	best, bestD := "", len(name)/2+1
	for _, o := range messageLongOptions {
		if d := suggest.Distance(name, o); d < bestD {
			best, bestD = o, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

// readStdinMessages reads messages separated by blank lines, as Cylc does:
// lines with only blanks also separate, and a message keeps its inner line
// breaks.
func readStdinMessages(r io.Reader) ([]string, error) {
	if r == nil {
		return nil, nil
	}
	var msgs []string
	var cur strings.Builder
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if strings.TrimSpace(line) != "" {
			cur.WriteString(line)
		} else if cur.Len() > 0 {
			msgs = append(msgs, cur.String())
			cur.Reset()
		}
		if err != nil {
			if cur.Len() > 0 {
				msgs = append(msgs, cur.String())
			}
			if errors.Is(err, io.EOF) {
				return msgs, nil
			}
			return msgs, fmt.Errorf("reading messages from stdin: %w", err)
		}
	}
}

// splitSeverity turns "SEVERITY: text" into its parts, or gives an unprefixed
// message the default severity, with Cylc's rules: a colon is allowed only
// straight after the first word, which is then the severity (any word: Cylc
// does not restrict severities to the standard levels), and messages must
// not start with "_cylc", which Cylc reserves.
func splitSeverity(s, defaultSeverity string) (TaskMessage, error) {
	i := strings.IndexByte(s, ':')
	if i < 0 {
		if defaultSeverity == "" {
			defaultSeverity = "INFO"
		}
		return TaskMessage{Severity: defaultSeverity, Text: strings.TrimSpace(s)}, nil
	}
	word := s[:i]
	if word == "" || strings.IndexFunc(word, func(r rune) bool {
		return r != '_' && !unicode.IsLetter(r) && !unicode.IsNumber(r)
	}) >= 0 {
		return TaskMessage{}, fmt.Errorf("invalid task message %q - cannot contain ':' unless it occurs at the end of the first word (write \"SEVERITY: message\", e.g. \"WARNING: disk full\")", s)
	}
	if strings.HasPrefix(s, "_cylc") {
		return TaskMessage{}, fmt.Errorf("invalid task message %q - cannot start with '_cylc'", s)
	}
	return TaskMessage{Severity: word, Text: strings.TrimSpace(s[i+1:])}, nil
}

// formatEventTime writes t as Cylc stamps job events: ISO 8601 extended to
// the second, "Z" for UTC, else the offset as ±HH:MM. In UTC mode the time is
// given in UTC whatever the local zone.
func formatEventTime(t time.Time, utc bool) string {
	if utc {
		t = t.UTC()
	}
	s := t.Format("2006-01-02T15:04:05")
	_, offset := t.Zone()
	if offset == 0 {
		return s + "Z"
	}
	return s + t.Format("-07:00")
}
