//go:build unix

package main

import (
	"fmt"
	"os/exec"
	"runtime"
	"syscall"
)

// peakMiB runs c once and returns its peak resident memory: the largest of
// the process and the children it waited for (wait4's ru_maxrss).
func (f *fixture) peakMiB(c command) (float64, error) {
	cmd := exec.Command(c.argv[0], c.argv[1:]...)
	cmd.Dir, cmd.Env = c.dir, f.env
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("%s: %v", c.label, err)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, nil
	}
	if runtime.GOOS == "darwin" {
		return float64(ru.Maxrss) / (1 << 20), nil // bytes there
	}
	return float64(ru.Maxrss) / 1024, nil // KiB
}
