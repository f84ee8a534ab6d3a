//go:build !unix && !windows

package preflight

import "errors"

// freeSpace is unknown here: the disk check is left out.
func freeSpace(string) (int64, error) { return 0, errors.ErrUnsupported }
