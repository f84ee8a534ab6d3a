package run

import (
	"bufio"
	"fmt"
	"io"
	"sync/atomic"
)

// The guarded child tells its guard, over a pipe, one line per process:
//
//	PID START     a detached process, to spare (see spare)
//	w PID START   a process it started, to kill with its group and tree
//	              when the child dies (macOS only: see watch)
//
// On Linux the guard finds what to kill by itself (it is a subreaper, and
// what the child started dies by Pdeathsig); on macOS the child's orphans
// go to launchd, so the guard must have been told their names before.

// watching is set in a child of a guard that wants the "w" lines.
var watching atomic.Bool

// watch tells the guard, if it wants to know, that pid was started and is
// to be killed, with its process group and what runs below it, if this
// process dies first.
func watch(pid int) {
	if !watching.Load() {
		return
	}
	r := RefOf(pid)
	detached.Lock()
	defer detached.Unlock()
	if detached.guard != nil {
		_, _ = fmt.Fprintf(detached.guard, "w %d %d\n", r.Pid, r.Start)
	}
}

// guardReport is what the guard read from its child.
type guardReport struct {
	spared  map[Ref]bool // detached: never killed, nor what runs below
	watched map[Ref]bool // started: killed with group and tree
}

// readGuardPipe reads the child's lines until EOF; a line it cannot read
// is skipped (it names no process to kill).
func readGuardPipe(r io.Reader) guardReport {
	rep := guardReport{spared: map[Ref]bool{}, watched: map[Ref]bool{}}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var ref Ref
		line := sc.Text()
		if _, err := fmt.Sscanf(line, "w %d %d", &ref.Pid, &ref.Start); err == nil {
			rep.watched[ref] = true
		} else if _, err := fmt.Sscan(line, &ref.Pid, &ref.Start); err == nil {
			rep.spared[ref] = true
		}
	}
	return rep
}
