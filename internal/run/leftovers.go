//go:build unix

package run

import (
	"os"
	"syscall"
	"time"
)

// KillLeftovers SIGKILLs every process still running below this one,
// except the detached ones, and returns them so that the run can say what
// it stopped. What a step left behind — `sleep 1000 &` in a script that
// exited, a daemon that forked away with setsid — is found through parent
// links, and, below a [Guard] with Adopt, also after its parent died: it
// was re-parented here.
func KillLeftovers() []Leftover {
	keep := spared()
	var out []Leftover
	for _, r := range descendantsExcept(os.Getpid(), keep) {
		out = append(out, Leftover{Pid: r.Pid, Command: commandLine(r.Pid)})
	}
	if len(out) > 0 {
		killBelow(os.Getpid(), keep, nil)
	}
	return out
}

// Abandon is for a run that must end now — its terminal hung up, or its
// guard was killed: from here no process starts, and every process below
// this one but the detached ones is SIGKILLed at once, with no grace.
func Abandon() {
	abandoned.Store(true)
	killBelow(os.Getpid(), spared(), nil)
}

// killBelow SIGKILLs every process whose parent chain leads to pid, except
// the spared ones and what runs below them, until none is left; killed
// (if not nil) is told each round's count. The dead are not reaped here:
// exec's Wait reaps what this process started, and what it adopted is
// reaped by whoever adopts it when this process exits, moments later.
func killBelow(pid int, spared map[Ref]bool, killed func(n int)) {
	for range 50 {
		tree := descendantsExcept(pid, spared)
		if len(tree) == 0 {
			return
		}
		signalTree(tree, syscall.SIGKILL)
		if killed != nil {
			killed(len(tree))
		}
		// SIGKILL is delivered, not done: wait for the tree to die
		// before looking again, or the next round counts it twice.
		for deadline := time.Now().Add(time.Second); treeAlive(tree) && time.Now().Before(deadline); {
			time.Sleep(2 * time.Millisecond)
		}
	}
}
