//go:build unix && !linux

package supervise

import "os"

// longSockPath: macOS has no /proc, so the socket is reached through a
// symbolic link to its directory in a private directory of the user's
// temporary directory (on macOS $TMPDIR is already the user's own).
func longSockPath(path string) (string, func(), error) {
	name, err := linkSockPath(os.TempDir(), path)
	return name, func() {}, err
}
