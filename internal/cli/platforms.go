package cli

import (
	"os"

	"gyre/internal/live"
	"gyre/internal/platform"
	"gyre/internal/remote"
)

// loadPlatforms reads the global configuration's platforms as the
// scheduler does: the files Cylc would read, with this machine's host
// names taken for local.
func loadPlatforms() (*platform.Config, error) {
	home, _ := os.UserHomeDir()
	return platform.Load(os.Environ(), home, platform.Options{LocalHost: live.ThisHost})
}

// hasOwnFiles reports whether a platform keeps a run's files on a file
// system of its own (a remote install target), which clean and cat-log
// must reach over ssh.
func hasOwnFiles(pl *platform.Platform) bool {
	return !pl.IsLocal() && pl.InstallTarget != remote.LocalInstallTarget
}
