package run

import (
	"os"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// Guard makes this program two processes: this one, a guard that only
// waits, and its child, which runs this program again with marker=1 in its
// environment and goes on to do the work. The guard is a child subreaper,
// so every process orphaned below it — a grandchild whose parent died — is
// re-parented to it rather than to init. When the child dies, however it
// dies (kill -9 included: the processes it started then die by
// Pdeathsig), the guard SIGKILLs whatever is left below it (telling
// killed how many each round), and returns guarded true. So nothing the child started
// outlives it (the detached service supervisor).
//
// In the child, where marker is set, and where no guard is possible, it
// returns false at once: go on with the work.
func Guard(marker string, killed func(n int)) (guarded bool, err error) {
	if os.Getenv(marker) != "" {
		return false, nil
	}
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return false, nil // no guard possible: run unguarded
	}
	exe, err := os.Executable()
	if err != nil {
		return false, nil
	}
	// The child's Pdeathsig fires when this thread exits: keep it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	env := append(os.Environ(), marker+"=1")
	child, err := os.StartProcess(exe, os.Args, &os.ProcAttr{
		Env:   env,
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr},
		// If the guard itself is killed, the child goes with it and what
		// it started with that (their Pdeathsig).
		Sys: &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	})
	if err != nil {
		return true, err
	}
	// Reap everything: the child, and orphans re-parented to us.
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
	killBelow(os.Getpid(), killed)
	return true, nil
}

// killBelow SIGKILLs every process whose parent chain leads to pid, until
// none is left, reaping them.
func killBelow(pid int, killed func(n int)) {
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
		killed(len(tree))
	}
	for {
		var ws syscall.WaitStatus
		if p, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil); err != nil || p <= 0 {
			return
		}
	}
}
