package run

// Pids lists the live processes p runs now: its own process and every one
// below it, and for a script in the in-process shell (which has no pid)
// each program it runs and what runs below that. A supervisor looks at
// all of them because a service's own process is often only a shell: a
// program it started, rebuilt since, is further down. Below the own
// processes the tree is read only on Linux (elsewhere: the own processes
// alone); a fake has none.
func Pids(p Process) []int {
	var own []int
	switch p := p.(type) {
	case *proc:
		own = []int{p.pid}
	case *shellProc:
		own = p.programs()
	}
	var out []int
	for _, pid := range own {
		if pid <= 0 {
			continue
		}
		out = append(out, pid)
		out = append(out, below(pid)...)
	}
	return out
}
