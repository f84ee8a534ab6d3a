// Package supervise runs the services of a checklist: it starts their
// processes in their own process groups, tells when they are ready, stops
// them (the whole tree, SIGKILL after a deadline) and finds who holds a port
// before a service is started on it.
//
// This file holds the readiness probes and the adaptive wait loop.
package supervise

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/onboard-dev/onboard/internal/run"
)

// Polling schedule of WaitReady. The first retry comes FirstRetry after the
// first failed attempt; each following gap doubles up to a cap, the
// probe's interval.
//
// DESIGN.md asks for readiness within 25 ms of a port opening. With a
// doubling schedule the detection latency is bounded by the gap in use when
// the port opens, so the cap, not the start, decides the worst case: the
// default cap for cheap probes (tcp, http) is 10 ms, which keeps the worst
// case well under 25 ms (gap + one loopback connect, a few µs) and the
// average at 5 ms, which the cold-start benchmark against a bash busy loop
// can see. A refused loopback connect costs microseconds, so 100 attempts a
// second per waiting service are negligible — and the loop only runs until
// the service is ready. exec probes fork a process per attempt (redis-cli, pg_isready:
// 2–50 ms of CPU each), so their default cap is 100 ms; log probes are not
// polled at all: a matching line wakes WaitReady at once.
//
// The cap of a cheap probe whose interval is not set is not fixed: it is
// MinInterval while few services wait, and grows with how many wait at
// once in this supervisor (100 µs each) up to DefaultInterval, so that
// all of them together try about 10,000 times a second at most (a few
// percent of a CPU) however big the stack. A stack of ten then sees a
// port open within 2 ms, as a bash busy loop does, rather than within 10.
const (
	FirstRetry          = 2 * time.Millisecond
	MinInterval         = 2 * time.Millisecond
	DefaultInterval     = 10 * time.Millisecond
	DefaultExecInterval = 100 * time.Millisecond
	DefaultTimeout      = 60 * time.Second
	// AttemptTimeout bounds one attempt (a hanging accept, a stuck exec
	// probe), so that a slow attempt cannot eat the whole deadline unseen.
	AttemptTimeout = 5 * time.Second
)

// Probe tells whether a service is ready. Ready returns nil when it is, and
// otherwise an error that says why not, starting with the probe kind and
// target ("tcp 127.0.0.1:5433: connection refused"); WaitReady reports the
// last one when the deadline passes.
type Probe interface {
	Ready(ctx context.Context) error
}

// notifier is a probe that can wake WaitReady as soon as its state changes,
// instead of waiting for the next poll (the log probe).
type notifier interface {
	Changed() <-chan struct{}
}

// NotReadyError is a probe that did not succeed before the startup
// deadline.
type NotReadyError struct {
	After    time.Duration
	Attempts int
	Last     error // the last probe error
}

func (e *NotReadyError) Error() string {
	return fmt.Sprintf("%v after %s", e.Last, e.After)
}

func (e *NotReadyError) Unwrap() error { return e.Last }

