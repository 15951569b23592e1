package isodatetime

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"gyre/internal/pyformat"
)

// The isodatetime command line follows Python's argparse (as the real
// command uses it with parse_intermixed_args): options may come anywhere,
// long options may be abbreviated, "-1"/"-2" are options (so negative
// numbers are not arguments), and a value starting "-P" (a negative
// duration) is protected by a leading backslash that offsets drop.

// idtArgs are the parsed arguments.
type idtArgs struct {
	items              []string
	asTotal            string
	calendar           *string
	max                int64
	offsets1, offsets2 []string
	parseFormat        *string
	printFormat        *string
	ref                *string
	utc, version       bool
}

// idtHelp is returned when -h/--help is given.
type idtHelp struct{}

func (idtHelp) Error() string { return "help" }

type idtOption struct {
	names   []string
	nargs   int
	choices []string
	set     func(a *idtArgs, v string) error
}

var idtOptions []*idtOption

func init() {
	str := func(dst func(*idtArgs) **string) func(*idtArgs, string) error {
		return func(a *idtArgs, v string) error { *dst(a) = &v; return nil }
	}
	idtOptions = []*idtOption{
		{names: []string{"-h", "--help"}, set: func(a *idtArgs, _ string) error { return idtHelp{} }},
		{names: []string{"--as-total"}, nargs: 1, choices: []string{"H", "M", "S", "h", "m", "s"},
			set: func(a *idtArgs, v string) error { a.asTotal = v; return nil }},
		{names: []string{"--calendar"}, nargs: 1, choices: []string{"360day", "365day", "366day", "gregorian"},
			set: str(func(a *idtArgs) **string { return &a.calendar })},
		{names: []string{"--max="}, nargs: 1, set: func(a *idtArgs, v string) error {
			n, ok := idtPyInt(v)
			if !ok {
				if !idtIntLike(v) {
					return fmt.Errorf("invalid int value: %s", pyformat.StrRepr(v))
				}
				n = math.MaxInt64 // a Python int too large for 64 bits: no limit
				if strings.HasPrefix(strings.TrimSpace(v), "-") {
					n = math.MinInt64
				}
			}
			a.max = n
			return nil
		}},
		{names: []string{"--offset1", "--offset", "-s", "-1"}, nargs: 1,
			set: func(a *idtArgs, v string) error { a.offsets1 = append(a.offsets1, v); return nil }},
		{names: []string{"--offset2", "-2"}, nargs: 1,
			set: func(a *idtArgs, v string) error { a.offsets2 = append(a.offsets2, v); return nil }},
		{names: []string{"--parse-format", "-p"}, nargs: 1, set: str(func(a *idtArgs) **string { return &a.parseFormat })},
		{names: []string{"--print-format", "--format", "-f"}, nargs: 1, set: str(func(a *idtArgs) **string { return &a.printFormat })},
		{names: []string{"--ref", "-R"}, nargs: 1, set: str(func(a *idtArgs) **string { return &a.ref })},
		{names: []string{"--utc", "-u"}, set: func(a *idtArgs, _ string) error { a.utc = true; return nil }},
		{names: []string{"--version", "-V"}, set: func(a *idtArgs, _ string) error { a.version = true; return nil }},
	}
}

var idtIntPattern = regexp.MustCompile(`^\s*[-+]?\p{Nd}+(_\p{Nd}+)*\s*$`)

func idtIntLike(s string) bool { return idtIntPattern.MatchString(s) }

func idtFindOption(name string) *idtOption {
	for _, o := range idtOptions {
		for _, n := range o.names {
			if n == name {
				return o
			}
		}
	}
	return nil
}

// idtOptionUse is an option found in an argument: the option (nil for an
// unknown one), the name it was found under and any value joined to it.
type idtOptionUse struct {
	opt      *idtOption
	name     string
	explicit *string
}

