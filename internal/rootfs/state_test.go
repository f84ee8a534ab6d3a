package rootfs

import (
	"os"
	"path/filepath"
	"testing"
)

// onboard's own files stay inside the checkout: a symlink below it that
// leads out is not followed for a directory, a lock or a log.
func TestStateFilesStayInside(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, ".onboard")); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.MkdirAll(".onboard/logs", 0o755); err == nil {
		t.Error("MkdirAll followed a symlink out of the checkout")
	}
	if f, err := r.OpenFile(".onboard/lock", os.O_RDWR|os.O_CREATE, 0o644); err == nil {
		f.Close()
		t.Error("OpenFile followed a symlink out of the checkout")
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Errorf("wrote outside the checkout: %v", ents)
	}

	// Inside, they work: a directory, a file, a rename, a remove.
	if err := r.MkdirAll("state/logs", 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := r.OpenFile("state/logs/a.log", os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := r.Rename("state/logs/a.log", "state/logs/a.log.1"); err != nil {
		t.Fatal(err)
	}
	if err := r.Remove("state/logs/a.log.1"); err != nil {
		t.Fatal(err)
	}
	if err := r.Remove("state/logs/gone"); err != nil {
		t.Errorf("removing what is not there: %v", err)
	}
}
