//go:build !unix

package run

// KillLeftovers needs a process tree: outside Unix the processes a step
// left behind are not found.
func KillLeftovers() []Leftover { return nil }

// Abandon: no process starts any more.
func Abandon() { abandoned.Store(true) }
