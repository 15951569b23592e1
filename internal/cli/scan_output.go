package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gyre/internal/api"
)

// taskStateOrder is the order task states are counted in, as a task moves
// through them; other states follow, sorted.
var taskStateOrder = []string{"waiting", "preparing", "submitted", "submit-failed", "running", "succeeded", "failed", "expired"}

// stateTotals counts tasks by state, without the (held), (queued) and
// (runahead) qualifiers, in taskStateOrder.
func stateTotals(states map[string]int) ([]string, map[string]int) {
	totals := map[string]int{}
	for s, n := range states {
		base, _, _ := strings.Cut(s, "(")
		totals[base] += n
	}
	var order []string
	for _, s := range taskStateOrder {
		if totals[s] > 0 {
			order = append(order, s)
		}
	}
	var rest []string
	for s, n := range totals {
		if n > 0 && !slices.Contains(taskStateOrder, s) {
			rest = append(rest, s)
		}
	}
	slices.Sort(rest)
	return append(order, rest...), totals
}

// address is where a scheduler listens: HOST:PORT, or HOST:SOCKET if it
// has no port.
func (w *scanned) address() string {
	c := w.contact
	if c == nil {
		return ""
	}
	if c.Port == 0 && c.Socket != "" {
		return c.Host + ":" + c.Socket
	}
	return c.Host + ":" + strconv.Itoa(c.Port)
}

func printScan(out io.Writer, format string, found []*scanned) error {
	switch format {
	case "json":
		list := make([]map[string]any, 0, len(found))
		for _, w := range found {
			m := map[string]any{"name": w.name, "path": w.path}
			if w.raw != nil || w.contact != nil {
				m["contact"] = filepath.Join(w.path, ".service", api.ContactFileName)
				for k, v := range w.raw {
					m[k] = v
				}
			}
			if w.status != "stopped" {
				m["status"] = w.status
			}
			if w.states != nil {
				_, totals := stateTotals(w.states)
				m["stateTotals"] = totals
			}
			if w.problem != "" {
				m["error"] = w.problem
			}
			list = append(list, m)
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "    ")
		return enc.Encode(list)
	case "name":
		for _, w := range found {
			fmt.Fprintln(out, w.name)
		}
	case "plain":
		for _, w := range found {
			switch {
			case w.status == "stopped":
				fmt.Fprintln(out, w.name)
			case w.contact == nil:
				fmt.Fprintf(out, "%s %s (%s)\n", w.name, w.status, w.problem)
			case w.status == "stale":
				fmt.Fprintf(out, "%s %s %d %s (%s)\n", w.name, w.address(), w.contact.PID, w.status, w.problem)
			default:
				fmt.Fprintf(out, "%s %s %d %s\n", w.name, w.address(), w.contact.PID, w.status)
			}
		}
	case "rich":
		for _, w := range found {
			fmt.Fprintf(out, "%s (%s)\n", w.name, w.status)
			if w.contact == nil && w.problem == "" {
				continue
			}
			var rows [][2]string
			if w.problem != "" {
				rows = append(rows, [2]string{"problem", w.problem})
			}
			if w.states != nil {
				order, totals := stateTotals(w.states)
				var parts []string
				for _, s := range order {
					parts = append(parts, fmt.Sprintf("%s:%d", s, totals[s]))
				}
				if len(parts) == 0 {
					parts = []string{"(no tasks)"}
				}
				rows = append(rows, [2]string{"state totals", strings.Join(parts, " ")})
			}
			if c := w.contact; c != nil {
				version := c.Version
				if c.API > 0 {
					version += fmt.Sprintf(" (Gyre API %d)", c.API)
				}
				rows = append(rows, [2]string{"version", version}, [2]string{"host", c.Host},
					[2]string{"port", strconv.Itoa(c.Port)}, [2]string{"socket", c.Socket}, [2]string{"PID", strconv.Itoa(c.PID)})
			}
			for _, r := range rows {
				if r[1] != "" {
					fmt.Fprintf(out, "    %-12s   %s\n", r[0], r[1])
				}
			}
		}
	}
	return nil
}
