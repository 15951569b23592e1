package api

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// ContactFileName is the contact file's name in a run's .service directory.
const ContactFileName = "contact"

// The contact file keys. Cylc's are kept where they mean the same thing, so
// that scripts and tools which read the file keep working; Gyre's own say
// how to reach its HTTP API. Cylc's CYLC_API is deliberately absent: Cylc
// tools reading it would try to speak ZeroMQ to an HTTPS port, and GYRE_API
// versions a different protocol. CYLC_WORKFLOW_PUBLISH_PORT is absent too:
// events are streamed on the same port.
const (
	keyHost        = "CYLC_WORKFLOW_HOST"
	keyWorkflowID  = "CYLC_WORKFLOW_ID"
	keyOwner       = "CYLC_WORKFLOW_OWNER"
	keyPID         = "CYLC_WORKFLOW_PID"
	keyCommand     = "CYLC_WORKFLOW_COMMAND"
	keyPort        = "CYLC_WORKFLOW_PORT"
	keyRunDir      = "CYLC_WORKFLOW_RUN_DIR_ON_WORKFLOW_HOST"
	keyUUID        = "CYLC_WORKFLOW_UUID"
	keyVersion     = "CYLC_VERSION"
	keyAPI         = "GYRE_API"
	keySocket      = "GYRE_SOCKET"
	keyURL         = "GYRE_URL"
	keyFingerprint = "GYRE_TLS_FINGERPRINT"
)

// APIVersion is the version of this package's protocol, GYRE_API in the
// contact file. It changes only when old clients could no longer talk to a
// new scheduler.
const APIVersion = 1

// Contact is the content of a running scheduler's contact file: which
// workflow, which process on which host, and how to reach its API. The file
// exists while the scheduler runs; one left behind by a scheduler that died
// is recognised by Alive.
type Contact struct {
	WorkflowID  string // CYLC_WORKFLOW_ID
	Host        string // CYLC_WORKFLOW_HOST: where the scheduler runs
	Owner       string // CYLC_WORKFLOW_OWNER: the user it runs as
	PID         int    // CYLC_WORKFLOW_PID
	Command     string // CYLC_WORKFLOW_COMMAND: ShellJoin(os.Args) of the scheduler
	Port        int    // CYLC_WORKFLOW_PORT: the TLS port
	RunDir      string // CYLC_WORKFLOW_RUN_DIR_ON_WORKFLOW_HOST
	UUID        string // CYLC_WORKFLOW_UUID
	Version     string // CYLC_VERSION: the Cylc version Gyre follows
	API         int    // GYRE_API: APIVersion of the scheduler
	Socket      string // GYRE_SOCKET: the unix socket, for clients on Host
	URL         string // GYRE_URL: https://host:port, for clients elsewhere
	Fingerprint string // GYRE_TLS_FINGERPRINT: the pinned certificate
	// Extra holds keys this version does not know, so that reading and
	// writing a newer scheduler's file loses nothing.
	Extra map[string]string

	// TokenFile is where a client finds the token. It is not part of the
	// file: ReadContact sets it to the token beside the contact file, and
	// jobs on other hosts take it from $GYRE_TOKEN_FILE.
	TokenFile string
}

// WriteContact writes c as serviceDir/contact, mode 0600, replacing any
// previous file atomically: a client never reads half a file.
func WriteContact(serviceDir string, c Contact) error {
	data, err := formatContact(c)
	if err != nil {
		return err
	}
	if err := ensurePrivateDir(serviceDir); err != nil {
		return err
	}
	return writePrivateFile(filepath.Join(serviceDir, ContactFileName), data)
}

// ReadContact reads serviceDir/contact. A missing file is reported with an
// error that matches fs.ErrNotExist: the workflow is not running (or its
// scheduler is between a stop and a restart).
func ReadContact(serviceDir string) (Contact, error) {
	path := filepath.Join(serviceDir, ContactFileName)
	f, err := os.Open(path)
	if err != nil {
		return Contact{}, fmt.Errorf("contact file: %w", err)
	}
	defer f.Close()
	c, err := ParseContact(io.LimitReader(f, maxContactSize+1))
	if err != nil {
		return Contact{}, fmt.Errorf("%s: %w", path, err)
	}
	c.TokenFile = filepath.Join(serviceDir, TokenFileName)
	return c, nil
}

// RemoveContact removes serviceDir/contact, as a scheduler does when it
// stops. A file that is already gone is not an error.
func RemoveContact(serviceDir string) error {
	err := os.Remove(filepath.Join(serviceDir, ContactFileName))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("contact file: %w", err)
	}
	return nil
}

const maxContactSize = 64 << 10

