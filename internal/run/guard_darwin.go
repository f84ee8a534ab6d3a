package run

import (
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Guard makes this program two processes: this one, a guard that only
// waits, and its child, which runs this program again with the marker in
// its environment and goes on to do the work.
//
// macOS has neither a child subreaper nor a parent-death signal, so the
// child names to the guard, over a pipe, every process it starts ([watch])
// and every detached one ([spare]). When the child exits, however it
// exits (kill -9 included), the guard — its parent, told by wait4 — kills
// each named process that is still the one named, its process group and
// every process below it (see sweepList), sparing the detached ones and
// what runs below them, and returns the child's exit code (128+N when
// signal N killed it) with guarded true.
//
// If the guard itself is killed, the child learns it from kqueue
// (EVFILT_PROC, NOTE_EXIT on its parent) and sends itself SIGHUP, as
// Pdeathsig does on Linux: the child's handler calls [Abandon]. Signals
// are passed on to the child as on Linux.
//
// In the child, and where no guard is possible, Guard returns guarded
// false at once: go on with the work.
func Guard(o GuardOptions) (code int, guarded bool, err error) {
	if v := os.Getenv(o.Marker); v != "" {
		beGuarded(o, v)
		return 0, false, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return 0, false, nil
	}
	fromChild, w, err := os.Pipe()
	if err != nil {
		return 0, false, nil
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)

	child, err := os.StartProcess(exe, os.Args, &os.ProcAttr{
		// The child names on fd 3 what it starts and what to spare.
		Env:   append(os.Environ(), o.Marker+"=3"),
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr, w},
	})
	_ = w.Close()
	if err != nil {
		_ = fromChild.Close()
		return 1, true, err
	}
	report := make(chan guardReport, 1)
	go func() { report <- readGuardPipe(fromChild) }()
	go forward(sigs, child.Pid)

	state, werr := child.Wait()
	// The child is gone, so is its end of the pipe (close-on-exec there):
	// EOF comes at once.
	var rep guardReport
	select {
	case rep = <-report:
	case <-time.After(time.Second):
	}
	_ = fromChild.Close()
	sweep(darwinTable, func(list []Ref) { signalTree(list, syscall.SIGKILL) }, os.Getpid(), rep, o.Killed)
	if werr != nil {
		return 1, true, werr
	}
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal()), true, nil
	}
	return state.ExitCode(), true, nil
}

// beGuarded sets up the guarded child: the marker leaves the environment
// (an onboard that a step runs guards itself), fd (the pipe to the guard)
// is kept from every process this one starts, what this one starts is
// named to the guard, and the guard's death is watched.
func beGuarded(o GuardOptions, fd string) {
	_ = os.Unsetenv(o.Marker)
	if n, err := strconv.Atoi(fd); err == nil && n > 2 {
		syscall.CloseOnExec(n)
		setGuardPipe(os.NewFile(uintptr(n), "guard"))
		watching.Store(true)
	}
	go hupWhenParentExits(os.Getppid())
}

// hupWhenParentExits sends this process SIGHUP once process ppid (the
// guard) has exited, what Linux's Pdeathsig does. If ppid is already gone
// (the guard died before this ran: this process was re-parented), at once.
func hupWhenParentExits(ppid int) {
	if ppid > 1 {
		if err := waitExit(ppid); err != nil && err != unix.ESRCH {
			return // cannot watch: run on, as an unguarded onboard does
		}
	}
	_ = syscall.Kill(os.Getpid(), syscall.SIGHUP)
}

// waitExit blocks until process pid exits, with kqueue: EVFILT_PROC,
// NOTE_EXIT works for any process this user may signal, not only a child.
// It returns ESRCH when pid is already gone.
func waitExit(pid int) error {
	kq, err := unix.Kqueue()
	if err != nil {
		return err
	}
	defer unix.Close(kq)
	var ev unix.Kevent_t
	unix.SetKevent(&ev, pid, unix.EVFILT_PROC, unix.EV_ADD|unix.EV_ONESHOT)
	ev.Fflags = unix.NOTE_EXIT
	got := make([]unix.Kevent_t, 1)
	for {
		// Registering and waiting in one call: an error registering
		// (ESRCH: pid is gone) comes back as the call's error.
		n, err := unix.Kevent(kq, []unix.Kevent_t{ev}, got, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if n > 0 && got[0].Flags&unix.EV_ERROR != 0 {
			return syscall.Errno(got[0].Data)
		}
		if n > 0 {
			return nil
		}
	}
}
