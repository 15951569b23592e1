package config

import (
	"sort"
	"strings"
)

// Xtrigger is an [scheduling][xtriggers] function call, parsed as Cylc does:
// arguments are converted to int, float, bool or nil where they look like
// one, and are strings otherwise.
type Xtrigger struct {
	Label    string
	Func     string
	Args     []any
	Kwargs   map[string]any
	Interval float64 // call interval in seconds; 10 unless given
}

// Signature is the call as Cylc shows it: args, then kwargs sorted by name.
func (x *Xtrigger) Signature() string {
	parts := make([]string, 0, len(x.Args)+len(x.Kwargs))
	for _, a := range x.Args {
		parts = append(parts, pyStr(a))
	}
	keys := make([]string, 0, len(x.Kwargs))
	for k := range x.Kwargs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+"="+pyStr(x.Kwargs[k]))
	}
	return x.Func + "(" + strings.Join(parts, ", ") + ")"
}

// String is how `cylc config` prints an xtrigger: signature:interval.
func (x *Xtrigger) String() string {
	return x.Signature() + ":" + pyFloatRepr(x.Interval)
}

func coerceXtrigger(raw, label string) (any, error) {
	s, err := stripAndUnquote(raw)
	if err != nil {
		return nil, err
	}
	m := reXtrigger.FindStringSubmatch(firstLine(s))
	if s == "" || m == nil {
		return nil, errNoDetail
	}
	x := &Xtrigger{Label: label, Func: m[1], Kwargs: map[string]any{}, Interval: 10}
	if m[3] != "" {
		iv, err := coerceInterval(m[3])
		if err != nil {
			return nil, err
		}
		x.Interval = float64(iv.(Interval))
	}
	args, kwargs, order := parseXtrigArgs(m[2])
	for _, a := range args {
		v, err := xtrigArgType(a)
		if err != nil {
			return nil, err
		}
		x.Args = append(x.Args, v)
	}
	for _, k := range order {
		v, err := xtrigArgType(kwargs[k])
		if err != nil {
			return nil, err
		}
		x.Kwargs[k] = v
	}
	return x, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// parseXtrigArgs splits "a, b, k=v" at commas outside quotes; arguments
// keep their quotes here.
func parseXtrigArgs(s string) (args []string, kwargs map[string]string, order []string) {
	kwargs = map[string]string{}
	inStr, inKwarg := false, false
	var buf, key strings.Builder
	flush := func() {
		if inKwarg {
			k := strings.TrimSpace(key.String())
			if _, dup := kwargs[k]; !dup {
				order = append(order, k)
			}
			kwargs[k] = strings.TrimSpace(buf.String())
		} else {
			args = append(args, strings.TrimSpace(buf.String()))
		}
	}
	for _, c := range s {
		switch {
		case c == '"' || c == '\'':
			inStr = !inStr
			buf.WriteRune(c)
		case !inStr && c == ',':
			flush()
			inKwarg = false
			key.Reset()
			buf.Reset()
		case c == '=' && !inStr && !inKwarg:
			inKwarg = true
			key.Reset()
			key.WriteString(buf.String())
			buf.Reset()
		default:
			buf.WriteRune(c)
		}
	}
	if buf.Len() > 0 {
		flush()
	}
	return args, kwargs, order
}

// xtrigArgType converts an argument to int, float, bool or nil if it reads
// as one, else unquotes it.
func xtrigArgType(s string) (any, error) {
	if v, ok := pyInt(s); ok {
		return v, nil
	}
	if v, ok := pyFloat(s); ok {
		return v, nil
	}
	switch s {
	case "False":
		return false, nil
	case "True":
		return true, nil
	case "None":
		return nil, nil
	}
	return stripAndUnquote(s)
}
