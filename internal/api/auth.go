package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
)

// peerKey is the context key under which connContext records who is at the
// other end of a unix socket connection.
type peerKey struct{}

// peer is the kernel's account of a unix socket client, or why there is
// none.
type peer struct {
	cred *syscall.Ucred
	err  error
}

// connContext records the peer credentials of unix socket connections once,
// when the connection is accepted, for authenticate to check on every
// request. TLS connections carry no peer record: they authenticate with the
// token alone.
func connContext(ctx context.Context, c net.Conn) context.Context {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return ctx
	}
	cred, err := peerCredentials(uc)
	return context.WithValue(ctx, peerKey{}, peer{cred: cred, err: err})
}

// checkPeer allows a unix socket client only if it runs as the scheduler's
// owner. Root gets no exception: it can read the owner's token if it must,
// and a scheduler should not take orders from processes it cannot account
// for.
func checkPeer(p peer, owner uint32) error {
	if p.err != nil {
		return Errorf(CodeForbidden, "cannot identify the process at the other end of the unix socket: %v", p.err)
	}
	if p.cred.Uid != owner {
		return Errorf(CodeForbidden, "unix socket client is user %d (process %d); only the workflow owner (user %d) may use this scheduler",
			p.cred.Uid, p.cred.Pid, owner)
	}
	return nil
}

// checkToken compares the request's bearer token with the run's in
// constant time. Both are hashed first, so that not even their lengths
// can be learnt from the timing.
func checkToken(header, token string) error {
	const prefix = "Bearer "
	if header == "" {
		return Errorf(CodeUnauthorized, "no credentials: send \"Authorization: Bearer <token>\" with the token from the run's .service/%s", TokenFileName)
	}
	if len(header) < len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return Errorf(CodeUnauthorized, "Authorization header must be \"Bearer <token>\"")
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(header[len(prefix):])))
	want := sha256.Sum256([]byte(token))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return Errorf(CodeUnauthorized, "wrong token for this workflow run (the token changes when a run's credentials are made anew)")
	}
	return nil
}

// authenticate refuses any request that does not prove it may talk to this
// scheduler: on the unix socket the peer must be the owner, and on both
// listeners the token must match.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := r.Context().Value(peerKey{}).(peer); ok {
			if err := checkPeer(p, s.ownerUID); err != nil {
				s.refuse(w, r, err)
				return
			}
		}
		if err := checkToken(r.Header.Get("Authorization"), s.opts.Credentials.Token); err != nil {
			s.refuse(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Warn("api: request refused", "method", r.Method, "path", r.URL.Path, "remote", remoteName(r), "err", err)
	w.Header().Set("Connection", "close")
	writeError(w, err)
}

func remoteName(r *http.Request) string {
	if r.RemoteAddr == "" || r.RemoteAddr == "@" {
		return "unix socket"
	}
	return r.RemoteAddr
}

// peerCredentials asks the kernel who opened the other end of c.
func peerCredentials(c *net.UnixConn) (*syscall.Ucred, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return nil, err
	}
	var cred *syscall.Ucred
	var gerr error
	if err := raw.Control(func(fd uintptr) {
		cred, gerr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return nil, err
	}
	if gerr != nil {
		return nil, fmt.Errorf("SO_PEERCRED: %w", gerr)
	}
	return cred, nil
}
