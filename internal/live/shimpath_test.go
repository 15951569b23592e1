package live

import (
	"slices"
	"testing"
)

// Event handlers find the run's cylc shim before any other cylc.
func TestShimFirst(t *testing.T) {
	for _, tc := range []struct {
		env, want []string
	}{
		{[]string{"HOME=/h", "PATH=/usr/bin:/bin"}, []string{"HOME=/h", "PATH=/run/.service/bin:/usr/bin:/bin"}},
		{[]string{"HOME=/h"}, []string{"HOME=/h", "PATH=/run/.service/bin"}},
	} {
		if got := shimFirst(tc.env, "/run/.service"); !slices.Equal(got, tc.want) {
			t.Errorf("shimFirst(%q) = %q, want %q", tc.env, got, tc.want)
		}
	}
}