// idtClassify decides whether an argument is an option, as argparse does;
// ok is false for a positional argument.
func idtClassify(arg string) (idtOptionUse, bool, error) {
	if arg == "" || arg[0] != '-' {
		return idtOptionUse{}, false, nil
	}
	if o := idtFindOption(arg); o != nil {
		return idtOptionUse{opt: o, name: arg}, true, nil
	}
	if utf8.RuneCountInString(arg) == 1 {
		return idtOptionUse{}, false, nil
	}
	if name, v, ok := strings.Cut(arg, "="); ok {
		if o := idtFindOption(name); o != nil {
			return idtOptionUse{opt: o, name: name, explicit: &v}, true, nil
		}
	}
	var found []idtOptionUse
	if strings.HasPrefix(arg, "--") {
		prefix, v, hasV := strings.Cut(arg, "=")
		for _, o := range idtOptions {
			for _, n := range o.names {
				if strings.HasPrefix(n, prefix) {
					u := idtOptionUse{opt: o, name: n}
					if hasV {
						u.explicit = &v
					}
					found = append(found, u)
				}
			}
		}
	} else {
		_, size := utf8.DecodeRuneInString(arg[1:])
		short, rest := arg[:1+size], arg[1+size:]
		for _, o := range idtOptions {
			for _, n := range o.names {
				switch {
				case n == short:
					found = append(found, idtOptionUse{opt: o, name: n, explicit: &rest})
				case strings.HasPrefix(n, arg):
					found = append(found, idtOptionUse{opt: o, name: n})
				}
			}
		}
	}
	switch len(found) {
	case 0:
	case 1:
		return found[0], true, nil
	default:
		names := make([]string, len(found))
		for i, f := range found {
			names[i] = f.name
		}
		return idtOptionUse{}, false, fmt.Errorf("ambiguous option: %s could match %s", arg, strings.Join(names, ", "))
	}
	if strings.Contains(arg, " ") {
		return idtOptionUse{}, false, nil
	}
	return idtOptionUse{name: arg}, true, nil
}

func (o *idtOption) label() string { return strings.Join(o.names, "/") }

func (o *idtOption) take(a *idtArgs, v string) error {
	if o.choices != nil {
		ok := false
		for _, c := range o.choices {
			ok = ok || c == v
		}
		if !ok {
			quoted := make([]string, len(o.choices))
			for i, c := range o.choices {
				quoted[i] = pyformat.StrRepr(c)
			}
			return fmt.Errorf("argument %s: invalid choice: %s (choose from %s)", o.label(), pyformat.StrRepr(v), strings.Join(quoted, ", "))
		}
	}
	if err := o.set(a, v); err != nil {
		if _, help := err.(idtHelp); help {
			return err
		}
		return fmt.Errorf("argument %s: %v", o.label(), err)
	}
	return nil
}

