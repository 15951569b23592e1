package runner

import (
	"regexp"
	"strconv"
	"strings"
)

// pbsSystem is PBS (and Torque), as Cylc 8.7's pbs handler drives it:
// "qsub FILE", "qstat ID ID ...", "qdel ID".
//
// qsub prints "12345.server"; as in Cylc 8.7 the job ID is the leading
// number, and qstat's lines are matched by theirs. qstat fails for jobs it
// no longer has ("Unknown Job Id", PBS Pro's "Job has finished"), which is
// an answer; when it cannot reach the server ("cannot connect to server",
// "Connection refused") it is not, and the poll fails rather than take the
// jobs for gone, as Cylc assumes them healthy until the server is back.
var pbsSystem = batchSystem{
	name:   PBS,
	submit: "qsub", poll: "qstat", kill: "qdel",
	pollArgs:   func(ids []string) []string { return ids },
	directives: pbsDirectives,
	submitID:   firstMatch(pbsLeadingNumber),
	listed:     pbsListed,
	unknownJob: regexp.MustCompile(`(?i)unknown job id|job has finished`),
}

// pbsLeadingNumber is Cylc's job ID pattern for qsub and qstat output.
var pbsLeadingNumber = regexp.MustCompile(`^` + pyWS + `*(` + pyDigit + `+)`)

// pbsAllLeadingNumbers is the same pattern over all of qstat's output,
// multi-line, as Cylc's findall reads it.
var pbsAllLeadingNumbers = regexp.MustCompile(`(?m)^` + pyWS + `*(` + pyDigit + `+)`)

// pbsDirectives writes #PBS lines: the job's name (no "/", which PBS 19.2.1
// and later refuse, and cut to the platform's job name length maximum),
// its logs, its wall time in seconds, then the user's directives. A
// directive whose name has a space is written "name=value" ("-l
// mem=256gb"), others "name value" ("-q queue"), flags alone.
func pbsDirectives(d directiveJob) []string {
	var ds directiveSet
	name := d.task + "." + d.cycle + "." + strings.ReplaceAll(d.workflow, "/", "-")
	if d.nameMax > 0 {
		if r := []rune(name); len(r) > d.nameMax {
			name = string(r[:d.nameMax])
		}
	}
	ds.set("-N", name)
	ds.set("-o", d.path+".out")
	ds.set("-e", d.path+".err")
	if d.limit > 0 {
		ds.set("-l walltime", strconv.FormatInt(int64(d.limit), 10)) // Python's "%d"
	}
	ds.withUser(d.user)
	lines := make([]string, 0, len(ds.names))
	for _, key := range ds.names {
		switch value := ds.values[key]; {
		case value != "" && strings.Contains(key, " "):
			lines = append(lines, "#PBS "+key+"="+value)
		case value != "":
			lines = append(lines, "#PBS "+key+" "+value)
		default:
			lines = append(lines, "#PBS "+key)
		}
	}
	return lines
}

func pbsListed(out string) map[string]bool {
	ids := map[string]bool{}
	for _, m := range pbsAllLeadingNumbers.FindAllStringSubmatch(out, -1) {
		ids[m[1]] = true
	}
	return ids
}
