//go:build !unix

package run

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Stop kills the program: without Unix process groups and signals it
// can be stopped only at once, with what it started if its job holds it
// (Windows: see holdTree).
func (p *proc) Stop(time.Duration, os.Signal) error {
	p.stopMu.Lock()
	defer p.stopMu.Unlock()
	p.Kill()
	return nil
}

// Kill kills the program, with the processes it started if its job
// holds them, and waits for it to exit.
func (p *proc) Kill() {
	select {
	case <-p.done:
	default:
		if p.job.terminate() || p.os.Kill() == nil {
			p.killed.Store(true)
		}
	}
	<-p.done
}

func sysProcAttr(detach bool) *syscall.SysProcAttr { return nil }

func exitError(err error) error {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return &ExitError{Code: ee.ExitCode()}
	}
	return err
}
