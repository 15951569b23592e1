package api

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Handler is the scheduler as the API sees it. Its methods are called
// concurrently, from the goroutines of the requests.
type Handler interface {
	// Messages takes one job's messages. Returning nil means the scheduler
	// has them (queued is enough): the client will not send them again. An
	// *Error with CodeUnavailable asks the client to retry later.
	Messages(ctx context.Context, m JobMessage) error
	// Command runs a named command. args is the JSON object the client sent
	// (nil if none). The result is sent back as JSON; an *Error chooses the
	// status the client sees.
	Command(ctx context.Context, name string, args json.RawMessage) (any, error)
	// Stream subscribes to events with index from onwards. The handler
	// sends them on the channel and closes it when the subscription ends;
	// it must stop sending and close the channel once ctx is done. If
	// events from `from` are no longer available, or the subscriber falls
	// too far behind, it sends an EventResync event.
	Stream(ctx context.Context, from uint64) (<-chan Event, error)
}

// Options configure a Server.
type Options struct {
	// Credentials authenticate every request and give the TLS certificate.
	// Required: nothing listens unauthenticated.
	Credentials *Credentials
	// SocketPath is the unix socket for local clients, normally
	// <run>/.service/gyre.sock. Its directory is created with mode 0700
	// and must not be open to others. Empty: no unix socket.
	SocketPath string
	// TCPAddr is the TLS listener's address. Empty means "127.0.0.1:0":
	// loopback only, on a free port. A scheduler whose jobs run on other
	// hosts listens on ":0" or on a named interface.
	TCPAddr string
	// WorkflowID, if set, is the only workflow whose messages are accepted:
	// a job holding a stale contact for another workflow is told so rather
	// than having its messages misapplied.
	WorkflowID string
	// ShutdownTimeout bounds how long Run waits for requests in progress
	// when it stops. Zero means 5 seconds.
	ShutdownTimeout time.Duration
	// Logger receives refused requests and server errors. Nil: discarded.
	Logger *slog.Logger
}

// Server serves the API on a unix socket and a TLS port. Start binds the
// listeners (so their addresses can go in the contact file before anything
// else starts); Run serves until its context is cancelled.
type Server struct {
	h        Handler
	opts     Options
	log      *slog.Logger
	ownerUID uint32 // the only user allowed on the unix socket

	mu      sync.Mutex
	started bool
	ran     bool
	tcp     net.Listener // raw TCP; TLS is added by the http.Server
	unix    net.Listener
	closing chan struct{} // closed when Run begins to stop: ends streams
	active  sync.WaitGroup
}

// NewServer checks opts and returns a server that is not yet listening.
func NewServer(h Handler, opts Options) (*Server, error) {
	if h == nil {
		return nil, errors.New("api: NewServer: nil Handler")
	}
	if opts.Credentials == nil || opts.Credentials.Token == "" || len(opts.Credentials.Certificate.Certificate) == 0 {
		return nil, errors.New("api: NewServer: credentials are required (see NewCredentials); the API never listens unauthenticated")
	}
	if opts.TCPAddr == "" {
		opts.TCPAddr = "127.0.0.1:0"
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = 5 * time.Second
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{h: h, opts: opts, log: log, ownerUID: uint32(os.Getuid()), closing: make(chan struct{})}, nil
}

// maxSocketPath is the longest path a unix socket address holds on Linux
// (sun_path is 108 bytes including the terminating NUL).
const maxSocketPath = 107

// Start binds the listeners. It is called by Run if not before; calling it
// first lets the caller publish URL and SocketPath in the contact file.
func (s *Server) Start(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return nil
	}
	tcp, err := net.Listen("tcp", s.opts.TCPAddr)
	if err != nil {
		return fmt.Errorf("api: listen on %s: %w", s.opts.TCPAddr, err)
	}
	if s.opts.SocketPath != "" {
		unix, err := listenUnix(s.opts.SocketPath)
		if err != nil {
			tcp.Close()
			return err
		}
		s.unix = unix
	}
	s.tcp = tcp
	s.started = true
	return nil
}

