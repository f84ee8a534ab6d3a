package run

import "syscall"

// sysProcAttr: a process group of its own and SIGKILL when the thread that
// started it dies (see startArgv); or, detached, a session of its own.
func sysProcAttr(detach bool) *syscall.SysProcAttr {
	if detach {
		return &syscall.SysProcAttr{Setsid: true}
	}
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
