//go:build linux || darwin

// Where the process table gives start times (Linux's /proc, macOS's
// kern.proc), a pid file records the start time too, and the next
// supervisor stops what an earlier one left running without ever
// signalling a process that merely got a recorded pid again.

package supervise

import (
	"fmt"
	"strings"

	"github.com/onboard-dev/onboard/internal/rootfs"
	"github.com/onboard-dev/onboard/internal/run"
)

// pidRecord is the content of a service's pid file: its pid and start
// time, so that a pid the kernel has since reused is never signalled.
func pidRecord(pid int) string {
	r := run.RefOf(pid)
	return fmt.Sprintf("%d %d\n", r.Pid, r.Start)
}

// killLeftovers stops the processes recorded in the pid files of dir's
// pids/: the services of a supervisor that died without stopping them. It
// returns a message for each one it stopped.
func killLeftovers(dir *rootfs.Root) []string {
	ents, err := dir.ReadDir(pidsDir)
	if err != nil {
		return nil
	}
	var msgs []string
	for _, e := range ents {
		path := pidsDir + "/" + e.Name()
		b, err := dir.ReadFile(path)
		if err != nil {
			continue
		}
		var r run.Ref
		if _, err := fmt.Sscanf(string(b), "%d %d", &r.Pid, &r.Start); err == nil && r.Pid > 1 && r.Alive() {
			run.KillTree(r)
			msgs = append(msgs, fmt.Sprintf("stopped %s left running by an earlier supervisor (pid %d)", strings.TrimSuffix(e.Name(), ".pid"), r.Pid))
		}
		_ = dir.Remove(path)
	}
	return msgs
}

// pidRunning reports whether pid is a live process, not a zombie waiting
// for a parent that does not reap (as under some container inits).
func pidRunning(pid int) bool { return run.Running(pid) }
