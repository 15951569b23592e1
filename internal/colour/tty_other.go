//go:build !linux

package colour

import "os"

// isTerminal takes a character device for a terminal; /dev/null passes
// too, which costs nothing worse than escapes nobody sees.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
