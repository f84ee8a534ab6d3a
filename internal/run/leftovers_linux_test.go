package run

import (
	"bytes"
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A stopped command's output pipe held by a process that escaped both its
// group and its tree (its parent exited at once) no longer holds Run up:
// the holder is killed.
func TestStopKillsWhatHoldsTheOutput(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "holder.pid")
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Command{
			Argv:   []string{"sh", "-c", `(setsid sh -c 'echo $$ > ` + pidFile + `; exec sleep 60' &); sleep 60`},
			Output: &out, Grace: 100 * time.Millisecond,
		})
	}()
	holder := readPid(t, pidFile)
	defer syscall.Kill(holder, syscall.SIGKILL)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run still waits for output that an escaped process holds")
	}
	waitGone(t, holder)
}

// KillLeftovers kills what still runs below this process and names it,
// but spares a detached process (the service supervisor).
func TestKillLeftoversSparesDetached(t *testing.T) {
	kept := startDetached(t)
	left, err := Start(context.Background(), Command{Argv: []string{"sleep", "61"}})
	if err != nil {
		t.Fatal(err)
	}
	got := KillLeftovers()
	if len(got) != 1 || got[0].Pid != left.Pid() || got[0].Command != "sleep 61" {
		t.Errorf("KillLeftovers = %+v, want just sleep 61 (pid %d)", got, left.Pid())
	}
	_ = left.Wait()
	if !Running(kept.Pid()) {
		t.Error("the detached process was killed")
	}
}

// onlySpared, the shortcut that skips the scan of /proc, holds only while
// every child is spared: one other child (or no spared list) sends
// KillLeftovers back to the scan that finds it.
func TestOnlySpared(t *testing.T) {
	kept := startDetached(t)
	ref := RefOf(kept.Pid())
	if !onlySpared(map[Ref]bool{ref: true}) {
		t.Error("onlySpared = false with the one child spared")
	}
	if onlySpared(nil) {
		t.Error("onlySpared = true with nothing spared")
	}
	if onlySpared(map[Ref]bool{{Pid: ref.Pid, Start: ref.Start + 1}: true}) {
		t.Error("onlySpared = true for a child whose start time differs from the spared one (a reused pid)")
	}
	other, err := Start(context.Background(), Command{Argv: []string{"sleep", "62"}})
	if err != nil {
		t.Fatal(err)
	}
	if onlySpared(map[Ref]bool{ref: true}) {
		t.Error("onlySpared = true with a child that is not spared")
	}
	got := KillLeftovers()
	if len(got) != 1 || got[0].Pid != other.Pid() {
		t.Errorf("KillLeftovers = %+v, want just sleep 62 (pid %d)", got, other.Pid())
	}
	_ = other.Wait()
}

// startDetached starts `sleep 60` as a detached process (as the service
// supervisor is), killed when the test ends.
func startDetached(t *testing.T) Process {
	t.Helper()
	p, err := Start(context.Background(), Command{Argv: []string{"sleep", "60"}, Detach: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(p.Pid(), syscall.SIGKILL)
		_ = p.Wait()
	})
	return p
}
