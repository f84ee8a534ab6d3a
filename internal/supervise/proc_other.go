//go:build !unix

package supervise

import (
	"context"
	"errors"
	"os"
	"runtime"
	"time"
)

// Proc is a started service process (not supported on this OS yet).
type Proc struct{}

// NativeSupported says why the native service name cannot run on this OS
// and what to do instead: callers check it before starting anything, so
// that the user reads that rather than a crash or a bare "unsupported".
func NativeSupported(name string) error {
	return &NativeUnsupportedError{Name: name, OS: runtime.GOOS}
}

// Start is not supported on this OS yet: it returns NativeSupported's
// error.
func Start(ctx context.Context, spec Spec) (*Proc, error) {
	return nil, NativeSupported(spec.Name)
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