// idtParseArgs parses the command line in argparse's two intermixed
// passes: options first (everything else set aside), then the items.
func idtParseArgs(argv []string) (idtArgs, error) {
	a := idtArgs{max: 10}
	args := make([]string, len(argv))
	for i, s := range argv {
		if strings.HasPrefix(s, "-P") {
			s = `\` + s
		}
		args[i] = s
	}
	rest, err := idtParsePass(&a, args, false)
	if err != nil {
		return a, err
	}
	extras, err := idtParsePass(&a, rest, true)
	if err != nil {
		return a, err
	}
	if len(extras) > 0 {
		return a, fmt.Errorf("unrecognized arguments: %s", strings.Join(extras, " "))
	}
	for _, l := range []*[]string{&a.offsets1, &a.offsets2} {
		for i, s := range *l {
			(*l)[i] = strings.ReplaceAll(s, `\`, "")
		}
	}
	return a, nil
}

// idtParsePass is one argparse pass; it returns what it did not consume.
// In the first pass the items are set aside; in the second the first run
// of them is the items (later ones are left over).
func idtParsePass(a *idtArgs, args []string, items bool) ([]string, error) {
	const optClass, argClass, dashClass = 'O', 'A', '-'
	class := make([]byte, len(args))
	uses := make([]idtOptionUse, len(args))
	for i, s := range args {
		if s == "--" {
			class[i] = dashClass
			for j := i + 1; j < len(args); j++ {
				class[j] = argClass
			}
			break
		}
		u, isOpt, err := idtClassify(s)
		if err != nil {
			return nil, err
		}
		class[i], uses[i] = argClass, u
		if isOpt {
			class[i] = optClass
		}
	}
	var extras []string
	itemsDone := false
	for i := 0; i < len(args); {
		if class[i] == optClass {
			next, err := idtConsumeOption(a, args, class, uses, i, &extras)
			if err != nil {
				return nil, err
			}
			i = next
			continue
		}
		j := i
		for j < len(args) && class[j] != optClass {
			j++
		}
		if !itemsDone {
			itemsDone = true
			if items {
				dropped := false
				for _, s := range args[i:j] {
					if s == "--" && !dropped {
						dropped = true
						continue
					}
					a.items = append(a.items, s)
				}
				i = j
				continue
			}
			if class[i] == dashClass {
				i++
			}
		}
		extras = append(extras, args[i:j]...)
		i = j
	}
	return extras, nil
}

func idtConsumeOption(a *idtArgs, args []string, class []byte, uses []idtOptionUse, i int, extras *[]string) (int, error) {
	u := uses[i]
	if u.opt == nil {
		*extras = append(*extras, args[i])
		return i + 1, nil
	}
	type action struct {
		opt *idtOption
		v   string
	}
	var actions []action
	stop := i + 1
	opt, name, explicit := u.opt, u.name, u.explicit
	for {
		if explicit != nil {
			if opt.nargs == 0 && name[1] != '-' && *explicit != "" {
				actions = append(actions, action{opt: opt})
				r, size := utf8.DecodeRuneInString(*explicit)
				name = "-" + string(r)
				if next := idtFindOption(name); next != nil {
					opt = next
					if rest := (*explicit)[size:]; rest != "" {
						explicit = &rest
					} else {
						explicit = nil
					}
					continue
				}
				return 0, fmt.Errorf("argument %s: ignored explicit argument %s", opt.label(), pyformat.StrRepr(*explicit))
			}
			if opt.nargs == 1 {
				actions = append(actions, action{opt, *explicit})
				break
			}
			return 0, fmt.Errorf("argument %s: ignored explicit argument %s", opt.label(), pyformat.StrRepr(*explicit))
		}
		if opt.nargs == 1 {
			if i+1 >= len(args) || class[i+1] != 'A' {
				return 0, fmt.Errorf("argument %s: expected one argument", opt.label())
			}
			actions = append(actions, action{opt, args[i+1]})
			stop = i + 2
		} else {
			actions = append(actions, action{opt: opt})
		}
		break
	}
	for _, act := range actions {
		if err := act.opt.take(a, act.v); err != nil {
			return 0, err
		}
	}
	return stop, nil
}

// idtUsage is the usage line argparse prints before an error.
const idtUsage = `usage: isodatetime [-h] [--as-total UNIT] [--calendar MODE] [--max= N]
                   [--offset1 OFFSET] [--offset2 OFFSET]
                   [--parse-format FORMAT] [--print-format FORMAT] [--ref REF]
                   [--utc] [--version]
                   [ITEM ...]
`

const idtHelpText = idtUsage + `
Date-time point and duration arithmetic (metomi-isodatetime's command).

  isodatetime [POINT]             print a point ("now" if none; "ref" is
                                  $ISODATETIMEREF or --ref), after --offset
  isodatetime POINT1 POINT2       print the duration from POINT1 to POINT2
                                  (-P... if POINT2 is earlier)
  isodatetime --as-total=UNIT DURATION
                                  print a duration in seconds (s),
                                  minutes (m) or hours (h)
  isodatetime RECURRENCE          print the points of an ISO 8601
                                  recurrence (R/2020/P1Y, R5/P1D/2020)
  isodatetime -                   read the items from standard input

Points are ISO 8601 (2020-01-31T06:00Z, 20200131T06, 2020-W05-5, 2020-031)
or, with --parse-format, strptime-style; they print in the form they were
given in unless --print-format gives an ISO-like (CCYY-MM-DDThh:mm) or
strftime (%Y%m%d) format. Offsets and durations are ISO 8601 (PT6H,
P1M2D, P2W); a negative one is written -PT6H.

positional arguments:
  ITEM                  time point, duration or recurrence; "-" reads
                        them from standard input, one a line

options:
  -h, --help            show this help and exit
  --as-total UNIT       print a duration as a total of H, M or S (any case)
  --calendar MODE       calendar: gregorian (default), 360day, 365day or
                        366day; also $ISODATETIMECALENDAR
  --max= N              print at most N points of a recurrence (default 10)
  --offset1 OFFSET, --offset OFFSET, -s OFFSET, -1 OFFSET
                        add OFFSET to the (first) point; may be repeated
  --offset2 OFFSET, -2 OFFSET
                        add OFFSET to the second point; may be repeated
  --parse-format FORMAT, -p FORMAT
                        read points with this strptime format
  --print-format FORMAT, --format FORMAT, -f FORMAT
                        print results in this format (for durations, the
                        letters y, m, d, h, M, s stand for their parts)
  --ref REF, -R REF     the point "ref" stands for (else $ISODATETIMEREF)
  --utc, -u             assume and print UTC
  --version, -V         print the isodatetime version this follows and exit
`
