// Package atomicfile writes files so that readers see the old content or
// the new, never a partial file.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write writes data to a temporary file in the same directory, syncs it,
// sets its exact mode (whatever the umask) and renames it over path: a
// crash leaves the old file or the new one, never half of one.
func Write(path string, data []byte, mode os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
