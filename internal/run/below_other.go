//go:build !linux

package run

// below is nil outside Linux: Pids lists only the own processes there,
// which is all that the one caller (a check for replaced programs, which
// needs Linux's /proc/PID/exe) could use.
func below(int) []int { return nil }
