//go:build !linux

package supervise

// exeReplaced cannot tell outside Linux (no /proc/PID/exe): "".
func exeReplaced(pid int) string { return "" }
