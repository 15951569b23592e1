// Package config turns the raw tree of a Cylc workflow definition (from
// internal/flowfile) into a validated workflow configuration, the way Cylc
// 8.7's parsec and config.py do:
//
//   - Cylc 7 → 8 upgrades (renamed, moved and obsolete items) with Cylc's
//     warnings, applied to every file as Cylc does (deprecation warnings are
//     silenced in Cylc 7 compatibility mode, obsoletions are not);
//   - validation of every section, item and value against the Cylc 8.7
//     schema (spec_*.go), collecting all errors with file:line and a
//     did-you-mean hint;
//   - values coerced to Go types with Cylc's quoting, comment and list rules;
//   - [runtime] namespace lists ([[a, b]]) and parameterised names expanded,
//     the inheritance hierarchy linearised with C3 and settings inherited
//     along it;
//   - `cylc config` printing, byte for byte, sparse or with defaults.
//
// Build is the entry point; Workflow.Print is `cylc config`; Scheduling,
// Scheduler and Runtime are typed views for the scheduler. What Cylc derives
// from the graph or from cycle arithmetic is handed back by those layers
// (AddImplicitTask, SetCompletion, SetDerived) so that printing matches.
//
// The package is pure: no clock, no processes, no file system. Graph
// parsing and cycle point arithmetic belong to internal/graph and
// internal/cycle; here graph strings and cycle points are validated strings.
//
// Values are kept as the Go types that mirror Cylc's Python ones, because
// `cylc config` prints Python's str() of them: string, bool, int, float64,
// Interval, []string, []Interval, []int (integer parameters), *Xtrigger, and
// nil for a setting that is unset.
package config
