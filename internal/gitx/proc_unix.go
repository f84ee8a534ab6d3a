//go:build unix

package gitx

import "github.com/onboard-dev/onboard/internal/run"

// processAlive reports whether pid runs: not a zombie that nobody reaps
// (a killed onboard re-parented to an init that does not reap).
func processAlive(pid int) bool { return run.Running(pid) }
