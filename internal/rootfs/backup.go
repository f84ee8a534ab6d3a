package rootfs

import (
	"io/fs"
	"path/filepath"
	"time"
)

// Backup keeps data, a person's version of name that onboard is about to
// replace, beside it as NAME.onboard-backup-20261125T101500Z (UTC, from
// now), then -2, -3… when that is taken, so no backup overwrites another.
// It is created 0600 whatever name's mode was: it may hold secrets. It
// returns the backup's slash-separated name; the error reads "cannot back
// up NAME: why", and a failed backup leaves no file.
func (r *Root) Backup(name string, data []byte, now time.Time) (string, error) {
	prefix := filepath.FromSlash(name) + ".onboard-backup-" + now.UTC().Format("20060102T150405Z")
	backup, f, err := createExclusive(r.fs, prefix, false)
	if err != nil {
		return "", Explain("cannot back up", name, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(backupMode) // exactly, whatever the umask took away
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		r.fs.Remove(backup)
		return "", Explain("cannot back up", name, err)
	}
	return filepath.ToSlash(backup), nil
}

// backupMode is the mode of every backup: readable by its owner alone.
const backupMode fs.FileMode = 0o600
