package supervise

import "syscall"

// sysProcAttr: a process group of its own, and SIGKILL when the thread
// that started it dies (see Start).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
