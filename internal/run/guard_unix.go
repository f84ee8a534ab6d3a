//go:build linux || darwin

package run

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// forward passes the signals the guard receives on to the child (see
// Guard for which).
func forward(sigs <-chan os.Signal, pid int) {
	for sig := range sigs {
		s := sig.(syscall.Signal)
		if (s == syscall.SIGINT || s == syscall.SIGQUIT) && terminalForeground() {
			continue
		}
		_ = syscall.Kill(pid, s)
	}
}

// terminalForeground reports whether this process's group is the
// foreground group of the terminal on stdin, stdout or stderr: the group
// that the terminal's Ctrl-C signals as a whole.
func terminalForeground() bool {
	for fd := range 3 {
		pg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
		if err == nil && pg == syscall.Getpgrp() {
			return true
		}
	}
	return false
}
