package run

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// RefOf is the running process pid; its Start is 0 when it is gone.
func RefOf(pid int) Ref {
	info, _ := readStat(pid)
	return Ref{Pid: pid, Start: info.start}
}

// Alive reports whether the process still runs (not a zombie) and is the
// same one that was recorded.
func (r Ref) Alive() bool {
	info, ok := readStat(r.Pid)
	return ok && info.state != "Z" && info.start == r.Start
}

// Running reports whether pid is a live process, not a zombie waiting
// for a parent that does not reap (as under some container inits).
func Running(pid int) bool {
	info, ok := readStat(pid)
	return ok && info.state != "Z"
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

// descendants lists every live process below pid, including those that
// left its process group or session (setsid), from the parent links in
// /proc. It is a snapshot: call it before signalling, while the links
// still lead back to pid.
func descendants(pid int) []Ref { return descendantsExcept(pid, nil) }

// descendantsExcept is descendants without the spared processes and what
// runs below them.
func descendantsExcept(pid int, spared map[Ref]bool) []Ref {
	if isSelf(pid) && (noChildren() || onlySpared(spared)) {
		return nil
	}
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
	var out []Ref
	queue := append([]int(nil), children[pid]...)
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if spared[Ref{Pid: p, Start: infos[p].start}] {
			continue
		}
		if infos[p].state != "Z" {
			out = append(out, Ref{Pid: p, Start: infos[p].start})
		}
		queue = append(queue, children[p]...)
	}
	return out
}

// groupHasLive reports whether a process that is not a zombie is in
// process group pgid.
func groupHasLive(pgid int) bool {
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return true // cannot tell: assume yes, Stop will SIGKILL
	}
	for _, d := range procs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		if info, ok := readStat(pid); ok && info.state != "Z" && info.pgrp == pgid {
			return true
		}
	}
	return false
}

// commandLine is pid's command line, its arguments joined by spaces and
// cut to 80 bytes.
func commandLine(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return "?"
	}
	s := strings.TrimRight(strings.ReplaceAll(string(b), "\x00", " "), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

// pipeHolders lists the other processes that have one of these pipes
// open (either end), found through /proc/PID/fd.
func pipeHolders(pipes []*os.File) []Ref {
	want := map[string]bool{}
	for _, f := range pipes {
		// Stat, not Fstat of Fd: safe if the copier closes f meanwhile.
		if fi, err := f.Stat(); err == nil {
			if st, ok := fi.Sys().(*syscall.Stat_t); ok {
				want[fmt.Sprintf("pipe:[%d]", st.Ino)] = true
			}
		}
	}
	ents, err := os.ReadDir("/proc")
	if err != nil || len(want) == 0 {
		return nil
	}
	self := os.Getpid()
	var out []Ref
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		dir := fmt.Sprintf("/proc/%d/fd", pid)
		fds, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, fd := range fds {
			if link, err := os.Readlink(dir + "/" + fd.Name()); err == nil && want[link] {
				out = append(out, RefOf(pid))
				break
			}
		}
	}
	return out
}
