package run

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// noChildren reports whether this process has no child at all, running or
// exited and not yet reaped. Then nothing runs below it, and the scan of
// every process in /proc that finds what does can be skipped: the guard
// and the working onboard each made that scan at the end of every run,
// a few milliseconds on a desktop with hundreds of processes, on the path
// of every command (issue 19). A child that is there (a leftover, an
// adopted orphan, the detached supervisor) makes it false: see
// onlySpared.
func noChildren() bool {
	var info unix.Siginfo
	err := unix.Waitid(unix.P_ALL, 0, &info, unix.WEXITED|unix.WNOHANG|unix.WNOWAIT|unix.WALL, nil)
	return err == unix.ECHILD
}

// onlySpared reports whether every child of this process is a spared one
// (the detached supervisor that `up` started): then nothing below it is to
// be killed either, since what runs below a spared process is spared too,
// and the scan of /proc can be skipped. The children come from
// /proc/self/task/*/children, one small file per thread rather than a
// stat of every process; false when the kernel has no such files
// (CONFIG_PROC_CHILDREN) or a child is not spared: scan as before.
func onlySpared(spared map[Ref]bool) bool {
	if len(spared) == 0 {
		return false
	}
	tasks, err := filepath.Glob("/proc/self/task/*/children")
	if err != nil || len(tasks) == 0 {
		return false
	}
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			return false
		}
		for _, f := range strings.Fields(string(b)) {
			pid, err := strconv.Atoi(f)
			if err != nil {
				return false
			}
			info, ok := readStat(pid)
			if !ok {
				return false // gone meanwhile: let the scan decide
			}
			if !spared[Ref{Pid: pid, Start: info.start}] {
				return false
			}
		}
	}
	return true
}

// isSelf reports whether pid is this process.
func isSelf(pid int) bool { return pid == os.Getpid() }