// listenUnix creates the socket in a private directory, replacing a socket
// left behind by a scheduler that died but never one that still answers.
func listenUnix(path string) (net.Listener, error) {
	if len(path) > maxSocketPath {
		return nil, fmt.Errorf("api: unix socket path %s is %d bytes; the limit is %d (use a shorter run directory)", path, len(path), maxSocketPath)
	}
	if err := ensurePrivateDir(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("api: unix socket: %w", err)
	}
	if info, err := os.Lstat(path); err == nil {
		if info.Mode().Type() != os.ModeSocket {
			return nil, fmt.Errorf("api: %s exists and is not a socket; move it away", path)
		}
		if answers(path) {
			return nil, fmt.Errorf("api: another process is listening on %s (is the workflow already running?)", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("api: removing stale socket: %w", err)
		}
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("api: listen on %s: %w", path, err)
	}
	// The directory is private already; the mode is a second lock.
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, fmt.Errorf("api: %w", err)
	}
	return l, nil
}

// URL is the address of the TLS listener, https://host:port, for the
// contact file and the job environment. Valid after Start.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tcp == nil {
		return ""
	}
	addr := s.tcp.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = hostname()
	}
	return "https://" + net.JoinHostPort(host, strconv.Itoa(addr.Port))
}

// Port is the TLS listener's port. Valid after Start.
func (s *Server) Port() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tcp == nil {
		return 0
	}
	return s.tcp.Addr().(*net.TCPAddr).Port
}

// SocketPath is the unix socket's path, "" if there is none.
func (s *Server) SocketPath() string { return s.opts.SocketPath }

// Run serves until ctx is cancelled, then stops accepting, lets requests in
// progress finish (up to Options.ShutdownTimeout), ends event streams and
// returns once every goroutine it started has finished. The unix socket file
// is removed.
func (s *Server) Run(ctx context.Context) error {
	if err := s.Start(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	if s.ran {
		s.mu.Unlock()
		return errors.New("api: Server.Run called twice; a server runs once")
	}
	s.ran = true
	tcp, unix := s.tcp, s.unix
	s.mu.Unlock()

	srv := &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second, // streams lift it for themselves
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ConnContext:       connContext,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		TLSConfig: &tls.Config{
			MinVersion:   tls.VersionTLS13,
			Certificates: []tls.Certificate{s.opts.Credentials.Certificate},
		},
	}
	errs := make(chan error, 2)
	var serving sync.WaitGroup
	serve := func(f func() error) {
		serving.Go(func() {
			if err := f(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errs <- err
			}
		})
	}
	serve(func() error { return srv.ServeTLS(tcp, "", "") })
	if unix != nil {
		serve(func() error { return srv.Serve(unix) })
	}

	var err error
	select {
	case <-ctx.Done():
	case err = <-errs:
		err = fmt.Errorf("api: serve: %w", err)
	}
	close(s.closing)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.ShutdownTimeout)
	if serr := srv.Shutdown(sctx); serr != nil {
		s.log.Warn("api: requests still running at shutdown; closing their connections", "err", serr)
		srv.Close()
	}
	cancel()
	serving.Wait()
	s.active.Wait() // handlers outlive their connections after Close
	return err
}

// Close releases listeners bound by Start when Run is never called.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	if s.tcp != nil {
		errs = append(errs, s.tcp.Close())
	}
	if s.unix != nil {
		errs = append(errs, s.unix.Close())
	}
	return errors.Join(errs...)
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/message", only(http.MethodPost, s.handleMessage))
	mux.HandleFunc("/v1/command", only(http.MethodPost, s.handleCommand))
	mux.HandleFunc("/v1/stream", only(http.MethodGet, s.handleStream))
	mux.HandleFunc("/v1/ping", only(http.MethodGet, s.handlePing))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, Errorf(CodeNotFound, "no endpoint %s %s; the API has POST /v1/message, POST /v1/command, GET /v1/stream and GET /v1/ping", r.Method, r.URL.Path))
	})
	return s.authenticate(s.track(mux))
}

