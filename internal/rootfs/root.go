// Package rootfs is the one package that reads and writes the files of a
// repository's checkout. A checklist comes from the repository, so a path
// it names is untrusted: it may climb out with "..", lead outside through
// a symlink the repository commits, or aim at .git, where a hook or a
// setting runs commands the next time anyone uses git. Every such path is
// refused here, in one place, and every write is atomic, so a crash or a
// full disk leaves the old file or the new one, never half of one.
//
//   - Root: confined reads and writes (os.Root), exact modes, backups.
//   - Guard and Local: the .git guard and the text of a path.
//   - Confine: the symlink guard for a path handed to a process.
//   - WriteFile: the atomic write for a path onboard built itself.
package rootfs

import (
	"io/fs"
	"os"
	"path/filepath"
)

// Root is a checkout opened for confined reads and writes. Names are
// slash-separated and relative to the checkout; os.Root resolves each one
// inside it, so no "..", symlink or rename race leads a read or a write
// outside. A symlink that stays inside is followed.
type Root struct{ fs *os.Root }

// Open opens the checkout at dir. The caller closes the Root.
func Open(dir string) (*Root, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &Root{fs: r}, nil
}

// Close releases the checkout's directory.
func (r *Root) Close() error { return r.fs.Close() }

// Stat describes name, following symlinks. Its error is os's own, so the
// caller can tell a missing file (fs.ErrNotExist) from a refused one, and
// word it with Explain for what it meant to do.
func (r *Root) Stat(name string) (fs.FileInfo, error) {
	return r.fs.Stat(filepath.FromSlash(name))
}

// ReadFile reads name: "cannot read NAME: why" when it cannot.
func (r *Root) ReadFile(name string) ([]byte, error) {
	b, err := r.fs.ReadFile(filepath.FromSlash(name))
	if err != nil {
		return nil, Explain("cannot read", name, err)
	}
	return b, nil
}

// Chmod sets name's permission bits to exactly mode, whatever the umask,
// without rewriting the file: a wrong mode alone is fixed in place.
func (r *Root) Chmod(name string, mode fs.FileMode) error {
	if err := r.fs.Chmod(filepath.FromSlash(name), mode); err != nil {
		return Explain("cannot change the mode of", name, err)
	}
	return nil
}
