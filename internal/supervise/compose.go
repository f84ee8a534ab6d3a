package supervise

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/onboard-dev/onboard/internal/run"
)

// ErrNoContainer is returned by ComposeService.State when the service has
// no container (never started, or removed by Down).
var ErrNoContainer = errors.New("no container")

// ComposeService is one service delegated to Docker Compose.
type ComposeService struct {
	Command []string // the compose command: ["docker","compose"] or ["docker-compose"]
	File    string   // absolute path of the compose file
	Project string   // compose project name (-p), so stacks of two checkouts do not collide
	Service string   // service name inside the compose file
	Dir     string   // working directory (the repository root)
	Env     []string // environment for the compose command; nil inherits

	// Runner runs docker and compose; nil is run.System.
	Runner run.Runner
}

// ContainerState is what Docker reports about a service's container.
type ContainerState struct {
	Running  bool
	ExitCode int
	// Health is "" when neither the image nor the compose file defines a
	// healthcheck, else "starting", "healthy" or "unhealthy".
	Health string
	Pid    int    // the container's main process on the host; 0 when not running
	Status string // Docker's status: "created", "running", "exited", ...
}

// lookupTimeout bounds the quick probes (`docker compose version`,
// `docker info`): a hung daemon or plugin must not hang onboard's start.
const lookupTimeout = 10 * time.Second

// FindCompose returns the compose command: `docker compose` when `docker
// compose version` works, else `docker-compose` when it is on PATH. The
// error says what is missing; callers prefix it with the service name.
func FindCompose(ctx context.Context) ([]string, error) {
	return findCompose(ctx, run.System{})
}

func findCompose(ctx context.Context, runner run.Runner) ([]string, error) {
	// The docker CLI is required even with standalone docker-compose:
	// State and ContainerID talk to the engine through `docker`.
	if _, err := exec.LookPath("docker"); err != nil {
		return nil, errors.New("docker is not installed (no `docker` on PATH)")
	}
	ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
	defer cancel()
	// The v2 plugin is preferred: v1 is end-of-life, and a machine with
	// both usually has v1 only as a leftover.
	if runner.Run(ctx, run.Command{Argv: []string{"docker", "compose", "version"}, StopSignal: os.Kill}) == nil {
		return []string{"docker", "compose"}, nil
	}
	if _, err := exec.LookPath("docker-compose"); err == nil {
		return []string{"docker-compose"}, nil
	}
	return nil, errors.New("neither `docker compose` nor `docker-compose` is installed")
}

// CheckDaemon runs `docker info` and returns a clear error when the Docker
// daemon is not running or does not answer within 10 s.
func CheckDaemon(ctx context.Context) error {
	return checkDaemon(ctx, run.System{})
}

func checkDaemon(ctx context.Context, runner run.Runner) error {
	ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
	defer cancel()
	// --format keeps stdout to one line; the reason is on stderr.
	var stdout, stderr bytes.Buffer
	err := runner.Run(ctx, run.Command{Argv: []string{"docker", "info", "--format", "{{.ServerVersion}}"},
		Stdout: &stdout, Output: &stderr, StopSignal: os.Kill})
	switch {
	case err == nil:
		return nil
	case errors.As(err, new(*run.NotFoundError)):
		return errors.New("docker is not installed (no `docker` on PATH)")
	case ctx.Err() != nil:
		return fmt.Errorf("the Docker daemon is not responding (docker info: no answer in %s)", lookupTimeout)
	}
	reason := firstLine(stderr.String())
	if reason == "" {
		reason = firstLine(stdout.String())
	}
	if reason == "" {
		reason = err.Error()
	}
	return fmt.Errorf("the Docker daemon is not running (docker info: %s)", reason)
}

// Up starts the service in the background: `up -d SERVICE`. Compose also
// starts the service's depends_on, which onboard leaves to it.
func (c *ComposeService) Up(ctx context.Context) error {
	_, err := c.compose(ctx, "up", "-d", c.Service)
	return err
}

// ContainerID returns the ID of the service's container, stopped or not;
// "" when there is none.
//
// It asks the engine by compose's labels rather than `compose ps -q`: v2's
// ps hides stopped containers unless given -a, while v1's -a adds the
// one-off containers of `compose run`, so no single ps command line means
// the same to both.
func (c *ComposeService) ContainerID(ctx context.Context) (string, error) {
	out, err := c.docker(ctx, "ps", "-a", "-q", "--no-trunc",
		"--filter", "label=com.docker.compose.project="+labelProject(c.Project),
		"--filter", "label=com.docker.compose.service="+c.Service,
		"--filter", "label=com.docker.compose.oneoff=False")
	if err != nil {
		return "", err
	}
	// With `scale` there can be several; the first (newest) stands for
	// the service.
	return firstLine(string(out)), nil
}

// State inspects the service's container. It returns ErrNoContainer when
// there is none.
func (c *ComposeService) State(ctx context.Context) (ContainerState, error) {
	id, err := c.ContainerID(ctx)
	if err != nil {
		return ContainerState{}, err
	}
	if id == "" {
		return ContainerState{}, ErrNoContainer
	}
	out, err := c.docker(ctx, "inspect", "--type", "container", "--format", "{{json .State}}", id)
	if err != nil {
		// Removed between ps and inspect (a concurrent Down).
		if strings.Contains(strings.ToLower(err.Error()), "no such") {
			return ContainerState{}, ErrNoContainer
		}
		return ContainerState{}, err
	}
	var s struct {
		Status   string
		Running  bool
		ExitCode int
		Pid      int
		Health   *struct{ Status string }
	}
	if err := json.Unmarshal(bytes.TrimSpace(out), &s); err != nil {
		return ContainerState{}, fmt.Errorf("docker inspect %s: %w", id, err)
	}
	st := ContainerState{Running: s.Running, ExitCode: s.ExitCode, Pid: s.Pid, Status: s.Status}
	if s.Health != nil {
		st.Health = s.Health.Status
	}
	return st, nil
}