// only answers other methods than method with 405 and a JSON error (the
// mux's own method patterns would answer in plain text).
func only(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
			w.Header().Set("Allow", method)
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: Errorf(CodeBadRequest, "%s %s: use %s", r.Method, r.URL.Path, method)})
			return
		}
		h(w, r)
	}
}

// track counts handlers in progress, so that Run can wait for them.
func (s *Server) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.active.Add(1)
		defer s.active.Done()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) handleMessage(w http.ResponseWriter, r *http.Request) {
	m, err := decodeMessage(http.MaxBytesReader(w, r.Body, maxMessageBody))
	if err != nil {
		writeError(w, err)
		return
	}
	if s.opts.WorkflowID != "" && m.Workflow != s.opts.WorkflowID {
		writeError(w, Errorf(CodeNotFound, "this scheduler runs workflow %q, not %q (stale contact details?)", s.opts.WorkflowID, m.Workflow))
		return
	}
	if err := s.h.Messages(r.Context(), m); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleCommand(w http.ResponseWriter, r *http.Request) {
	name, args, err := decodeCommand(http.MaxBytesReader(w, r.Body, maxCommandBody))
	if err != nil {
		writeError(w, err)
		return
	}
	result, err := s.h.Command(r.Context(), name, args)
	if err != nil {
		writeError(w, err)
		return
	}
	body, err := json.Marshal(result)
	if err != nil {
		writeError(w, Errorf(CodeInternal, "command %s: result cannot be sent as JSON: %v", name, err))
		return
	}
	writeJSON(w, http.StatusOK, commandResponse{Result: body})
}

func (s *Server) handlePing(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"workflow": s.opts.WorkflowID, "api": APIVersion})
}

// handleStream sends events as Server-Sent Events. The start is the query's
// "from", or one past the Last-Event-ID header a browser's EventSource sends
// when it reconnects (which wins, being the more recent).
func (s *Server) handleStream(w http.ResponseWriter, r *http.Request) {
	from, err := streamStart(r)
	if err != nil {
		writeError(w, err)
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	events, err := s.h.Stream(ctx, from)
	if err != nil {
		writeError(w, err)
		return
	}
	rc := http.NewResponseController(w)
	// A stream lasts as long as the subscriber wants; the server's
	// deadlines are for ordinary requests.
	_ = rc.SetWriteDeadline(time.Time{})
	_ = rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if err := rc.Flush(); err != nil {
		return
	}
	defer func() {
		cancel()
		for range events { // let the handler finish and close
		}
	}()
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				return
			}
			if err := writeEvent(w, ev); err != nil {
				s.log.Debug("api: event stream ended", "err", err)
				return
			}
			// Send whatever else is ready in the same write.
			if len(events) == 0 {
				if err := rc.Flush(); err != nil {
					return
				}
			}
		case <-ctx.Done():
			return
		case <-s.closing:
			return
		}
	}
}

func streamStart(r *http.Request) (uint64, error) {
	if last := r.Header.Get("Last-Event-ID"); last != "" {
		id, err := strconv.ParseUint(last, 10, 64)
		if err != nil || id == ^uint64(0) {
			return 0, Errorf(CodeBadRequest, "Last-Event-ID %q: want an event index", last)
		}
		return id + 1, nil
	}
	from := r.URL.Query().Get("from")
	if from == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(from, 10, 64)
	if err != nil {
		return 0, Errorf(CodeBadRequest, "from=%q: want an event index (a whole number)", from)
	}
	return n, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError sends err as the API's JSON error. Errors that are not *Error
// come from the handler's insides: they are internal errors.
func writeError(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Code: CodeInternal, Message: err.Error()}
	}
	if e.Code == CodeUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gyre"`)
	}
	writeJSON(w, e.status(), errorBody{Error: e})
}

// answers reports whether a server answers on the unix socket at path. A
// connection alone proves nothing: a job process caught between fork and
// exec when its scheduler was killed still holds the listening socket for
// a moment, and the kernel queues connections that nobody will accept. A
// scheduler answers any request within the deadline.
func answers(path string) bool {
	c, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("GET / HTTP/1.0\r\n\r\n")); err != nil {
		return false
	}
	var b [1]byte
	n, _ := c.Read(b[:])
	return n == 1
}
