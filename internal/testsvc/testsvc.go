//go:build unix

// Package testsvc is a tiny, configurable service program for end-to-end
// tests of the process supervisor: it listens (HTTP or plain TCP), starts
// late, crashes, exits, ignores SIGTERM or leaves grandchildren behind on
// request, so that each supervisor behaviour can be exercised against a
// real process without depending on any installed server.
//
// A test binary runs it by calling Main from its TestMain when an
// environment variable says so, and starting itself (os.Args[0]) as the
// service command.
package testsvc

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// options are the parsed command-line flags.
type options struct {
	listen, tcp                  string
	delay, crashAfter, exitAfter time.Duration
	exit                         int
	ignoreTerm                   bool
	grandchild, setsidGrandchild bool
	pidfileGrandchild            string
	sleepForever                 bool
	print                        string
	pidfile                      string
	lines                        int
	check                        string
}

// Main runs the test service with the flags in os.Args[1:] and exits with
// its status: 0 after SIGTERM, 3 after -crash-after, N after -exit N, 1 on
// a setup error and 2 on a usage error. It never returns.
func Main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is Main without the exit, writing its lines to stdout and its errors
// to stderr; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testsvc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.listen, "listen", "", "serve HTTP on `ADDR` (GET /healthz answers ok)")
	fs.StringVar(&o.tcp, "tcp", "", "accept and close plain TCP connections on `ADDR`")
	fs.DurationVar(&o.delay, "delay", 0, "sleep this long before listening")
	fs.DurationVar(&o.crashAfter, "crash-after", 0, "exit with status 3 this long after listening")
	fs.IntVar(&o.exit, "exit", -1, "exit with status `N` after -exit-after (negative: never)")
	fs.DurationVar(&o.exitAfter, "exit-after", 0, "when to exit with the -exit status")
	fs.BoolVar(&o.ignoreTerm, "ignore-term", false, "ignore SIGTERM, so that only SIGKILL stops it")
	fs.BoolVar(&o.grandchild, "grandchild", false, "start a child copy that sleeps forever in the same process group")
	fs.BoolVar(&o.setsidGrandchild, "setsid-grandchild", false, "like -grandchild, but the child escapes into a new session")
	fs.StringVar(&o.pidfileGrandchild, "pidfile-grandchild", "", "write the grandchild's pid to `FILE`")
	fs.BoolVar(&o.sleepForever, "sleep-forever", false, "only block forever (the grandchild's mode)")
	fs.StringVar(&o.print, "print", "", "print `TEXT` once listening (for log readiness probes)")
	fs.StringVar(&o.pidfile, "pidfile", "", "write the own pid to `FILE` at start")
	fs.IntVar(&o.lines, "lines", 0, "print `N` numbered lines at start")
	fs.StringVar(&o.check, "check", "", "act as a health checker: exit 0 when GET `URL` answers 2xx, else 1")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "testsvc: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if o.check != "" {
		// For exec readiness probes: the same binary checks itself.
		c := http.Client{Timeout: 2 * time.Second}
		resp, err := c.Get(o.check)
		if err != nil {
			fmt.Fprintf(stderr, "testsvc: %v\n", err)
			return 1
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			fmt.Fprintf(stderr, "testsvc: %s\n", resp.Status)
			return 1
		}
		return 0
	}
	if o.listen != "" && o.tcp != "" {
		fmt.Fprintln(stderr, "testsvc: -listen and -tcp are alternatives")
		return 2
	}

	fmt.Fprintf(stdout, "pid %d\n", os.Getpid())
	if o.pidfile != "" {
		if err := writePidfile(o.pidfile, os.Getpid()); err != nil {
			fmt.Fprintf(stderr, "testsvc: %v\n", err)
			return 1
		}
	}
	if o.sleepForever {
		// Default signal dispositions: whatever stops a plain process
		// stops this one, which is what a forgotten grandchild is like.
		for {
			time.Sleep(time.Hour)
		}
	}

	// Handle SIGTERM before anything slow, so that a stop during -delay
	// behaves like a stop later on.
	var term chan os.Signal
	if o.ignoreTerm {
		signal.Ignore(syscall.SIGTERM)
	} else {
		term = make(chan os.Signal, 1)
		signal.Notify(term, syscall.SIGTERM)
	}

	for i := 1; i <= o.lines; i++ {
		fmt.Fprintf(stdout, "line %d\n", i)
	}

	if o.grandchild || o.setsidGrandchild {
		if err := startGrandchild(o.setsidGrandchild, o.pidfileGrandchild); err != nil {
			fmt.Fprintf(stderr, "testsvc: grandchild: %v\n", err)
			return 1
		}
	}

	var exitC <-chan time.Time
	if o.exit >= 0 {
		exitC = time.After(o.exitAfter)
	}

	// The delay is interruptible: an early -exit or SIGTERM must not wait
	// for it, as a real service's start-up would not either.
	if o.delay > 0 {
		select {
		case <-time.After(o.delay):
		case <-term:
			fmt.Fprintln(stdout, "stopping")
			return 0
		case <-exitC:
			return o.exit
		}
	}

	serveErr := make(chan error, 1)
	var crashC <-chan time.Time
	if o.listen != "" || o.tcp != "" {
		addr := o.listen
		if addr == "" {
			addr = o.tcp
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			fmt.Fprintf(stderr, "testsvc: %v\n", err)
			return 1
		}
		defer ln.Close()
		if o.listen != "" {
			go func() { serveErr <- http.Serve(ln, handler()) }()
		} else {
			go func() { serveErr <- acceptAndClose(ln) }()
		}
		// The actual address, so that a test listening on port 0 can
		// find it.
		fmt.Fprintf(stdout, "listening on %s\n", ln.Addr())
		if o.print != "" {
			fmt.Fprintln(stdout, o.print)
		}
		if o.crashAfter > 0 {
			crashC = time.After(o.crashAfter)
		}
	}

	// The ticker only keeps a timer pending: with every other channel nil
	// (say -ignore-term alone), the runtime would otherwise call the
	// blocked program a deadlock and crash.
	keepalive := time.NewTicker(time.Hour)
	defer keepalive.Stop()
	for {
		select {
		case <-term:
			fmt.Fprintln(stdout, "stopping")
			return 0
		case <-exitC:
			return o.exit
		case <-crashC:
			fmt.Fprintln(stdout, "crashing")
			return 3
		case err := <-serveErr:
			fmt.Fprintf(stderr, "testsvc: serve: %v\n", err)
			return 1
		case <-keepalive.C:
		}
	}
}

// handler answers GET /healthz with "ok" and any other path with the path
// itself, so that a test can tell which request reached it.
func handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.URL.Path)
	})
	return mux
}

// acceptAndClose accepts connections and closes them at once: enough for a
// TCP readiness probe, which only needs the connect to succeed.
func acceptAndClose(ln net.Listener) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		c.Close()
	}
}

// startGrandchild starts a copy of this program that sleeps forever. It
// inherits stdout and stderr, as the children of real services do, so it
// also keeps the supervisor's output pipe open. With setsid it starts a new
// session (and so a new process group), escaping a stop of the group.
func startGrandchild(setsid bool, pidfile string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, "-sleep-forever")
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if setsid {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	// Reap it if it dies first, so that it does not linger as a zombie
	// that still looks alive to kill(pid, 0).
	go cmd.Wait()
	if pidfile != "" {
		if err := writePidfile(pidfile, cmd.Process.Pid); err != nil {
			return err
		}
	}
	return nil
}

// writePidfile writes pid to path through a temporary file and a rename,
// so that a test polling for the file never reads a partial pid.
func writePidfile(path string, pid int) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.WriteString(strconv.Itoa(pid) + "\n"); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
