//go:build !linux

package supervise

import "syscall"

// procRef names a process; outside Linux only by pid.
type procRef struct{ pid int }

func (r procRef) alive() bool { return syscall.Kill(r.pid, 0) == nil }

// descendants needs /proc; elsewhere only the process group is tracked.
func descendants(int) []procRef { return nil }

func signalTree([]procRef, syscall.Signal) {}

func treeAlive([]procRef) bool { return false }

func pidRecord(pid int) string { return itoa(pid) + " 0\n" }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// killLeftovers needs start times from /proc to be safe against reused
// pids; elsewhere leftovers are not stopped.
func killLeftovers(string) []string { return nil }

func pidRunning(pid int) bool { return syscall.Kill(pid, 0) == nil }
