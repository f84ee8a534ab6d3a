// Package proctab reads the process table from the output of ps(1), for
// systems that have no /proc (macOS): who is whose parent, which process
// group each is in, and when each started, so that a process tree can be
// found and a pid the kernel has since reused is never mistaken for the
// process that was recorded.
//
// Parsing is a pure function of ps's output, so that it is tested on
// Linux against committed samples; running ps is the caller's business.
package proctab

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PsArgs is the ps command whose output Parse reads: every process, with
// its pid, parent, process group, start time and command name. Run it
// with LC_ALL=C, so that the start time is in English.
var PsArgs = []string{"ps", "-axo", "pid,ppid,pgid,lstart,comm"}

// lstartLayout is how ps prints lstart, ctime(3)'s format: "Thu Dec  3
// 10:22:59 2026", five words, in local time.
const lstartLayout = "Mon Jan _2 15:04:05 2006"

// Proc is one process of the table.
type Proc struct {
	Pid, PPid, Pgid int
	Start           time.Time // to the second
	Comm            string    // the command: on macOS the executable's path, which may hold spaces
}

// Parse reads the output of PsArgs, the start times in loc (ps prints
// local time). The header line, if any, is skipped; any other line that is
// not a process is an error naming it, since a table read wrong would let
// onboard signal the wrong process.
func Parse(out []byte, loc *time.Location) ([]Proc, error) {
	var procs []Proc
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		f := strings.Fields(line)
		if len(f) == 0 || (n == 1 && f[0] == "PID") {
			continue
		}
		// pid ppid pgid, lstart's five words, then the command.
		if len(f) < 9 {
			return nil, fmt.Errorf("ps line %d: %q: want pid, ppid, pgid, start time and command", n, line)
		}
		var p Proc
		var err error
		for i, dst := range []*int{&p.Pid, &p.PPid, &p.Pgid} {
			if *dst, err = strconv.Atoi(f[i]); err != nil {
				return nil, fmt.Errorf("ps line %d: %q: %v", n, line, err)
			}
		}
		if p.Start, err = time.ParseInLocation(lstartLayout, strings.Join(f[3:8], " "), loc); err != nil {
			return nil, fmt.Errorf("ps line %d: %q: start time: %v", n, line, err)
		}
		p.Comm = commandAfter(line, 8)
		procs = append(procs, p)
	}
	return procs, sc.Err()
}

// commandAfter is the rest of line after its first n words, as ps wrote
// it: a command path keeps its spaces.
func commandAfter(line string, n int) string {
	s := strings.TrimLeft(line, " \t")
	for range n {
		i := strings.IndexAny(s, " \t")
		s = strings.TrimLeft(s[i:], " \t")
	}
	return strings.TrimRight(s, " \t")
}

// Find is the process pid of procs; ok is false when it is not there.
func Find(procs []Proc, pid int) (p Proc, ok bool) {
	for _, p := range procs {
		if p.Pid == pid {
			return p, true
		}
	}
	return Proc{}, false
}

// Descendants is every process below pid (children, their children, …),
// parents before their children, whatever process group they are in: a
// grandchild that left its group with setsid is still below its parent,
// as long as that parent lives (an orphan is re-parented to launchd).
func Descendants(procs []Proc, pid int) []Proc {
	children := make(map[int][]Proc)
	for _, p := range procs {
		if p.Pid != p.PPid { // pid 0 is its own parent on macOS
			children[p.PPid] = append(children[p.PPid], p)
		}
	}
	var below []Proc
	queue := []int{pid}
	seen := map[int]bool{pid: true}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		for _, c := range children[next] {
			if !seen[c.Pid] {
				seen[c.Pid] = true
				below = append(below, c)
				queue = append(queue, c.Pid)
			}
		}
	}
	return below
}
