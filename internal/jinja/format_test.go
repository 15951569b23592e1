package jinja

import "testing"

// These pin the Python number and string formatting that templates print
// with {{ x }}, "%03d" % x and "{:,}".format(x).

func TestFormatFloat(t *testing.T) {
	for _, tc := range floatReprCases {
		if got := formatFloat(tc.f); got != tc.want {
			t.Errorf("repr(%v) = %s, want %s", tc.f, got, tc.want)
		}
	}
}

func TestPercentFormat(t *testing.T) {
	for _, tc := range percentCases {
		got, err := percentFormat(tc.format, tc.arg)
		if err != nil || got != tc.want {
			t.Errorf("%q %% %v = %q, %v; want %q", tc.format, tc.arg, got, err, tc.want)
		}
	}
}

func TestFormatSpec(t *testing.T) {
	for _, tc := range formatSpecCases {
		got, err := formatValue(tc.v, tc.spec)
		if err != nil || got != tc.want {
			t.Errorf("format(%v, %q) = %q, %v; want %q", tc.v, tc.spec, got, err, tc.want)
		}
	}
}
