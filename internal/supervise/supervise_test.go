//go:build linux

package supervise

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// testServer is the path of testdata/testserver, built once by TestMain.
var testServer string

func TestMain(m *testing.M) {
	if os.Getenv("SUPERVISE_TEST_HELPER") != "" {
		pdeathsigHelper()
		return
	}
	if os.Getenv("SUPERVISE_TEST_DAEMON") != "" {
		// The detached supervisor, as `onboard services _daemon` runs it.
		dir, _ := os.Getwd()
		if err := RunDaemon(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "supervise-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testServer = filepath.Join(dir, "testserver")
	gobin, err := exec.LookPath("go")
	if err != nil {
		fmt.Fprintln(os.Stderr, "go not on PATH:", err)
		os.Exit(1)
	}
	build := exec.Command(gobin, "build", "-o", testServer, "./testdata/testserver")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build testserver: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// lineClock records when the first output line matching a pattern was
// written (to measure how long after the port opened readiness was seen).
type lineClock struct {
	mu   sync.Mutex
	re   *regexp.Regexp
	buf  bytes.Buffer
	seen time.Time
}

func (c *lineClock) Write(p []byte) (int, error) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if c.seen.IsZero() && c.re.Match(c.buf.Bytes()) {
		c.seen = now
	}
	return len(p), nil
}

func (c *lineClock) at() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen
}

func (c *lineClock) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// startServer starts the test server with args and stops it at cleanup.
func startServer(t *testing.T, out io.Writer, args ...string) *Proc {
	t.Helper()
	p, err := Start(context.Background(), Spec{Name: "testserver", Argv: append([]string{testServer}, args...), Output: out})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Kill() })
	return p
}

// gone reports whether pid has exited (absent, or a zombie nobody reaped).
func gone(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	i := bytes.LastIndexByte(b, ')')
	return i >= 0 && len(b) > i+2 && b[i+2] == 'Z'
}

func waitGone(t *testing.T, pid int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !gone(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("pid %d still running %s later", pid, within)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestProbesDetectReadinessQuickly(t *testing.T) {
	for _, kind := range []string{"tcp", "http", "exec-argv", "exec-shell", "log"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			port := freePort(t)
			addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
			clock := &lineClock{re: regexp.MustCompile(`listening on`)}
			var out io.Writer = clock
			var probe Probe
			switch kind {
			case "tcp":
				probe = &TCPProbe{Addr: addr}
			case "http":
				probe = &HTTPProbe{URL: "http://" + addr + "/healthz"}
			case "exec-argv":
				probe = &ExecProbe{Argv: []string{testServer, "-check", addr}, Env: os.Environ()}
			case "exec-shell":
				probe = &ExecProbe{Shell: `"$SERVER" -check "$ADDR" 2>&1`, Env: append(os.Environ(), "SERVER="+testServer, "ADDR="+addr)}
			case "log":
				lp := NewLogProbe(regexp.MustCompile(`^listening on 127\.0\.0\.1:\d+$`))
				probe = lp
				out = io.MultiWriter(clock, lp)
			}
			start := time.Now()
			p := startServer(t, out, "-port", strconv.Itoa(port), "-delay", "200ms")
			if err := p.WaitReady(context.Background(), probe, 10*time.Second, 0); err != nil {
				t.Fatalf("%v\noutput:\n%s", err, clock)
			}
			ready := time.Now()
			opened := clock.at()
			if opened.IsZero() {
				t.Fatalf("ready, but the server has not said it listens:\n%s", clock)
			}
			t.Logf("%s: ready %v after start, %v after the server printed \"listening\"", kind, ready.Sub(start).Round(time.Microsecond), ready.Sub(opened).Round(time.Microsecond))
			if d := ready.Sub(start); d > 2*time.Second {
				t.Errorf("ready %v after start; want within 2s of a 200ms start delay", d)
			}
		})
	}
}

func TestHTTPProbeStatus(t *testing.T) {
	port := freePort(t)
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	p := startServer(t, nil, "-port", strconv.Itoa(port))
	if err := p.WaitReady(context.Background(), &TCPProbe{Addr: "127.0.0.1:" + strconv.Itoa(port)}, 10*time.Second, 0); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := (&HTTPProbe{URL: base + "/moved"}).Ready(ctx); err != nil {
		t.Errorf("302 should be ready: %v", err)
	}
	err := (&HTTPProbe{URL: base + "/fail"}).Ready(ctx)
	if err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("503: got %v, want an error naming the status", err)
	}
}

func TestWaitReadyTimeoutMessage(t *testing.T) {
	addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	start := time.Now()
	err := WaitReady(context.Background(), &TCPProbe{Addr: addr}, 300*time.Millisecond, 0)
	var nr *NotReadyError
	if !errors.As(err, &nr) {
		t.Fatalf("got %v, want a *NotReadyError", err)
	}
	want := "tcp " + addr + ": connection refused after 300ms"
	if err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
	t.Logf("%d attempts in %v", nr.Attempts, time.Since(start).Round(time.Millisecond))
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a 300ms deadline took %v", d)
	}

	err = WaitReady(context.Background(), &ExecProbe{Shell: "echo not yet >&2; exit 3"}, 100*time.Millisecond, 0)
	if want := `exec echo not yet >&2; exit 3: exit status 3: not yet after 100ms`; err == nil || err.Error() != want {
		t.Errorf("exec: got %q, want %q", err, want)
	}
}

