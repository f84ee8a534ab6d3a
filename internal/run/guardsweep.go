package run

import (
	"sort"
	"time"
)

// The sweep of a guard that is no subreaper (macOS): when its child dies,
// the processes the child started have been re-parented to launchd, so
// the guard kills what the child named to it (see watch), found again in
// a fresh process table. Portable and pure but for its two functions, so
// that it is tested on Linux with a table of its own.

// sweepList lists what to kill of tab: each watched process that is still
// the one recorded, the live members of its process group (also those
// whose parent died), and everything below those, the live processes
// below self (the guard) too; but never a spared process nor what runs
// below it.
//
// A watched pid that now names another process (another start time) was
// reused, which the kernel does only once no group of that id is left: so
// neither it nor the group of that id is ours. When the watched leader is
// simply gone, members left in its group still are.
func sweepList(tab []procEntry, self int, watched, spared map[Ref]bool) []Ref {
	var refs []Ref
	for r := range watched {
		refs = append(refs, r)
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].Pid < refs[j].Pid })

	seen := map[int]bool{self: true}
	var out []Ref
	add := func(r Ref) {
		if seen[r.Pid] || spared[r] {
			return
		}
		seen[r.Pid] = true
		out = append(out, r)
		for _, d := range treeIn(tab, r.Pid, spared) {
			if !seen[d.Pid] {
				seen[d.Pid] = true
				out = append(out, d)
			}
		}
	}
	for _, d := range treeIn(tab, self, spared) {
		add(d)
	}
	for _, w := range refs {
		e, ok := findProc(tab, w.Pid)
		if ok && e.Start != w.Start {
			continue // reused pid
		}
		if ok && !e.Zombie {
			add(w)
		}
		for _, m := range groupIn(tab, w.Pid) {
			add(m)
		}
	}
	return out
}

// sweep kills, in rounds, what sweepList finds in a fresh table, until it
// finds nothing (a process may fork while its tree is killed) or after 50
// rounds; killed (if not nil) is told each round's count. kill sends
// SIGKILL to the processes of a list that are still the ones named.
func sweep(table func() ([]procEntry, error), kill func([]Ref), self int, rep guardReport, killed func(n int)) {
	for range 50 {
		tab, err := table()
		if err != nil {
			return
		}
		list := sweepList(tab, self, rep.watched, rep.spared)
		if len(list) == 0 {
			return
		}
		kill(list)
		if killed != nil {
			killed(len(list))
		}
		// SIGKILL is delivered, not done: wait for the list to die before
		// looking again, or the next round counts it twice.
		for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); {
			tab, err := table()
			if err != nil || !anyAliveIn(tab, list) {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
}

func anyAliveIn(tab []procEntry, refs []Ref) bool {
	for _, r := range refs {
		if aliveIn(tab, r) {
			return true
		}
	}
	return false
}
