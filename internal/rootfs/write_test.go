//go:build unix

package rootfs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// temps lists the temporary files of writes left in dir.
func temps(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.onboard-tmp-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// WriteFile creates the directories it needs and sets exactly the mode
// asked for, whatever the umask; replacing a file leaves no temporary one.
func TestWriteFileModeWhateverTheUmask(t *testing.T) {
	for _, umask := range []int{0o077, 0o022, 0} {
		for _, mode := range []fs.FileMode{0o600, 0o640, 0o644, 0o755} {
			old := syscall.Umask(umask)
			dir, r := checkout(t, nil)
			err := r.WriteFile("conf/local/app.ini", []byte("a\n"), mode)
			if err == nil {
				err = r.WriteFile("conf/local/app.ini", []byte("b\n"), mode)
			}
			syscall.Umask(old)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "conf/local/app.ini")
			if info, _ := os.Stat(p); info.Mode().Perm() != mode || read(t, p) != "b\n" {
				t.Errorf("umask %04o: mode %04o, want %04o; content %q", umask, info.Mode().Perm(), mode, read(t, p))
			}
			if left := temps(t, filepath.Join(dir, "conf/local")); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		}
	}
}

// A write that fails at its last step (the rename, here over a directory)
// leaves the old state as it was and no temporary file.
func TestWriteFileFailureLeavesNoTemp(t *testing.T) {
	dir, r := checkout(t, map[string]string{"out/keep": "mine\n", "conf": "a file where a directory should be\n"})
	err := r.WriteFile("out", []byte("new\n"), 0o644)
	if err == nil || !strings.HasPrefix(err.Error(), "cannot write out: ") {
		t.Errorf("over a directory: %v", err)
	}
	if read(t, filepath.Join(dir, "out/keep")) != "mine\n" {
		t.Error("the directory changed")
	}
	if left := temps(t, dir); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	err = r.WriteFile("conf/.env", []byte("x\n"), 0o600)
	if err == nil || err.Error() != "cannot write conf/.env: not a directory" {
		t.Errorf("under a file: %v", err)
	}
}

// A killed run leaves a temporary file; the next write of the same file
// removes it, and no other file.
func TestWriteFileRemovesStaleTemps(t *testing.T) {
	dir, r := checkout(t, map[string]string{
		"conf/.app.ini.onboard-tmp-ABCDEFGHIJKL": "half",
		"conf/.other.onboard-tmp-ABCDEFGHIJKL":   "someone else's",
	})
	if err := r.WriteFile("conf/app.ini", []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	left := temps(t, filepath.Join(dir, "conf"))
	if len(left) != 1 || filepath.Base(left[0]) != ".other.onboard-tmp-ABCDEFGHIJKL" {
		t.Errorf("left: %v", left)
	}
}

// A write through a symlink that leads outside is refused, whether the
// link is the file's directory or one on the way to a directory still to
// be made; a symlink that stays inside is followed. A symlink that is the
// file itself is replaced by the file, as rename replaces it: nothing is
// written where it pointed.
func TestWriteFileSymlinks(t *testing.T) {
	outside := t.TempDir()
	write(t, filepath.Join(outside, "target"), "outside\n")
	dir, r := checkout(t, map[string]string{"real/.keep": ""})
	symlink(t, filepath.Join(outside, "target"), filepath.Join(dir, ".env"))
	symlink(t, filepath.Join(outside, "nothing-yet"), filepath.Join(dir, ".dangling"))
	symlink(t, outside, filepath.Join(dir, "conf"))
	symlink(t, "../../../../../../../.."+outside, filepath.Join(dir, "up"))
	symlink(t, "real", filepath.Join(dir, "in"))
	for _, name := range []string{"conf/app.ini", "conf/new/dir/app.ini", "up/target"} {
		if err := r.WriteFile(name, []byte("pwned\n"), 0o644); err == nil || err.Error() != outsideErr("cannot write", name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, name := range []string{".env", ".dangling"} {
		if err := r.WriteFile(name, []byte("mine\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if info, err := os.Lstat(filepath.Join(dir, name)); err != nil || !info.Mode().IsRegular() || read(t, filepath.Join(dir, name)) != "mine\n" {
			t.Errorf("%s is not the file written: %v", name, err)
		}
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 1 || read(t, filepath.Join(outside, "target")) != "outside\n" {
		t.Errorf("written outside: %v", entries)
	}
	if err := r.WriteFile("in/app.ini", []byte("x\n"), 0o644); err != nil || read(t, filepath.Join(dir, "real/app.ini")) != "x\n" {
		t.Errorf("through a symlink inside: %v", err)
	}
}

// The package's WriteFile, for paths onboard built itself, writes as
// atomically, creates no directory, leaves others' temporary files alone
// (the trust store is shared with runs in other checkouts), and names the
// path in its error.
func TestWriteFilePath(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "state.json")
	write(t, filepath.Join(dir, ".state.json.onboard-tmp-ABCDEFGHIJKL"), "another run's")
	for _, data := range []string{"{}\n", "{\"a\": 1}\n"} {
		if err := WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if info, _ := os.Stat(p); info.Mode().Perm() != 0o600 || read(t, p) != "{\"a\": 1}\n" {
		t.Errorf("mode %04o, content %q", info.Mode().Perm(), read(t, p))
	}
	if left := temps(t, dir); len(left) != 1 {
		t.Errorf("temps: %v", left)
	}

	mkdir(t, filepath.Join(dir, "adir/sub"))
	err := WriteFile(filepath.Join(dir, "adir"), []byte("x"), 0o600)
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != filepath.Join(dir, "adir") {
		t.Errorf("over a directory: %v", err)
	}
	if left := temps(t, dir); len(left) != 1 {
		t.Errorf("a failed write left: %v", left)
	}
	if err := WriteFile(filepath.Join(dir, "missing/x"), []byte("x"), 0o600); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("into a missing directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); err == nil {
		t.Error("a directory was made")
	}
}
