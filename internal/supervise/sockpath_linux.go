package supervise

import (
	"fmt"
	"os"
	"path/filepath"
)

// longSockPath reaches the socket through /proc/self/fd of its open
// directory: a short name that only this process can use, and no file
// anywhere else.
func longSockPath(path string) (string, func(), error) {
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("/proc/self/fd/%d/%s", dir.Fd(), filepath.Base(path)), func() { dir.Close() }, nil
}
