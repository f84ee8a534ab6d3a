//go:build !unix

package run

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Stop kills the program: without Unix process groups and signals only
// the process itself can be stopped, and only at once.
func (p *proc) Stop(time.Duration, os.Signal) error {
	p.stopMu.Lock()
	defer p.stopMu.Unlock()
	p.Kill()
	return nil
}

// Kill kills the program and waits for it to exit.
func (p *proc) Kill() {
	select {
	case <-p.done:
	default:
		if p.os.Kill() == nil {
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
