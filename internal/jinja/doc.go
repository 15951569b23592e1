// Package jinja is Cylc's Jinja2 stage: it renders a flow.cylc that starts
// with "#!jinja2" the way Cylc 8's Python Jinja2 environment does
// (cylc/flow/parsec/jinja2support.py), so unmodified workflows give the
// same processed text, and it reads the template variables given with
// --set, --set-file and --set-list.
//
// The engine is a port of Jinja2 3.1's lexer and parser with an evaluator
// over a small Python value model. It does not wrap gonja: workflows
// depend on Python semantics that gonja's expression layer does not have
// and that its extension points cannot reach — lists and dicts shared by
// reference ({% do L.append(x) %} inside a loop is a no-op in gonja),
// None printing as "None", integer ** and //, %-formatting, for-loops
// unpacking more than two names, keywords after a line break, and string
// escapes such as '\\'.
//
// The environment matches Cylc's: StrictUndefined, the "do" extension, no
// trim_blocks or lstrip_blocks, templates loaded from the workflow
// directory, the globals environ, raise, assert and the CYLC_*
// environment variables, and Cylc's filters pad, strftime and
// duration_as. Python modules cannot be imported; a few that workflows
// use (cylc.flow's LOG, math, os) are emulated.
//
// Known differences from Python: integers are 64-bit (overflow is an
// error), sets keep insertion order, filters that return generators in
// Jinja2 (map, select, unique, ...) return lists, and {% extends %} and
// {% autoescape %} are not supported.
package jinja
