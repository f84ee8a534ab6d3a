package rootfs

import (
	"crypto/rand"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// Temporary files and directories that a writer fills and then renames
// into place (a clone, a fetched pack), made inside the Root like every
// other write here. Their names are dir/prefix followed by random
// characters, as os.CreateTemp and os.MkdirTemp make them.

// CreateTemp creates a new file in directory dir (slash-separated, in the
// Root), open for reading and writing, 0600. It returns the file and its
// slash-separated name in the Root, for Rename or Remove.
func (r *Root) CreateTemp(dir, prefix string) (*os.File, string, error) {
	for i := 0; ; i++ {
		name := path.Join(dir, prefix+rand.Text()[:12])
		f, err := r.fs.OpenFile(filepath.FromSlash(name), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) && i < 100 {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		return f, name, nil
	}
}

// MkdirTemp creates a new directory in directory dir (slash-separated, in
// the Root), 0700, and returns its slash-separated name in the Root.
func (r *Root) MkdirTemp(dir, prefix string) (string, error) {
	for i := 0; ; i++ {
		name := path.Join(dir, prefix+rand.Text()[:12])
		err := r.fs.Mkdir(filepath.FromSlash(name), 0o700)
		if errors.Is(err, fs.ErrExist) && i < 100 {
			continue
		}
		if err != nil {
			return "", err
		}
		return name, nil
	}
}

// Symlink makes name a symbolic link to target, as git checks one out:
// target is the link's text, not resolved or confined (what it points at
// is not read or written here), but name itself is made inside the Root,
// so no link on the way to it leads the new link outside.
func (r *Root) Symlink(target, name string) error {
	return r.fs.Symlink(target, filepath.FromSlash(name))
}
