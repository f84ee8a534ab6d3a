//go:build !linux

package supervise

// replacedIn cannot tell outside Linux (no /proc/PID/exe): "".
func replacedIn(instance) string { return "" }
