//go:build unix && !linux

package supervise

import "syscall"

// sysProcAttr: a process group of its own (no Pdeathsig outside Linux).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
