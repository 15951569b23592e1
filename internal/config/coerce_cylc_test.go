package config

import (
	"testing"

	"gyre/internal/flowfile"
)

// coerceCases were computed with Cylc 8.7's parsec validators: the raw
// value, whether Cylc accepts it, and how `cylc config` then prints it.
var coerceCases = []struct {
	typ  vtype
	raw  string
	ok   bool
	want string
}{
	{tString, "foo", true, "foo"},
	{tString, " foo ", true, "foo"},
	{tString, "\"foo\"", true, "foo"},
	{tString, "'foo'", true, "foo"},
	{tString, "\"foo\" # c", true, "foo"},
	{tString, "foo # c", true, "foo"},
	{tString, "a#b", true, "a"},
	{tString, "\"a#b\"", true, "a#b"},
	{tString, "\"a", false, ""},   // Cylc: IllegalValueError: (type=string) k = "a
	{tString, "'a'b'", false, ""}, // Cylc: IllegalValueError: (type=string) k = 'a'b'
	{tString, "\"\"\"x\"\"\"", true, "x"},
	{tString, "\"\"\"\n  a\n    b\n  \"\"\"", true, "a\n  b"},
	{tString, "'''\n x\n'''  # c", true, "x"},
	{tString, "\"a\\\"b\"", true, "a\\\"b"},
	{tString, "", true, ""},
	{tString, "\"\"", true, ""},
	{tString, "   ", true, ""},
	{tString, "\"\"\"a\"\"\" junk", false, ""}, // Cylc: IllegalValueError: (type=string) k = """a""" junk
	{tString, "\t x", true, "x"},
	{tString, "x\"y\"", true, "x\"y\""},
	{tBool, "True", true, "True"},
	{tBool, "true", true, "True"},
	{tBool, "False", true, "False"},
	{tBool, "false", true, "False"},
	{tBool, "", true, ""},
	{tBool, "\"True\"", true, "True"},
	{tBool, "yes", false, ""},  // Cylc: IllegalValueError: (type=boolean) k = yes
	{tBool, "TRUE", false, ""}, // Cylc: IllegalValueError: (type=boolean) k = TRUE
	{tBool, "1", false, ""},    // Cylc: IllegalValueError: (type=boolean) k = 1
	{tBool, "True # c", true, "True"},
	{tInt, "1", true, "1"},
	{tInt, "-1", true, "-1"},
	{tInt, "+5", true, "5"},
	{tInt, "1_000", true, "1000"},
	{tInt, " 7 ", true, "7"},
	{tInt, "07", true, "7"},
	{tInt, "1.0", false, ""}, // Cylc: IllegalValueError: (type=int) k = 1.0 - (invalid literal for int() with base 10: '1.0')
	{tInt, "x", false, ""},   // Cylc: IllegalValueError: (type=int) k = x - (invalid literal for int() with base 10: 'x')
	{tInt, "", true, ""},
	{tInt, "\"3\"", true, "3"},
	{tInt, "1__0", false, ""}, // Cylc: IllegalValueError: (type=int) k = 1__0 - (invalid literal for int() with base 10: '1__0')
	{tFloat, "1", true, "1.0"},
	{tFloat, "1.5", true, "1.5"},
	{tFloat, "-1e3", true, "-1000.0"},
	{tFloat, "1e400", true, "inf"},
	{tFloat, "inf", true, "inf"},
	{tFloat, "nan", true, "nan"},
	{tFloat, ".5", true, "0.5"},
	{tFloat, "5.", true, "5.0"},
	{tFloat, "1_0.5", true, "10.5"},
	{tFloat, "x", false, ""}, // Cylc: IllegalValueError: (type=float) k = x - (could not convert string to float: 'x')
	{tFloat, "", true, ""},
	{tFloat, "1e", false, ""},   // Cylc: IllegalValueError: (type=float) k = 1e - (could not convert string to float: '1e')
	{tFloat, "0x10", false, ""}, // Cylc: IllegalValueError: (type=float) k = 0x10 - (could not convert string to float: '0x10')
	{tStringList, "a, b, c", true, "a, b, c"},
	{tStringList, "a,b,c,", true, "a, b, c"},
	{tStringList, "a, b c ,   d", true, "a, b c, d"},
	{tStringList, "\"a, b\", c", true, "'a, b', c"},
	{tStringList, "'x # y', plain # c", true, "'x # y', plain"},
	{tStringList, "a, \"b, c\"", true, "a, '\"b', 'c\"'"},
	{tStringList, "a, , b", true, "a, , b"},
	{tStringList, "", true, ""},
	{tStringList, "a # c", true, "a"},
	{tStringList, "\"a\"", true, "a"},
	{tStringList, "foo<m,n>", false, ""}, // Cylc: ListValueError: (type=list) k = foo<m,n> - (names containing commas must be quoted(e.g. 'foo<m,n>'))
	{tStringList, "\"foo<m,n>\", bar", true, "'foo<m,n>', bar"},
	{tStringList, "a, \"b\" # c, d", true, "a, '\"b\"'"},
	{tStringList, "a, 'b,c' # x", true, "a, \"'b\", \"c'\""},
	{tStringList, "\"unclosed, x", false, ""}, // Cylc: ValueError: No closing quotation
	{tStringList, "x\\", true, "x\\"},
	{tStringList, "\"a\\\"b\", c", true, "'a\"b', c"},
	{tStringList, "a \"b\", c", true, "'a \"b\"', c"},
	{tStringList, "\"a\" b, c", true, "a b, c"},
	{tStringList, "a,\"b, c\"", true, "a, 'b, c'"},
	{tStringList, "a,'x',b", true, "a, x, b"},
	{tStringList, "a,\"b\"c, d", true, "a, '\"b\"c', d"},
	{tStringList, "a,\"b", true, "a, '\"b'"},
	{tStringList, "a,\"\"", true, "a"},
	{tStringList, "a,\"b,c\"d,e", true, "a, '\"b', 'c\"d', e"},
	{tSpacelessList, "a, b", true, "a, b"},
	{tSpacelessList, "a, b c", false, ""}, // Cylc: ListValueError: (type=list) k = a, b c - (list item "b c" cannot contain a space character)
	{tSpacelessList, "", true, ""},
	{tInterval, "PT1H", true, "PT1H"},
	{tInterval, "P1D", true, "P1D"},
	{tInterval, "P1Y", true, "P365D"},
	{tInterval, "P1M", true, "P30D"},
	{tInterval, "PT0S", true, "P0Y"},
	{tInterval, "P", true, "P0Y"},
	{tInterval, "PT", true, "P0Y"},
	{tInterval, "-PT1M", true, "P-1DT23H59M"},
	{tInterval, "P2W", true, "P14D"},
	{tInterval, "PT1.5H", true, "PT1H30M"},
	{tInterval, "PT0.5S", true, "PT0,5S"},
	{tInterval, "P0001-02-03T04:05:06", true, "P428DT4H5M6S"},
	{tInterval, "P1.5D", false, ""}, // Cylc: IllegalValueError: (type=ISO 8601 interval) k = P1.5D - (Invalid ISO 8601 duration representation: P1.5D)
	{tInterval, "x", false, ""},     // Cylc: IllegalValueError: (type=ISO 8601 interval) k = x - (Invalid ISO 8601 duration representation: x)
	{tInterval, "", true, ""},
	{tInterval, "PT1H # c", true, "PT1H"},
	{tInterval, "\"PT1H\"", true, "PT1H"},
	{tInterval, "P1Y2M3DT4H5M6.5S", true, "P428DT4H5M6,5S"},
	{tInterval, "PT1H30M", true, "PT1H30M"},
	{tInterval, "1", false, ""}, // Cylc: IllegalValueError: (type=ISO 8601 interval) k = 1 - (Invalid ISO 8601 duration representation: 1)
	{tIntervalList, "PT1M, 3*PT2M, PT0.5S", true, "PT1M, PT2M, PT2M, PT2M, 0.5"},
	{tIntervalList, "2*PT1H", true, "PT1H, PT1H"},
	{tIntervalList, "", true, ""},
	{tIntervalList, "PT1M,", true, "PT1M"},
	{tIntervalList, "x", false, ""},      // Cylc: IllegalValueError: (type=ISO 8601 interval) k = x - (Invalid ISO 8601 duration representation: x)
	{tIntervalList, "x*PT1M", false, ""}, // Cylc: IllegalValueError: (type=list) k = x*PT1M - (invalid literal for int() with base 10: 'x')
	{tIntervalList, "0*PT1M", true, ""},
	{tIntervalList, "-1*PT1M", true, ""},
	{tIntervalList, "PT1M, PT1M, PT1M", true, "PT1M, PT1M, PT1M"},
	{tCyclePointFormat, "CCYYMM", true, "CCYYMM"},
	{tCyclePointFormat, "%Y%m", true, "%Y%m"},
	{tCyclePointFormat, "foo", true, "foo"},
	{tCyclePointFormat, "%Q", false, ""}, // Cylc: IllegalValueError: (type=cycle point format) k = %Q - (Invalid strftime/strptime representation: %Q)
	{tCyclePointFormat, "", true, ""},
	{tCyclePointFormat, "a/b", false, ""}, // Cylc: IllegalValueError: (type=cycle point format) k = a/b - (Illegal character: "/". Datetimes are used in Cylc file paths.)
	{tCyclePointFormat, "a:b", false, ""}, // Cylc: IllegalValueError: (type=cycle point format) k = a:b - (Illegal character: ":". Datetimes are used in Cylc file paths.)
	{tCyclePointFormat, "%%Y", true, "%%Y"},
	{tTimeZone, "Z", true, "Z"},
	{tTimeZone, "+13", true, "+13"},
	{tTimeZone, "-0830", true, "-0830"},
	{tTimeZone, "+1", false, ""},     // Cylc: IllegalValueError: (type=cycle point time zone format) k = +1 - (Invalid ISO 8601 time zone representation: +1)
	{tTimeZone, "foo", false, ""},    // Cylc: IllegalValueError: (type=cycle point time zone format) k = foo - (Invalid ISO 8601 time representation: 043054foo)
	{tTimeZone, "+0860", false, ""},  // Cylc: IllegalValueError: (type=cycle point time zone format) k = +0860 - (Invalid input (out of bounds): TimeZone minutes: 60)
	{tTimeZone, "+13:00", false, ""}, // Cylc: IllegalValueError: (type=cycle point time zone format) k = +13:00 - (Invalid ISO 8601 time zone representation: +13:00)
	{tTimeZone, "", true, ""},
	{tParamList, "1..4, 6", true, "1..4, 6"},
	{tParamList, "a, b, c", true, "a, b, c"},
	{tParamList, "084_132", true, "084_132"},
	{tParamList, "072, a", true, "072, a"},
	{tParamList, "a, 072", true, "a, 072"},
	{tParamList, "1..3, a", false, ""}, // Cylc: IllegalValueError: (type=parameter) k = 1..3, a - (mixing int range and str)
	{tParamList, "a, 1..3", false, ""}, // Cylc: IllegalValueError: (type=parameter) k = a, 1..3 - (mixing int range and str)
	{tParamList, "1, 3, 5", true, "1..5..2"},
	{tParamList, "-1..2", true, "-1..2"},
	{tParamList, "1..10..3, 20", true, "1..10..3, 20"},
	{tParamList, "a b", false, ""}, // Cylc: IllegalValueError: (type=parameter) k = a b - (a b: bad value)
	{tParamList, "x.y", false, ""}, // Cylc: IllegalValueError: (type=parameter) k = x.y - (x.y: bad value)
	{tParamList, "", true, ""},
	{tParamList, "072, 1", true, "72, 1"},
	{tParamList, "3, 1, 2", true, "3, 1, 2"},
	{tParamList, "5, 5, 5", true, "3*5"},
	{tXtrigger, "wall_clock(offset=PT1H):PT10S", true, "wall_clock(offset=PT1H):10.0"},
	{tXtrigger, "echo(1, 1.5, True, None, \"a b\", c='d', succeed=True)", true, "echo(1, 1.5, True, None, a b, c=d, succeed=True):10.0"},
	{tXtrigger, "xrandom(50)", true, "xrandom(50):10.0"},
	{tXtrigger, "f()", true, "f():10.0"},
	{tXtrigger, "f", false, ""}, // Cylc: IllegalValueError: (type=xtrigger) k = f
	{tXtrigger, "", false, ""},  // Cylc: IllegalValueError: (type=xtrigger)
	{tXtrigger, "f(a, \"1,2\", b=\",=\",)", true, "f(a, 1,2, b=,=):10.0"},
	{tXtrigger, "f(%(point)s, x=%(name)s):PT1M junk", true, "f(%(point)s, x=%(name)s):60.0"},
	{tXtrigger, "f():1H", false, ""}, // Cylc: IllegalValueError: (type=ISO 8601 interval) k = 1H - (Invalid ISO 8601 duration representation: 1H)
	{tXtrigger, "f(1_0, inf)", true, "f(10, inf):10.0"},
}

func TestCoerceMatchesCylc(t *testing.T) {
	for _, c := range coerceCases {
		v, err := coerce(c.typ, []flowfile.Value{{Text: c.raw}}, "k")
		if !c.ok {
			if err == nil {
				t.Errorf("%s %q: accepted as %#v, Cylc rejects it", typeHelp[c.typ][0], c.raw, v)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %q: %v, Cylc accepts it", typeHelp[c.typ][0], c.raw, err)
			continue
		}
		if got := formatValue(v, false, ""); got != c.want {
			t.Errorf("%s %q: prints %q, Cylc prints %q", typeHelp[c.typ][0], c.raw, got, c.want)
		}
	}
}
