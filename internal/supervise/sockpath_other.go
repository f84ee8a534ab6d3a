//go:build !unix

package supervise

import "fmt"

// longSockPath has no detour here (no /proc, and symbolic links need a
// privilege on Windows): the checkout must be less deep.
func longSockPath(path string) (string, func(), error) {
	return "", nil, fmt.Errorf("the control socket %s is %d bytes long, over the %d a unix socket's name may have: use a checkout in a shorter path", path, len(path), maxSockPath)
}