// Stop stops the service's container, giving it timeout to exit after
// SIGTERM before compose kills it: `stop -t SECONDS SERVICE`.
func (c *ComposeService) Stop(ctx context.Context, timeout time.Duration) error {
	// Rounded up: -t takes whole seconds, and 0 would mean kill at once.
	secs := max(int(math.Ceil(timeout.Seconds())), 0)
	_, err := c.compose(ctx, "stop", "-t", strconv.Itoa(secs), c.Service)
	return err
}

// Down removes the whole project's containers and networks (not its
// volumes, which hold data such as databases). Call it when the project's
// last compose service stops.
func (c *ComposeService) Down(ctx context.Context) error {
	_, err := c.compose(ctx, "down")
	return err
}

// Logs writes the service's output (stdout and stderr) to w; with follow
// it keeps writing until the container stops or ctx is cancelled, which is
// not an error.
func (c *ComposeService) Logs(ctx context.Context, w io.Writer, follow bool) error {
	// No prefix: the supervisor adds its own, as for every service.
	args := []string{"logs", "--no-color", "--no-log-prefix"}
	if follow {
		args = append(args, "-f")
	}
	args = append(args, c.Service)
	var stderr bytes.Buffer
	// stdout and stderr are copied in two goroutines; w need not be safe
	// for concurrent use, so its writes are serialized here.
	lw := &lockedWriter{w: w}
	if err := c.run(ctx, c.composeArgv(args...), lw, io.MultiWriter(lw, &stderr)); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return c.cmdError(args, err, stderr.Bytes())
	}
	return nil
}

// lockedWriter serializes writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// compose runs the compose command with -f and -p and the given
// arguments, returning its stdout. The error carries the last lines of
// its output, where compose says what went wrong.
func (c *ComposeService) compose(ctx context.Context, args ...string) ([]byte, error) {
	var stdout, both bytes.Buffer
	if err := c.run(ctx, c.composeArgv(args...), io.MultiWriter(&stdout, &both), &both); err != nil {
		return nil, c.cmdError(args, err, both.Bytes())
	}
	return stdout.Bytes(), nil
}

// docker runs the docker CLI with the service's environment.
func (c *ComposeService) docker(ctx context.Context, args ...string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	if err := c.run(ctx, append([]string{"docker"}, args...), &stdout, &stderr); err != nil {
		msg := lastLines(stderr.Bytes(), 3)
		if msg == "" {
			return nil, fmt.Errorf("`docker %s`: %w", args[0], err)
		}
		return nil, fmt.Errorf("`docker %s`: %w: %s", args[0], err, msg)
	}
	return stdout.Bytes(), nil
}

func (c *ComposeService) composeArgv(args ...string) []string {
	argv := append([]string(nil), c.Command...)
	argv = append(argv, "-f", c.File, "-p", c.Project)
	return append(argv, args...)
}

// run runs argv (docker or compose) with the service's directory and
// environment, killed at once when ctx ends.
func (c *ComposeService) run(ctx context.Context, argv []string, stdout, stderr io.Writer) error {
	return run.Or(c.Runner).Run(ctx, run.Command{Argv: argv, Dir: c.Dir, Env: c.Env,
		Stdout: stdout, Output: stderr, StopSignal: os.Kill,
		// A grandchild that inherits the output pipe must not keep Run
		// waiting forever after compose itself has exited or been killed.
		WaitDelay: 5 * time.Second})
}

// cmdError names the command as a user would type it (without the long
// -f/-p arguments) and appends the tail of its output.
func (c *ComposeService) cmdError(args []string, err error, out []byte) error {
	name := strings.Join(append(append([]string(nil), c.Command...), args...), " ")
	if msg := lastLines(out, 5); msg != "" {
		return fmt.Errorf("`%s`: %w: %s", name, err, msg)
	}
	return fmt.Errorf("`%s`: %w", name, err)
}

// ComposeProject returns the compose project name for a checkout at root:
// its directory name plus a short hash of its absolute path, so that two
// checkouts of the same repository get separate stacks. The name satisfies
// compose v2's rule: lowercase [a-z0-9_-], starting with a letter or digit.
func ComposeProject(root string) string {
	abs, err := filepath.Abs(root)
	if err != nil {
		abs = filepath.Clean(root)
	}
	// The same checkout reached through a symlink is still one stack.
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	var b strings.Builder
	for _, r := range strings.ToLower(filepath.Base(abs)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	// Trimmed and capped: container names are PROJECT-SERVICE-N and
	// should stay readable in `docker ps`.
	base := strings.Trim(b.String(), "-_")
	if len(base) > 40 {
		base = strings.TrimRight(base[:40], "-_")
	}
	if base == "" {
		base = "onboard"
	}
	sum := sha256.Sum256([]byte(abs))
	return base + "-" + hex.EncodeToString(sum[:3])
}

// labelProject is the project name as compose writes it into its labels.
// v1 silently normalizes -p (lowercase, only [-_a-z0-9]); v2 rejects
// other names, so normalizing is right for both.
func labelProject(p string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '-':
			return r
		}
		return -1
	}, strings.ToLower(p))
}

// firstLine returns the first non-blank line of s, trimmed.
func firstLine(s string) string {
	for line := range strings.SplitSeq(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
	}
	return ""
}

// lastLines returns the last n non-blank lines of out joined by "; ",
// enough to show compose's error without its whole progress output.
func lastLines(out []byte, n int) string {
	var lines []string
	for line := range strings.SplitSeq(string(out), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "; ")
}
