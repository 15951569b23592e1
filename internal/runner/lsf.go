package runner

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// lsfSystem is IBM Spectrum LSF, as Cylc 8.7's lsf handler drives it:
// "bsub" reading the job script on standard input, "bjobs ID ID ...",
// "bkill ID".
//
// One departure from Cylc: bjobs goes on listing finished jobs, as DONE or
// EXIT, for LSF's clean period (an hour by default). Cylc counts any listed
// job as still there, so a job killed before it could record its end
// stays "submitted" or "running" for that hour; here a job listed as DONE
// or EXIT has gone, and is judged at once from what job.status says.
var lsfSystem = batchSystem{
	name:   LSF,
	submit: "bsub", poll: "bjobs", kill: "bkill",
	submitStdin: true,
	pollArgs:    func(ids []string) []string { return ids },
	directives:  lsfDirectives,
	submitID:    firstMatch(regexp.MustCompile(`^Job <(` + pyDigit + `+)>`)),
	listed:      lsfListed,
	unknownJob:  regexp.MustCompile(`(?i)^job <[^>]*> is not found`),
}

// lsfDirectives writes #BSUB lines: the job's name, its logs, its run
// limit in whole minutes (rounded up), then the user's directives, each
// "name value" or a flag alone.
func lsfDirectives(d directiveJob) []string {
	var ds directiveSet
	ds.set("-J", d.task+"."+d.cycle+"."+d.workflow)
	ds.set("-o", d.path+".out")
	ds.set("-e", d.path+".err")
	if d.limit > 0 {
		ds.set("-W", strconv.FormatInt(int64(math.Ceil(d.limit/60)), 10))
	}
	ds.withUser(d.user)
	lines := make([]string, 0, len(ds.names))
	for _, key := range ds.names {
		if value := ds.values[key]; value != "" {
			lines = append(lines, "#BSUB "+key+" "+value)
		} else {
			lines = append(lines, "#BSUB "+key)
		}
	}
	return lines
}

// lsfListed reads bjobs's table: the first word of a line is a job ID (the
// header and a parallel job's continuation lines have none that will
// match), the third the job's state.
func lsfListed(out string) map[string]bool {
	ids := map[string]bool{}
	for _, line := range pyLines(out) {
		f := strings.FieldsFunc(line, isPySpace)
		switch {
		case len(f) == 0:
		case len(f) >= 3 && (f[2] == "DONE" || f[2] == "EXIT"):
		default:
			ids[f[0]] = true
		}
	}
	return ids
}
