package supervise

import (
	"errors"
	"io/fs"
	"os"

	"github.com/onboard-dev/onboard/internal/rootfs"
)

// The supervisor's files live in .onboard/services of the checkout: the
// spawn lock, supervisor.log and supervisor.pid, the pid files in pids/,
// the services' logs in logs/ and last-status.json. They are written only
// through a rootfs.Root opened on that directory (the caller has checked
// that it, and .onboard, are real directories: engine.RealDirs), so that
// a symlink committed or planted below it cannot send a write outside the
// checkout. The control socket is the one file made otherwise: net.Listen
// creates it, at a name checked the same way (see listenUnix).

// openDir opens dir (.onboard/services) for the supervisor's files,
// creating it, owner-only, when it is missing: logs and pid files are
// nobody else's business, and the logs may hold secrets.
func openDir(dir string) (*rootfs.Root, error) {
	return rootfs.OpenDir(dir, 0o700)
}

// inDir names the file of err in full, under dir: os.Root's errors name
// it relative to the directory, which says little in a message read away
// from the checkout ("open spawn.lock: permission denied").
func inDir(dir *rootfs.Root, err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return &fs.PathError{Op: pe.Op, Path: dir.Path(pe.Path), Err: pe.Err}
	case errors.As(err, &le):
		return &os.LinkError{Op: le.Op, Old: dir.Path(le.Old), New: dir.Path(le.New), Err: le.Err}
	}
	return err
}

// pidsDir holds a pid file per running service, for the next supervisor
// to stop what this one left if it dies (killLeftovers).
const pidsDir = "pids"
