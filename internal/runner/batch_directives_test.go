package runner

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gyre/internal/job"
)

// directiveCases are Cylc 8.7's slurm, pbs and lsf format_directives run
// on these inputs (the job file path relative to $HOME, as Cylc passes
// it), the output pasted in. The first cases are Cylc's own unit tests.
var directiveCases = []struct {
	name, id, workflow string
	path               string // job script, relative to $HOME
	limit              time.Duration
	nameMax            int
	user               []Directive
	slurm, pbs, lsf    []string
}{
	{
		name: "basic", id: "1/axe/01", workflow: "chop",
		path: "cylc-run/chop/log/job/1/axe/01/job", limit: 180000 * time.Millisecond, nameMax: 0,
		slurm: []string{
			"#SBATCH --job-name=axe.1.chop",
			"#SBATCH --output=cylc-run/chop/log/job/1/axe/01/job.out",
			"#SBATCH --error=cylc-run/chop/log/job/1/axe/01/job.err",
			"#SBATCH --time=3:00",
		},
		pbs: []string{
			"#PBS -N axe.1.chop",
			"#PBS -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#PBS -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#PBS -l walltime=180",
		},
		lsf: []string{
			"#BSUB -J axe.1.chop",
			"#BSUB -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#BSUB -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#BSUB -W 3",
		},
	},
	{
		name: "percent in task name", id: "1/axe%40HEAD/01", workflow: "chop",
		path: "cylc-run/chop/log/job/1/axe%40HEAD/01/job", limit: 180000 * time.Millisecond, nameMax: 0,
		slurm: []string{
			"#SBATCH --job-name=axe%40HEAD.1.chop",
			"#SBATCH --output=cylc-run/chop/log/job/1/axe%%40HEAD/01/job.out",
			"#SBATCH --error=cylc-run/chop/log/job/1/axe%%40HEAD/01/job.err",
			"#SBATCH --time=3:00",
		},
		pbs: []string{
			"#PBS -N axe%40HEAD.1.chop",
			"#PBS -o cylc-run/chop/log/job/1/axe%40HEAD/01/job.out",
			"#PBS -e cylc-run/chop/log/job/1/axe%40HEAD/01/job.err",
			"#PBS -l walltime=180",
		},
		lsf: []string{
			"#BSUB -J axe%40HEAD.1.chop",
			"#BSUB -o cylc-run/chop/log/job/1/axe%40HEAD/01/job.out",
			"#BSUB -e cylc-run/chop/log/job/1/axe%40HEAD/01/job.err",
			"#BSUB -W 3",
		},
	},
	{
		name: "no limit", id: "1/axe/01", workflow: "chop",
		path: "cylc-run/chop/log/job/1/axe/01/job", limit: 0, nameMax: 0,
		slurm: []string{
			"#SBATCH --job-name=axe.1.chop",
			"#SBATCH --output=cylc-run/chop/log/job/1/axe/01/job.out",
			"#SBATCH --error=cylc-run/chop/log/job/1/axe/01/job.err",
		},
		pbs: []string{
			"#PBS -N axe.1.chop",
			"#PBS -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#PBS -e cylc-run/chop/log/job/1/axe/01/job.err",
		},
		lsf: []string{
			"#BSUB -J axe.1.chop",
			"#BSUB -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#BSUB -e cylc-run/chop/log/job/1/axe/01/job.err",
		},
	},
	{
		name: "fractional limit", id: "1/axe/01", workflow: "chop",
		path: "cylc-run/chop/log/job/1/axe/01/job", limit: 90500 * time.Millisecond, nameMax: 0,
		slurm: []string{
			"#SBATCH --job-name=axe.1.chop",
			"#SBATCH --output=cylc-run/chop/log/job/1/axe/01/job.out",
			"#SBATCH --error=cylc-run/chop/log/job/1/axe/01/job.err",
			"#SBATCH --time=1:30",
		},
		pbs: []string{
			"#PBS -N axe.1.chop",
			"#PBS -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#PBS -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#PBS -l walltime=90",
		},
		lsf: []string{
			"#BSUB -J axe.1.chop",
			"#BSUB -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#BSUB -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#BSUB -W 2",
		},
	},
	{
		name: "limit under a minute", id: "1/axe/01", workflow: "chop",
		path: "cylc-run/chop/log/job/1/axe/01/job", limit: 59900 * time.Millisecond, nameMax: 0,
		slurm: []string{
			"#SBATCH --job-name=axe.1.chop",
			"#SBATCH --output=cylc-run/chop/log/job/1/axe/01/job.out",
			"#SBATCH --error=cylc-run/chop/log/job/1/axe/01/job.err",
			"#SBATCH --time=0:59",
		},
		pbs: []string{
			"#PBS -N axe.1.chop",
			"#PBS -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#PBS -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#PBS -l walltime=59",
		},
		lsf: []string{
			"#BSUB -J axe.1.chop",
			"#BSUB -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#BSUB -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#BSUB -W 1",
		},
	},
	{
		name: "an hour", id: "1/axe/01", workflow: "chop",
		path: "cylc-run/chop/log/job/1/axe/01/job", limit: 3600000 * time.Millisecond, nameMax: 0,
		slurm: []string{
			"#SBATCH --job-name=axe.1.chop",
			"#SBATCH --output=cylc-run/chop/log/job/1/axe/01/job.out",
			"#SBATCH --error=cylc-run/chop/log/job/1/axe/01/job.err",
			"#SBATCH --time=60:00",
		},
		pbs: []string{
			"#PBS -N axe.1.chop",
			"#PBS -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#PBS -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#PBS -l walltime=3600",
		},
		lsf: []string{
			"#BSUB -J axe.1.chop",
			"#BSUB -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#BSUB -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#BSUB -W 60",
		},
	},
	{
		name: "one second", id: "1/axe/01", workflow: "chop",
		path: "cylc-run/chop/log/job/1/axe/01/job", limit: 1000 * time.Millisecond, nameMax: 0,
		slurm: []string{
			"#SBATCH --job-name=axe.1.chop",
			"#SBATCH --output=cylc-run/chop/log/job/1/axe/01/job.out",
			"#SBATCH --error=cylc-run/chop/log/job/1/axe/01/job.err",
			"#SBATCH --time=0:01",
		},
		pbs: []string{
			"#PBS -N axe.1.chop",
			"#PBS -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#PBS -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#PBS -l walltime=1",
		},
		lsf: []string{
			"#BSUB -J axe.1.chop",
			"#BSUB -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#BSUB -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#BSUB -W 1",
		},
	},
	{
		name: "run name", id: "20200101T0000Z/axe/02", workflow: "my/flow/run1",
		path: "cylc-run/my/flow/run1/log/job/20200101T0000Z/axe/02/job", limit: 61000 * time.Millisecond, nameMax: 0,
		slurm: []string{
			"#SBATCH --job-name=axe.20200101T0000Z.my/flow/run1",
			"#SBATCH --output=cylc-run/my/flow/run1/log/job/20200101T0000Z/axe/02/job.out",
			"#SBATCH --error=cylc-run/my/flow/run1/log/job/20200101T0000Z/axe/02/job.err",
			"#SBATCH --time=1:01",
		},
		pbs: []string{
			"#PBS -N axe.20200101T0000Z.my-flow-run1",
			"#PBS -o cylc-run/my/flow/run1/log/job/20200101T0000Z/axe/02/job.out",
			"#PBS -e cylc-run/my/flow/run1/log/job/20200101T0000Z/axe/02/job.err",
			"#PBS -l walltime=61",
		},
		lsf: []string{
			"#BSUB -J axe.20200101T0000Z.my/flow/run1",
			"#BSUB -o cylc-run/my/flow/run1/log/job/20200101T0000Z/axe/02/job.out",
			"#BSUB -e cylc-run/my/flow/run1/log/job/20200101T0000Z/axe/02/job.err",
			"#BSUB -W 2",
		},
	},
	{
		name: "user directives", id: "1/axe/01", workflow: "chop",
		path: "cylc-run/chop/log/job/1/axe/01/job", limit: 200000 * time.Millisecond, nameMax: 0,
		user: []Directive{{"-p", "middle"}, {"--no-requeue", ""}, {"--mem", "256gb"}, {"-q", "forever"}, {"-V", ""}, {"-l mem", "256gb"}, {"-l select", ""}, {"-B", ""}},
		slurm: []string{
			"#SBATCH --job-name=axe.1.chop",
			"#SBATCH --output=cylc-run/chop/log/job/1/axe/01/job.out",
			"#SBATCH --error=cylc-run/chop/log/job/1/axe/01/job.err",
			"#SBATCH --time=3:20",
			"#SBATCH -p=middle",
			"#SBATCH --no-requeue",
			"#SBATCH --mem=256gb",
			"#SBATCH -q=forever",
			"#SBATCH -V",
			"#SBATCH -l mem=256gb",
			"#SBATCH -l select",
			"#SBATCH -B",
		},
		pbs: []string{
			"#PBS -N axe.1.chop",
			"#PBS -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#PBS -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#PBS -l walltime=200",
			"#PBS -p middle",
			"#PBS --no-requeue",
			"#PBS --mem 256gb",
			"#PBS -q forever",
			"#PBS -V",
			"#PBS -l mem=256gb",
			"#PBS -l select",
			"#PBS -B",
		},
		lsf: []string{
			"#BSUB -J axe.1.chop",
			"#BSUB -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#BSUB -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#BSUB -W 4",
			"#BSUB -p middle",
			"#BSUB --no-requeue",
			"#BSUB --mem 256gb",
			"#BSUB -q forever",
			"#BSUB -V",
			"#BSUB -l mem 256gb",
			"#BSUB -l select",
			"#BSUB -B",
		},
	},
	{
		name: "user overrides defaults", id: "1/axe/01", workflow: "chop",
		path: "cylc-run/chop/log/job/1/axe/01/job", limit: 200000 * time.Millisecond, nameMax: 0,
		user: []Directive{{"--mem", "1G"}, {"--time", "1:00:00"}, {"-l walltime", "3600"}, {"-W", "60"}, {"--job-name", "mine"}, {"-N", "mine"}, {"-J", "mine"}, {"-o", "/tmp/o"}, {"--output", "/tmp/o"}},
		slurm: []string{
			"#SBATCH --job-name=mine",
			"#SBATCH --output=/tmp/o",
			"#SBATCH --error=cylc-run/chop/log/job/1/axe/01/job.err",
			"#SBATCH --time=1:00:00",
			"#SBATCH --mem=1G",
			"#SBATCH -l walltime=3600",
			"#SBATCH -W=60",
			"#SBATCH -N=mine",
			"#SBATCH -J=mine",
			"#SBATCH -o=/tmp/o",
		},
		pbs: []string{
			"#PBS -N mine",
			"#PBS -o /tmp/o",
			"#PBS -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#PBS -l walltime=3600",
			"#PBS --mem 1G",
			"#PBS --time 1:00:00",
			"#PBS -W 60",
			"#PBS --job-name mine",
			"#PBS -J mine",
			"#PBS --output /tmp/o",
		},
		lsf: []string{
			"#BSUB -J mine",
			"#BSUB -o /tmp/o",
			"#BSUB -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#BSUB -W 60",
			"#BSUB --mem 1G",
			"#BSUB --time 1:00:00",
			"#BSUB -l walltime 3600",
			"#BSUB --job-name mine",
			"#BSUB -N mine",
			"#BSUB --output /tmp/o",
		},
	},
	{
		name: "user time without limit", id: "1/axe/01", workflow: "chop",
		path: "cylc-run/chop/log/job/1/axe/01/job", limit: 0, nameMax: 0,
		user: []Directive{{"--time", "5:00"}, {"-l walltime", "300"}, {"-W", "5"}},
		slurm: []string{
			"#SBATCH --job-name=axe.1.chop",
			"#SBATCH --output=cylc-run/chop/log/job/1/axe/01/job.out",
			"#SBATCH --error=cylc-run/chop/log/job/1/axe/01/job.err",
			"#SBATCH --time=5:00",
			"#SBATCH -l walltime=300",
			"#SBATCH -W=5",
		},
		pbs: []string{
			"#PBS -N axe.1.chop",
			"#PBS -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#PBS -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#PBS --time 5:00",
			"#PBS -l walltime=300",
			"#PBS -W 5",
		},
		lsf: []string{
			"#BSUB -J axe.1.chop",
			"#BSUB -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#BSUB -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#BSUB --time 5:00",
			"#BSUB -l walltime 300",
			"#BSUB -W 5",
		},
	},
	{
		name: "hetjob", id: "1/axe/01", workflow: "chop",
		path: "cylc-run/chop/log/job/1/axe/01/job", limit: 3600000 * time.Millisecond, nameMax: 0,
		user: []Directive{{"--account", "QXZ5W2"}, {"hetjob_0_--mem", "1G"}, {"hetjob_0_--nodes", "3"}, {"hetjob_1_--mem", "2G"}, {"hetjob_1_--nodes", "6"}, {"hetjob_2_--exclusive", ""}, {"hetjob_1_--ntasks", "4"}},
		slurm: []string{
			"#SBATCH --job-name=axe.1.chop",
			"#SBATCH --output=cylc-run/chop/log/job/1/axe/01/job.out",
			"#SBATCH --error=cylc-run/chop/log/job/1/axe/01/job.err",
			"#SBATCH --time=60:00",
			"#SBATCH --account=QXZ5W2",
			"#SBATCH --mem=1G",
			"#SBATCH --nodes=3",
			"#SBATCH hetjob",
			"#SBATCH --mem=2G",
			"#SBATCH --nodes=6",
			"#SBATCH hetjob",
			"#SBATCH --exclusive",
			"#SBATCH --ntasks=4",
		},
		pbs: []string{
			"#PBS -N axe.1.chop",
			"#PBS -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#PBS -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#PBS -l walltime=3600",
			"#PBS --account QXZ5W2",
			"#PBS hetjob_0_--mem 1G",
			"#PBS hetjob_0_--nodes 3",
			"#PBS hetjob_1_--mem 2G",
			"#PBS hetjob_1_--nodes 6",
			"#PBS hetjob_2_--exclusive",
			"#PBS hetjob_1_--ntasks 4",
		},
		lsf: []string{
			"#BSUB -J axe.1.chop",
			"#BSUB -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#BSUB -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#BSUB -W 60",
			"#BSUB --account QXZ5W2",
			"#BSUB hetjob_0_--mem 1G",
			"#BSUB hetjob_0_--nodes 3",
			"#BSUB hetjob_1_--mem 2G",
			"#BSUB hetjob_1_--nodes 6",
			"#BSUB hetjob_2_--exclusive",
			"#BSUB hetjob_1_--ntasks 4",
		},
	},
	{
		name: "hetjob starting at 1", id: "1/axe/01", workflow: "chop",
		path: "cylc-run/chop/log/job/1/axe/01/job", limit: 0, nameMax: 0,
		user: []Directive{{"hetjob_1_--mem", "2G"}, {"hetjob_10_--mem", "3G"}},
		slurm: []string{
			"#SBATCH --job-name=axe.1.chop",
			"#SBATCH --output=cylc-run/chop/log/job/1/axe/01/job.out",
			"#SBATCH --error=cylc-run/chop/log/job/1/axe/01/job.err",
			"#SBATCH hetjob",
			"#SBATCH --mem=2G",
			"#SBATCH hetjob",
			"#SBATCH --mem=3G",
		},
		pbs: []string{
			"#PBS -N axe.1.chop",
			"#PBS -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#PBS -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#PBS hetjob_1_--mem 2G",
			"#PBS hetjob_10_--mem 3G",
		},
		lsf: []string{
			"#BSUB -J axe.1.chop",
			"#BSUB -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#BSUB -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#BSUB hetjob_1_--mem 2G",
			"#BSUB hetjob_10_--mem 3G",
		},
	},
	{
		name: "name length 6", id: "1/axe/01", workflow: "chop",
		path: "cylc-run/chop/log/job/1/axe/01/job", limit: 180000 * time.Millisecond, nameMax: 6,
		slurm: []string{
			"#SBATCH --job-name=axe.1.chop",
			"#SBATCH --output=cylc-run/chop/log/job/1/axe/01/job.out",
			"#SBATCH --error=cylc-run/chop/log/job/1/axe/01/job.err",
			"#SBATCH --time=3:00",
		},
		pbs: []string{
			"#PBS -N axe.1.",
			"#PBS -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#PBS -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#PBS -l walltime=180",
		},
		lsf: []string{
			"#BSUB -J axe.1.chop",
			"#BSUB -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#BSUB -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#BSUB -W 3",
		},
	},
	{
		name: "long name", id: "1/axe/01", workflow: strings.Repeat("w", 240),
		path: "cylc-run/chop/log/job/1/axe/01/job", limit: 180000 * time.Millisecond, nameMax: 0,
		slurm: []string{
			"#SBATCH --job-name=axe.1." + strings.Repeat("w", 240),
			"#SBATCH --output=cylc-run/chop/log/job/1/axe/01/job.out",
			"#SBATCH --error=cylc-run/chop/log/job/1/axe/01/job.err",
			"#SBATCH --time=3:00",
		},
		pbs: []string{
			"#PBS -N axe.1." + strings.Repeat("w", 230),
			"#PBS -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#PBS -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#PBS -l walltime=180",
		},
		lsf: []string{
			"#BSUB -J axe.1." + strings.Repeat("w", 240),
			"#BSUB -o cylc-run/chop/log/job/1/axe/01/job.out",
			"#BSUB -e cylc-run/chop/log/job/1/axe/01/job.err",
			"#BSUB -W 3",
		},
	},
}

