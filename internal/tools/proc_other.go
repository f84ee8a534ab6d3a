//go:build !unix

package tools

import "os/exec"

// killProcessGroup leaves os/exec's default: cancellation kills the
// process; Cmd.WaitDelay bounds the wait for children holding the pipe.
func killProcessGroup(cmd *exec.Cmd) {}
