package engine

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/onboard-dev/onboard/internal/lockfile"
	"github.com/onboard-dev/onboard/internal/rootfs"
)

// DirName is onboard's state directory at the repository root.
const DirName = ".onboard"

// Workspace is the state directory of one checkout, held under a lock so
// that two runs never work on the same checkout at once.
type Workspace struct {
	Root  string // repository root
	Dir   string // Root/.onboard
	State *State
	// StateWarning is set when the state file was unreadable or corrupt.
	StateWarning error
	lock         *os.File
	// fs is the checkout, through which the state directory, its lock and
	// its logs are written (confined: see internal/rootfs); nil for a
	// read-only run, which writes nothing in it.
	fs *rootfs.Root
	// tempLogs is a read-only run's private directory for its items' logs,
	// outside the checkout; empty when logs go to Dir/logs.
	tempLogs string
}

// LockedError is another onboard holding the checkout's lock.
type LockedError struct{ PID int }

func (e *LockedError) Error() string {
	who := "another onboard"
	if e.PID > 0 {
		who = fmt.Sprintf("another onboard (pid %d)", e.PID)
	}
	return who + " is already running in this checkout; wait for it to finish, or stop it, then run onboard again"
}

// Open creates the state directory, takes the lock and loads the state. A
// lock left by a process that died is free again: file locks end with
// their process, so there is nothing stale to break.
func Open(root string) (*Workspace, error) {
	w := &Workspace{Root: root, Dir: filepath.Join(root, DirName)}
	if err := RealDirs(root, DirName, filepath.Join(DirName, "logs"), filepath.Join(DirName, "services")); err != nil {
		return nil, err
	}
	fsys, err := rootfs.Open(root)
	if err != nil {
		return nil, unwritable(w.Dir, err)
	}
	w.fs = fsys
	if err := fsys.MkdirAll(DirName+"/logs", 0o755); err != nil {
		w.Close()
		return nil, unwritable(w.Dir, err)
	}
	f, err := fsys.OpenFile(DirName+"/lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		w.Close()
		return nil, unwritable(w.Dir, err)
	}
	if err := lockfile.TryLock(f); err != nil {
		w.Close()
		if !errors.Is(err, lockfile.ErrLocked) {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s (%v): onboard locks it so that two runs never work on one checkout; use a checkout on a file system with file locks (a local disk)", f.Name(), err)
		}
		b := make([]byte, 32)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b[:n])))
		return nil, &LockedError{PID: pid}
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	w.lock = f
	// Probe that the directory is writable now, before any item runs.
	// (The lock file may already exist in a directory that is read-only now.)
	probe := DirName + "/.write-test-" + strconv.Itoa(os.Getpid())
	pf, err := fsys.OpenFile(probe, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		w.Close()
		return nil, unwritable(w.Dir, err)
	}
	pf.Close()
	_ = fsys.Remove(probe)
	w.State, w.StateWarning = LoadState(filepath.Join(w.Dir, "state.json"))
	excludeFromGit(fsys)
	return w, nil
}

// OpenReadOnly is the workspace of a run that changes nothing (check). It
// reads the state an earlier run left, if any, and writes nothing in the
// checkout: no state directory, no lock, no logs. So it works in a
// checkout nobody can write, and a check never overwrites the logs of the
// last up. It takes no lock: it changes nothing, so it cannot conflict
// with another run, and state.json is replaced atomically, so a check
// during an up reads the old state or the new one, never half of one. Its
// items' logs go to a private temporary directory that Close removes.
func OpenReadOnly(root string) (*Workspace, error) {
	w := &Workspace{Root: root, Dir: filepath.Join(root, DirName)}
	if err := RealDirs(root, DirName); err != nil {
		return nil, err
	}
	logs, err := os.MkdirTemp("", "onboard-check-*")
	if err != nil {
		return nil, fmt.Errorf("cannot make a temporary directory for the checks' output: %w", err)
	}
	w.tempLogs = logs
	w.State, w.StateWarning = LoadState(filepath.Join(w.Dir, "state.json"))
	return w, nil
}

// logFile is where an item's log goes, and how to show it: relative to
// the root for Dir/logs, the full path for a read-only run's.
func (w *Workspace) logFile(id ID) (path, shown string) {
	name := strings.ReplaceAll(id.String(), ":", "-") + ".log"
	if w.tempLogs != "" {
		p := filepath.Join(w.tempLogs, name)
		return p, p
	}
	rel := filepath.Join(DirName, "logs", name)
	return filepath.Join(w.Root, rel), rel
}

// createLog creates (or empties) an item's log, owner-only: it may hold
// what a command printed before the masker saw a secret's whole form.
func (w *Workspace) createLog(id ID) (f *os.File, path, shown string, err error) {
	path, shown = w.logFile(id)
	switch {
	case w.tempLogs != "":
		// A read-only run's private directory, outside the checkout.
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	case w.fs == nil:
		err = errors.New("the workspace is closed")
	default:
		f, err = w.fs.OpenFile(filepath.ToSlash(shown), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	}
	return f, path, shown, err
}

// Close releases the lock, or removes a read-only run's logs.
func (w *Workspace) Close() error {
	if w.tempLogs != "" {
		err := os.RemoveAll(w.tempLogs)
		w.tempLogs = ""
		return err
	}
	var err error
	if w.lock != nil {
		err = w.lock.Close()
		w.lock = nil
	}
	if w.fs != nil {
		_ = w.fs.Close()
		w.fs = nil
	}
	return err
}

func unwritable(dir string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot write onboard's state directory %s: %v; make it writable (or remove it) and run onboard again", dir, err)
}

// excludeFromGit adds .onboard/ to .git/info/exclude, so state, logs and
// secrets never show up in `git status` or get committed by accident. It
// reads and writes through the checkout's Root: a .git/info planted as a
// symlink outside it is left alone.
func excludeFromGit(root *rootfs.Root) {
	if st, err := root.Stat(".git"); err != nil || !st.IsDir() {
		return
	}
	const p = ".git/info/exclude"
	old, _ := root.ReadFile(p)
	for _, line := range bytes.Split(old, []byte("\n")) {
		switch strings.TrimSpace(string(line)) {
		case "/" + DirName + "/", DirName + "/", "/" + DirName, DirName:
			return
		}
	}
	if len(old) > 0 && !bytes.HasSuffix(old, []byte("\n")) {
		old = append(old, '\n')
	}
	// WriteFile makes .git/info (0755) when it is missing.
	_ = root.WriteFile(p, append(old, []byte("# onboard's state, logs and secrets\n/"+DirName+"/\n")...), 0o644)
}

// RealDirs refuses any of dirs (relative to root) that exists as something
// other than a real directory. A repository could commit `.onboard` as a
// symlink to a place outside the checkout, and onboard would write its
// lock, logs, answers and secrets there.
func RealDirs(root string, dirs ...string) error {
	for _, d := range dirs {
		fi, err := os.Lstat(filepath.Join(root, d))
		switch {
		case errors.Is(err, os.ErrNotExist):
			continue
		case err != nil:
			return unwritable(filepath.Join(root, d), err)
		case fi.Mode()&os.ModeSymlink != 0:
			return fmt.Errorf("%s is a symbolic link: onboard keeps its state, answers and secrets only in a real directory of the checkout; remove the link (it may come from the repository: check `git ls-files %s`) and run onboard again", filepath.Join(root, d), d)
		case !fi.IsDir():
			return unwritable(filepath.Join(root, d), syscall.ENOTDIR)
		}
	}
	return nil
}
