package run

import (
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// macOS has no /proc: the process tree is read from sysctl kern.proc, one
// snapshot of the whole table at a time, and the logic over it is the
// portable, tested code of proctree.go.

// sZomb is p_stat of a zombie (SZOMB in <sys/proc.h>).
const sZomb = 5

// darwinTable reads the process table from sysctl kern.proc.all.
func darwinTable() ([]procEntry, error) {
	kps, err := unix.SysctlKinfoProcSlice("kern.proc.all")
	if err != nil {
		return nil, err
	}
	tab := make([]procEntry, 0, len(kps))
	for i := range kps {
		tab = append(tab, entryOf(&kps[i]))
	}
	return tab, nil
}

func entryOf(kp *unix.KinfoProc) procEntry {
	st := kp.Proc.P_starttime
	return procEntry{
		Pid:    int(kp.Proc.P_pid),
		PPid:   int(kp.Eproc.Ppid),
		Pgid:   int(kp.Eproc.Pgid),
		Start:  uint64(st.Sec)*1e6 + uint64(st.Usec),
		Zombie: kp.Proc.P_stat == sZomb,
	}
}

// lookup is pid's entry, read with sysctl kern.proc.pid (one process, not
// the whole table: Alive is called in polling loops).
func lookup(pid int) (procEntry, bool) {
	if pid <= 0 {
		return procEntry{}, false
	}
	kp, err := unix.SysctlKinfoProc("kern.proc.pid", pid)
	if err != nil || int(kp.Proc.P_pid) != pid {
		return procEntry{}, false
	}
	return entryOf(kp), true
}

// RefOf is the running process pid; its Start is 0 when it is gone.
func RefOf(pid int) Ref {
	e, _ := lookup(pid)
	return Ref{Pid: pid, Start: e.Start}
}

// Alive reports whether the process still runs (not a zombie) and is the
// same one that was recorded.
func (r Ref) Alive() bool {
	e, ok := lookup(r.Pid)
	return ok && !e.Zombie && e.Start == r.Start
}

// Running reports whether pid is a live process, not a zombie.
func Running(pid int) bool {
	e, ok := lookup(pid)
	return ok && !e.Zombie
}

// descendants lists every live process below pid, including those that
// left its process group or session (setsid), from the parent links of
// the table. A snapshot: call it before signalling, while the links still
// lead back to pid (an orphan is re-parented to launchd, out of reach).
func descendants(pid int) []Ref { return descendantsExcept(pid, nil) }

// descendantsExcept is descendants without the spared processes and what
// runs below them.
func descendantsExcept(pid int, spared map[Ref]bool) []Ref {
	tab, err := darwinTable()
	if err != nil {
		return nil
	}
	return treeIn(tab, pid, spared)
}

// groupHasLive reports whether a process that is not a zombie is in
// process group pgid.
func groupHasLive(pgid int) bool {
	tab, err := darwinTable()
	if err != nil {
		return true // cannot tell: assume yes, Stop will SIGKILL
	}
	return groupLiveIn(tab, pgid)
}

// commandLine is pid's command line, from sysctl kern.procargs2 (readable
// for this user's processes), cut to 80 bytes; else the short name the
// kernel keeps (p_comm), else "?".
func commandLine(pid int) string {
	if buf, err := unix.SysctlRaw("kern.procargs2", pid); err == nil {
		if args, ok := argsFromProcargs2(buf); ok {
			return shortCommand(args)
		}
	}
	if kp, err := unix.SysctlKinfoProc("kern.proc.pid", pid); err == nil {
		if name := strings.TrimRight(string(kp.Proc.P_comm[:]), "\x00"); name != "" {
			return name
		}
	}
	return "?"
}

// pipeHolders would need libproc (proc_pidinfo PROC_PIDFDPIPEINFO), which
// takes cgo or a syscall x/sys does not wrap: on macOS a process that
// escaped both group and tree and holds a stopped step's output is not
// found, and Wait gives up on the output after WaitDelay.
func pipeHolders([]*os.File) []Ref { return nil }
