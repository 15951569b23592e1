package runner

import (
	"fmt"
	"math"
	"regexp"
	"strings"
)

// slurmSystem is Slurm, as Cylc 8.7's slurm handler drives it: "sbatch
// FILE", "squeue -h -j ID,ID,...", "scancel ID".
//
// squeue does not list finished jobs (completed, cancelled, failed,
// timed out), so a job it does not list has gone; one it still shows as
// completing has not. For job IDs it has forgotten it fails, saying "Invalid
// job id specified", which is an answer too.
var slurmSystem = batchSystem{
	name:   Slurm,
	submit: "sbatch", poll: "squeue", kill: "scancel",
	pollArgs: func(ids []string) []string {
		return []string{"-h", "-j", strings.Join(ids, ",")}
	},
	directives: slurmDirectives,
	submitID:   firstMatch(regexp.MustCompile(`^Submitted` + pyWS + `batch` + pyWS + `job` + pyWS + `(` + pyDigit + `+)`)),
	listed:     slurmListed,
	unknownJob: regexp.MustCompile(`(?i)invalid job id specified`),
}

// slurmHetjob is the prefix that puts a directive in one component of a
// heterogeneous job: "hetjob_1_--mem".
var slurmHetjob = regexp.MustCompile(`^hetjob_(` + pyDigit + `+)_`)

// slurmDirectives writes #SBATCH lines: the job's name, its logs (with %
// doubled, since Slurm expands %j and the like in file names), its time
// limit as minutes:seconds, then the user's directives, those of each
// heterogeneous job component after a "#SBATCH hetjob" separator.
func slurmDirectives(d directiveJob) []string {
	var ds directiveSet
	ds.set("--job-name", d.task+"."+d.cycle+"."+d.workflow)
	path := strings.ReplaceAll(d.path, "%", "%%")
	ds.set("--output", path+".out")
	ds.set("--error", path+".err")
	if d.limit > 0 {
		// Python's "%d:%02d" % (limit / 60, limit % 60): both truncated.
		ds.set("--time", fmt.Sprintf("%d:%02d", int64(d.limit/60), int64(math.Mod(d.limit, 60))))
	}
	ds.withUser(d.user)
	lines := make([]string, 0, len(ds.names))
	seen := map[string]bool{}
	for _, name := range ds.names {
		value := ds.values[name]
		if m := slurmHetjob.FindStringSubmatch(name); m != nil {
			if m[1] != "0" && !seen[m[1]] {
				lines = append(lines, "#SBATCH hetjob")
			}
			seen[m[1]] = true
			name = name[len(m[0]):]
		}
		if value != "" {
			lines = append(lines, "#SBATCH "+name+"="+value)
		} else {
			lines = append(lines, "#SBATCH "+name)
		}
	}
	return lines
}

// slurmPollLine is the job ID at the head of an squeue line; a
// heterogeneous job's components ("123+0", "123+1") count as the job.
var slurmPollLine = regexp.MustCompile(`^ *(` + pyDigit + `+)`)

func slurmListed(out string) map[string]bool {
	ids := map[string]bool{}
	for _, line := range pyLines(out) {
		if m := slurmPollLine.FindStringSubmatch(line); m != nil {
			ids[m[1]] = true
		}
	}
	return ids
}

// firstMatch returns a submit output reader that takes the job ID from the
// first line that re matches, as Cylc does.
func firstMatch(re *regexp.Regexp) func(string) string {
	return func(out string) string {
		for _, line := range pyLines(out) {
			if m := re.FindStringSubmatch(line); m != nil {
				return m[1]
			}
		}
		return ""
	}
}
