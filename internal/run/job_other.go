//go:build !windows

package run

// job is what holds the whole process tree of a started program beyond
// its process group. Outside Windows there is nothing to hold: on Unix
// the group and the parent links are enough to stop it (proc_unix.go),
// and on macOS the program is named to the guard, which kills its group
// and tree should this process die first.
type job struct{}

// holdTree is called once a program that is not detached has started.
func holdTree(pid int) job {
	watch(pid)
	return job{}
}

// terminate kills the tree the job holds: there is none (it reports
// false). Only proc_other.go calls it, outside Unix.
//
//lint:ignore U1000 used outside Unix and Windows (proc_other.go)
func (job) terminate() bool { return false }

// close releases the job once the program has exited.
func (job) close() {}