func TestBatchDirectives(t *testing.T) {
	home := t.TempDir()
	for _, c := range directiveCases {
		for _, sys := range []struct {
			name string
			want []string
		}{{Slurm, c.slurm}, {PBS, c.pbs}, {LSF, c.lsf}} {
			t.Run(c.name+"/"+sys.name, func(t *testing.T) {
				r := directivesRunner(t, sys.name, home, c.nameMax)
				j := Job{
					JobRef:             JobRef{ID: c.id, Files: job.JobFiles{Script: filepath.Join(home, c.path)}},
					ExecutionTimeLimit: c.limit, Directives: c.user, WorkflowName: c.workflow,
				}
				if got := r.Directives(j); !slices.Equal(got, sys.want) {
					t.Errorf("directives:\n%s\nwant (Cylc's)\n%s", strings.Join(got, "\n"), strings.Join(sys.want, "\n"))
				}
			})
		}
	}
}

// Gyre's side of Cylc's inputs: which path the directives name, and the
// job name length setting.
func TestBatchDirectivesPathsAndNames(t *testing.T) {
	home := t.TempDir()
	for _, c := range []struct {
		name, runner, id, script string
		home                     string
		nameMax                  int
		want                     []string
	}{
		{"logs outside $HOME keep their absolute path", Slurm, "1/foo/01", "/scratch/run/log/job/1/foo/01/job", home, 0, []string{
			"#SBATCH --job-name=foo.1.flow/run1",
			"#SBATCH --output=/scratch/run/log/job/1/foo/01/job.out",
			"#SBATCH --error=/scratch/run/log/job/1/foo/01/job.err",
		}},
		{"a home that does not exist is not stripped", LSF, "1/foo/01", "/nohome/cylc-run/log/job/1/foo/01/job", "/nohome", 0, []string{
			"#BSUB -J foo.1.flow/run1",
			"#BSUB -o /nohome/cylc-run/log/job/1/foo/01/job.out",
			"#BSUB -e /nohome/cylc-run/log/job/1/foo/01/job.err",
		}},
		{"a home that is a prefix of another directory", PBS, "1/foo/01", home + "2/log/job", home, 0, []string{
			"#PBS -N foo.1.flow-run1",
			"#PBS -o " + home + "2/log/job.out",
			"#PBS -e " + home + "2/log/job.err",
		}},
		{"no job name limit", PBS, "1/foo/01", home + "/j", home, -1, []string{
			"#PBS -N foo.1.flow-run1", "#PBS -o j.out", "#PBS -e j.err",
		}},
		{"job name cut by characters, not bytes", PBS, "1/föö/01", home + "/j", home, 4, []string{
			"#PBS -N föö.", "#PBS -o j.out", "#PBS -e j.err",
		}},
		{"an ID without a task, as Cylc reads it", Slurm, "foo", home + "/j", home, 0, []string{
			"#SBATCH --job-name=None.foo.flow/run1", "#SBATCH --output=j.out", "#SBATCH --error=j.err",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := directivesRunner(t, c.runner, c.home, c.nameMax)
			j := Job{JobRef: JobRef{ID: c.id, Files: job.JobFiles{Script: c.script}}, WorkflowName: "flow/run1"}
			if got := r.Directives(j); !slices.Equal(got, c.want) {
				t.Errorf("directives:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// directivesRunner is a batch runner for formatting directives only: its
// commands are the fakes.
func directivesRunner(t *testing.T, name, home string, nameMax int) Runner {
	t.Helper()
	bin, err := filepath.Abs(filepath.Join("testdata", "fakebatch"))
	if err != nil {
		t.Fatal(err)
	}
	return mustRunner(t, name, Options{Env: []string{"PATH=" + bin, "HOME=" + home}, JobNameLengthMaximum: nameMax})
}
