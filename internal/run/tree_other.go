//go:build unix && !linux

package run

import (
	"os"
	"syscall"
)

// Ref names a process; outside Linux only by pid (Start is 0).
type Ref struct {
	Pid   int
	Start uint64
}

// RefOf is the process pid.
func RefOf(pid int) Ref { return Ref{Pid: pid} }

// Alive reports whether a process with this pid runs.
func (r Ref) Alive() bool { return syscall.Kill(r.Pid, 0) == nil }

// KillTree SIGKILLs r's process group and r; without /proc the processes
// that left the group cannot be found.
func KillTree(r Ref) {
	_ = syscall.Kill(-r.Pid, syscall.SIGKILL)
	_ = syscall.Kill(r.Pid, syscall.SIGKILL)
}

// Running reports whether pid is a live process.
func Running(pid int) bool { return syscall.Kill(pid, 0) == nil }

// descendants needs /proc; elsewhere only the process group is tracked.
func descendants(int) []Ref { return nil }

func descendantsExcept(int, map[Ref]bool) []Ref { return nil }

func signalTree([]Ref, syscall.Signal) {}

func treeAlive([]Ref) bool { return false }

// groupHasLive: outside Linux, kill(-pgid, 0) succeeding is all we know.
func groupHasLive(int) bool { return true }

func commandLine(int) string { return "?" }

// pipeHolders needs /proc.
func pipeHolders([]*os.File) []Ref { return nil }
