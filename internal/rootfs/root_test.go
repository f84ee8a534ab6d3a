//go:build unix

package rootfs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// checkout makes a directory holding files (name → content) and opens it.
func checkout(t *testing.T, files map[string]string) (string, *Root) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		write(t, filepath.Join(dir, name), content)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return dir, r
}

func write(t *testing.T, path, content string) {
	t.Helper()
	mkdir(t, filepath.Dir(path))
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// outsideErr is the whole error for a path that leads out through a symlink.
func outsideErr(what, name string) string {
	return what + " " + name + ": it leads outside the repository through a symlink, and onboard reads and writes only inside it"
}

func TestReadFile(t *testing.T) {
	outside := t.TempDir()
	write(t, filepath.Join(outside, "secret"), "top secret\n")
	dir, r := checkout(t, map[string]string{"real/app.tmpl": "x\n"})
	symlink(t, "real", filepath.Join(dir, "in"))
	symlink(t, filepath.Join(outside, "secret"), filepath.Join(dir, "abs"))
	symlink(t, "../../../../../../../.."+outside, filepath.Join(dir, "up"))

	if b, err := r.ReadFile("in/app.tmpl"); err != nil || string(b) != "x\n" {
		t.Errorf("through a symlink inside: %q, %v", b, err)
	}
	for _, name := range []string{"abs", "up/secret"} {
		if b, err := r.ReadFile(name); err == nil || err.Error() != outsideErr("cannot read", name) {
			t.Errorf("%s: read %q, error %v", name, b, err)
		}
	}
	_, err := r.ReadFile("missing")
	if err == nil || err.Error() != "cannot read missing: no such file or directory" || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

// Stat keeps os's error, so a caller can tell a file that is not there
// yet, and words it with Explain for what it meant to do.
func TestStatAndExplain(t *testing.T) {
	outside := t.TempDir()
	dir, r := checkout(t, nil)
	symlink(t, outside, filepath.Join(dir, "conf"))
	if _, err := r.Stat("nothing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	_, err := r.Stat("conf/app.ini")
	if err == nil || Explain("cannot write", "conf/app.ini", err).Error() != outsideErr("cannot write", "conf/app.ini") {
		t.Errorf("through a symlink out: %v", err)
	}
	if got := Explain("cannot write", ".env", &fs.PathError{Op: "openat", Path: ".env.onboard-tmp-x", Err: fs.ErrPermission}); got.Error() != "cannot write .env: permission denied" || !errors.Is(got, fs.ErrPermission) {
		t.Errorf("Explain: %v", got)
	}
}

func TestChmod(t *testing.T) {
	dir, r := checkout(t, map[string]string{"out": "x\n"})
	if err := r.Chmod("out", 0o600); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(filepath.Join(dir, "out")); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o", info.Mode().Perm())
	}
	err := r.Chmod("gone", 0o600)
	if err == nil || !regexp.MustCompile(`^cannot change the mode of gone: no such file`).MatchString(err.Error()) {
		t.Errorf("missing: %v", err)
	}
}
