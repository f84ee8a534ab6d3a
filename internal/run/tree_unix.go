//go:build unix

package run

import "syscall"

// KillTree SIGKILLs r's process group, r, and every process below it,
// also those that left its group: the processes of a service that a
// supervisor which died left running. Where the tree cannot be read
// (descendants is empty) the group and r are what is killed.
func KillTree(r Ref) {
	tree := descendants(r.Pid)
	_ = syscall.Kill(-r.Pid, syscall.SIGKILL)
	_ = syscall.Kill(r.Pid, syscall.SIGKILL)
	signalTree(tree, syscall.SIGKILL)
}

// signalTree sends sig to every process of tree that is still the one
// recorded.
func signalTree(tree []Ref, sig syscall.Signal) {
	for _, r := range tree {
		if r.Alive() {
			_ = syscall.Kill(r.Pid, sig)
		}
	}
}

func treeAlive(tree []Ref) bool {
	for _, r := range tree {
		if r.Alive() {
			return true
		}
	}
	return false
}