func TestWaitReadyFailsWhenProcessExits(t *testing.T) {
	p := startServer(t, nil, "-no-such-flag")
	start := time.Now()
	err := p.WaitReady(context.Background(), &TCPProbe{Addr: "127.0.0.1:" + strconv.Itoa(freePort(t))}, 30*time.Second, 0)
	if err == nil || !strings.Contains(err.Error(), "exited before ready: exit status 2") {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to notice the exit", d)
	}
}

func TestLogProbeLines(t *testing.T) {
	lp := NewLogProbe(regexp.MustCompile(`^ready: (\w+)$`))
	for _, chunk := range []string{"start\r\nrea", "dy: y", "es\r", "\nmore\n"} {
		_, _ = lp.Write([]byte(chunk))
	}
	if err := lp.Ready(context.Background()); err != nil || lp.Line() != "ready: yes" {
		t.Fatalf("Ready = %v, Line = %q", err, lp.Line())
	}
	select {
	case <-lp.Changed():
	default:
		t.Error("Changed not closed after a match")
	}
	lp.Reset()
	if lp.Ready(context.Background()) == nil {
		t.Error("ready after Reset")
	}
	_, _ = lp.Write([]byte("ready: again"))
	if lp.Ready(context.Background()) == nil {
		t.Error("a line without its newline matched before Flush")
	}
	lp.Flush()
	if lp.Ready(context.Background()) != nil {
		t.Error("Flush did not match the last line")
	}
}

func TestStopKillsAfterTimeoutAndGrandchild(t *testing.T) {
	for _, ignore := range []bool{false, true} {
		t.Run(fmt.Sprintf("ignore-term=%v", ignore), func(t *testing.T) {
			t.Parallel()
			port := freePort(t)
			pidFile := filepath.Join(t.TempDir(), "grandchild.pid")
			args := []string{"-port", strconv.Itoa(port), "-grandchild", pidFile}
			if ignore {
				args = append(args, "-ignore-term")
			}
			p := startServer(t, nil, args...)
			if err := p.WaitReady(context.Background(), &TCPProbe{Addr: "127.0.0.1:" + strconv.Itoa(port)}, 10*time.Second, 0); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(pidFile)
			if err != nil {
				t.Fatal(err)
			}
			gc, _ := strconv.Atoi(string(b))
			if pg, err := syscall.Getpgid(gc); err != nil || pg != p.Pid() {
				t.Fatalf("grandchild %d in group %d (%v), want %d", gc, pg, err, p.Pid())
			}
			start := time.Now()
			if err := p.Stop(300*time.Millisecond, nil); err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			werr := p.Wait()
			var ee *ExitError
			if !errors.As(werr, &ee) {
				t.Fatalf("Wait = %v, want an *ExitError", werr)
			}
			want := syscall.SIGTERM
			if ignore {
				want = syscall.SIGKILL
			}
			if ee.Signal != want || p.Killed() != ignore {
				t.Errorf("Wait = %v, Killed = %v; want killed by %v", werr, p.Killed(), want)
			}
			t.Logf("stopped in %v: %v", took.Round(time.Millisecond), werr)
			if took > 3*time.Second {
				t.Errorf("Stop with a 300ms timeout took %v", took)
			}
			waitGone(t, gc, 2*time.Second)
		})
	}
}

func TestStopWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p, err := Start(ctx, Spec{Argv: []string{testServer, "-port", strconv.Itoa(freePort(t))}, StopTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case <-p.Done():
	case <-time.After(5 * time.Second):
		p.Kill()
		t.Fatal("still running 5s after its context ended")
	}
}

func TestStartCommandNotFound(t *testing.T) {
	_, err := Start(context.Background(), Spec{Shell: "no-such-program-onboard --flag"})
	if err == nil || err.Error() != "no-such-program-onboard: command not found" {
		t.Fatalf("got %v", err)
	}
}

