//go:build unix

package run

import (
	"context"
	"os/exec"
	"syscall"
	"time"
)

// startAndWait starts cmd as the leader of a new process group and waits.
// When ctx ends, the whole group gets SIGINT, then SIGKILL after grace:
// a `make` that started a compiler must not leave the compiler running.
func startAndWait(ctx context.Context, cmd *exec.Cmd, grace time.Duration) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	pgid := cmd.Process.Pid
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case <-done:
			return
		case <-ctx.Done():
		}
		_ = syscall.Kill(-pgid, syscall.SIGINT)
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-done:
		case <-t.C:
		}
		// Also reaps stragglers that ignored SIGINT after the leader left.
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}()
	err := cmd.Wait()
	close(done)
	<-stopped
	return err
}

func exitCode(ee *exec.ExitError) int {
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ee.ExitCode()
}
