package api

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Client talks to one scheduler. It is safe for concurrent use and keeps
// connections open between requests; Close releases them.
type Client struct {
	base      string // "http://unix" for the socket, else "https://host:port"
	token     string
	transport *http.Transport
	hc        *http.Client
	retry     backoff
}

// Dial prepares a client for the scheduler described by c; it does not
// connect yet. On the scheduler's host, with the socket present, it uses the
// unix socket; elsewhere HTTPS to c.URL (or c.Host and c.Port), accepting
// only the certificate whose fingerprint is c.Fingerprint. The token is read
// from c.TokenFile.
func Dial(c Contact) (*Client, error) {
	if c.TokenFile == "" {
		return nil, errors.New("api: no token file: read the contact with ReadContact, or set $GYRE_TOKEN_FILE")
	}
	token, err := ReadToken(c.TokenFile)
	if err != nil {
		return nil, err
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
		DialContext:         dialer.DialContext,
	}
	cl := &Client{token: token, transport: tr, hc: &http.Client{Transport: tr}, retry: defaultBackoff()}
	if useSocket(c) {
		path := c.Socket
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, "unix", path)
		}
		cl.base = "http://unix"
		return cl, nil
	}
	base := strings.TrimSuffix(c.URL, "/")
	if base == "" && c.Host != "" && c.Port != 0 {
		base = "https://" + net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	}
	u, err := url.Parse(base)
	if base == "" || err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("api: scheduler address %q: want https://HOST:PORT (is the workflow running? is the contact file complete?)", base)
	}
	pin := normalFingerprint(c.Fingerprint)
	if len(pin) != 64 {
		return nil, fmt.Errorf("api: TLS fingerprint %q: want the 64 hex digits of a SHA-256; refusing to connect without a pinned certificate", c.Fingerprint)
	}
	tr.TLSClientConfig = &tls.Config{
		MinVersion: tls.VersionTLS13,
		// The certificate is self-signed: no authority could vouch for it.
		// CA verification is switched off and replaced by the pin, which
		// accepts exactly one certificate.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return &pinError{want: pin}
			}
			if got := Fingerprint(cs.PeerCertificates[0].Raw); got != pin {
				return &pinError{want: pin, got: got}
			}
			return nil
		},
	}
	cl.base = base
	return cl, nil
}

// useSocket reports whether c can be reached through its unix socket: it
// runs on this host and the socket exists.
func useSocket(c Contact) bool {
	if c.Socket == "" || !isThisHost(c.Host) {
		return false
	}
	info, err := os.Stat(c.Socket)
	return err == nil && info.Mode().Type() == os.ModeSocket
}

// pinError is a TLS peer whose certificate is not the pinned one.
type pinError struct{ want, got string }

func (p *pinError) Error() string {
	if p.got == "" {
		return "scheduler presented no TLS certificate"
	}
	return fmt.Sprintf("scheduler's TLS certificate has fingerprint %s, not the pinned %s (stale contact details, or not our scheduler)", p.got, p.want)
}

// Close closes idle connections. The client can still be used afterwards.
func (c *Client) Close() { c.transport.CloseIdleConnections() }

// transportError is a request that got no HTTP response. dial says the
// connection was never made, so the server cannot have acted on it.
type transportError struct {
	err  error
	dial bool
}

func (t *transportError) Error() string { return t.err.Error() }
func (t *transportError) Unwrap() error { return t.err }

// do sends one request and decodes a successful JSON response into out.
func (c *Client) do(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		var op *net.OpError
		return &transportError{err: err, dial: errors.As(err, &op) && op.Op == "dial"}
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return readError(resp)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(out); err != nil {
		return fmt.Errorf("api: %s %s: reading the response: %w", method, path, err)
	}
	return nil
}

// readError turns an error response into an *Error, also when it did not
// come from the API (a proxy, or net/http refusing plain HTTP on TLS).
func readError(resp *http.Response) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var body errorBody
	if json.Unmarshal(raw, &body) == nil && body.Error != nil && body.Error.Code != "" {
		return body.Error
	}
	text := strings.TrimSpace(string(raw))
	if len(text) > 200 {
		text = text[:200] + "..."
	}
	return Errorf(codeFor(resp.StatusCode), "HTTP %s: %s", resp.Status, text)
}

// messageRetryable says whether sending a job's messages again may succeed.
// A message may then arrive twice (if the scheduler took it but the answer
// was lost); the scheduler must, and Cylc's does, tolerate repeats.
func messageRetryable(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Code == CodeUnavailable || e.Code == CodeInternal
	}
	var p *pinError
	return !errors.As(err, &p)
}

// commandRetryable says whether a command can safely be sent again: only if
// the scheduler certainly did not act on it.
func commandRetryable(err error) bool {
	var t *transportError
	if errors.As(err, &t) {
		var p *pinError
		return t.dial && !errors.As(err, &p)
	}
	var e *Error
	return errors.As(err, &e) && e.Code == CodeUnavailable
}

// classify wraps err as permanent unless retryable says otherwise.
func classify(err error, retryable func(error) bool) error {
	if err == nil || retryable(err) {
		return err
	}
	return permanent(err)
}

// Ping checks that the scheduler answers and accepts our credentials.
func (c *Client) Ping(ctx context.Context) error {
	return c.do(ctx, http.MethodGet, "/v1/ping", nil, nil)
}

// SendMessages delivers one job's messages, retrying failures that may pass
// (no connection, scheduler unavailable) with backoff until ctx is done:
// give it a deadline.
func (c *Client) SendMessages(ctx context.Context, m JobMessage) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return c.retry.retry(ctx, func(ctx context.Context) error {
		return classify(c.do(ctx, http.MethodPost, "/v1/message", body, nil), messageRetryable)
	}, nil)
}

// sendMessagesOnce makes one attempt, for callers with their own retries.
func (c *Client) sendMessagesOnce(ctx context.Context, body []byte) error {
	return c.do(ctx, http.MethodPost, "/v1/message", body, nil)
}

// Command runs a command on the scheduler and decodes its result into
// result (unless nil). A refusal is an *Error. A command is sent again only
// when it certainly did not arrive (no connection) or the scheduler said it
// is unavailable, until ctx is done.
func (c *Client) Command(ctx context.Context, name string, args, result any) error {
	req := commandRequest{Command: name}
	if args != nil {
		raw, err := json.Marshal(args)
		if err != nil {
			return fmt.Errorf("api: command %s: arguments: %w", name, err)
		}
		req.Args = raw
	}
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	var resp commandResponse
	err = c.retry.retry(ctx, func(ctx context.Context) error {
		return classify(c.do(ctx, http.MethodPost, "/v1/command", body, &resp), commandRetryable)
	}, nil)
	if err != nil || result == nil {
		return err
	}
	if err := json.Unmarshal(resp.Result, result); err != nil {
		return fmt.Errorf("api: command %s: result: %w", name, err)
	}
	return nil
}
