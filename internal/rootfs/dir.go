package rootfs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// OpenDir opens the directory at dir as a Root, creating it and any
// missing parent with perm (before umask) first: for a directory onboard
// names itself (.onboard/services), whose existing parents the caller has
// checked are real directories (engine.RealDirs). Each missing level is
// made inside its opened parent, so the directory is created where the
// path says, and what is written through the Root stays inside it.
func OpenDir(dir string, perm fs.FileMode) (*Root, error) {
	r, err := os.OpenRoot(dir)
	if err == nil {
		return &Root{fs: r}, nil
	}
	parent := filepath.Dir(dir)
	if !errors.Is(err, fs.ErrNotExist) || parent == dir {
		return nil, err
	}
	p, err := OpenDir(parent, perm)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	base := filepath.Base(dir)
	if err := p.fs.Mkdir(base, perm); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, &fs.PathError{Op: "mkdir", Path: dir, Err: cause(err)}
	}
	sub, err := p.fs.OpenRoot(base)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: cause(err)}
	}
	return &Root{fs: sub}, nil
}

// Name is the directory the Root was opened on, as it was given: for a
// message that names a file in it in full (Path).
func (r *Root) Name() string { return r.fs.Name() }

// Path is name's full path under the Root's directory, for a message.
func (r *Root) Path(name string) string {
	return filepath.Join(r.fs.Name(), filepath.FromSlash(name))
}

// ReadDir lists directory name, sorted by file name.
func (r *Root) ReadDir(name string) ([]fs.DirEntry, error) {
	d, err := r.fs.Open(filepath.FromSlash(name))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	ents, err := d.ReadDir(-1)
	slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return ents, err
}

// RemoveAll removes name and everything below it, inside the Root: a
// symlink below name is removed, not followed. One that is not there is
// not an error.
func (r *Root) RemoveAll(name string) error {
	return r.fs.RemoveAll(filepath.FromSlash(name))
}

// Sub opens directory name, inside the Root, as a Root of its own: a
// writer of many files in one directory resolves the directory once, not
// once per file. What goes through it stays inside it, so inside r. The
// caller closes it.
func (r *Root) Sub(name string) (*Root, error) {
	sub, err := r.fs.OpenRoot(filepath.FromSlash(name))
	if err != nil {
		return nil, err
	}
	return &Root{fs: sub}, nil
}
