package supervise

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// requireDocker skips the test when the Docker daemon cannot be reached,
// except on CI (CI=true), where a missing Docker is a broken runner and
// must fail rather than pass silently.
func requireDocker(t *testing.T) {
	t.Helper()
	if err := CheckDaemon(context.Background()); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("docker is required on CI: %v", err)
		}
		t.Skipf("docker not available: %v", err)
	}
}

// buildComposeImage builds testdata/composesvc into a FROM scratch image
// (no registry is needed, nor reachable on every test machine) and
// returns its tag; the image is removed when the test ends.
func buildComposeImage(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("go not on PATH:", err)
	}
	build := exec.Command(gobin, "build", "-o", filepath.Join(dir, "svc"), "./testdata/composesvc")
	// Static and for Linux: the image has no libc, and the engine runs
	// Linux containers even when the test runs elsewhere.
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build composesvc: %v\n%s", err, out)
	}
	dockerfile := "FROM scratch\n" +
		"COPY svc /svc\n" +
		`HEALTHCHECK --interval=1s --timeout=2s --retries=30 CMD ["/svc","-healthcheck","http://127.0.0.1:8080/healthz"]` + "\n" +
		`ENTRYPOINT ["/svc"]` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tag := "onboard-test-composesvc:" + hex.EncodeToString(rnd[:])
	if out, err := exec.Command("docker", "build", "-q", "-t", tag, dir).CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("docker", "rmi", "-f", tag).CombinedOutput(); err != nil {
			t.Logf("docker rmi %s: %v\n%s", tag, err, out)
		}
	})
	return tag
}

// newComposeService writes compose into a temporary directory and returns
// the service, with Down registered as cleanup so that no container or
// network outlives the test, whatever it fails on.
func newComposeService(t *testing.T, command []string, compose, service string) *ComposeService {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "docker-compose.yml")
	if err := os.WriteFile(file, []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	c := &ComposeService{Command: command, File: file, Project: ComposeProject(dir), Service: service, Dir: dir}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if err := c.Down(ctx); err != nil {
			t.Logf("cleanup: %v", err)
		}
	})
	return c
}

