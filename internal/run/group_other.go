//go:build !unix

package run

import (
	"context"
	"os/exec"
	"time"
)

// startAndWait starts cmd and kills it when ctx ends. Without Unix process
// groups only the process itself can be stopped.
func startAndWait(ctx context.Context, cmd *exec.Cmd, grace time.Duration) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-ctx.Done():
			_ = cmd.Process.Kill()
		}
	}()
	err := cmd.Wait()
	close(done)
	return err
}

func exitCode(ee *exec.ExitError) int { return ee.ExitCode() }
