//go:build unix

package run

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Stop: see Process. The stop signal goes to the group and to the
// processes that left it; without GroupGrace, what is left once the
// leader has exited gets SIGKILL at once.
func (p *proc) Stop(grace time.Duration, sig os.Signal) error {
	if grace <= 0 {
		grace = p.c.grace()
	}
	if sig == nil {
		sig = p.c.stopSignal()
	}
	s, ok := sig.(syscall.Signal)
	if !ok {
		return fmt.Errorf("stop signal %v is not a unix signal", sig)
	}
	p.stopMu.Lock()
	defer p.stopMu.Unlock()
	// Snapshot the tree first: a grandchild that escaped the group with
	// setsid is found only through its parent link, which its parent's
	// exit would cut.
	tree := descendants(p.pid)
	if !p.groupAlive() && !treeAlive(tree) {
		<-p.done
		return nil
	}
	_ = syscall.Kill(-p.pid, s)
	signalTree(tree, s)
	if p.c.GroupGrace {
		deadline := time.Now().Add(grace)
		gap := time.Millisecond
		for time.Now().Before(deadline) {
			select {
			case <-p.done:
				if !p.groupAlive() && !treeAlive(tree) {
					return nil
				}
			default:
			}
			time.Sleep(min(gap, time.Until(deadline)))
			gap = min(gap*2, 50*time.Millisecond)
		}
	} else {
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-p.done:
		case <-t.C:
		}
	}
	// Also stops stragglers that ignored the signal after the leader left.
	p.killTree(tree)
	<-p.done
	p.releaseOutput()
	return nil
}

// Kill: see Process.
func (p *proc) Kill() {
	p.killTree(descendants(p.pid))
	<-p.done
	p.releaseOutput()
}

// releaseOutput kills what still holds the output pipes of a program
// that was stopped: a process it left behind that escaped both its group
// and its tree — `(setsid daemon &)`, whose parent exited at once, so no
// parent link leads to it. Left alone it would keep the pipe, and so
// Wait, open for as long as it runs.
func (p *proc) releaseOutput() {
	if len(p.pipes) == 0 {
		return
	}
	select {
	case <-p.copied:
		return
	case <-time.After(20 * time.Millisecond):
	}
	for _, r := range pipeHolders(p.pipes) {
		signalTree(append(descendants(r.Pid), r), syscall.SIGKILL)
	}
}

// killTree SIGKILLs the process group and every process of tree (those
// that left the group).
func (p *proc) killTree(tree []Ref) {
	if err := syscall.Kill(-p.pid, syscall.SIGKILL); err == nil {
		p.killed.Store(true)
	}
	signalTree(tree, syscall.SIGKILL)
}

// groupAlive reports whether any process of the group is left, not
// counting zombies (a dead grandchild that nobody reaps yet, as under a
// container init that does not reap).
func (p *proc) groupAlive() bool {
	if syscall.Kill(-p.pid, 0) != nil {
		return false
	}
	return groupHasLive(p.pid)
}

// exitError converts exec's error into ours.
func exitError(err error) error {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return err
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return &ExitError{Code: 128 + int(ws.Signal()), Signal: ws.Signal()}
	}
	return &ExitError{Code: ee.ExitCode()}
}
