package platform

import (
	"strings"
	"testing"
)

// Dump shows each platform and group once, with the settings written for
// it merged (the last value of a setting wins, in its first place), and
// nothing Cylc would fill in by default.
func TestDump(t *testing.T) {
	c := mustParse(t, `
[platforms]
    [[hpc]]
        hosts = localhost
        job runner = pbs
    [[far, near]]
        hosts = h1
    [[hpc]]
        job runner = slurm
        [[[directives]]]
            --account = x
[platform groups]
    [[pool]]
        platforms = far, near
        [[[selection]]]
            method = definition order
`, Options{})
	var b strings.Builder
	if err := c.Dump(&b); err != nil {
		t.Fatal(err)
	}
	want := `[platforms]
    [[hpc]]
        hosts = localhost
        job runner = slurm
        [[[directives]]]
            --account = x
    [[far, near]]
        hosts = h1
[platform groups]
    [[pool]]
        platforms = far, near
        [[[selection]]]
            method = definition order
`
	if b.String() != want {
		t.Errorf("Dump:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := Default(Options{}).Dump(&b); err != nil || b.String() != "" {
		t.Errorf("Dump of the defaults = %q, %v; want nothing", b.String(), err)
	}
}
