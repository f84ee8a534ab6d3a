package run

import (
	"os"

	"golang.org/x/sys/unix"
)

// noChildren reports whether this process has no child at all, running or
// exited and not yet reaped. Then nothing runs below it, and the scan of
// every process in /proc that finds what does can be skipped: the guard
// and the working onboard each made that scan at the end of every run,
// a few milliseconds on a desktop with hundreds of processes, on the path
// of every command (issue 19). A child that is there (a leftover, an
// adopted orphan, the detached supervisor) makes it false: scan as before.
func noChildren() bool {
	var info unix.Siginfo
	err := unix.Waitid(unix.P_ALL, 0, &info, unix.WEXITED|unix.WNOHANG|unix.WNOWAIT|unix.WALL, nil)
	return err == unix.ECHILD
}

// isSelf reports whether pid is this process.
func isSelf(pid int) bool { return pid == os.Getpid() }
