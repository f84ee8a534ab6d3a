package supervise

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// procRef names a process by pid and start time (clock ticks since boot),
// so that a pid the kernel has since reused is never signalled.
type procRef struct {
	pid   int
	start uint64
}

type procInfo struct {
	ppid, pgrp int
	state      string
	start      uint64
}

// readStat parses /proc/PID/stat: state, ppid, pgrp and start time.
func readStat(pid int) (procInfo, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procInfo{}, false
	}
	// pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
	// majflt cmajflt utime stime cutime cstime priority nice threads
	// itrealvalue starttime …; comm may contain spaces and ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procInfo{}, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 {
		return procInfo{}, false
	}
	ppid, _ := strconv.Atoi(f[1])
	pgrp, _ := strconv.Atoi(f[2])
	start, _ := strconv.ParseUint(f[19], 10, 64)
	return procInfo{ppid: ppid, pgrp: pgrp, state: f[0], start: start}, true
}

// alive reports whether the process still runs (not a zombie) and is the
// same one that was recorded.
func (r procRef) alive() bool {
	info, ok := readStat(r.pid)
	return ok && info.state != "Z" && info.start == r.start
}

// descendants lists every live process below pid, including those that
// left its process group or session (setsid), from the parent links in
// /proc. It is a snapshot: call it before signalling, while the links
// still lead back to pid.
func descendants(pid int) []procRef {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	infos := map[int]procInfo{}
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if info, ok := readStat(p); ok {
			infos[p] = info
			children[info.ppid] = append(children[info.ppid], p)
		}
	}
	var out []procRef
	queue := append([]int(nil), children[pid]...)
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if infos[p].state != "Z" {
			out = append(out, procRef{pid: p, start: infos[p].start})
		}
		queue = append(queue, children[p]...)
	}
	return out
}

// signalTree sends sig to every process of tree that is still the one
// recorded.
func signalTree(tree []procRef, sig syscall.Signal) {
	for _, r := range tree {
		if r.alive() {
			_ = syscall.Kill(r.pid, sig)
		}
	}
}

func treeAlive(tree []procRef) bool {
	for _, r := range tree {
		if r.alive() {
			return true
		}
	}
	return false
}

// pidRecord is the content of a service's pid file: its pid and start
// time, then the processes below it at the time of writing.
func pidRecord(pid int) string {
	info, _ := readStat(pid)
	return fmt.Sprintf("%d %d\n", pid, info.start)
}

// killLeftovers stops the processes recorded in the pid files of dir: the
// services of a supervisor that died without stopping them. It returns a
// message for each one it stopped.
func killLeftovers(dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var msgs []string
	for _, e := range ents {
		path := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		var r procRef
		if _, err := fmt.Sscanf(string(b), "%d %d", &r.pid, &r.start); err == nil && r.pid > 1 && r.alive() {
			tree := descendants(r.pid)
			_ = syscall.Kill(-r.pid, syscall.SIGKILL)
			_ = syscall.Kill(r.pid, syscall.SIGKILL)
			signalTree(tree, syscall.SIGKILL)
			msgs = append(msgs, fmt.Sprintf("stopped %s left running by an earlier supervisor (pid %d)", strings.TrimSuffix(e.Name(), ".pid"), r.pid))
		}
		_ = os.Remove(path)
	}
	return msgs
}

// pidRunning reports whether pid is a live process, not a zombie waiting
// for a parent that does not reap (as under some container inits).
func pidRunning(pid int) bool {
	info, ok := readStat(pid)
	return ok && info.state != "Z"
}
