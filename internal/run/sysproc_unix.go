//go:build unix && !linux

package run

import "syscall"

// sysProcAttr: a process group of its own (only Linux has a parent-death
// signal); or, detached, a session of its own.
func sysProcAttr(detach bool) *syscall.SysProcAttr {
	if detach {
		return &syscall.SysProcAttr{Setsid: true}
	}
	return &syscall.SysProcAttr{Setpgid: true}
}
