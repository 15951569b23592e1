package api

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// rawClient makes requests with full control of the headers, over the unix
// socket or over TLS pinned to the test server's certificate.
func rawClient(t *testing.T, ts *testServer, unix bool) (*http.Client, string) {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	if unix {
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", ts.SocketPath())
		}
		return &http.Client{Transport: tr}, "http://unix"
	}
	tr.TLSClientConfig = &tls.Config{
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if Fingerprint(cs.PeerCertificates[0].Raw) != ts.creds.Fingerprint {
				return errors.New("not the test server")
			}
			return nil
		},
	}
	return &http.Client{Transport: tr}, ts.URL()
}

type response struct {
	status int
	body   string
}

func request(t *testing.T, hc *http.Client, method, url, auth, body string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, string(b)}
}

func TestAuthentication(t *testing.T) {
	ts := startServer(t, &fakeHandler{}, Options{WorkflowID: "flow/run1"})
	good := "Bearer " + ts.creds.Token
	tests := []struct {
		name   string
		auth   string
		status int
		body   string
	}{
		{"no token", "", 401, "no credentials"},
		{"wrong token", "Bearer " + strings.Repeat("x", len(ts.creds.Token)), 401, "wrong token"},
		{"token prefix only", "Bearer " + ts.creds.Token[:10], 401, "wrong token"},
		{"not a bearer", "Basic " + ts.creds.Token, 401, "must be \\\"Bearer"},
		{"right token", good, 200, `"workflow":"flow/run1"`},
		{"scheme in lower case", "bearer " + ts.creds.Token, 200, `"api":1`},
	}
	for _, via := range []string{"unix", "tls"} {
		hc, base := rawClient(t, ts, via == "unix")
		for _, tt := range tests {
			t.Run(via+"/"+tt.name, func(t *testing.T) {
				got := request(t, hc, "GET", base+"/v1/ping", tt.auth, "")
				if got.status != tt.status || !strings.Contains(got.body, tt.body) {
					t.Errorf("got %d %s, want %d with %q", got.status, got.body, tt.status, tt.body)
				}
			})
		}
		// Every endpoint is behind the check, including unknown ones.
		for _, path := range []string{"/v1/message", "/v1/command", "/v1/stream", "/nowhere"} {
			got := request(t, hc, "POST", base+path, "", `{}`)
			if got.status != 401 {
				t.Errorf("%s POST %s without a token: %d %s, want 401", via, path, got.status, got.body)
			}
		}
	}
}

func TestPlainHTTPToTLSPortRefused(t *testing.T) {
	ts := startServer(t, &fakeHandler{}, Options{})
	url := strings.Replace(ts.URL(), "https://", "http://", 1)
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	got := request(t, hc, "GET", url+"/v1/ping", "Bearer "+ts.creds.Token, "")
	if got.status != 400 || !strings.Contains(got.body, "HTTPS") {
		t.Errorf("plain HTTP: %d %q, want 400 about HTTPS", got.status, got.body)
	}
}

func TestWrongPinRefused(t *testing.T) {
	ts := startServer(t, &fakeHandler{}, Options{})
	c := ts.tlsContact()
	c.Fingerprint = strings.Repeat("0", 64)
	cl := dial(t, c)
	err := cl.Ping(context.Background())
	var pe *pinError
	if !errors.As(err, &pe) {
		t.Fatalf("ping with a wrong pin: %v, want a pin error", err)
	}
	if !strings.Contains(err.Error(), ts.creds.Fingerprint) {
		t.Errorf("error %q does not name the certificate presented", err)
	}
	// The right pin works.
	if err := dial(t, ts.tlsContact()).Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestDialRefusesUnpinned(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		c    Contact
		want string
	}{
		{"no fingerprint", Contact{URL: "https://h:1", TokenFile: tokenFile}, "refusing to connect without a pinned certificate"},
		{"short fingerprint", Contact{URL: "https://h:1", Fingerprint: "abcd", TokenFile: tokenFile}, "64 hex digits"},
		{"plain http", Contact{URL: "http://h:1", Fingerprint: strings.Repeat("a", 64), TokenFile: tokenFile}, "want https://HOST:PORT"},
		{"no address", Contact{TokenFile: tokenFile}, "want https://HOST:PORT"},
		{"no token file", Contact{URL: "https://h:1"}, "no token file"},
		{"token file open to others", Contact{URL: "https://h:1", TokenFile: func() string {
			p := filepath.Join(dir, "open")
			os.WriteFile(p, []byte("x\n"), 0o644)
			os.Chmod(p, 0o644)
			return p
		}()}, "chmod 600"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Dial(tt.c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Dial error %v, want one containing %q", err, tt.want)
			}
		})
	}
	// Host and port make a URL when the contact has none.
	cl, err := Dial(Contact{Host: "h", Port: 7, Fingerprint: strings.Repeat("a", 64), TokenFile: tokenFile})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if cl.base != "https://h:7" {
		t.Errorf("base %q, want https://h:7", cl.base)
	}
}

