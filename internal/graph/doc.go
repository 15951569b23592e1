// Package graph parses Cylc 8 graph strings — the values of the items under
// [scheduling][graph] — into triggers, and indexes the triggers of a whole
// workflow so that the scheduler can react to one task output without
// scanning anything (see Index).
//
// The language and its error rules follow Cylc 8.7's graph parser
// (cylc/flow/graph_parser.py) and the graph checks Cylc makes while loading
// the configuration (self-edges, xtriggers in conditional expressions,
// Cylc 6 offsets). The package is pure: no I/O, no clock. It knows nothing
// about cycle points: inter-cycle offsets and recurrence keys stay strings
// here, to be interpreted by the cycle package.
//
// Parsing happens in the order Cylc uses, because the order decides which
// error a bad graph reports and how output optionality is inferred:
//
//  1. comments, blank lines and whitespace are dropped, and a line that ends
//     (or whose successor starts) with "=>", "&" or "|" is joined to the next;
//  2. each joined line is checked for node syntax, then parameters are
//     expanded by the caller's hook;
//  3. each expanded line is split at "=>" into a chain of dependency pairs
//     "left => right"; the nodes of a chain's first segment also pair with
//     nothing, so that they are tasks of the graph in their own right;
//  4. pairs are processed in the order Cylc sorts them, recording for each
//     right-hand task the trigger expression and, for each explicit output,
//     whether the graph says it is optional or required.
//
// Where Cylc 8.7 has a bug, Gyre does what Cylc means rather than what it
// does: expressions are parsed rather than rewritten with regular
// expressions (so names ending in %, + or - work, and malformed expressions
// such as "a(b)" are errors rather than broken prerequisites); parenthesised
// nodes at the end of a chain are treated like bare ones; FAM:submit-fail-any
// means submit-failed (Cylc maps it to submitted); an offset node at the end
// of a chain is rejected wherever it is on the right; a lone "!a" and an
// xtrigger on the right are errors. testdata/cylc_cases.json lists each case
// with the reason.
package graph
