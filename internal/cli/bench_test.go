package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bench10000Flow is a parameterised workflow of 10 000 tasks (100 x 50
// members of a and of b, plus prep and done) in two families, with
// intra- and inter-cycle dependencies and a family trigger.
const bench10000Flow = `[task parameters]
    m = 0..99
    n = 0..49
[scheduling]
    cycling mode = integer
    initial cycle point = 1
    final cycle point = 3
    [[graph]]
        P1 = """
            prep => a<m,n> => b<m,n>
            b<m,n>[-P1] => a<m,n>
            B:succeed-all => done
        """
[runtime]
    [[root]]
        script = echo "$CYLC_TASK_ID"
    [[prep, done]]
    [[A, B]]
    [[a<m,n>]]
        inherit = A
        [[[environment]]]
            M = $CYLC_TASK_PARAM_m
    [[b<m,n>]]
        inherit = B
`

// BenchmarkValidate10000Tasks measures `gyre validate` end to end on a
// generated 10 000-task parameterised workflow.
func BenchmarkValidate10000Tasks(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "flow.cylc"), []byte(bench10000Flow), 0o644); err != nil {
		b.Fatal(err)
	}
	var out, errOut bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		errOut.Reset()
		if status := Run(context.Background(), []string{"validate", dir}, &out, &errOut); status != 0 {
			b.Fatalf("exit %d: %s", status, errOut.String())
		}
	}
	if !strings.Contains(out.String(), ": 10002 tasks, 2 families") {
		b.Fatalf("unexpected summary %q", out.String())
	}
}
