//go:build unix && !linux && !darwin

package run

import (
	"os"
	"syscall"
)

// RefOf is the process pid.
func RefOf(pid int) Ref { return Ref{Pid: pid} }

// Alive reports whether a process with this pid runs.
func (r Ref) Alive() bool { return syscall.Kill(r.Pid, 0) == nil }

// Running reports whether pid is a live process.
func Running(pid int) bool { return syscall.Kill(pid, 0) == nil }

// descendants needs /proc or kern.proc; elsewhere only the process
// group is tracked (KillTree kills the group and the leader).
func descendants(int) []Ref { return nil }

func descendantsExcept(int, map[Ref]bool) []Ref { return nil }

// groupHasLive: outside Linux, kill(-pgid, 0) succeeding is all we know.
func groupHasLive(int) bool { return true }

func commandLine(int) string { return "?" }

// pipeHolders needs /proc.
func pipeHolders([]*os.File) []Ref { return nil }
