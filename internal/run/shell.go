package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// shellProc is a script running in the in-process shell. It has no pid of
// its own: each program it starts is a process (and a group) of its own,
// stopped with the Command's StopSignal and Grace when the script is.
type shellProc struct {
	done   chan struct{}
	err    error // set before done is closed
	cancel context.CancelFunc
	kill   chan struct{} // closed by Kill: programs get SIGKILL at once

	killOnce sync.Once
	killed   atomic.Bool

	mu      sync.Mutex
	running map[*proc]bool // the programs it runs now, for Pids
}

func startShell(ctx context.Context, c Command) (Process, error) {
	sctx, cancel := context.WithCancel(context.Background())
	p := &shellProc{done: make(chan struct{}), cancel: cancel, kill: make(chan struct{})}
	go func() {
		defer cancel()
		p.err = p.run(sctx, c)
		close(p.done)
	}()
	stopWhenDone(ctx, p)
	return p, nil
}

// run parses and runs the script; the error is nil on exit 0, an
// *ExitError, or what stopped or broke the interpreter.
func (p *shellProc) run(ctx context.Context, c Command) error {
	file, err := syntax.NewParser().Parse(strings.NewReader(c.Shell), "")
	if err != nil {
		return fmt.Errorf("shell syntax: %w", err)
	}
	outputs := newOutputs(c, true)
	defer outputs.close()
	// Each builtin's output is written whole (see whole.go).
	var ws wholeWriters
	errw := ws.wrap(outputs.stderr)
	outw := errw
	if !sameWriter(outputs.stdout, outputs.stderr) {
		outw = ws.wrap(outputs.stdout)
	}
	r, err := interp.New(
		interp.Dir(c.Dir),
		interp.Env(expand.ListEnviron(c.environ()...)),
		interp.StdIO(c.Stdin, outw, errw),
		interp.CallHandler(ws.callHandler),
		interp.OpenHandler(ws.openHandler),
		interp.ExecHandlers(func(interp.ExecHandlerFunc) interp.ExecHandlerFunc { return p.execHandler(c) }),
	)
	if err != nil {
		return err
	}
	err = r.Run(ctx, file)
	ws.flush()
	var status interp.ExitStatus
	if errors.As(err, &status) {
		if status == 0 {
			return nil
		}
		return &ExitError{Code: int(status)}
	}
	return err
}

// execHandler runs the shell's external commands as Commands — each in a
// process group of its own, stopped with the script's StopSignal and
// Grace — instead of the interpreter's default handler, which signals
// only the process it started.
func (p *shellProc) execHandler(c Command) interp.ExecHandlerFunc {
	return func(ctx context.Context, args []string) error {
		hc := interp.HandlerCtx(ctx)
		path, err := interp.LookPathDir(hc.Dir, hc.Env, args[0])
		if err != nil {
			fmt.Fprintf(hc.Stderr, "%s: command not found\n", args[0])
			return interp.ExitStatus(127)
		}
		child, err := startArgv(context.Background(), Command{
			Path: path, Argv: args, Dir: hc.Dir, Env: environ(hc.Env), Stdin: hc.Stdin,
			Stdout: underlying(hc.Stdout), Output: underlying(hc.Stderr),
			StopSignal: c.StopSignal, Grace: c.Grace, oneShot: true,
		})
		if err != nil {
			return err
		}
		p.track(child, true)
		defer p.track(child, false)
		select {
		case <-child.Done():
		case <-p.kill:
			child.Kill()
		case <-ctx.Done():
			stopped := make(chan struct{})
			go func() {
				defer close(stopped)
				_ = child.Stop(0, nil)
			}()
			select {
			case <-stopped:
			case <-p.kill:
				child.Kill()
				<-stopped
			}
		}
		if child.Killed() {
			p.killed.Store(true)
		}
		err = child.Wait()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var ee *ExitError
		if errors.As(err, &ee) {
			return interp.ExitStatus(uint8(ee.Code))
		}
		return err
	}
}

// track adds or removes a program the script runs (several with `&`).
func (p *shellProc) track(child *proc, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running == nil {
		p.running = map[*proc]bool{}
	}
	if on {
		p.running[child] = true
	} else {
		delete(p.running, child)
	}
}

// programs are the pids of the programs the script runs now.
func (p *shellProc) programs() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []int
	for c := range p.running {
		out = append(out, c.pid)
	}
	slices.Sort(out) // the same order on every call: one message, not another
	return out
}

func (p *shellProc) Pid() int              { return 0 }
func (p *shellProc) Done() <-chan struct{} { return p.done }
func (p *shellProc) Wait() error           { <-p.done; return p.err }
func (p *shellProc) Killed() bool          { return p.killed.Load() }

// Stop stops the script: the program it runs gets the Command's
// StopSignal, then SIGKILL after its Grace; the script goes no further.
func (p *shellProc) Stop(time.Duration, os.Signal) error {
	p.cancel()
	<-p.done
	return nil
}

// Kill stops the script and SIGKILLs the program it runs at once.
func (p *shellProc) Kill() {
	p.killOnce.Do(func() { close(p.kill) })
	p.cancel()
	<-p.done
}

func environ(env expand.Environ) []string {
	var out []string
	env.Each(func(name string, vr expand.Variable) bool {
		if vr.Exported && vr.Kind == expand.String {
			out = append(out, name+"="+vr.Str)
		}
		return true
	})
	return out
}
