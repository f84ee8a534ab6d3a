package run

import (
	"os"

	"golang.org/x/sys/unix"
)

// awaitExit returns once pid, a child of this process, has exited,
// without reaping it (Wait does), and without blocking an OS thread while
// it runs: it polls a pidfd through the runtime's poller. os.Process.Wait
// blocks a thread in waitid for each child, which in a supervisor of 100
// services was 100 threads. Where pidfds are missing (Linux before 5.3) it
// returns at once and Wait blocks as before.
func awaitExit(pid int) {
	fd, err := unix.PidfdOpen(pid, unix.PIDFD_NONBLOCK)
	if err != nil {
		return
	}
	f := os.NewFile(uintptr(fd), "pidfd")
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Read(func(fd uintptr) bool {
		var info unix.Siginfo
		for {
			err := unix.Waitid(unix.P_PIDFD, int(fd), &info, unix.WEXITED|unix.WNOHANG|unix.WNOWAIT, nil)
			switch {
			case err == unix.EINTR:
				continue
			case err != nil:
				return true // cannot tell: let Wait block
			}
			// Signo is SIGCHLD once the child has exited, 0 before.
			return info.Signo != 0
		}
	})
}
