package config

import "strings"

// vtype is the type of a setting's value, one per parsec validator.
type vtype int

const (
	tString            vtype = iota // V_STRING
	tBool                           // V_BOOLEAN
	tInt                            // V_INTEGER
	tFloat                          // V_FLOAT
	tStringList                     // V_STRING_LIST
	tSpacelessList                  // V_SPACELESS_STRING_LIST
	tInterval                       // V_INTERVAL
	tIntervalList                   // V_INTERVAL_LIST
	tCyclePoint                     // V_CYCLE_POINT
	tCyclePointOffsets              // V_CYCLE_POINT_WITH_OFFSETS (a string)
	tCyclePointFormat               // V_CYCLE_POINT_FORMAT
	tTimeZone                       // V_CYCLE_POINT_TIME_ZONE
	tParamList                      // V_PARAMETER_LIST
	tXtrigger                       // V_XTRIGGER
)

// typeHelp names each type and shows examples in error hints, as Cylc's
// documentation does.
var typeHelp = map[vtype][2]string{
	tString:            {"string", "plain text"},
	tBool:              {"boolean", "True or False"},
	tInt:               {"integer", "an integer, e.g. 1, 2, 3"},
	tFloat:             {"float", "a number in integer, decimal or exponential format, e.g. 1, 1.1, 1.1e11"},
	tStringList:        {"list", "a comma separated list of strings, e.g. a, b c, d"},
	tSpacelessList:     {"spaceless list", "a comma separated list of strings without spaces, e.g. a, b, c"},
	tInterval:          {"ISO 8601 interval", "an ISO 8601 duration, e.g. PT6H, P1D"},
	tIntervalList:      {"interval list", "a comma separated list of ISO 8601 durations, with optional multipliers, e.g. PT1M, 2*PT1H, P1D"},
	tCyclePoint:        {"cycle point", "an integer or ISO 8601 date-time cycle point, e.g. 1, 2000-01-01T00Z, now, next(T-00)"},
	tCyclePointOffsets: {"cycle point", "a cycle point with optional offsets, e.g. 2000-02-29T00Z +P1D, +P5"},
	tCyclePointFormat:  {"cycle point format", "an isodatetime or strftime format, e.g. CCYYMM, %Y%m"},
	tTimeZone:          {"cycle point time zone", "an ISO 8601 time zone, e.g. Z, +13, -0830"},
	tParamList:         {"parameter", "a list of names, or of integers and integer ranges, e.g. foo, bar or 1..5..2, 8"},
	tXtrigger:          {"xtrigger", "a function signature, e.g. mytrigger(42, cycle_point=%(point)s):PT10S"},
}

// manyName is the internal name of a user-defined key ([runtime]
// namespaces, environment variables, graph recurrences, ...), as parsec's
// __MANY__.
const manyName = "__MANY__"

// spec is one node of the workflow schema: a section (with children) or a
// setting (with a type and a default).
type spec struct {
	name    string // manyName for user-defined keys
	display string // "<namespace>" for user-defined keys
	section bool
	typ     vtype
	def     any // default value; nil when unset (None or an empty list)
	options []string
	// deprOptions are old option values still accepted (Cylc 7 event
	// names); they are upgraded later, not rejected.
	deprOptions map[string]string
	// warnOptions: bad options are removed with a warning instead of
	// failing (parsec's warn_options).
	warnOptions bool

	children []*spec
	byName   map[string]*spec
	many     *spec // the user-defined child, if any
	parent   *spec
}

// sec declares a section; children are settings and subsections in
// Cylc's order, which is the order `cylc config --defaults` prints.
func sec(name string, children ...*spec) *spec {
	s := &spec{name: name, display: name, section: true, byName: map[string]*spec{}}
	if strings.HasPrefix(name, "<") {
		s.name = manyName
	}
	for _, c := range children {
		c.parent = s
		s.children = append(s.children, c)
		s.byName[c.name] = c
		if c.name == manyName {
			s.many = c
		}
	}
	return s
}

// item declares a setting with an optional default.
func item(name string, t vtype, def ...any) *spec {
	s := &spec{name: name, display: name, typ: t}
	if strings.HasPrefix(name, "<") {
		s.name = manyName
	}
	if len(def) > 0 {
		s.def = def[0]
	}
	return s
}

// oneOf restricts a setting to a list of options.
func (s *spec) oneOf(opts ...string) *spec {
	s.options = opts
	return s
}

// child returns the schema for key below s: a named child, else the
// user-defined one; nil if neither exists.
func (s *spec) child(key string) *spec {
	if c, ok := s.byName[key]; ok {
		return c
	}
	return s.many
}

// workflowSpec is the whole Cylc 8.7 flow.cylc schema.
var workflowSpec = sec("flow.cylc",
	metaSpec(),
	schedulerSpec,
	taskParametersSpec,
	schedulingSpec,
	runtimeSpec,
)

// itemPath renders keys as Cylc does in messages: [a][b]c, or [a][b] for a
// section.
func itemPath(keys []string, isSection bool) string {
	var b strings.Builder
	for i, k := range keys {
		if i < len(keys)-1 || isSection {
			b.WriteString("[" + k + "]")
		} else {
			b.WriteString(k)
		}
	}
	return b.String()
}
