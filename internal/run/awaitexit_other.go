//go:build !linux

package run

// awaitExit returns at once: outside Linux, Wait blocks a thread per
// child as os.Process.Wait does.
func awaitExit(int) {}
