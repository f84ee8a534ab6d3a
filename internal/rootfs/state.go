package rootfs

import (
	"io/fs"
	"os"
	"path/filepath"
)

// The operations onboard's own files need — its state directory, lock,
// logs, pid files — beside the checklist's WriteFile: each confined to the
// checkout like every other read and write here, so a symlink committed or
// planted below .onboard cannot send onboard's writes outside it.

// MkdirAll makes directory name and its parents with perm (before umask).
func (r *Root) MkdirAll(name string, perm fs.FileMode) error {
	if err := r.fs.MkdirAll(filepath.FromSlash(name), perm); err != nil {
		return Explain("cannot create the directory", name, err)
	}
	return nil
}

// OpenFile opens name as os.OpenFile does (a lock file, a log to append
// to), inside the checkout. Its error is os's own.
func (r *Root) OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	return r.fs.OpenFile(filepath.FromSlash(name), flag, perm)
}

// Remove removes the file or empty directory name; one that is not there
// is not an error.
func (r *Root) Remove(name string) error {
	if err := r.fs.Remove(filepath.FromSlash(name)); err != nil && !os.IsNotExist(err) {
		return Explain("cannot remove", name, err)
	}
	return nil
}

// Rename renames oldname to newname, both inside the checkout, replacing
// newname (a log rotated to its old name).
func (r *Root) Rename(oldname, newname string) error {
	return r.fs.Rename(filepath.FromSlash(oldname), filepath.FromSlash(newname))
}

// Mkdir makes directory name with perm (before umask); its parent must
// exist. Its error is os's own, so that a caller can tell one that exists.
func (r *Root) Mkdir(name string, perm fs.FileMode) error {
	return r.fs.Mkdir(filepath.FromSlash(name), perm)
}

// Lstat describes name without following a symlink at its end. Its error
// is os's own.
func (r *Root) Lstat(name string) (fs.FileInfo, error) {
	return r.fs.Lstat(filepath.FromSlash(name))
}
