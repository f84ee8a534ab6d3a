package run

// procEntry is one process of a snapshot of the process table, for the
// systems where the tree is read from a table in one go (macOS, from
// sysctl kern.proc) rather than process by process from /proc (Linux).
// The functions over a table are pure, so that they are tested on Linux.
type procEntry struct {
	Pid, PPid, Pgid int
	Start           uint64 // as in Ref
	Zombie          bool   // exited, not yet reaped by its parent
}

func (e procEntry) ref() Ref { return Ref{Pid: e.Pid, Start: e.Start} }

// findProc is pid's entry in tab; ok is false when pid is not there.
func findProc(tab []procEntry, pid int) (e procEntry, ok bool) {
	for _, e := range tab {
		if e.Pid == pid {
			return e, true
		}
	}
	return procEntry{}, false
}

// treeIn lists the live processes below pid in tab (children, their
// children, …, parents first), whatever group or session they are in, but
// not the spared ones nor what runs below them. Zombies are not listed,
// but what runs below a zombie is: a zombie still is its children's parent.
func treeIn(tab []procEntry, pid int, spared map[Ref]bool) []Ref {
	children := map[int][]procEntry{}
	for _, e := range tab {
		if e.Pid != e.PPid { // pid 0 is its own parent on macOS
			children[e.PPid] = append(children[e.PPid], e)
		}
	}
	var out []Ref
	seen := map[int]bool{pid: true}
	queue := []int{pid}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		for _, c := range children[next] {
			if seen[c.Pid] || spared[c.ref()] {
				continue
			}
			seen[c.Pid] = true
			if !c.Zombie {
				out = append(out, c.ref())
			}
			queue = append(queue, c.Pid)
		}
	}
	return out
}

// groupLiveIn reports whether tab has a live (not zombie) process in
// process group pgid.
func groupLiveIn(tab []procEntry, pgid int) bool {
	for _, e := range tab {
		if e.Pgid == pgid && !e.Zombie {
			return true
		}
	}
	return false
}

// groupIn lists the live processes of process group pgid in tab.
func groupIn(tab []procEntry, pgid int) []Ref {
	var out []Ref
	for _, e := range tab {
		if e.Pgid == pgid && !e.Zombie {
			out = append(out, e.ref())
		}
	}
	return out
}

// aliveIn reports whether r is in tab, not a zombie, with the start time
// recorded: the same process, not another that got its pid.
func aliveIn(tab []procEntry, r Ref) bool {
	e, ok := findProc(tab, r.Pid)
	return ok && !e.Zombie && e.Start == r.Start
}