// WaitReady polls probe until it succeeds, the timeout (startup deadline,
// 0: DefaultTimeout) passes, or ctx ends. Retries start FirstRetry after the
// first attempt and double up to interval (0: DefaultInterval, or
// DefaultExecInterval for an *ExecProbe). On timeout the error is a
// *NotReadyError carrying the last probe error; when ctx ends first it is
// context.Cause(ctx) with the last probe error appended.
func WaitReady(ctx context.Context, probe Probe, timeout, interval time.Duration) error {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	shared := false // the cap follows how many wait (cheapCap)
	if interval <= 0 {
		interval = DefaultInterval
		if _, ok := probe.(*ExecProbe); ok {
			interval = DefaultExecInterval
		} else {
			shared = true
		}
	}
	waiting.Add(1)
	defer waiting.Add(-1)
	var changed <-chan struct{}
	if n, ok := probe.(notifier); ok {
		changed = n.Changed()
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	dl, _ := dctx.Deadline()

	gap := FirstRetry
	attempts := 0
	var last error
	for {
		actx, acancel := context.WithTimeout(dctx, AttemptTimeout)
		err := probe.Ready(actx)
		acancel()
		attempts++
		if err == nil {
			return nil
		}
		// An attempt cut short by the deadline says only "timed out"; the
		// attempt before it says why the service is not ready. The clock,
		// not dctx.Err(), tells: a dial times out on its own socket
		// deadline a moment before the context's timer fires.
		if time.Now().Before(dl) || last == nil {
			last = err
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%w (last probe: %v)", context.Cause(ctx), last)
		}
		t := time.NewTimer(gap)
		select {
		case <-t.C:
		case <-changed:
			changed = nil // a closed channel would spin; poll from now on
		case <-deadline.C:
			t.Stop()
			// One last short attempt: the service may have become ready
			// while we slept.
			lctx, lcancel := context.WithTimeout(ctx, 250*time.Millisecond)
			err := probe.Ready(lctx)
			lcancel()
			if err == nil {
				return nil
			}
			return &NotReadyError{After: timeout, Attempts: attempts + 1, Last: last}
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w (last probe: %v)", context.Cause(ctx), last)
		}
		limit := interval
		if shared {
			limit = cheapCap()
		}
		gap = min(gap*2, limit)
	}
}

// waiting counts the WaitReady calls in progress in this process: in the
// supervisor, the services waiting to be ready.
var waiting atomic.Int64

// cheapCap is the cap of a cheap probe's retry gap when its interval is
// not set: 100 µs for each service waiting, at least MinInterval, at most
// DefaultInterval (see the schedule above).
func cheapCap() time.Duration {
	d := time.Duration(waiting.Load()) * 100 * time.Microsecond
	return min(max(d, MinInterval), DefaultInterval)
}

// waitReadyOrExit is WaitReady that fails as soon as done is closed (the
// service exited before it was ready: "exited before ready: exit status
// 1") rather than at the deadline. exitErr is read after done is closed.
func waitReadyOrExit(ctx context.Context, probe Probe, timeout, interval time.Duration, done <-chan struct{}, exitErr func() error, what string) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go func() {
		select {
		case <-done:
			err := exitErr()
			if err == nil {
				err = errors.New("exit status 0")
			}
			cancel(fmt.Errorf("%s: %w", what, err))
		case <-ctx.Done():
		}
	}()
	return WaitReady(ctx, probe, timeout, interval)
}

// TCPProbe is ready when a TCP connection to Addr (host:port) succeeds.
type TCPProbe struct{ Addr string }

func (p *TCPProbe) String() string { return "tcp " + p.Addr }

func (p *TCPProbe) Ready(ctx context.Context) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", p.Addr)
	if err != nil {
		return fmt.Errorf("tcp %s: %s", p.Addr, netReason(err))
	}
	_ = c.Close()
	return nil
}

// HTTPProbe is ready when a GET of URL answers 2xx or 3xx. Redirects are not
// followed (a 3xx is an answer), proxies from the environment are not used
// (probes go to the local stack), and connections are not kept alive, so
// the probe holds nothing open on the service.
type HTTPProbe struct {
	URL string

	once   sync.Once
	client *http.Client
}

func (p *HTTPProbe) String() string { return "http " + p.URL }

