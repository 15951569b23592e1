package remote

import (
	"errors"
	"fmt"
	"strings"
)

// splitShell splits a command line into words as Python's shlex.split does
// (POSIX mode, no comments), because Cylc splits the platform's "ssh
// command", "rsync command" and "retrieve job logs command" that way: blanks
// separate words, single quotes keep everything, double quotes keep
// everything but let a backslash escape '"' and '\', and a backslash outside
// quotes escapes the next character.
func splitShell(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	const (
		plain = iota
		single
		double
	)
	state := plain
	// Byte by byte: every special character is ASCII, and other bytes
	// (UTF-8 or not) are kept as they are.
	rs := s
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch state {
		case single:
			if c == '\'' {
				state = plain
			} else {
				w.WriteByte(c)
			}
		case double:
			switch {
			case c == '"':
				state = plain
			case c == '\\' && i+1 < len(rs) && (rs[i+1] == '"' || rs[i+1] == '\\'):
				i++
				w.WriteByte(rs[i])
			case c == '\\' && i+1 == len(rs):
				return nil, fmt.Errorf("no closing quotation in %q", s)
			default:
				w.WriteByte(c)
			}
		default:
			switch {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r':
				if inWord {
					words = append(words, w.String())
					w.Reset()
					inWord = false
				}
			case c == '\'':
				state, inWord = single, true
			case c == '"':
				state, inWord = double, true
			case c == '\\':
				if i+1 == len(rs) {
					return nil, fmt.Errorf("no escaped character after the final backslash in %q", s)
				}
				i++
				w.WriteByte(rs[i])
				inWord = true
			default:
				w.WriteByte(c)
				inWord = true
			}
		}
	}
	if state != plain {
		return nil, fmt.Errorf("no closing quotation in %q", s)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// errEmptyCommand is the error for a command setting with no words.
var errEmptyCommand = errors.New("the command is empty")

// commandWords splits a platform's command setting, naming the setting in
// the error.
func commandWords(setting, value string) ([]string, error) {
	words, err := splitShell(value)
	if err == nil && len(words) == 0 {
		err = errEmptyCommand
	}
	if err != nil {
		return nil, fmt.Errorf("platform setting %q = %s: %w", setting, value, err)
	}
	return words, nil
}

// quoteWord makes s one word for a POSIX shell, leaving it bare when it
// holds only characters no shell treats specially (Python's shlex.quote).
func quoteWord(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("_@%+=:,./-", c)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// homeWord makes a path one shell word in which a leading "$HOME/" (or
// "${HOME}/", or "~/") is expanded by the remote shell and the rest is
// literal: the remote home directory is only known there.
func homeWord(p string) string {
	if rest, ok := cutHome(p); ok {
		if rest == "" {
			return `"$HOME"`
		}
		return `"$HOME"/` + quoteWord(rest)
	}
	return quoteWord(p)
}

// cutHome returns the part of p after a leading "$HOME/" ("${HOME}/",
// "~/"), or p itself as "$HOME" alone.
func cutHome(p string) (string, bool) {
	for _, prefix := range []string{"$HOME/", "${HOME}/", "~/"} {
		if rest, ok := strings.CutPrefix(p, prefix); ok {
			return rest, true
		}
	}
	if p == "$HOME" || p == "${HOME}" || p == "~" {
		return "", true
	}
	return p, false
}

// expandHome resolves a home-relative path against home, on the host
// where it is used.
func expandHome(p, home string) string {
	rest, ok := cutHome(p)
	if !ok {
		return p
	}
	if rest == "" {
		return home
	}
	return strings.TrimRight(home, "/") + "/" + rest
}
