//go:build unix

package testsvc

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// mainEnv makes the test binary run Main instead of the tests: the tests
// start themselves with it as a real service process.
const mainEnv = "TESTSVC_MAIN"

// deadline bounds every wait for the child: generous, because a loaded CI
// machine can take seconds to start a process, and the tests only need it
// to be finite.
const deadline = 20 * time.Second

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" {
		Main()
	}
	os.Exit(m.Run())
}

// lockedBuffer collects the child's output, which exec copies from a
// goroutine while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// svc is a running test service.
type svc struct {
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{} // closed when Wait returned
	err  error         // Wait's result, set before done is closed
}

// start runs the test binary as a service with args; cleanup kills it if
// the test left it running.
func start(t *testing.T, args ...string) *svc {
	t.Helper()
	s := &svc{out: &lockedBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(os.Args[0], args...)
	s.cmd.Env = append(os.Environ(), mainEnv+"=1")
	if _, ok := os.LookupEnv("GORACE"); !ok {
		// Under -race a status-0 exit otherwise sleeps a second first
		// (the race runtime's atexit_sleep_ms), slowing every stop.
		s.cmd.Env = append(s.cmd.Env, "GORACE=atexit_sleep_ms=0")
	}
	s.cmd.Stdout = s.out
	s.cmd.Stderr = s.out
	// A grandchild inherits the output pipe; Wait must not hang on it.
	s.cmd.WaitDelay = time.Second
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.done
	})
	return s
}

// wait waits for the service to exit and returns its status: the exit
// code, or -1 when a signal killed it (then sig says which).
func (s *svc) wait(t *testing.T) (code int, sig syscall.Signal) {
	t.Helper()
	select {
	case <-s.done:
	case <-time.After(deadline):
		t.Fatalf("service did not exit within %v; output:\n%s", deadline, s.out)
	}
	var ee *exec.ExitError
	if s.err != nil && !errors.As(s.err, &ee) {
		t.Fatalf("wait: %v", s.err)
	}
	ws := s.cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		return -1, ws.Signal()
	}
	return ws.ExitStatus(), 0
}