func (p *HTTPProbe) Ready(ctx context.Context) error {
	p.once.Do(func() {
		p.client = &http.Client{
			Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		}
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return fmt.Errorf("http %s: %w", p.URL, err)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return fmt.Errorf("http %s: %s", p.URL, netReason(err))
	}
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 400 {
		return fmt.Errorf("http %s: status %s", p.URL, resp.Status)
	}
	return nil
}

// netReason shortens a dial error to its cause: "connection refused"
// rather than "dial tcp 127.0.0.1:5433: connect: connection refused".
func netReason(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer (attempt timed out)"
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}

// ExecProbe is ready when its command exits 0. Shell strings run in the
// in-process shell of internal/run, argv lists directly; either way in a
// process group that is killed when the attempt times out.
type ExecProbe struct {
	Shell string
	Argv  []string
	Dir   string
	Env   []string // the complete environment; nil inherits onboard's
	// Runner runs the command; nil is run.System.
	Runner run.Runner
}

func (p *ExecProbe) String() string {
	if p.Argv != nil {
		return "exec " + strings.Join(p.Argv, " ")
	}
	return "exec " + p.Shell
}

func (p *ExecProbe) Ready(ctx context.Context) error {
	var out tailBuffer
	env := p.Env
	if env == nil {
		env = os.Environ()
	}
	err := run.Or(p.Runner).Run(ctx, run.Command{
		Shell: p.Shell, Argv: p.Argv, Dir: p.Dir, Env: env,
		Output: &out, Grace: 100 * time.Millisecond,
	})
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		err = errors.New("no answer (attempt timed out)")
	}
	if last := out.lastLine(); last != "" {
		return fmt.Errorf("%s: %v: %s", p, err, last)
	}
	return fmt.Errorf("%s: %v", p, err)
}

// tailBuffer keeps the last 4 KiB written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > 4096 {
		keep := b.buf[len(b.buf)-4096:]
		if cap(b.buf) > 2*4096 {
			// A big write grew it: keep 4 KiB, not the write's size.
			b.buf = make([]byte, 0, 4096)
		}
		b.buf = append(b.buf[:0], keep...)
	}
	return len(p), nil
}

func (b *tailBuffer) lastLine() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := strings.TrimSpace(string(b.buf))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSpace(s)
}

// maxLine bounds the part of one output line that LogProbe keeps: a service
// that writes megabytes without a newline must not grow memory.
const maxLine = 64 << 10

// LogProbe is ready once a line of the service's output matches a regular
// expression. It is an io.Writer: tee the process output into it
// (Spec.Output = io.MultiWriter(logFile, probe)). Lines are matched without
// their line ending; a matching line wakes WaitReady at once, with no
// polling delay. Reset forgets the match, for a restart.
type LogProbe struct {
	re *regexp.Regexp

	mu      sync.Mutex
	partial []byte
	matched bool
	line    string // the matching line
	changed chan struct{}
}

// NewLogProbe returns a probe matching re against output lines.
func NewLogProbe(re *regexp.Regexp) *LogProbe {
	return &LogProbe{re: re, changed: make(chan struct{})}
}

func (p *LogProbe) String() string { return "log /" + p.re.String() + "/" }

// Write splits p into lines and matches each complete one.
func (p *LogProbe) Write(b []byte) (int, error) {
	n := len(b)
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			room := maxLine - len(p.partial)
			p.partial = append(p.partial, b[:max(0, min(room, len(b)))]...)
			break
		}
		line := b[:i]
		if len(p.partial) > 0 {
			room := maxLine - len(p.partial)
			line = append(p.partial, line[:max(0, min(room, len(line)))]...)
		}
		p.match(bytes.TrimSuffix(line, []byte{'\r'}))
		p.partial = p.partial[:0]
		b = b[i+1:]
	}
	return n, nil
}

// Flush matches a last line that has no newline (call it when the output
// ends).
func (p *LogProbe) Flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.partial) > 0 {
		p.match(p.partial)
		p.partial = p.partial[:0]
	}
}

func (p *LogProbe) match(line []byte) {
	if p.matched || !p.re.Match(line) {
		return
	}
	p.matched = true
	p.line = string(line)
	close(p.changed)
}

// Ready is nil once a line has matched.
func (p *LogProbe) Ready(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.matched {
		return nil
	}
	return fmt.Errorf("%s: no matching output line yet", p)
}

// Line is the line that matched, "" before.
func (p *LogProbe) Line() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.line
}

// Changed is closed when a line matches (for WaitReady).
func (p *LogProbe) Changed() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.changed
}

// Reset forgets a match and any partial line, for a restart of the service.
func (p *LogProbe) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.matched, p.line, p.partial = false, "", p.partial[:0]
	p.changed = make(chan struct{})
}
