//go:build unix

package run

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func spec(t *testing.T) Spec {
	return Spec{Dir: t.TempDir(), Env: []string{"PATH=" + os.Getenv("PATH"), "GREETING=hi"}}
}

func TestShellAndArgv(t *testing.T) {
	var out bytes.Buffer
	s := spec(t)
	s.Output = &out
	s.Shell = `echo "$GREETING from $(basename "$PWD")"; printf 'x y' > f; test -f f`
	if err := Run(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "hi from "+filepath.Base(s.Dir)+"\n"; got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
	out.Reset()
	s.Shell, s.Argv = "", []string{"cat", "f"}
	if err := Run(context.Background(), s); err != nil || out.String() != "x y" {
		t.Errorf("argv: %v %q", err, out.String())
	}
}

func TestErrors(t *testing.T) {
	s := spec(t)
	s.Shell = "exit 3"
	var ee *ExitError
	if err := Run(context.Background(), s); !errors.As(err, &ee) || ee.Code != 3 {
		t.Errorf("exit 3: %v", err)
	}
	s.Shell, s.Argv = "", []string{"sh", "-c", "exit 4"}
	if err := Run(context.Background(), s); !errors.As(err, &ee) || ee.Code != 4 {
		t.Errorf("argv exit 4: %v", err)
	}
	s.Argv = []string{"no-such-program-onboard"}
	var nf *NotFoundError
	if err := Run(context.Background(), s); !errors.As(err, &nf) {
		t.Errorf("missing program: %v", err)
	}
	s.Argv, s.Shell = nil, "if then"
	if err := Run(context.Background(), s); err == nil || !strings.Contains(err.Error(), "shell syntax") {
		t.Errorf("syntax error: %v", err)
	}
	s.Shell = "no-such-program-onboard"
	if err := Run(context.Background(), s); !errors.As(err, &ee) || ee.Code != 127 {
		t.Errorf("shell missing program: %v", err)
	}
}

// TestTimeoutStopsTheWholeGroup starts a child that starts a grandchild and
// checks that a timeout leaves neither running.
func TestTimeoutStopsTheWholeGroup(t *testing.T) {
	for _, mode := range []string{"argv", "shell"} {
		t.Run(mode, func(t *testing.T) {
			s := spec(t)
			pidFile := filepath.Join(s.Dir, "pid")
			script := "sleep 60 & echo $! > " + pidFile + "; trap '' INT; wait"
			if mode == "argv" {
				s.Argv = []string{"sh", "-c", script}
			} else {
				s.Shell = "sh -c '" + strings.ReplaceAll(script, "'", `'\''`) + "'"
			}
			s.Timeout = 300 * time.Millisecond
			s.Grace = 200 * time.Millisecond
			start := time.Now()
			err := Run(context.Background(), s)
			var te *TimeoutError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a timeout", err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v to stop", d)
			}
			b, err := os.ReadFile(pidFile)
			if err != nil {
				t.Fatal(err)
			}
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			waitGone(t, pid)
		})
	}
}

func TestCancelReturnsContextError(t *testing.T) {
	s := spec(t)
	s.Argv = []string{"sleep", "60"}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	if err := Run(ctx, s); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			return
		}
		// A zombie whose parent died is reaped by init; treat as gone.
		if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil && strings.Contains(string(b), ") Z ") {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("process %d still running", pid)
}
