package run

import (
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Guard makes this program two processes: this one, a guard that only
// waits, and its child, which runs this program again with the marker in
// its environment and goes on to do the work.
//
// The guard is a child subreaper, so every process orphaned below it — a
// grandchild whose parent died — is re-parented to it rather than to init.
// When the child exits, however it exits (kill -9 included: the processes
// it started die by Pdeathsig), the guard SIGKILLs whatever is left below
// it, except the detached processes the child started ([Command.Detach]:
// the service supervisor), and returns the child's exit code (128+N when
// signal N killed it) with guarded true. So nothing the child started
// outlives it.
//
// If the guard itself is killed, the child gets SIGHUP (its Pdeathsig),
// as when its terminal hangs up: the child's handler calls [Abandon].
// The guard passes on SIGTERM and SIGHUP to the child, and SIGINT and
// SIGQUIT unless the guard is in its terminal's foreground process group:
// then the terminal sent them to the child as well (Ctrl-C), and a second
// copy would read as a second Ctrl-C.
//
// In the child, and where no guard is possible, Guard returns guarded
// false at once: go on with the work.
func Guard(o GuardOptions) (code int, guarded bool, err error) {
	if v := os.Getenv(o.Marker); v != "" {
		beGuarded(o, v)
		return 0, false, nil
	}
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return 0, false, nil // no guard possible: run unguarded
	}
	exe, err := os.Executable()
	if err != nil {
		return 0, false, nil
	}
	detached, w, err := os.Pipe()
	if err != nil {
		return 0, false, nil
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)

	// The child's Pdeathsig fires when this thread exits: keep it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	child, err := os.StartProcess(exe, os.Args, &os.ProcAttr{
		// The child tells us, on fd 3, the detached processes to spare.
		Env:   append(os.Environ(), o.Marker+"=3"),
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr, w},
		Sys:   &syscall.SysProcAttr{Pdeathsig: syscall.SIGHUP},
	})
	_ = w.Close()
	if err != nil {
		_ = detached.Close()
		return 1, true, err
	}
	spared := make(chan map[Ref]bool, 1)
	go func() { spared <- readGuardPipe(detached).spared }()
	go forward(sigs, child.Pid)

	// Reap everything: the child, and orphans re-parented to us.
	var status syscall.WaitStatus
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, 0, nil)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			break
		}
		if pid == child.Pid {
			status = ws
			break
		}
	}
	// The child is gone, so is its end of the pipe (it is close-on-exec
	// there, no process it started holds it): EOF comes at once.
	var spare map[Ref]bool
	select {
	case spare = <-spared:
	case <-time.After(time.Second):
	}
	_ = detached.Close()
	killBelow(os.Getpid(), spare, o.Killed)
	switch {
	case status.Exited():
		return status.ExitStatus(), true, nil
	case status.Signaled():
		return 128 + int(status.Signal()), true, nil
	}
	return 1, true, nil
}

// beGuarded sets up the guarded child: the marker leaves the environment
// (an onboard that a step runs guards itself), fd (the pipe to the guard)
// is kept from every process this one starts, and, with Adopt, this
// process becomes a subreaper.
func beGuarded(o GuardOptions, fd string) {
	_ = os.Unsetenv(o.Marker)
	if n, err := strconv.Atoi(fd); err == nil && n > 2 {
		syscall.CloseOnExec(n)
		setGuardPipe(os.NewFile(uintptr(n), "guard"))
	}
	if o.Adopt {
		adopt()
	}
}

// adopt makes this process a child subreaper: a process orphaned below it
// is re-parented here rather than to init.
func adopt() {
	_ = unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
}
