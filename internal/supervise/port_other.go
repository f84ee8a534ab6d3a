//go:build !linux && !darwin

package supervise

import "errors"

// PortHolder is only implemented on Linux and macOS; elsewhere it returns
// errors.ErrUnsupported and Preflight falls back to a bind test.
func PortHolder(port int) (pid int, cmdline string, err error) {
	return 0, "", errors.ErrUnsupported
}
