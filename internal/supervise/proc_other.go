//go:build !unix

package supervise

import (
	"context"
	"errors"
	"os"
	"time"
)

// Proc is a started service process (not supported on this OS yet).
type Proc struct{}

// Start is not supported on this OS yet.
func Start(ctx context.Context, spec Spec) (*Proc, error) {
	return nil, errors.ErrUnsupported
}

func (p *Proc) Pid() int                                        { return 0 }
func (p *Proc) Done() <-chan struct{}                           { return nil }
func (p *Proc) Wait() error                                     { return errors.ErrUnsupported }
func (p *Proc) Killed() bool                                    { return false }
func (p *Proc) Stop(timeout time.Duration, sig os.Signal) error { return errors.ErrUnsupported }
func (p *Proc) Kill()                                           {}
func (p *Proc) WaitReady(ctx context.Context, probe Probe, timeout, interval time.Duration) error {
	return errors.ErrUnsupported
}

func signalName(s os.Signal) string { return "signal " + s.String() }

// signalNamed is nil: without Unix signals a service can only be killed.
func signalNamed(string) os.Signal { return nil }
