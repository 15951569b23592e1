// Package cycle implements Cylc's cycling: ISO 8601 date-time cycle points,
// durations and recurrences in the proleptic Gregorian, 360-, 365- and
// 366-day calendars, and integer cycling, with the semantics of Cylc 8.7 on
// top of metomi-isodatetime 3 (the library Cylc uses).
//
// A Context holds one workflow's settings ([scheduling]cycling mode,
// [scheduler]cycle point format, time zone, expanded year digits, the
// initial and final cycle points). It parses points ("2010-01-01T00Z",
// "2010W011", "2010060"), durations ("P1Y2M", "PT6H", "P3" in integer
// cycling), the initial-point forms ("now", "next(T00)",
// "previous(T06) -P1D", "PT1H") and graph section headings ("T00",
// "+PT6H/PT12H", "R1/$", "PT1H!(T06, T12)") into Sequences.
//
// Cylc keeps every cycle point as the string its cycle point format gives,
// and re-reads it before each operation, so precision beyond the format is
// dropped and points are expressed in the format's time zone. Points here
// are small values that behave the same way without the strings: arithmetic
// (Point.Add) and sequence methods return points already rounded to the
// format. Nominal arithmetic follows isodatetime exactly: exact parts first,
// then months one at a time (clamping the day of month at each, so the
// clamp sticks), then years.
//
// Sequence methods work out the answer from the recurrence's closed form
// (O(1) for exact, monthly and yearly intervals) instead of walking from the
// start, so the scheduler can call them on every spawn.
//
// The package is pure: no I/O, no clock reads ("now" comes in as an
// argument), safe for concurrent use once a Context is made.
package cycle