func TestUnixSocketIsPrivate(t *testing.T) {
	ts := startServer(t, &fakeHandler{}, Options{})
	info, err := os.Lstat(ts.SocketPath())
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Type() != os.ModeSocket {
		t.Fatalf("%s is %v, not a socket", ts.SocketPath(), info.Mode())
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("socket mode %04o, want 0600", perm)
	}
	dirInfo, err := os.Stat(filepath.Dir(ts.SocketPath()))
	if err != nil {
		t.Fatal(err)
	}
	if perm := dirInfo.Mode().Perm(); perm != 0o700 {
		t.Errorf("socket directory mode %04o, want 0700", perm)
	}
	// Dial picks the socket on this host.
	cl := dial(t, ts.contact)
	if cl.base != "http://unix" {
		t.Errorf("client on the scheduler host uses %s, want the unix socket", cl.base)
	}
	if err := cl.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Stopping removes the socket.
	if err := ts.stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(ts.SocketPath()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket still there after Run returned: %v", err)
	}
}

func TestCheckPeer(t *testing.T) {
	const owner = 1000
	tests := []struct {
		name string
		p    peer
		want string // "" allowed
	}{
		{"owner", peer{cred: &syscall.Ucred{Pid: 10, Uid: owner, Gid: 1000}}, ""},
		{"another user", peer{cred: &syscall.Ucred{Pid: 11, Uid: 1001, Gid: 1000}}, "is user 1001 (process 11); only the workflow owner (user 1000)"},
		{"root is not the owner", peer{cred: &syscall.Ucred{Pid: 12, Uid: 0}}, "is user 0"},
		{"unknown peer", peer{err: errors.New("no creds")}, "cannot identify"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkPeer(tt.p, owner)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeForbidden || !strings.Contains(e.Message, tt.want) {
				t.Fatalf("error %v, want forbidden with %q", err, tt.want)
			}
		})
	}
}

// TestOtherUserRefused runs the real SO_PEERCRED path with the server
// believing it belongs to someone else: the tests' own user is then the
// "other user", refused even with the right token.
func TestOtherUserRefused(t *testing.T) {
	h := &fakeHandler{}
	dir := filepath.Join(t.TempDir(), ".service")
	creds, err := NewCredentials(dir)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Credentials: creds, SocketPath: filepath.Join(dir, "gyre.sock")}
	s, err := NewServer(h, opts)
	if err != nil {
		t.Fatal(err)
	}
	s.ownerUID = uint32(os.Getuid()) + 1
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	cl := dial(t, Contact{Socket: s.SocketPath(), TokenFile: filepath.Join(dir, TokenFileName)})
	err = cl.SendMessages(ctx, JobMessage{Workflow: "w", Job: "1/a/01", Messages: []TaskMessage{{Time: "t", Severity: "INFO", Text: "x"}}})
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeForbidden {
		t.Fatalf("message from another user: %v, want forbidden", err)
	}
	if got := h.received(); len(got) != 0 {
		t.Errorf("handler received %v from another user", got)
	}
	// TLS does not check the peer's user: the token is the proof there.
	tc := dial(t, Contact{URL: s.URL(), Fingerprint: creds.Fingerprint, TokenFile: filepath.Join(dir, TokenFileName)})
	if err := tc.Ping(ctx); err != nil {
		t.Errorf("TLS ping: %v", err)
	}
}