// exited reports whether the service has exited.
func (s *svc) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// waitOutput waits until the service printed line (a whole line).
func (s *svc) waitOutput(t *testing.T, line string) {
	t.Helper()
	end := time.Now().Add(deadline)
	for !hasLine(s.out.String(), line) {
		if s.exited() {
			// One last look: the output may have arrived with the exit.
			if hasLine(s.out.String(), line) {
				return
			}
			t.Fatalf("service exited without printing %q; output:\n%s", line, s.out)
		}
		if time.Now().After(end) {
			t.Fatalf("service did not print %q within %v; output:\n%s", line, deadline, s.out)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func hasLine(out, line string) bool {
	for l := range strings.Lines(out) {
		if strings.TrimSuffix(l, "\n") == line {
			return true
		}
	}
	return false
}

// freeAddr returns a 127.0.0.1 address with a port that was free a moment
// ago: the kernel picked it for a listener that is closed again.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// get fetches url and returns the status code and body.
func get(url string) (int, string, error) {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func TestTestsvcHealthzAfterDelay(t *testing.T) {
	addr := freeAddr(t)
	const delay = time.Second
	begin := time.Now()
	s := start(t, "-listen", addr, "-delay", delay.String())

	// Nothing may answer before the delay is over; the check only means
	// something while that is still true of the clock.
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		if since := time.Since(begin); since < delay {
			t.Fatalf("%s accepted a connection after %v, before the %v delay", addr, since, delay)
		}
	}

	end := time.Now().Add(deadline)
	for {
		code, body, err := get("http://" + addr + "/healthz")
		if err == nil {
			if since := time.Since(begin); since < delay {
				t.Fatalf("/healthz answered after %v, before the %v delay", since, delay)
			}
			if code != 200 || body != "ok" {
				t.Fatalf("/healthz = %d %q, want 200 \"ok\"", code, body)
			}
			break
		}
		if s.exited() || time.Now().After(end) {
			t.Fatalf("/healthz never answered: %v; output:\n%s", err, s.out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.waitOutput(t, "listening on "+addr)

	code, body, err := get("http://" + addr + "/some/path")
	if err != nil || code != 200 || body != "/some/path" {
		t.Errorf("/some/path = %d %q, %v; want 200 \"/some/path\"", code, body, err)
	}
}

func TestTestsvcOutput(t *testing.T) {
	addr := freeAddr(t)
	pidfile := filepath.Join(t.TempDir(), "svc.pid")
	s := start(t, "-listen", addr, "-lines", "3", "-pidfile", pidfile,
		"-print", "ready to accept connections")
	s.waitOutput(t, "ready to accept connections")
	pid := strconv.Itoa(s.cmd.Process.Pid)
	want := "pid " + pid + "\nline 1\nline 2\nline 3\nlistening on " + addr +
		"\nready to accept connections\n"
	if got := s.out.String(); got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
	b, err := os.ReadFile(pidfile)
	if err != nil || strings.TrimSpace(string(b)) != pid {
		t.Errorf("pidfile = %q, %v; want %s", b, err, pid)
	}
}

func TestTestsvcTCP(t *testing.T) {
	addr := freeAddr(t)
	s := start(t, "-tcp", addr)
	s.waitOutput(t, "listening on "+addr)
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(deadline))
	// The service closes the connection: the read ends, with EOF or a
	// reset, but not with the deadline.
	_, err = c.Read(make([]byte, 1))
	var ne net.Error
	if err == nil || (errors.As(err, &ne) && ne.Timeout()) {
		t.Errorf("read = %v, want the connection closed", err)
	}
}

func TestTestsvcCrashAfter(t *testing.T) {
	addr := freeAddr(t)
	s := start(t, "-listen", addr, "-crash-after", "200ms")
	if code, sig := s.wait(t); code != 3 {
		t.Errorf("exit status %d (signal %v), want 3; output:\n%s", code, sig, s.out)
	}
	if !hasLine(s.out.String(), "listening on "+addr) || !hasLine(s.out.String(), "crashing") {
		t.Errorf("output lacks the listening or crashing line:\n%s", s.out)
	}
}

func TestTestsvcExit(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"-exit", "7"}, 7},
		{[]string{"-exit", "1"}, 1},
		{[]string{"-exit", "0", "-exit-after", "100ms"}, 0},
		{[]string{"-no-such-flag"}, 2},
	} {
		s := start(t, tc.args...)
		if code, sig := s.wait(t); code != tc.want {
			t.Errorf("%q: exit status %d (signal %v), want %d; output:\n%s", tc.args, code, sig, tc.want, s.out)
		}
	}
}

func TestTestsvcTerm(t *testing.T) {
	addr := freeAddr(t)
	s := start(t, "-listen", addr)
	// The handler is installed before the listener, so once it listens
	// SIGTERM is handled.
	s.waitOutput(t, "listening on "+addr)
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code, sig := s.wait(t); code != 0 {
		t.Errorf("after SIGTERM: exit status %d (signal %v), want 0", code, sig)
	}
	if !hasLine(s.out.String(), "stopping") {
		t.Errorf("output lacks \"stopping\":\n%s", s.out)
	}
}

func TestTestsvcIgnoreTerm(t *testing.T) {
	addr := freeAddr(t)
	s := start(t, "-listen", addr, "-ignore-term")
	s.waitOutput(t, "listening on "+addr)
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// A process that honours SIGTERM is gone well within this; one that
	// survives it must still serve.
	select {
	case <-s.done:
		t.Fatalf("exited after SIGTERM despite -ignore-term; output:\n%s", s.out)
	case <-time.After(500 * time.Millisecond):
	}
	if code, body, err := get("http://" + addr + "/healthz"); err != nil || code != 200 || body != "ok" {
		t.Errorf("/healthz after SIGTERM = %d %q, %v", code, body, err)
	}
	if err := s.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if code, sig := s.wait(t); code != -1 || sig != syscall.SIGKILL {
		t.Errorf("after SIGKILL: exit status %d, signal %v; want SIGKILL", code, sig)
	}
}

// procStat returns a process's process group and session ids from
// /proc/PID/stat (fields 5 and 6).
func procStat(t *testing.T, pid int) (pgrp, sid int) {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		t.Fatal(err)
	}
	// The command name (field 2) is in parentheses and may contain
	// spaces and parentheses: the fixed fields follow the last ')'.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 4 {
		t.Fatalf("/proc/%d/stat: too few fields: %q", pid, s)
	}
	// f[0] is field 3 (state), f[1] the ppid, f[2] the pgrp, f[3] the sid.
	if pgrp, err = strconv.Atoi(f[2]); err != nil {
		t.Fatal(err)
	}
	if sid, err = strconv.Atoi(f[3]); err != nil {
		t.Fatal(err)
	}
	return pgrp, sid
}

// waitPidfile waits for the service to write a pid to path.
func waitPidfile(t *testing.T, s *svc, path string) int {
	t.Helper()
	end := time.Now().Add(deadline)
	for {
		b, err := os.ReadFile(path)
		if err == nil {
			pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil || pid <= 0 {
				t.Fatalf("%s = %q, want a pid", path, b)
			}
			return pid
		}
		if s.exited() || time.Now().After(end) {
			t.Fatalf("no pid in %s: %v; output:\n%s", path, err, s.out)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestTestsvcGrandchild(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/PID/stat")
	}
	for _, setsid := range []bool{false, true} {
		flag := "-grandchild"
		if setsid {
			flag = "-setsid-grandchild"
		}
		t.Run(flag, func(t *testing.T) {
			pidfile := filepath.Join(t.TempDir(), "grandchild.pid")
			s := start(t, "-listen", freeAddr(t), flag, "-pidfile-grandchild", pidfile)
			gpid := waitPidfile(t, s, pidfile)
			// Kill the grandchild first, while the service still reaps
			// it; cleanups run last-in first-out, so this runs before
			// the service is killed.
			t.Cleanup(func() { syscall.Kill(gpid, syscall.SIGKILL) })

			pgrp, sid := procStat(t, s.cmd.Process.Pid)
			gpgrp, gsid := procStat(t, gpid)
			if setsid {
				if gsid == sid || gsid != gpid || gpgrp != gpid {
					t.Errorf("grandchild %d: session %d, group %d; service session %d: want its own session", gpid, gsid, gpgrp, sid)
				}
			} else if gpgrp != pgrp || gsid != sid {
				t.Errorf("grandchild %d: group %d, session %d; want the service's %d, %d", gpid, gpgrp, gsid, pgrp, sid)
			}
		})
	}
}
