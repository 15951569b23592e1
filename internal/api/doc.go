// Package api is the scheduler's network edge: the HTTP server that job
// messages, commands and event subscriptions arrive at, the client that the
// CLI, the user interfaces and "gyre message" use to reach it, the per-run
// credentials both sides share, and the contact file that says where a
// running scheduler listens.
//
// # Transport
//
// The protocol is JSON over HTTP, so it can be driven with curl and fed
// straight to the web UI; event streams are Server-Sent Events. A scheduler
// listens in two places:
//
//   - a unix socket in the run's .service directory (mode 0700, the socket
//     itself 0600), for clients on the scheduler host. The kernel's record of
//     the connecting process (SO_PEERCRED) must show the scheduler's own
//     user, or the request is refused;
//   - a TCP port with TLS 1.3, for jobs on other hosts. The certificate is
//     self-signed and clients pin it by its SHA-256 fingerprint, published in
//     the contact file and in the job environment, so no certificate
//     authority is involved and no other certificate is accepted.
//
// Every request on either listener must carry the run's token
// ("Authorization: Bearer <token>"). On the unix socket that is defence in
// depth: the peer check already limits it to the owner, but the token also
// keeps out processes of the owner that were never given the run's
// credentials (a socket path leaked into a container, a job of another run),
// and it costs one constant-time comparison. Nothing listens unauthenticated,
// not even the ping endpoint.
//
// # Endpoints
//
//	POST /v1/message   one job's messages → Handler.Messages; 204 when accepted
//	POST /v1/command   {"command": name, "args": {...}} → {"result": ...}
//	GET  /v1/stream    Server-Sent Events from ?from=N (or Last-Event-ID + 1)
//	GET  /v1/ping      {"workflow": ..., "api": ...}
//
// Errors are JSON, {"error": {"code": ..., "message": ...}}, with the HTTP
// status that matches the code (see Error).
//
// # Messages are never lost
//
// Message, the core of "gyre message", appends to job.status before it sends
// anything, then retries with backoff for a budget long enough to ride out a
// scheduler restart. If the scheduler still cannot be reached it warns and
// succeeds: the scheduler polls the job and reads job.status, which already
// holds the messages.
package api
