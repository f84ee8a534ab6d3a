//go:build unix

package rootfs

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Backups are named for the time in UTC, numbered when that name is
// taken, readable only by their owner whatever the umask, and never
// overwrite one another.
func TestBackup(t *testing.T) {
	// A umask that takes the owner's write bit: the mode is still exact.
	old := syscall.Umask(0o277)
	defer syscall.Umask(old)
	dir, r := checkout(t, map[string]string{"conf/app.ini": "current\n"})
	now := time.Date(2026, 11, 25, 11, 15, 0, 0, time.FixedZone("CET", 3600))
	for i, want := range []string{
		"conf/app.ini.onboard-backup-20261125T101500Z",
		"conf/app.ini.onboard-backup-20261125T101500Z-2",
		"conf/app.ini.onboard-backup-20261125T101500Z-3",
	} {
		content := "version " + string(rune('a'+i)) + "\n"
		got, err := r.Backup("conf/app.ini", []byte(content), now)
		if err != nil || got != want {
			t.Fatalf("backup %d: %q, %v; want %q", i+1, got, err, want)
		}
		info, err := os.Stat(filepath.Join(dir, want))
		if err != nil || info.Mode().Perm() != 0o600 || read(t, filepath.Join(dir, want)) != content {
			t.Errorf("%s: %v, mode %04o", want, err, info.Mode().Perm())
		}
	}
	if read(t, filepath.Join(dir, "conf/app.ini.onboard-backup-20261125T101500Z")) != "version a\n" {
		t.Error("the first backup was overwritten")
	}
}

// A backup is confined like any write, and a failed one leaves nothing.
func TestBackupRefused(t *testing.T) {
	outside := t.TempDir()
	dir, r := checkout(t, nil)
	symlink(t, outside, filepath.Join(dir, "conf"))
	_, err := r.Backup("conf/app.ini", []byte("mine\n"), time.Now())
	if err == nil || err.Error() != outsideErr("cannot back up", "conf/app.ini") {
		t.Errorf("through a symlink out: %v", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("written outside: %v", entries)
	}
	if _, err := r.Backup("missing/app.ini", []byte("mine\n"), time.Now()); err == nil || err.Error() != "cannot back up missing/app.ini: no such file or directory" {
		t.Errorf("no directory: %v", err)
	}
}
