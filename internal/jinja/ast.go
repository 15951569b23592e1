package jinja

// The syntax tree mirrors jinja2.nodes closely enough that the parser can be
// a line-by-line port of jinja2/parser.py; every node keeps the template line
// it started on so runtime errors can name it.

type expr interface{ pos() int }

type (
	constExpr struct {
		val  any
		line int
	}
	nameExpr struct {
		name string
		line int
	}
	listExpr struct {
		items []expr
		line  int
	}
	tupleExpr struct {
		items []expr
		line  int
	}
	dictExpr struct {
		keys, vals []expr
		line       int
	}
	getattrExpr struct {
		obj  expr
		attr string
		line int
	}
	getitemExpr struct {
		obj, key expr
		line     int
	}
	// sliceExpr only appears as a getitemExpr key; nil parts are omitted.
	sliceExpr struct {
		start, stop, step expr
		line              int
	}
	callExpr struct {
		fn   expr
		args callArgs
		line int
	}
	// filterExpr applies a filter to node; node is nil inside
	// {% filter %} blocks, where the block body is the input.
	filterExpr struct {
		node expr
		name string
		args callArgs
		line int
	}
	testExpr struct {
		node expr
		name string
		args callArgs
		line int
	}
	// unaryExpr is "-", "+" or "not".
	unaryExpr struct {
		op   string
		x    expr
		line int
	}
	// binExpr covers the arithmetic operators and the short-circuit "and"
	// and "or".
	binExpr struct {
		op   string
		l, r expr
		line int
	}
	concatExpr struct {
		parts []expr
		line  int
	}
	// compareExpr is a comparison chain: first ops[0] rest[0] ops[1] ...
	compareExpr struct {
		first expr
		ops   []string
		rest  []expr
		line  int
	}
	condExpr struct {
		test, then, els expr // els may be nil
		line            int
	}
)

type callArgs struct {
	args      []expr
	kwargs    []kwExpr
	dynArgs   expr
	dynKwargs expr
}

type kwExpr struct {
	name string
	val  expr
}

func (e *constExpr) pos() int   { return e.line }
func (e *nameExpr) pos() int    { return e.line }
func (e *listExpr) pos() int    { return e.line }
func (e *tupleExpr) pos() int   { return e.line }
func (e *dictExpr) pos() int    { return e.line }
func (e *getattrExpr) pos() int { return e.line }
func (e *getitemExpr) pos() int { return e.line }
func (e *sliceExpr) pos() int   { return e.line }
func (e *callExpr) pos() int    { return e.line }
func (e *filterExpr) pos() int  { return e.line }
func (e *testExpr) pos() int    { return e.line }
func (e *unaryExpr) pos() int   { return e.line }
func (e *binExpr) pos() int     { return e.line }
func (e *concatExpr) pos() int  { return e.line }
func (e *compareExpr) pos() int { return e.line }
func (e *condExpr) pos() int    { return e.line }

// Statements.

type node interface{}

type (
	// outputNode is template text and {{ }} expressions; items are either
	// string (literal data) or expr.
	outputNode struct {
		items []any
		line  int
	}
	forNode struct {
		target    expr // nameExpr or tupleExpr of targets
		iter      expr
		body      []node
		els       []node
		test      expr
		recursive bool
		line      int
	}
	ifNode struct {
		tests  []expr
		bodies [][]node
		els    []node
		line   int
	}
	// setNode assigns value to target (a name, a tuple of names, or a
	// namespace attribute).
	setNode struct {
		target expr
		value  expr
		line   int
	}
	setBlockNode struct {
		target expr
		filter *filterExpr // optional filter chain applied to the body
		body   []node
		line   int
	}
	macroNode struct {
		name     string
		params   []string
		defaults []expr // for the last len(defaults) params
		body     []node
		line     int
	}
	callBlockNode struct {
		params   []string
		defaults []expr
		call     *callExpr
		body     []node
		line     int
	}
	filterBlockNode struct {
		filter *filterExpr
		body   []node
		line   int
	}
	withNode struct {
		targets []expr
		values  []expr
		body    []node
		line    int
	}
	includeNode struct {
		template      expr
		ignoreMissing bool
		withContext   bool
		line          int
	}
	importNode struct {
		template    expr
		target      string
		withContext bool
		line        int
	}
	fromImportNode struct {
		template    expr
		names       [][2]string // name, alias
		withContext bool
		line        int
	}
	doNode struct {
		x    expr
		line int
	}
	// blockNode is {% block %}: without template inheritance it renders
	// its body in place.
	blockNode struct {
		body []node
		line int
	}
)

// nsRef is a "{% set ns.attr = ... %}" target.
type nsRef struct {
	name, attr string
	line       int
}

func (e *nsRef) pos() int { return e.line }