func TestComposeLifecycle(t *testing.T) {
	requireDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	command, err := FindCompose(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("compose command: %q", command)
	image := buildComposeImage(t)
	port := freePort(t)
	c := newComposeService(t, command, fmt.Sprintf(`version: "2.4"
services:
  web:
    image: %s
    ports:
      - "127.0.0.1:%d:8080"
`, image, port), "web")

	if id, err := c.ContainerID(ctx); err != nil || id != "" {
		t.Fatalf("ContainerID before Up = %q, %v; want \"\", nil", id, err)
	}
	if _, err := c.State(ctx); !errors.Is(err, ErrNoContainer) {
		t.Fatalf("State before Up: %v, want ErrNoContainer", err)
	}

	if err := c.Up(ctx); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	var st ContainerState
	for {
		st, err = c.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Health == "healthy" {
			break
		}
		if !st.Running || st.Health == "unhealthy" || time.Now().After(deadline) {
			var logs bytes.Buffer
			_ = c.Logs(ctx, &logs, false)
			t.Fatalf("container never became healthy: %+v\nlogs:\n%s", st, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !st.Running || st.Pid <= 0 || st.Status != "running" {
		t.Errorf("healthy container state %+v, want running with a pid", st)
	}

	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/healthz", port))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz: %s, want 200", resp.Status)
	}

	var logs bytes.Buffer
	if err := c.Logs(ctx, &logs, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "composesvc listening on :8080") {
		t.Errorf("logs lack the start line:\n%s", logs.String())
	}
	// Following ends with the context, which is not an error. The context
	// ends once the line is seen (docker-compose v1, a Python program,
	// can take seconds to start on a loaded machine), or after 30 s.
	fctx, fcancel := context.WithTimeout(ctx, 30*time.Second)
	followed := &untilWriter{want: "composesvc listening", seen: fcancel}
	err = c.Logs(fctx, followed, true)
	fcancel()
	if err != nil || !strings.Contains(followed.String(), "composesvc listening") {
		t.Errorf("Logs(follow) = %v, output:\n%s", err, followed.String())
	}

	if err := c.Stop(ctx, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	st, err = c.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Exit code 0: the service shut down on SIGTERM rather than being
	// killed when the stop timeout ran out.
	if st.Running || st.Status != "exited" || st.ExitCode != 0 {
		t.Errorf("state after Stop %+v, want exited with code 0", st)
	}

	if err := c.Down(ctx); err != nil {
		t.Fatal(err)
	}
	if id, err := c.ContainerID(ctx); err != nil || id != "" {
		t.Errorf("ContainerID after Down = %q, %v; want \"\", nil", id, err)
	}
	if _, err := c.State(ctx); !errors.Is(err, ErrNoContainer) {
		t.Errorf("State after Down: %v, want ErrNoContainer", err)
	}
}

func TestComposeUnknownService(t *testing.T) {
	requireDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	command, err := FindCompose(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The image does not exist either: compose must fail on the service
	// name before it gets to pulling anything.
	c := newComposeService(t, command, `version: "2.4"
services:
  web:
    image: onboard-test-nonexistent:never
`, "nosuchservice")
	err = c.Up(ctx)
	if err == nil || !strings.Contains(err.Error(), "nosuchservice") {
		t.Fatalf("Up of an unknown service: %v, want an error naming it", err)
	}
	t.Log(err)
}

func TestFindComposeMissingDocker(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := FindCompose(context.Background())
	if err == nil || !strings.Contains(err.Error(), "docker is not installed") {
		t.Fatalf("FindCompose without docker: %v, want \"docker is not installed\"", err)
	}
}

func TestComposeCheckDaemonNotRunning(t *testing.T) {
	requireDocker(t) // the docker CLI must be there to report the daemon
	t.Setenv("DOCKER_HOST", "unix:///nonexistent.sock")
	t.Setenv("DOCKER_CONTEXT", "") // a context would override DOCKER_HOST
	err := CheckDaemon(context.Background())
	if err == nil || !strings.Contains(err.Error(), "daemon is not running") || !strings.Contains(err.Error(), "nonexistent.sock") {
		t.Fatalf("CheckDaemon with no daemon: %v, want \"daemon is not running\" and the reason", err)
	}
	t.Log(err)
}

func TestComposeProject(t *testing.T) {
	valid := regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*-[0-9a-f]{6}$`)
	for root, base := range map[string]string{
		"/src/onboard-api":            "onboard-api",
		"/src/My Project!":            "my-project",
		"/src/.hidden":                "hidden",
		"/src/日本":                     "onboard",
		"/src/Foo_Bar.v2":             "foo_bar-v2",
		"/" + strings.Repeat("a", 60): strings.Repeat("a", 40),
	} {
		got := ComposeProject(root)
		if !valid.MatchString(got) || !strings.HasPrefix(got, base+"-") || len(got) != len(base)+7 {
			t.Errorf("ComposeProject(%q) = %q, want %q-<6 hex>", root, got, base)
		}
		if again := ComposeProject(root); again != got {
			t.Errorf("ComposeProject(%q) not stable: %q then %q", root, got, again)
		}
	}
	// Two checkouts with the same directory name must not share a stack.
	if a, b := ComposeProject("/a/api"), ComposeProject("/b/api"); a == b {
		t.Errorf("ComposeProject gives %q for both /a/api and /b/api", a)
	}
}

// untilWriter keeps what is written and calls seen once want appears.
type untilWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen func()
}

func (u *untilWriter) Write(p []byte) (int, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.buf.Write(p)
	if strings.Contains(u.buf.String(), u.want) {
		u.seen()
	}
	return len(p), nil
}

func (u *untilWriter) String() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.buf.String()
}
