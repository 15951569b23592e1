package api

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestContactRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".service")
	c := Contact{
		WorkflowID: "flow/run1", Host: "node1.example.org", Owner: "alice", PID: 4242,
		Command: "gyre play flow/run1", Port: 43001, RunDir: "/home/alice/cylc-run/flow/run1",
		UUID: "0f8e-uuid", Version: "8.7.0", API: APIVersion, Socket: "/home/alice/cylc-run/flow/run1/.service/gyre.sock",
		URL: "https://node1.example.org:43001", Fingerprint: strings.Repeat("ab", 32),
		Extra: map[string]string{"GYRE_FUTURE_KEY": "x=y"},
	}
	if err := WriteContact(dir, c); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, ContactFileName))
	if err != nil {
		t.Fatal(err)
	}
	want := `CYLC_VERSION=8.7.0
CYLC_WORKFLOW_COMMAND=gyre play flow/run1
CYLC_WORKFLOW_HOST=node1.example.org
CYLC_WORKFLOW_ID=flow/run1
CYLC_WORKFLOW_OWNER=alice
CYLC_WORKFLOW_PID=4242
CYLC_WORKFLOW_PORT=43001
CYLC_WORKFLOW_RUN_DIR_ON_WORKFLOW_HOST=/home/alice/cylc-run/flow/run1
CYLC_WORKFLOW_UUID=0f8e-uuid
GYRE_API=1
GYRE_FUTURE_KEY=x=y
GYRE_SOCKET=/home/alice/cylc-run/flow/run1/.service/gyre.sock
GYRE_TLS_FINGERPRINT=abababababababababababababababababababababababababababababababab
GYRE_URL=https://node1.example.org:43001
`
	if string(data) != want {
		t.Errorf("contact file:\n%s\nwant:\n%s", data, want)
	}
	info, err := os.Stat(filepath.Join(dir, ContactFileName))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("contact file mode %04o, want 0600", perm)
	}
	got, err := ReadContact(dir)
	if err != nil {
		t.Fatal(err)
	}
	c.TokenFile = filepath.Join(dir, TokenFileName)
	if !reflect.DeepEqual(got, c) {
		t.Errorf("ReadContact:\n%+v\nwant\n%+v", got, c)
	}
	if err := RemoveContact(dir); err != nil {
		t.Fatal(err)
	}
	if err := RemoveContact(dir); err != nil {
		t.Errorf("removing a removed contact file: %v", err)
	}
	if _, err := ReadContact(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadContact after removal: %v, want fs.ErrNotExist", err)
	}
}

func TestParseContact(t *testing.T) {
	tests := []struct {
		name, in string
		want     Contact
		err      string
	}{
		{name: "blanks around keys and values, comments", in: "# written by gyre\n\n CYLC_WORKFLOW_ID = a/b \nCYLC_WORKFLOW_PORT=80\n",
			want: Contact{WorkflowID: "a/b", Port: 80}},
		{name: "Cylc 7 SUITE keys", in: "CYLC_SUITE_HOST=h\nCYLC_SUITE_PID=7\n", want: Contact{Host: "h", PID: 7}},
		{name: "value with =", in: "CYLC_WORKFLOW_COMMAND=gyre play --set=X=1 a\n", want: Contact{Command: "gyre play --set=X=1 a"}},
		{name: "CRLF", in: "CYLC_WORKFLOW_HOST=h\r\n", want: Contact{Host: "h"}},
		{name: "not KEY=VALUE", in: "CYLC_WORKFLOW_HOST=h\nrubbish\n", err: `line 2: "rubbish" is not KEY=VALUE`},
		{name: "bad port", in: "CYLC_WORKFLOW_PORT=http\n", err: `line 1: CYLC_WORKFLOW_PORT="http": want a whole number from 0 to 65535`},
		{name: "port too big", in: "CYLC_WORKFLOW_PORT=70000\n", err: "from 0 to 65535"},
		{name: "bad pid", in: "CYLC_WORKFLOW_PID=-3\n", err: `CYLC_WORKFLOW_PID="-3"`},
		{name: "empty key", in: "=x\n", err: "empty key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseContact(strings.NewReader(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestWriteContactRefusesBadValues(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".service")
	for _, c := range []Contact{
		{Host: "a\nCYLC_WORKFLOW_PORT=1"},
		{Extra: map[string]string{"A B": "x"}},
		{Command: " padded "},
	} {
		if err := WriteContact(dir, c); err == nil {
			t.Errorf("WriteContact(%+v) succeeded; want an error", c)
		}
	}
}

func TestContactAlive(t *testing.T) {
	cmdline, err := os.ReadFile("/proc/self/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	self := ShellJoin(strings.Split(strings.TrimSuffix(string(cmdline), "\x00"), "\x00"))
	host, _ := os.Hostname()
	tests := []struct {
		name    string
		c       Contact
		want    bool
		wantErr string
	}{
		{"this process", Contact{Host: host, PID: os.Getpid(), Command: self}, true, ""},
		{"this process, no command recorded", Contact{Host: "localhost", PID: os.Getpid()}, true, ""},
		{"PID reused by another command", Contact{Host: host, PID: os.Getpid(), Command: "gyre play other"}, false, ""},
		{"no such process", Contact{Host: host, PID: 1<<31 - 2}, false, ""},
		{"another host", Contact{Host: "elsewhere.invalid", PID: 1}, false, "cannot check"},
		{"no PID", Contact{Host: host}, false, "no CYLC_WORKFLOW_PID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.c.Alive()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Alive() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestShellJoin(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"gyre", "play", "flow/run1"}, "gyre play flow/run1"},
		{[]string{"gyre", "play", "--set=X=1", "a b"}, "gyre play --set=X=1 'a b'"},
		{[]string{"echo", "it's", ""}, `echo 'it'"'"'s' ''`},
		{[]string{"x$HOME"}, "'x$HOME'"},
	}
	for _, tt := range tests {
		if got := ShellJoin(tt.args); got != tt.want {
			t.Errorf("ShellJoin(%q) = %s, want %s", tt.args, got, tt.want)
		}
	}
}

func TestIsThisHost(t *testing.T) {
	host, _ := os.Hostname()
	short, _, _ := strings.Cut(host, ".")
	for h, want := range map[string]bool{
		"":                      true,
		"localhost":             true,
		"127.0.0.1":             true,
		strings.ToUpper(host):   true,
		short:                   true,
		short + ".some.domain.": !strings.Contains(host, "."),
		"other.invalid":         false,
	} {
		if got := isThisHost(h); got != want {
			t.Errorf("isThisHost(%q) = %v, want %v (hostname %q)", h, got, want, host)
		}
	}
}
