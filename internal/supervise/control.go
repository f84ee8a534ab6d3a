package supervise

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// SocketName is the control socket of the detached supervisor, in
// .onboard/services.
const SocketName = "sock"

// ErrNoSupervisor is returned by Dial when no supervisor is running.
var ErrNoSupervisor = errors.New("no supervisor is running")

// request is one call over the control socket: a JSON line in, a JSON
// line out, one call per connection.
type request struct {
	Op    string       `json:"op"` // ping, start, status, stop, restart
	Spec  *ServiceSpec `json:"spec,omitempty"`
	Names []string     `json:"names,omitempty"`
}

type response struct {
	Error  string       `json:"error,omitempty"`
	Failed *FailedError `json:"failed,omitempty"`
	Status []Status     `json:"status,omitempty"`
	Pid    int          `json:"pid,omitempty"`
	// Down tells that the supervisor has stopped everything and exits.
	Down bool `json:"down,omitempty"`
}

// serve answers control requests until ctx ends. shutdown is called after
// a stop of every service has been answered: the supervisor then exits.
// act, when not nil, counts the requests in progress.
func serve(ctx context.Context, sup *Supervisor, ln net.Listener, shutdown func(), act *activity) {
	go func() {
		<-ctx.Done()
		_ = ln.Close()
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		act.begin()
		go func() {
			defer act.end()
			handle(ctx, sup, conn, shutdown)
		}()
	}
}

func handle(ctx context.Context, sup *Supervisor, conn net.Conn, shutdown func()) {
	defer conn.Close()
	var req request
	if err := json.NewDecoder(bufio.NewReader(conn)).Decode(&req); err != nil {
		return
	}
	// A client that hangs up (Ctrl-C while waiting for a service) stops
	// its wait, not the service.
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		var b [1]byte
		_, _ = conn.Read(b[:])
		cancel()
	}()
	var resp response
	setErr := func(err error) {
		if err == nil {
			return
		}
		resp.Error = err.Error()
		var fe *FailedError
		if errors.As(err, &fe) {
			resp.Failed = fe
		}
	}
	switch req.Op {
	case "ping":
		resp.Pid = os.Getpid()
	case "start":
		if req.Spec == nil {
			resp.Error = "start without a service"
			break
		}
		setErr(sup.Start(rctx, *req.Spec))
	case "status":
		resp.Status = sup.Status(req.Names...)
		resp.Pid = os.Getpid()
	case "stop":
		setErr(sup.Stop(req.Names, false))
		if len(req.Names) == 0 {
			resp.Down = true
		}
	case "restart":
		for _, n := range req.Names {
			if err := sup.Restart(rctx, n); err != nil {
				setErr(err)
				break
			}
		}
	default:
		resp.Error = fmt.Sprintf("unknown request %q", req.Op)
	}
	_ = json.NewEncoder(conn).Encode(resp)
	if resp.Down {
		shutdown()
	}
}

// Client talks to a detached supervisor over its control socket.
type Client struct {
	dir string
	pid int
}

// Dial connects to the supervisor whose files are in dir
// (.onboard/services): ErrNoSupervisor when none is running.
func Dial(ctx context.Context, dir string) (*Client, error) {
	c := &Client{dir: dir}
	var resp response
	if err := c.call(ctx, request{Op: "ping"}, &resp); err != nil {
		return nil, err
	}
	c.pid = resp.Pid
	return c, nil
}

// Pid is the supervisor's process id.
func (c *Client) Pid() int { return c.pid }

// Start starts a service and waits until it is ready, as Supervisor.Start.
func (c *Client) Start(ctx context.Context, spec ServiceSpec) error {
	var resp response
	if err := c.call(ctx, request{Op: "start", Spec: &spec}, &resp); err != nil {
		return err
	}
	return resp.err()
}

// Statuses lists the services the supervisor knows; with names, only
// those (see Supervisor.Status).
func (c *Client) Statuses(ctx context.Context, names ...string) ([]Status, error) {
	var resp response
	if err := c.call(ctx, request{Op: "status", Names: names}, &resp); err != nil {
		return nil, err
	}
	return resp.Status, resp.err()
}

// Stop stops the named services and their dependents; with no names it
// stops every service and the supervisor exits.
func (c *Client) Stop(ctx context.Context, names []string) error {
	var resp response
	if err := c.call(ctx, request{Op: "stop", Names: names}, &resp); err != nil {
		return err
	}
	if err := resp.err(); err != nil {
		return err
	}
	if resp.Down {
		// Return once the supervisor is gone, so that a following `up`
		// starts a fresh one rather than talking to one on its way out.
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) && c.pid > 0 && pidRunning(c.pid) {
			time.Sleep(5 * time.Millisecond)
		}
	}
	return nil
}

// Restart restarts services one after the other.
func (c *Client) Restart(ctx context.Context, names ...string) error {
	var resp response
	if err := c.call(ctx, request{Op: "restart", Names: names}, &resp); err != nil {
		return err
	}
	return resp.err()
}

func (r *response) err() error {
	if r.Failed != nil {
		return r.Failed
	}
	if r.Error != "" {
		return errors.New(r.Error)
	}
	return nil
}

func (c *Client) call(ctx context.Context, req request, resp *response) error {
	conn, err := dialUnix(ctx, filepath.Join(c.dir, SocketName))
	if err != nil {
		return err
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return fmt.Errorf("supervisor: %w", err)
	}
	if err := json.NewDecoder(conn).Decode(resp); err != nil {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) {
			// It exited as the request came: as good as not running.
			return fmt.Errorf("supervisor did not answer (%v): %w", err, ErrNoSupervisor)
		}
		return fmt.Errorf("supervisor did not answer: %w", err)
	}
	return nil
}

// dialUnix connects to a unix socket, through a shorter name (sockPath)
// when the path is too long for sun_path (a deep checkout).
func dialUnix(ctx context.Context, path string) (net.Conn, error) {
	name, release, err := sockPath(path)
	if err != nil {
		return nil, noSupervisor(err)
	}
	defer release()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", name)
	return conn, noSupervisor(err)
}

func noSupervisor(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, os.ErrNotExist) {
		return ErrNoSupervisor
	}
	return err
}