// ParseContact reads contact file content: KEY=VALUE lines, with blanks
// around keys and values ignored as Cylc does, and Cylc 7's SUITE spelling of
// keys accepted. Blank lines and lines starting with '#' are skipped.
func ParseContact(r io.Reader) (Contact, error) {
	var c Contact
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1024), maxContactSize)
	total := 0
	for n := 1; sc.Scan(); n++ {
		total += len(sc.Bytes()) + 1
		if total > maxContactSize {
			return Contact{}, fmt.Errorf("line %d: contact file is larger than %d bytes", n, maxContactSize)
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			return Contact{}, fmt.Errorf("line %d: %q is not KEY=VALUE", n, line)
		}
		key = strings.ReplaceAll(strings.TrimSpace(key), "SUITE", "WORKFLOW")
		value = strings.TrimSpace(value)
		if err := c.set(key, value); err != nil {
			return Contact{}, fmt.Errorf("line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return Contact{}, fmt.Errorf("contact file: %w", err)
	}
	return c, nil
}

func (c *Contact) set(key, value string) error {
	number := func(dst *int, max int) error {
		v, err := strconv.Atoi(value)
		if err != nil || v < 0 || v > max {
			return fmt.Errorf("%s=%q: want a whole number from 0 to %d", key, value, max)
		}
		*dst = v
		return nil
	}
	switch key {
	case "":
		return fmt.Errorf("%q has an empty key", key+"="+value)
	case keyHost:
		c.Host = value
	case keyWorkflowID:
		c.WorkflowID = value
	case keyOwner:
		c.Owner = value
	case keyPID:
		return number(&c.PID, 1<<31-1)
	case keyCommand:
		c.Command = value
	case keyPort:
		return number(&c.Port, 65535)
	case keyRunDir:
		c.RunDir = value
	case keyUUID:
		c.UUID = value
	case keyVersion:
		c.Version = value
	case keyAPI:
		return number(&c.API, 1<<31-1)
	case keySocket:
		c.Socket = value
	case keyURL:
		c.URL = value
	case keyFingerprint:
		c.Fingerprint = value
	default:
		if c.Extra == nil {
			c.Extra = map[string]string{}
		}
		c.Extra[key] = value
	}
	return nil
}

// formatContact renders c sorted by key, as Cylc writes the file; zero
// values are left out.
func formatContact(c Contact) ([]byte, error) {
	kv := map[string]string{}
	for k, v := range c.Extra {
		kv[k] = v
	}
	for _, f := range []struct{ key, value string }{
		{keyHost, c.Host}, {keyWorkflowID, c.WorkflowID}, {keyOwner, c.Owner},
		{keyCommand, c.Command}, {keyRunDir, c.RunDir}, {keyUUID, c.UUID},
		{keyVersion, c.Version}, {keySocket, c.Socket}, {keyURL, c.URL},
		{keyFingerprint, c.Fingerprint},
	} {
		if f.value != "" {
			kv[f.key] = f.value
		}
	}
	for _, f := range []struct {
		key   string
		value int
	}{{keyPID, c.PID}, {keyPort, c.Port}, {keyAPI, c.API}} {
		if f.value != 0 {
			kv[f.key] = strconv.Itoa(f.value)
		}
	}
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b bytes.Buffer
	for _, k := range keys {
		v := kv[k]
		if k == "" || strings.ContainsAny(k, "=#\r\n \t") || strings.ContainsAny(v, "\r\n") ||
			strings.TrimSpace(v) != v {
			return nil, fmt.Errorf("contact file: %s=%q: want a KEY without '=', '#' or blanks and a single-line value without surrounding blanks", k, v)
		}
		fmt.Fprintf(&b, "%s=%s\n", k, v)
	}
	return b.Bytes(), nil
}

// Alive reports whether the scheduler that wrote the contact file is still
// running, so that one left behind by a crash can be recognised as stale and
// removed. It can only tell on the scheduler's own host; elsewhere it returns
// an error. A process with the recorded PID but a different command line is
// a newer process that reused the number, not the scheduler.
func (c Contact) Alive() (bool, error) {
	if !isThisHost(c.Host) {
		return false, fmt.Errorf("contact file: scheduler runs on %s, not here (%s): cannot check its process", c.Host, hostname())
	}
	if c.PID <= 0 {
		return false, fmt.Errorf("contact file: no %s to check", keyPID)
	}
	err := syscall.Kill(c.PID, 0)
	switch {
	case errors.Is(err, syscall.ESRCH):
		return false, nil
	case err != nil && !errors.Is(err, syscall.EPERM):
		return false, fmt.Errorf("contact file: checking process %d: %w", c.PID, err)
	}
	if c.Command == "" {
		return true, nil
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", c.PID))
	if err != nil {
		return true, nil // no /proc to compare with: the PID is all we know
	}
	args := strings.Split(strings.TrimSuffix(string(cmdline), "\x00"), "\x00")
	return ShellJoin(args) == c.Command, nil
}

// ShellJoin quotes a command line for CYLC_WORKFLOW_COMMAND, the way a user
// would type it: words with nothing special are left alone.
func ShellJoin(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.IndexFunc(a, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r))
		}) < 0 {
			quoted[i] = a
			continue
		}
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'"'"'`) + "'"
	}
	return strings.Join(quoted, " ")
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

// isThisHost reports whether host names the machine we run on. Names are
// compared case-insensitively, and a short name matches the same host's
// fully qualified name.
func isThisHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	switch host {
	case "", "localhost", "127.0.0.1", "::1":
		return true
	}
	me := strings.ToLower(hostname())
	if host == me {
		return true
	}
	short := func(s string) string { s, _, _ = strings.Cut(s, "."); return s }
	if !strings.Contains(host, ".") || !strings.Contains(me, ".") {
		return short(host) == short(me)
	}
	return false
}
