// Package layering has no code of its own: its test enforces that the pure
// packages of Gyre's functional core do no I/O and never read the clock.
package layering
