package jinja

import (
	"math"
	"math/bits"
	"strings"
)

// Python arithmetic: + - * / // % ** on ints, floats, strings and
// sequences, with 64-bit integers that report overflow.

// binaryOp applies an arithmetic operator with Python semantics.
func binaryOp(op string, a, b any) (any, error) {
	if u, ok := a.(*undefined); ok {
		return nil, u.err()
	}
	if u, ok := b.(*undefined); ok {
		return nil, u.err()
	}
	x, xNum := asNumber(a)
	y, yNum := asNumber(b)
	if xNum && yNum {
		xi, xInt := x.(int)
		yi, yInt := y.(int)
		if xInt && yInt {
			return intOp(op, xi, yi)
		}
		return floatOp(op, toFloat(x), toFloat(y))
	}
	switch op {
	case "+":
		switch a := a.(type) {
		case string:
			if s, ok := b.(string); ok {
				return a + s, nil
			}
			return nil, typeErr("can only concatenate str (not \"%s\") to str", typeName(b))
		case *pyList:
			if l, ok := b.(*pyList); ok {
				items := make([]any, 0, len(a.items)+len(l.items))
				return &pyList{items: append(append(items, a.items...), l.items...)}, nil
			}
			return nil, typeErr("can only concatenate list (not \"%s\") to list", typeName(b))
		case Tuple:
			if t, ok := b.(Tuple); ok {
				items := make(Tuple, 0, len(a)+len(t))
				return append(append(items, a...), t...), nil
			}
			return nil, typeErr("can only concatenate tuple (not \"%s\") to tuple", typeName(b))
		}
	case "*":
		if isSequence(a) {
			if n, ok := y.(int); yNum && ok {
				return repeat(a, n)
			}
			return nil, typeErr("can't multiply sequence by non-int of type '%s'", typeName(b))
		}
		if isSequence(b) {
			if n, ok := x.(int); xNum && ok {
				return repeat(b, n)
			}
			return nil, typeErr("can't multiply sequence by non-int of type '%s'", typeName(a))
		}
	case "%":
		if s, ok := a.(string); ok {
			return percentFormat(s, b)
		}
	}
	return nil, typeErr("unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(a), typeName(b))
}

func isSequence(v any) bool {
	switch v.(type) {
	case string, *pyList, Tuple:
		return true
	}
	return false
}

func repeat(v any, n int) (any, error) {
	if n < 0 {
		n = 0
	}
	switch v := v.(type) {
	case string:
		if n > 0 && len(v) > maxSize/n {
			return nil, &evalError{kind: "MemoryError", msg: "string repetition is too large"}
		}
		return strings.Repeat(v, n), nil
	case *pyList:
		if n > 0 && len(v.items) > maxSize/n {
			return nil, &evalError{kind: "MemoryError", msg: "list repetition is too large"}
		}
		out := make([]any, 0, len(v.items)*n)
		for i := 0; i < n; i++ {
			out = append(out, v.items...)
		}
		return &pyList{items: out}, nil
	case Tuple:
		if n > 0 && len(v) > maxSize/n {
			return nil, &evalError{kind: "MemoryError", msg: "tuple repetition is too large"}
		}
		out := make(Tuple, 0, len(v)*n)
		for i := 0; i < n; i++ {
			out = append(out, v...)
		}
		return out, nil
	}
	return nil, typeErr("can't multiply")
}

func overflow() error {
	return &evalError{kind: "OverflowError", msg: "integer result does not fit in 64 bits (gyre does not implement Python's big integers)"}
}

func intOp(op string, a, b int) (any, error) {
	switch op {
	case "+":
		s := a + b
		if (s > a) != (b > 0) {
			return nil, overflow()
		}
		return s, nil
	case "-":
		s := a - b
		if (s < a) != (b > 0) {
			return nil, overflow()
		}
		return s, nil
	case "*":
		if a == 0 || b == 0 {
			return 0, nil
		}
		hi, lo := bits.Mul64(uint64(absInt(a)), uint64(absInt(b)))
		if hi != 0 || lo > math.MaxInt64 || a == math.MinInt64 || b == math.MinInt64 {
			return nil, overflow()
		}
		if (a < 0) != (b < 0) {
			return -int(lo), nil
		}
		return int(lo), nil
	case "/":
		if b == 0 {
			return nil, &evalError{kind: "ZeroDivisionError", msg: "division by zero"}
		}
		return float64(a) / float64(b), nil
	case "//":
		if b == 0 {
			return nil, &evalError{kind: "ZeroDivisionError", msg: "integer division or modulo by zero"}
		}
		if a == math.MinInt64 && b == -1 {
			return nil, overflow()
		}
		q := a / b
		if (a%b != 0) && ((a < 0) != (b < 0)) {
			q--
		}
		return q, nil
	case "%":
		if b == 0 {
			return nil, &evalError{kind: "ZeroDivisionError", msg: "integer modulo by zero"}
		}
		if b == -1 {
			return 0, nil
		}
		m := a % b
		if m != 0 && (m < 0) != (b < 0) {
			m += b
		}
		return m, nil
	case "**":
		if b < 0 {
			if a == 0 {
				return nil, &evalError{kind: "ZeroDivisionError", msg: "0.0 cannot be raised to a negative power"}
			}
			return math.Pow(float64(a), float64(b)), nil
		}
		result := 1
		base := a
		for e := b; e > 0; e >>= 1 {
			if e&1 == 1 {
				r, err := intOp("*", result, base)
				if err != nil {
					return nil, err
				}
				result = r.(int)
			}
			if e > 1 {
				sq, err := intOp("*", base, base)
				if err != nil {
					return nil, err
				}
				base = sq.(int)
			}
		}
		return result, nil
	}
	return nil, typeErr("unsupported operand type(s) for %s: 'int' and 'int'", op)
}

func absInt(a int) int {
	if a < 0 {
		return -a
	}
	return a
}

func floatOp(op string, a, b float64) (any, error) {
	switch op {
	case "+":
		return a + b, nil
	case "-":
		return a - b, nil
	case "*":
		return a * b, nil
	case "/":
		if b == 0 {
			return nil, &evalError{kind: "ZeroDivisionError", msg: "float division by zero"}
		}
		return a / b, nil
	case "//":
		if b == 0 {
			return nil, &evalError{kind: "ZeroDivisionError", msg: "float floor division by zero"}
		}
		return math.Floor(a / b), nil
	case "%":
		if b == 0 {
			return nil, &evalError{kind: "ZeroDivisionError", msg: "float modulo"}
		}
		m := math.Mod(a, b)
		if m != 0 && (m < 0) != (b < 0) {
			m += b
		}
		return m, nil
	case "**":
		if a == 0 && b < 0 {
			return nil, &evalError{kind: "ZeroDivisionError", msg: "0.0 cannot be raised to a negative power"}
		}
		if a < 0 && b != math.Trunc(b) {
			return nil, valueErr("math domain error (a negative number to a fractional power is complex)")
		}
		r := math.Pow(a, b)
		if math.IsInf(r, 0) && !math.IsInf(a, 0) {
			return nil, &evalError{kind: "OverflowError", msg: "(34, 'Numerical result out of range')"}
		}
		return r, nil
	}
	return nil, typeErr("unsupported operand type(s) for %s: 'float' and 'float'", op)
}

// unaryOp applies unary minus or plus.
func unaryOp(op string, v any) (any, error) {
	if u, ok := v.(*undefined); ok {
		return nil, u.err()
	}
	n, ok := asNumber(v)
	if !ok {
		return nil, typeErr("bad operand type for unary %s: '%s'", op, typeName(v))
	}
	if op == "+" {
		return n, nil
	}
	if i, ok := n.(int); ok {
		if i == math.MinInt64 {
			return nil, overflow()
		}
		return -i, nil
	}
	return -n.(float64), nil
}
