package gitx

import "syscall"

// setDeathSignal kills git when onboard dies, even by SIGKILL, so a killed
// clone leaves no git writing into a temporary directory the next run
// removes.
func setDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
