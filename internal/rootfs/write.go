package rootfs

import (
	"crypto/rand"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// WriteFile replaces name with data atomically, with exactly mode whatever
// the umask, creating the directories it needs (0755): readers see the old
// file or the new one, never half of one, and a failure leaves the old
// file as it was. Temporary files a killed run left beside name are
// removed first: onboard holds the checkout's lock, so no other writer
// can own them. A symlink at name itself is replaced, as rename does, not
// followed: nothing is written where it pointed. The error reads "cannot
// write NAME: why".
func (r *Root) WriteFile(name string, data []byte, mode fs.FileMode) error {
	rel := filepath.FromSlash(name)
	dir := filepath.Dir(rel)
	if err := r.fs.MkdirAll(dir, 0o755); err != nil {
		if errors.Is(err, fs.ErrExist) {
			err = syscall.ENOTDIR // a file is where the directory should be
		}
		return Explain("cannot write", name, err)
	}
	removeStale(r.fs, dir, tempPrefix(rel))
	if err := replace(r.fs, rel, data, mode); err != nil {
		return Explain("cannot write", name, err)
	}
	return nil
}

// WriteFile replaces the file at path with data atomically, as
// (*Root).WriteFile does, for a file whose path onboard built itself
// (its state, answers, the trust store, a fetched pack) rather than one a
// checklist names. It creates no directory, and it leaves other temporary
// files alone: the trust store is shared by runs in other checkouts, which
// no lock holds back, and one may be writing. The error is an
// *fs.PathError naming path.
func WriteFile(path string, data []byte, mode fs.FileMode) error {
	root, err := os.OpenRoot(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer root.Close()
	if err := replace(root, filepath.Base(path), data, mode); err != nil {
		return &fs.PathError{Op: "write", Path: path, Err: cause(err)}
	}
	return nil
}

// replace writes data to a new temporary file beside name, created 0600
// so that nobody else can read it before its mode is set, syncs it and
// renames it over name. The temporary file is removed on failure.
func replace(root *os.Root, name string, data []byte, mode fs.FileMode) error {
	dir := filepath.Dir(name)
	tmp, f, err := createExclusive(root, filepath.Join(dir, tempPrefix(name)), true)
	if err != nil {
		return err
	}
	defer root.Remove(tmp) // fails harmlessly once renamed
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, name)
	}
	if err != nil {
		return err
	}
	// The rename is durable once the directory is synced; a failure here
	// costs only durability, so it is not an error.
	if d, err := root.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// tempPrefix names the temporary files of name: hidden, and marked as
// onboard's so that a person who finds one after a crash knows whose it is.
func tempPrefix(name string) string { return "." + filepath.Base(name) + ".onboard-tmp-" }

// createExclusive creates a new file named prefix plus a suffix: random
// characters for temporary files, else none, then -2, -3… when taken (two
// backups in one second never overwrite each other).
func createExclusive(root *os.Root, prefix string, random bool) (string, *os.File, error) {
	for i := 1; ; i++ {
		name := prefix
		switch {
		case random:
			name += rand.Text()[:12]
		case i > 1:
			name += "-" + strconv.Itoa(i)
		}
		f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) && i < 100 {
			continue
		}
		return name, f, err
	}
}

// removeStale deletes the temporary files in dir that start with prefix.
func removeStale(root *os.Root, dir, prefix string) {
	d, err := root.Open(dir)
	if err != nil {
		return
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			_ = root.Remove(filepath.Join(dir, n))
		}
	}
}
