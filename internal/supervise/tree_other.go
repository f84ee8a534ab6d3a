//go:build !linux && !darwin

package supervise

import (
	"github.com/onboard-dev/onboard/internal/rootfs"
	"github.com/onboard-dev/onboard/internal/run"
)

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

// killLeftovers needs start times (Linux's /proc, macOS's kern.proc) to
// be safe against reused pids; elsewhere leftovers are not stopped.
func killLeftovers(*rootfs.Root) []string { return nil }

func pidRunning(pid int) bool { return run.Running(pid) }