func TestShellStrings(t *testing.T) {
	t.Run("plain command runs directly in its own group", func(t *testing.T) {
		port := freePort(t)
		var out bytes.Buffer
		var mu sync.Mutex
		w := writerFunc(func(b []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return out.Write(b) })
		p, err := Start(context.Background(), Spec{Shell: `exec '` + testServer + `' -port "` + strconv.Itoa(port) + `"`, Output: w})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Kill()
		if p.Pid() == 0 {
			t.Fatal("a plain shell string should run directly, with a pid")
		}
		if err := p.WaitReady(context.Background(), &TCPProbe{Addr: "127.0.0.1:" + strconv.Itoa(port)}, 10*time.Second, 0); err != nil {
			t.Fatal(err)
		}
		_ = p.Stop(2*time.Second, nil)
		_ = p.Wait()
		mu.Lock()
		defer mu.Unlock()
		if !strings.Contains(out.String(), "listening on") {
			t.Errorf("output not captured: %q", out.String())
		}
	})
	t.Run("other strings run in the in-process shell", func(t *testing.T) {
		port := freePort(t)
		p, err := Start(context.Background(), Spec{
			Shell:       `echo booting; "$SERVER" -port "$PORT"`,
			Env:         append(os.Environ(), "SERVER="+testServer, "PORT="+strconv.Itoa(port)),
			StopTimeout: time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Kill()
		if err := p.WaitReady(context.Background(), &TCPProbe{Addr: "127.0.0.1:" + strconv.Itoa(port)}, 10*time.Second, 0); err != nil {
			t.Fatal(err)
		}
		if err := p.Stop(0, nil); err != nil {
			t.Fatal(err)
		}
		if err := p.Wait(); err == nil {
			t.Error("Wait after Stop = nil, want the interrupt")
		}
		if err := (&TCPProbe{Addr: "127.0.0.1:" + strconv.Itoa(port)}).Ready(context.Background()); err == nil {
			t.Error("server still listening after Stop")
		}
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

func TestPlainArgv(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string // nil: needs the shell
	}{
		{`postgres -D .onboard/pgdata -p 5433 -k /tmp`, []string{"postgres", "-D", ".onboard/pgdata", "-p", "5433", "-k", "/tmp"}},
		{`go run ./cmd/api`, []string{"go", "run", "./cmd/api"}},
		{`exec redis-server --save ""`, []string{"redis-server", "--save", ""}},
		{`a 'b c' "d e" x=y`, []string{"a", "b c", "d e", "x=y"}},
		{`a ~/x`, nil},
		{`a $HOME`, nil},
		{`a "$HOME"`, nil},
		{`a *.go`, nil},
		{`a > log`, nil},
		{`a | b`, nil},
		{`a; b`, nil},
		{`X=1 a`, nil},
		{`cd /tmp`, nil},
		{`a \x`, nil},
		{`a &`, nil},
		{`a $(b)`, nil},
	} {
		got, ok := plainArgv(tc.in)
		if ok != (tc.want != nil) || strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("plainArgv(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestPortHolder(t *testing.T) {
	port := freePort(t)
	if pid, _, err := PortHolder(port); err != nil || pid != 0 {
		t.Fatalf("free port: pid %d, %v", pid, err)
	}
	if err := Preflight(port); err != nil {
		t.Fatalf("Preflight of a free port: %v", err)
	}
	p := startServer(t, nil, "-port", strconv.Itoa(port))
	if err := p.WaitReady(context.Background(), &TCPProbe{Addr: "127.0.0.1:" + strconv.Itoa(port)}, 10*time.Second, 0); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	pid, cmdline, err := PortHolder(port)
	t.Logf("PortHolder took %v", time.Since(start).Round(time.Microsecond))
	if err != nil || pid != p.Pid() || !strings.Contains(cmdline, "testserver -port "+strconv.Itoa(port)) {
		t.Fatalf("PortHolder = %d, %q, %v; want %d running the test server", pid, cmdline, err, p.Pid())
	}
	err = Preflight(port)
	want := fmt.Sprintf("port %d is already in use by pid %d (%s -port %d)", port, p.Pid(), testServer, port)
	if err == nil || err.Error() != want {
		t.Errorf("Preflight = %v\nwant %s", err, want)
	}

	// IPv6 and our own process.
	l, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback:", err)
	}
	defer l.Close()
	if pid, _, err := PortHolder(l.Addr().(*net.TCPAddr).Port); err != nil || pid != os.Getpid() {
		t.Errorf("IPv6 listener of the test: pid %d, %v; want %d", pid, err, os.Getpid())
	}
}

// TestPdeathsig kills a supervisor (this test binary as a helper) with
// SIGKILL and expects its service, which ignores SIGTERM, to die with it.
func TestPdeathsig(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	helper := exec.Command(self, "-test.run=^$")
	helper.Env = append(os.Environ(), "SUPERVISE_TEST_HELPER="+testServer)
	stdout, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	helper.Stderr = os.Stderr
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = helper.Process.Kill(); _ = helper.Wait() }()
	var pid int
	if _, err := fmt.Fscan(stdout, &pid); err != nil {
		t.Fatalf("helper did not print the service pid: %v", err)
	}
	if gone(pid) {
		t.Fatal("service not running")
	}
	if err := helper.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = helper.Wait()
	waitGone(t, pid, 2*time.Second)
}

// pdeathsigHelper is TestPdeathsig's supervisor: it starts the test server
// (ignoring SIGTERM), prints its pid once a goroutine-heavy moment has
// passed, and waits to be killed.
func pdeathsigHelper() {
	p, err := Start(context.Background(), Spec{Argv: []string{os.Getenv("SUPERVISE_TEST_HELPER"), "-port", "0", "-ignore-term"}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Churn goroutines and threads, so that an unlocked starter thread
	// could be retired and fire Pdeathsig early.
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() { defer wg.Done(); time.Sleep(time.Millisecond) }()
	}
	wg.Wait()
	fmt.Println(p.Pid())
	_ = p.Wait()
	os.Exit(1)
}
