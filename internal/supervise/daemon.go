package supervise

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/onboard-dev/onboard/internal/lockfile"
	"github.com/onboard-dev/onboard/internal/rootfs"
	"github.com/onboard-dev/onboard/internal/run"
)

// File names in .onboard/services.
const (
	PidFileName = "supervisor.pid"
	LogFileName = "supervisor.log"
	spawnLock   = "spawn.lock"
)

// guardEnv marks the supervisor process that the guard started (see
// run.Guard): the guard waits, the supervisor proper works.
const guardEnv = "ONBOARD_SUPERVISOR_GUARDED"

// Connect returns a client of the detached supervisor of dir, starting one
// when none runs: path (the onboard binary) with args (argv, from its
// name on: "onboard services _daemon") is started in a session of its own, with dir as its working directory,
// so that it outlives the `onboard` that started it and the terminal.
// Two onboards connecting at once start one supervisor.
func Connect(ctx context.Context, dir, path string, args []string) (*Client, error) {
	if c, err := Dial(ctx, dir); err == nil {
		return c, nil
	}
	fsys, err := openDir(dir)
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	lock, err := fsys.OpenFile(spawnLock, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, inDir(fsys, err)
	}
	defer lock.Close()
	if err := lockfile.Wait(ctx, lock, 5*time.Millisecond); err != nil {
		return nil, err
	}
	// Whoever held the lock may have started one meanwhile.
	if c, err := Dial(ctx, dir); err == nil {
		return c, nil
	}
	logf, err := fsys.OpenFile(LogFileName, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, inDir(fsys, err)
	}
	defer logf.Close()
	p, err := run.Start(ctx, run.Command{Path: path, Argv: args, Dir: dir, Output: logf, Detach: true})
	if err != nil {
		return nil, fmt.Errorf("start the service supervisor: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- p.Wait() }()
	deadline := time.Now().Add(10 * time.Second)
	gap := time.Millisecond
	for {
		if c, err := Dial(ctx, dir); err == nil {
			return c, nil
		}
		select {
		case err := <-exited:
			// One that lost a race to another supervisor exits 0 and the
			// winner answers; anything else is a failure to explain.
			if c, derr := Dial(ctx, dir); derr == nil {
				return c, nil
			}
			return nil, fmt.Errorf("the service supervisor exited at start (%v); its log %s says: %s", err, filepath.Join(dir, LogFileName), lastLogLine(filepath.Join(dir, LogFileName)))
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		case <-time.After(gap):
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the service supervisor (pid %d) did not open its socket within 10s; see %s", p.Pid(), filepath.Join(dir, LogFileName))
		}
		// A failed dial of a unix socket costs microseconds: poll tightly,
		// every service of `up` waits for this.
		gap = min(gap*2, 2*time.Millisecond)
	}
}

func lastLogLine(path string) string {
	b, _ := os.ReadFile(path)
	s := strings.TrimSpace(string(b))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// ErrBusy is returned by Listen when another supervisor runs for the
// checkout.
var ErrBusy = errors.New("another supervisor runs for this checkout")

// Control is a supervisor's claim on its checkout: the locked pid file and
// the listening control socket.
type Control struct {
	dir  string
	fs   *rootfs.Root // dir, through which its files are written
	pidf *os.File
	ln   net.Listener
	act  *activity // requests in progress, for the idle exit
}

// Listen claims dir (.onboard/services) for this process: it locks the pid
// file (ErrBusy when another supervisor holds it), writes its pid, and
// listens on the control socket. One supervisor per checkout, detached or
// in the foreground.
func Listen(dir string) (*Control, error) {
	fsys, err := openDir(dir)
	if err != nil {
		return nil, err
	}
	pidf, err := fsys.OpenFile(PidFileName, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		fsys.Close()
		return nil, inDir(fsys, err)
	}
	if err := lockfile.TryLock(pidf); err != nil {
		pidf.Close()
		fsys.Close()
		if errors.Is(err, lockfile.ErrLocked) {
			return nil, ErrBusy
		}
		return nil, fmt.Errorf("lock %s: %w", PidFileName, err)
	}
	_ = pidf.Truncate(0)
	_, _ = pidf.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	_ = fsys.Remove(SocketName) // a dead supervisor's; we hold the lock
	ln, err := listenUnix(filepath.Join(dir, SocketName))
	if err != nil {
		pidf.Close()
		fsys.Close()
		return nil, fmt.Errorf("control socket: %w", err)
	}
	return &Control{dir: dir, fs: fsys, pidf: pidf, ln: ln, act: newActivity()}, nil
}

// Serve answers control requests for sup until ctx ends; shutdown is
// called once a stop of every service has been answered.
func (c *Control) Serve(ctx context.Context, sup *Supervisor, shutdown func()) {
	serve(ctx, sup, c.ln, shutdown, c.act)
}

// Close stops listening and removes the socket and the pid file.
func (c *Control) Close() {
	_ = c.ln.Close()
	_ = c.fs.Remove(SocketName)
	_ = c.fs.Remove(PidFileName)
	_ = c.pidf.Close()
	_ = c.fs.Close()
}

// listenUnix listens on a unix socket, through a shorter name (sockPath)
// when the path is too long for sun_path.
func listenUnix(path string) (net.Listener, error) {
	name, release, err := sockPath(path)
	if err != nil {
		return nil, err
	}
	defer release()
	return net.Listen("unix", name)
}

// RunDaemon is the detached supervisor: it runs in dir (.onboard/services),
// claims it (a second one exits at once), serves the control socket and
// runs the services it is asked to start, until a stop of everything or
// SIGTERM/SIGINT, when it stops every service in reverse dependency order
// and exits.
func RunDaemon(dir string) error {
	fsys, err := openDir(dir) // made before the process moves into it
	if err != nil {
		return err
	}
	fsys.Close()
	if err := os.Chdir(dir); err != nil {
		return err
	}
	if _, guarded, err := run.Guard(run.GuardOptions{Marker: guardEnv, Killed: func(n int) {
		logLine("guard: killed %d process(es) the supervisor left behind", n)
	}}); guarded {
		return err
	}
	ctl, err := Listen(dir)
	if errors.Is(err, ErrBusy) {
		logLine("another supervisor holds %s; exiting", PidFileName)
		return nil
	}
	if err != nil {
		return err
	}
	defer ctl.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	defer signal.Stop(sigs)

	sup, err := New(dir, Options{Notify: func(msg string) { logLine("%s", msg) }})
	if err != nil {
		return err
	}
	logLine("supervisor started (pid %d)", os.Getpid())
	_ = ctl.fs.Remove(LastStatusName) // an earlier supervisor's
	go ctl.Serve(ctx, sup, cancel)
	idle := make(chan []Status, 1)
	go watchIdle(ctx, sup, ctl, idle)
	select {
	case <-ctx.Done():
		logLine("all services stopped; exiting")
	case list := <-idle:
		// Nothing to supervise (a failed `up`, a stack that completed):
		// an idle supervisor would only hold the socket and memory.
		if err := writeLastStatus(ctl.fs, list); err != nil {
			logLine("writing %s: %v", LastStatusName, err)
		}
		logLine("no service is running; exiting")
	case sig := <-sigs:
		logLine("%v: stopping every service", sig)
		go func() {
			<-sigs
			logLine("second signal: killing every service")
			sup.Kill()
		}()
		_ = sup.Stop(nil, false)
	}
	return nil
}

// watchIdle sends the services' statuses on idle, once, when none of them
// is running, no request is in progress and none came for idleGrace. A
// supervisor is only ever started to start a service, so one that never
// got any exits too.
func watchIdle(ctx context.Context, sup *Supervisor, ctl *Control, idle chan<- []Status) {
	tick := time.NewTicker(idleGrace / 4)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var list []Status
		// Decided and acted on under the lock that requests take as they
		// arrive: once the socket is closed, no request can slip in and
		// start a service that this exit would then kill.
		if ctl.act.whenIdle(idleGrace, func() bool {
			// Four times a second: the cheap statuses (no process tree).
			list = sup.snapshots()
			if !nothingRuns(list) {
				return false
			}
			_ = ctl.ln.Close()
			return true
		}) {
			idle <- list
			return
		}
	}
}

func logLine(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s %s\n", time.Now().Format("2006-01-02 15:04:05.000"), fmt.Sprintf(format, args...))
}

// SupervisorPid is the pid in dir's pid file, 0 when there is none.
func SupervisorPid(dir string) int {
	b, err := os.ReadFile(filepath.Join(dir, PidFileName))
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}
