package rootfs

import (
	"os"
	"path/filepath"
	"testing"
)

// OpenDir creates the missing levels, owner-only as asked, and a Root on
// it keeps a planted symlink's writes inside.
func TestOpenDir(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, ".onboard", "services")
	r, err := OpenDir(dir, 0o700)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, d := range []string{filepath.Join(base, ".onboard"), dir} {
		fi, err := os.Stat(d)
		if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
			t.Fatalf("%s: %v, %v; want a directory 0700", d, fi, err)
		}
	}
	if r.Path("logs/a.log") != filepath.Join(dir, "logs", "a.log") {
		t.Errorf("Path = %s", r.Path("logs/a.log"))
	}

	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "logs")); err != nil {
		t.Fatal(err)
	}
	if err := r.MkdirAll("logs", 0o700); err == nil {
		t.Error("MkdirAll through a link leading outside succeeded")
	}
	if f, err := r.OpenFile("logs/a.log", os.O_WRONLY|os.O_CREATE, 0o600); err == nil {
		f.Close()
		t.Error("OpenFile through a link leading outside succeeded")
	}
	if ents, _ := os.ReadDir(outside); len(ents) > 0 {
		t.Errorf("written outside: %v", ents)
	}
	if err := r.RemoveAll("logs"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("RemoveAll of the link removed what it pointed at: %v", err)
	}

	// A file where a level should be.
	if _, err := OpenDir(filepath.Join(base, ".onboard", "services", "x", "y"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(base, "file"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenDir(filepath.Join(base, "file", "sub"), 0o700); err == nil {
		t.Error("OpenDir below a regular file succeeded")
	}
}

// ReadDir lists a directory inside the Root, sorted.
func TestReadDir(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b", "a"} {
		if err := os.WriteFile(filepath.Join(dir, "d", n), nil, 0o600); err != nil {
			if err := os.MkdirAll(filepath.Join(dir, "d"), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "d", n), nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ents, err := r.ReadDir("d")
	if err != nil || len(ents) != 2 || ents[0].Name() != "a" || ents[1].Name() != "b" {
		t.Errorf("ReadDir = %v, %v", ents, err)
	}
}
