package gitx

import (
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/helper/chroot"
	"github.com/go-git/go-billy/v5/osfs"
)

// cloneFS is the filesystem of a go-git clone into dir: billy's default
// (its chroot over the OS), on an OS layer that remembers which paths
// Lstat found to be real directories.
//
// Both go-git and billy's chroot check every leading directory of every
// path with Lstat (no symlink may lead out of the tree): about a dozen
// lstat calls per file written, half a 10,000-file checkout's time. A
// directory stays a directory unless something removes, renames or
// replaces it, so the answers are kept until this filesystem does one of
// those; then all are forgotten. Only directories are remembered, keyed
// case-insensitively so that creating "A" forgets "a" on a
// case-insensitive disk. The worktree and .git share the one layer, so
// every write goes through it; nothing else writes into a clone's
// temporary directory.
func cloneFS(dir string) billy.Filesystem {
	if resolved, err := filepath.EvalSymlinks(dir); err == nil {
		dir = resolved
	}
	// osfs.ChrootOS is deprecated in favour of the bound filesystem, which
	// made a 10,500-file clone 2.3× slower (see restoreAbsoluteSymlinks);
	// the chroot over it is what osfs.New and git.PlainClone still use.
	//lint:ignore SA1019 the bound filesystem is far slower; this is osfs.New's own default
	return chroot.New(&dirCacheOS{ChrootOS: &osfs.ChrootOS{}, dirs: map[string]os.FileInfo{}}, dir)
}

// dirCacheOS is billy's OS layer (absolute paths) with the Lstat memory.
type dirCacheOS struct {
	*osfs.ChrootOS

	mu   sync.Mutex
	dirs map[string]os.FileInfo
}

func dirKey(name string) string { return strings.ToLower(filepath.Clean(name)) }

// Lstat implements billy.Symlink, answering for known directories.
func (fs *dirCacheOS) Lstat(name string) (os.FileInfo, error) {
	k := dirKey(name)
	fs.mu.Lock()
	fi, ok := fs.dirs[k]
	fs.mu.Unlock()
	if ok {
		return fi, nil
	}
	fi, err := fs.ChrootOS.Lstat(name)
	if err == nil && fi.Mode().IsDir() {
		fs.mu.Lock()
		fs.dirs[k] = fi
		fs.mu.Unlock()
	}
	return fi, err
}

// forget drops every remembered answer.
func (fs *dirCacheOS) forget() {
	fs.mu.Lock()
	clear(fs.dirs)
	fs.mu.Unlock()
}

// Remove implements billy.Basic.
func (fs *dirCacheOS) Remove(name string) error {
	fs.forget()
	return fs.ChrootOS.Remove(name)
}

// RemoveAll removes a tree, as osfs.ChrootOS does.
func (fs *dirCacheOS) RemoveAll(name string) error {
	fs.forget()
	return fs.ChrootOS.RemoveAll(name)
}

// Rename implements billy.Basic.
func (fs *dirCacheOS) Rename(from, to string) error {
	fs.forget()
	return fs.ChrootOS.Rename(from, to)
}

// Symlink implements billy.Symlink.
func (fs *dirCacheOS) Symlink(target, link string) error {
	fs.forget()
	return fs.ChrootOS.Symlink(target, link)
}
