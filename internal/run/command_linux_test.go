package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv("RUN_TEST_PDEATHSIG"); dir != "" {
		pdeathsigHelper(dir)
		return
	}
	os.Exit(m.Run())
}

// A process that left the group (setsid) is stopped with it: found
// through its parent link, it gets the stop signal and then SIGKILL.
func TestStopReachesEscapedDescendants(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "escaped.pid")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		// The escaped one writes its pid once it has its session.
		done <- Run(ctx, Command{Shell: "sh -c 'setsid sh -c \"echo \\$$ > " + pidFile + "; exec sleep 60\" & wait'", Grace: 200 * time.Millisecond})
	}()
	escaped := readPid(t, pidFile)
	if sid, _ := syscall.Getpgid(escaped); sid != escaped {
		t.Fatalf("the sleep is in group %d, want a group (and session) of its own", sid)
	}
	start := time.Now()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	// Left running, it would hold the output pipe, and Run, for 60s.
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("stopping took %v", took)
	}
	waitGone(t, escaped)
}

// Programs die with onboard, even by kill -9 (Pdeathsig), however many
// goroutines and threads come and go meanwhile: a program run directly,
// and one the in-process shell runs.
func TestPdeathsig(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	helper := exec.Command(self, "-test.run=^$")
	helper.Env = append(os.Environ(), "RUN_TEST_PDEATHSIG="+dir)
	helper.Stderr = os.Stderr
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = helper.Process.Kill(); _ = helper.Wait() }()
	direct := readPid(t, filepath.Join(dir, "direct.pid"))
	shell := readPid(t, filepath.Join(dir, "shell.pid"))
	readPid(t, filepath.Join(dir, "ready"))
	if err := helper.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = helper.Wait()
	waitGone(t, direct)
	waitGone(t, shell)
}

// pdeathsigHelper is TestPdeathsig's onboard: it starts a program and a
// script, churns goroutines and threads (an unlocked starter thread could
// be retired and fire Pdeathsig early), says it is ready, and waits to be
// killed.
func pdeathsigHelper(dir string) {
	p, err := Start(context.Background(), Command{Argv: []string{"sleep", "60"}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_ = os.WriteFile(filepath.Join(dir, "direct.pid"), fmt.Appendf(nil, "%d\n", p.Pid()), 0o644)
	_, err = Start(context.Background(), Command{Shell: "sh -c 'echo $$ > " + filepath.Join(dir, "shell.pid") + "; exec sleep 60'"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() { defer wg.Done(); time.Sleep(time.Millisecond) }()
	}
	wg.Wait()
	_ = os.WriteFile(filepath.Join(dir, "ready"), []byte("1\n"), 0o644)
	_ = p.Wait()
	os.Exit(1)
}
