package gitx

import (
	"os"
	"path/filepath"
	"testing"
)

// cloneFS remembers directories, and forgets them as soon as it removes,
// renames or links anything, so that a directory replaced by a symlink
// through it is seen as the symlink.
func TestCloneFSRemembersDirectories(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	fs := cloneFS(dir)
	if err := fs.MkdirAll("a/b", 0o755); err != nil {
		t.Fatal(err)
	}
	isLink := func(name string) bool {
		t.Helper()
		fi, err := fs.Lstat(name)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode()&os.ModeSymlink != 0
	}
	if isLink("a/b") {
		t.Fatal("a/b is a directory")
	}

	// Behind its back the answer is still the remembered one: this is the
	// memory that spares the lstat calls.
	real := filepath.Join(dir, "a", "b")
	if err := os.Remove(real); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, real); err != nil {
		t.Fatal(err)
	}
	if isLink("a/b") {
		t.Fatal("cloneFS did not remember a/b")
	}

	// Through it, any symlink, removal or rename forgets.
	for name, change := range map[string]func() error{
		"symlink": func() error { return fs.Symlink("x", "other") },
		"remove":  func() error { return fs.Remove("other") },
		"rename":  func() error { return fs.Rename("a/c", "a/d") },
	} {
		_ = os.Remove(real)
		if err := os.Mkdir(real, 0o755); err != nil {
			t.Fatal(err)
		}
		if isLink("a/b") {
			t.Fatal("a/b is a directory again")
		}
		_ = os.Remove(real)
		if err := os.Symlink(outside, real); err != nil {
			t.Fatal(err)
		}
		if err := fs.MkdirAll("a/c", 0o755); err != nil {
			t.Fatal(err)
		}
		_ = change()
		if !isLink("a/b") {
			t.Errorf("after a %s through cloneFS, a/b is still the remembered directory", name)
		}
	}
}

// Writes through cloneFS stay in the tree: a path through a symlink that
// leads outside is refused by billy's chroot, remembered or not.
func TestCloneFSConfined(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	fs := cloneFS(dir)
	if err := fs.MkdirAll("d", 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Lstat("d"); err != nil {
		t.Fatal(err)
	}
	// Planted on disk, not through cloneFS (whose Symlink rewrites an
	// absolute target under the tree).
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if f, err := fs.Create("link/escaped"); err == nil {
		f.Close()
	}
	if _, err := os.Stat(filepath.Join(outside, "escaped")); err == nil {
		t.Fatal("a write through a symlink left the tree")
	}
}
