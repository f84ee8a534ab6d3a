package tools

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/onboard-dev/onboard/internal/run"
)

// Cache runs each distinct version command once and shares the outcome
// with every caller, including callers that ask while it is still running.
// One Cache per onboard run means "go version" runs once however many
// items need go.
//
// Runs are shared by what decides their outcome: the effective argv, Env,
// Dir and Timeout. Each caller reads the shared output with its own Spec's
// pattern and gets errors named after its own tool. Failures (not found,
// exit code, timeout) are cached like successes; a run abandoned because
// every caller waiting for it was cancelled is not.
//
// The zero value is ready to use. A Cache must not be copied after first use.
type Cache struct {
	// Runner runs the version commands; nil is run.System.
	Runner run.Runner

	mu    sync.Mutex
	calls map[string]*call
}

// call is one run, finished or in flight.
type call struct {
	done    chan struct{} // closed when res is set
	res     runResult
	waiters int                // callers waiting for done
	cancel  context.CancelFunc // stops the run when nobody waits any more
}

// Probe is [Probe] through the cache: the first caller for a command runs
// it, later and concurrent callers wait for and share that run. A caller
// whose ctx ends stops waiting at once; the run itself is stopped only when
// no caller waits for it any more.
func (c *Cache) Probe(ctx context.Context, spec Spec) (Found, error) {
	argv, pat, err := spec.Resolve()
	if err != nil {
		return Found{}, err
	}
	key := cacheKey(argv, spec)
	for {
		cl := c.join(ctx, key, argv, spec)
		select {
		case <-cl.done:
			c.mu.Lock()
			cl.waiters--
			c.mu.Unlock()
			if cl.res.cancelled && ctx.Err() == nil {
				continue // abandoned by others just before we joined; run again
			}
			if cl.res.cancelled {
				return Found{}, fmt.Errorf("%s: %w", spec.label(), ctx.Err())
			}
			return spec.interpret(argv, pat, cl.res)
		case <-ctx.Done():
			c.leave(key, cl)
			return Found{}, fmt.Errorf("%s: %w", spec.label(), ctx.Err())
		}
	}
}

// join returns the call for key, starting the run if there is none, and
// counts the caller as waiting for it.
func (c *Cache) join(ctx context.Context, key string, argv []string, spec Spec) *call {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls == nil {
		c.calls = make(map[string]*call)
	}
	cl, ok := c.calls[key]
	if !ok {
		// The run outlives the caller that started it if others wait for it.
		runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		cl = &call{done: make(chan struct{}), cancel: cancel}
		c.calls[key] = cl
		go func() {
			defer cancel()
			res := probe(runCtx, run.Or(c.Runner), argv, spec.Env, spec.Dir, spec.timeout())
			c.mu.Lock()
			cl.res = res
			if res.cancelled && c.calls[key] == cl {
				delete(c.calls, key)
			}
			c.mu.Unlock()
			close(cl.done)
		}()
	}
	cl.waiters++
	return cl
}

// leave stops waiting for cl; the last caller to leave an unfinished run
// stops it and forgets it, so that the next caller starts afresh.
func (c *Cache) leave(key string, cl *call) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cl.waiters--
	select {
	case <-cl.done:
		return
	default:
	}
	if cl.waiters == 0 {
		cl.cancel()
		if c.calls[key] == cl {
			delete(c.calls, key)
		}
	}
}

// Forget drops the cached outcome for spec's command, so that the next
// Probe runs it again: call it after installing or upgrading the tool.
// Callers already waiting for a run still get that run's outcome.
func (c *Cache) Forget(spec Spec) {
	argv, _, err := spec.Resolve()
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.calls, cacheKey(argv, spec))
}

// cacheKey identifies a run by everything that decides its outcome.
func cacheKey(argv []string, spec Spec) string {
	var b strings.Builder
	for _, a := range argv {
		b.WriteString(a)
		b.WriteByte(0)
	}
	fmt.Fprintf(&b, "\x01%s\x01%d\x01", spec.Dir, spec.timeout())
	if spec.Env == nil {
		b.WriteString("inherit")
	}
	for _, e := range spec.Env {
		b.WriteString(e)
		b.WriteByte(0)
	}
	return b.String()
}
