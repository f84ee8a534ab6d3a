package rootfs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// CreateTemp and MkdirTemp make new, owner-only entries with the prefix,
// inside the Root; Symlink makes a link whose text is kept as given.
func TestTemp(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.MkdirAll("objects/pack", 0o755); err != nil {
		t.Fatal(err)
	}
	f, name, err := r.CreateTemp("objects/pack", "tmp_pack_")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if !strings.HasPrefix(name, "objects/pack/tmp_pack_") {
		t.Errorf("CreateTemp name %q", name)
	}
	if fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("CreateTemp file: %v, %v", fi, err)
	}
	d, err := r.MkdirTemp(".", ".x.onboard-clone-1-")
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, d)); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Errorf("MkdirTemp dir %q: %v, %v", d, fi, err)
	}
	if err := r.Symlink("/etc/hosts", "hosts"); err != nil {
		t.Fatal(err)
	}
	if got, err := os.Readlink(filepath.Join(dir, "hosts")); err != nil || got != "/etc/hosts" {
		t.Errorf("Symlink: %q, %v", got, err)
	}

	// A directory linked outside: nothing is made there.
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	if f, _, err := r.CreateTemp("out", "tmp_"); err == nil {
		f.Close()
		t.Error("CreateTemp through a link outside succeeded")
	}
	if _, err := r.MkdirTemp("out", "tmp_"); err == nil {
		t.Error("MkdirTemp through a link outside succeeded")
	}
	if err := r.Symlink("x", "out/l"); err == nil {
		t.Error("Symlink through a link outside succeeded")
	}
	if ents, _ := os.ReadDir(outside); len(ents) > 0 {
		t.Errorf("written outside: %v", ents)
	}
}