func TestMalformedRequests(t *testing.T) {
	ts := startServer(t, &fakeHandler{}, Options{WorkflowID: "flow/run1"})
	hc, base := rawClient(t, ts, true)
	auth := "Bearer " + ts.creds.Token
	msg := func(m string) string {
		return `{"workflow":"flow/run1","job":"1/foo/01","messages":[` + m + `]}`
	}
	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"not JSON", "POST", "/v1/message", "hello", 400, "malformed JSON"},
		{"truncated", "POST", "/v1/message", `{"workflow":"flow/run1"`, 400, "malformed JSON"},
		{"empty body", "POST", "/v1/message", "", 400, "empty request body"},
		{"unknown field", "POST", "/v1/message", `{"workflow":"flow/run1","job":"1/foo/01","messages":[],"colour":"red"}`, 400, `unknown field \"colour\"`},
		{"two objects", "POST", "/v1/message", msg(`{"time":"t","severity":"INFO","text":"x"}`) + "{}", 400, "after the JSON object"},
		{"wrong type", "POST", "/v1/message", `{"workflow":1}`, 400, "malformed JSON"},
		{"bad job id", "POST", "/v1/message", `{"workflow":"flow/run1","job":"foo","messages":[{"time":"t","severity":"INFO","text":"x"}]}`, 400, "want CYCLE/TASK/SUBMIT_NUM"},
		{"no messages", "POST", "/v1/message", msg(""), 400, "no messages"},
		{"severity with bar", "POST", "/v1/message", msg(`{"time":"t","severity":"A|B","text":"x"}`), 400, "severity \\\"A|B\\\""},
		{"no time", "POST", "/v1/message", msg(`{"severity":"INFO","text":"x"}`), 400, "time \\\"\\\""},
		{"other workflow", "POST", "/v1/message", `{"workflow":"other","job":"1/foo/01","messages":[{"time":"t","severity":"INFO","text":"x"}]}`, 404, "runs workflow \\\"flow/run1\\\", not \\\"other\\\""},
		{"too large", "POST", "/v1/message", msg(`{"time":"t","severity":"INFO","text":"` + strings.Repeat("x", maxMessageBody) + `"}`), 413, "larger than"},
		{"command not JSON", "POST", "/v1/command", "{", 400, "malformed JSON"},
		{"command name", "POST", "/v1/command", `{"command":"Stop Now"}`, 400, "want a name such as"},
		{"command args not an object", "POST", "/v1/command", `{"command":"echo","args":[1]}`, 400, "args must be a JSON object"},
		{"unknown command", "POST", "/v1/command", `{"command":"fly"}`, 404, "no command \\\"fly\\\""},
		{"wrong method", "GET", "/v1/message", "", 405, "GET /v1/message: use POST"},
		{"unknown path", "GET", "/v2/anything", "", 404, "no endpoint GET /v2/anything"},
		{"bad from", "GET", "/v1/stream?from=-1", "", 400, "from=\\\"-1\\\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := request(t, hc, tt.method, base+tt.path, auth, tt.body)
			if got.status != tt.status || !strings.Contains(got.body, tt.want) {
				t.Errorf("got %d %s, want %d with %q", got.status, got.body, tt.status, tt.want)
			}
			var body errorBody
			if err := json.Unmarshal([]byte(got.body), &body); err != nil || body.Error == nil {
				t.Errorf("error body %q is not {\"error\": {...}}", got.body)
			}
		})
	}
}

func TestCommands(t *testing.T) {
	ts := startServer(t, &fakeHandler{}, Options{})
	for _, via := range []Contact{ts.contact, ts.tlsContact()} {
		cl := dial(t, via)
		ctx := context.Background()
		var echo struct {
			Args map[string]any `json:"args"`
		}
		if err := cl.Command(ctx, "echo", map[string]any{"tasks": []string{"1/foo"}}, &echo); err != nil {
			t.Fatal(err)
		}
		if got := mustJSON(echo.Args); got != `{"tasks":["1/foo"]}` {
			t.Errorf("echo args %s", got)
		}
		if err := cl.Command(ctx, "echo", nil, nil); err != nil {
			t.Errorf("command without args or result: %v", err)
		}
		for name, want := range map[string]*Error{
			"refuse":     {CodeConflict, "workflow is paused"},
			"crash":      {CodeInternal, "pool exploded"},
			"fly":        {CodeNotFound, `no command "fly"`},
			"unsendable": {CodeInternal, "command unsendable: result cannot be sent as JSON: json: unsupported type: func()"},
		} {
			err := cl.Command(ctx, name, nil, nil)
			var e *Error
			if !errors.As(err, &e) || *e != *want {
				t.Errorf("command %s: %v, want %v", name, err, want)
			}
		}
	}
}

func TestServerStartErrors(t *testing.T) {
	ts := startServer(t, &fakeHandler{}, Options{})
	// A second server on a live socket must not steal it.
	s, err := NewServer(&fakeHandler{}, Options{Credentials: ts.creds, SocketPath: ts.SocketPath()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "already running") {
		s.Close()
		t.Fatalf("second server on a live socket: %v", err)
	}
	// A dead socket is replaced.
	dir := filepath.Join(t.TempDir(), "svc")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "gyre.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
	s, err = NewServer(&fakeHandler{}, Options{Credentials: ts.creds, SocketPath: sock})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatalf("server over a stale socket: %v", err)
	}
	s.Close()
	// Paths the kernel cannot hold, and files that are not sockets.
	long := filepath.Join(dir, strings.Repeat("x", 120))
	notSock := filepath.Join(dir, "file")
	os.WriteFile(notSock, nil, 0o600)
	for path, want := range map[string]string{long: "the limit is 107", notSock: "not a socket"} {
		s, _ := NewServer(&fakeHandler{}, Options{Credentials: ts.creds, SocketPath: path})
		if err := s.Start(context.Background()); err == nil || !strings.Contains(err.Error(), want) {
			s.Close()
			t.Errorf("socket %s: %v, want %q", path, err, want)
		}
	}
	if _, err := NewServer(&fakeHandler{}, Options{}); err == nil || !strings.Contains(err.Error(), "credentials are required") {
		t.Errorf("NewServer without credentials: %v", err)
	}
}

func TestURL(t *testing.T) {
	ts := startServer(t, &fakeHandler{}, Options{})
	if !strings.HasPrefix(ts.URL(), "https://127.0.0.1:") || ts.Port() == 0 {
		t.Errorf("URL %s port %d: want https://127.0.0.1:<port>", ts.URL(), ts.Port())
	}
}
