package remote

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"gyre/internal/runner"
)

// Serve is the remote side of a job command (one of Verbs), run by gyre on
// the job host: it reads the command's arguments, calls the named job
// runner there as the scheduler would locally, and prints one JSON reply
// per job on w, in the order of the job IDs. A job that cannot be handled
// gets a reply with its error; only bad arguments make Serve fail.
func Serve(ctx context.Context, verb string, args []string, w io.Writer) error {
	q, err := parseRequest(verb, args)
	if errors.Is(err, errHelp) {
		_, err = io.WriteString(w, usage)
		return err
	}
	if err != nil {
		return err
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return fmt.Errorf("%s: %w", verb, err)
	}
	runDir := filepath.Clean(expandHome(q.runDir, home))
	if !filepath.IsAbs(runDir) {
		return fmt.Errorf("%s: run directory %q: want an absolute path or one under $HOME/", verb, q.runDir)
	}
	s := &server{q: q, runDir: runDir, exits: make(chan runner.Exited, len(q.ids)+1)}
	return s.serve(ctx, w)
}

// server serves one request.
type server struct {
	q      request
	runDir string
	exits  chan runner.Exited // the runner's Exited events
}

func (s *server) serve(ctx context.Context, w io.Writer) error {
	out := make([]reply, len(s.q.ids))
	var refs []runner.JobRef
	var at []int // index in out of each ref
	for i, id := range s.q.ids {
		out[i].ID = id
		k, err := parseJobID(id)
		if err != nil {
			out[i].Error = err.Error()
			continue
		}
		refs = append(refs, runner.JobRef{ID: id, Files: k.files(s.runDir)})
		at = append(at, i)
	}
	if len(refs) > 0 {
		rn, err := runner.New(s.q.runner, runner.Options{
			Sink: s.sink, UTC: s.q.utc, KillGrace: s.q.killGrace,
			CommandTemplate: s.q.commandTemplate, JobNameLengthMaximum: s.q.jobNameMax,
		})
		if err != nil {
			for _, i := range at {
				out[i].Error = err.Error()
			}
		} else {
			s.call(ctx, rn, refs, at, out)
		}
	}
	for _, r := range out {
		if err := writeReply(w, r); err != nil {
			return err
		}
	}
	return nil
}

// sink keeps the runner's Exited events for the commands that wait for
// jobs to end; it never blocks the runner.
func (s *server) sink(ev runner.Event) {
	if ex, ok := ev.(runner.Exited); ok {
		select {
		case s.exits <- ex:
		default:
		}
	}
}

// call makes the runner call and fills in the replies; the runner is
// closed by the time it returns.
func (s *server) call(ctx context.Context, rn runner.Runner, refs []runner.JobRef, at []int, out []reply) {
	switch s.q.verb {
	case VerbSubmit:
		jobs := make([]runner.Job, len(refs))
		for k, ref := range refs {
			jobs[k] = runner.Job{JobRef: ref, Env: s.q.env[ref.ID], ExecutionTimeLimit: s.q.timeLimits[ref.ID]}
		}
		res := rn.Submit(ctx, jobs)
		rn.Close()
		var timed []string
		for k, r := range res {
			o := &out[at[k]]
			o.Output = r.Output
			if r.Err != nil {
				o.Error = r.Err.Error()
				continue
			}
			o.RunnerJobID, o.Time = r.RunnerJobID, r.Time.Format(time.RFC3339Nano)
			o.Status = readStatusText(r.Ref.Files.Status)
			if jobs[k].ExecutionTimeLimit > 0 && s.q.runner == runner.Background {
				timed = append(timed, r.Ref.ID)
			}
		}
		if len(timed) > 0 {
			if err := s.spawnWatcher(timed); err != nil {
				for k, r := range res {
					if r.Err == nil && jobs[k].ExecutionTimeLimit > 0 {
						o := &out[at[k]]
						o.Output = joinLines(o.Output, "warning: the execution time limit is not timed: "+err.Error())
					}
				}
			}
		}
	case VerbPoll:
		res := rn.Poll(ctx, refs)
		rn.Close()
		for k, r := range res {
			o := &out[at[k]]
			o.Status = formatStatus(r.Status)
			if r.Err != nil {
				o.Error = r.Err.Error()
			}
		}
	case VerbKill:
		res := rn.Kill(ctx, refs)
		pending := map[string]bool{}
		for _, r := range res {
			if r.Err == nil {
				pending[r.Ref.ID] = true
			}
		}
		if s.q.runner == runner.Background {
			// The runner sends SIGKILL a grace period after SIGTERM, and
			// records the end: both only while it watches.
			grace := cmp.Or(s.q.killGrace, runner.DefaultKillGrace)
			s.await(ctx, pending, grace+30*time.Second)
		}
		rn.Close()
		for k, r := range res {
			o := &out[at[k]]
			if r.Err != nil {
				o.Error = r.Err.Error()
			}
			o.Status = readStatusText(r.Ref.Files.Status)
		}
	case VerbWatch:
		res := rn.Poll(ctx, refs)
		pending := map[string]bool{}
		var longest time.Duration
		for _, r := range res {
			v := runner.Judge(r.Status).Message
			if r.Err == nil && (v == runner.MsgSubmitted || v == runner.MsgStarted) {
				pending[r.Ref.ID] = true
				longest = max(longest, s.q.timeLimits[r.Ref.ID])
			}
		}
		grace := cmp.Or(s.q.killGrace, runner.DefaultKillGrace)
		s.await(ctx, pending, longest+grace+time.Minute)
		rn.Close()
		for k, r := range res {
			o := &out[at[k]]
			if r.Err != nil {
				o.Error = r.Err.Error()
			}
			o.Status = readStatusText(r.Ref.Files.Status)
		}
	}
}

// await waits until each pending job has been reported Exited, for at most
// within.
func (s *server) await(ctx context.Context, pending map[string]bool, within time.Duration) {
	if len(pending) == 0 {
		return
	}
	t := time.NewTimer(within)
	defer t.Stop()
	for len(pending) > 0 {
		select {
		case ex := <-s.exits:
			delete(pending, ex.Ref.ID)
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// spawnWatcher starts "gyre jobs-watch" for background jobs with execution
// time limits, detached, so that their limits are timed (and their ends
// recorded) after this command has returned to ssh. It is this process's
// own binary, in a session of its own with no open terminal or pipe, so
// that ssh does not wait for it.
func (s *server) spawnWatcher(ids []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	wq := request{verb: VerbWatch, runner: s.q.runner, utc: s.q.utc, killGrace: s.q.killGrace,
		timeLimits: s.q.timeLimits, runDir: s.runDir, ids: ids}
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer devnull.Close()
	p, err := os.StartProcess(exe, append([]string{exe, VerbWatch}, wq.args()...), &os.ProcAttr{
		Dir:   "/",
		Files: []*os.File{devnull, devnull, devnull},
		Sys:   &syscall.SysProcAttr{Setsid: true},
	})
	if err != nil {
		return err
	}
	return p.Release()
}

// readStatusText returns a job.status file's text for a reply ("" if it
// cannot be read: the reply's other fields say what happened).
func readStatusText(path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) > maxReplyLine/2 {
		return ""
	}
	return string(b)
}

func joinLines(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}
