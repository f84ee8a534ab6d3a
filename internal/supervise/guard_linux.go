package supervise

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// guardEnv marks the supervisor process that the guard started.
const guardEnv = "ONBOARD_SUPERVISOR_GUARDED"

// runGuard makes the detached supervisor two processes: this one, a guard
// that only waits, and its child, the supervisor proper. The guard is a
// child subreaper, so every process orphaned below it — a service's
// grandchild whose parent died — is re-parented to it rather than to
// init. When the supervisor dies, however it dies (kill -9 included: its
// service leaders then die by Pdeathsig), the guard SIGKILLs whatever is
// left below it and exits. So no service process outlives the supervisor.
//
// It reports false in the child, which goes on to be the supervisor.
func runGuard() (guarded bool, err error) {
	if os.Getenv(guardEnv) != "" {
		return false, nil
	}
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return false, nil // no guard possible: run unguarded
	}
	exe, err := os.Executable()
	if err != nil {
		return false, nil
	}
	env := append(os.Environ(), guardEnv+"=1")
	child, err := os.StartProcess(exe, os.Args, &os.ProcAttr{
		Env:   env,
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr},
		// If the guard itself is killed, the supervisor goes with it and
		// its services with it (their Pdeathsig).
		Sys: &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	})
	if err != nil {
		return true, err
	}
	// Reap everything: the supervisor, and orphans re-parented to us.
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, 0, nil)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || pid == child.Pid {
			break
		}
	}
	killBelow(os.Getpid())
	return true, nil
}

// killBelow SIGKILLs every process whose parent chain leads to pid, until
// none is left, reaping them.
func killBelow(pid int) {
	for range 50 {
		tree := descendants(pid)
		if len(tree) == 0 {
			break
		}
		signalTree(tree, syscall.SIGKILL)
		for {
			var ws syscall.WaitStatus
			p, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
			if err != nil || p <= 0 {
				break
			}
		}
		logLine("guard: killed %d process(es) the supervisor left behind", len(tree))
	}
	for {
		var ws syscall.WaitStatus
		if p, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil); err != nil || p <= 0 {
			return
		}
	}
}
