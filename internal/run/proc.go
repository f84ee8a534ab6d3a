package run

import (
	"context"
	"io"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"
)

// proc is a started program, the leader of a process group of its own.
type proc struct {
	c      Command
	pid    int
	os     *os.Process
	done   chan struct{} // closed when the program has exited
	err    error         // its exit status, set before done is closed
	copied chan struct{} // closed when its output pipes reached EOF

	outputs   *outputs
	pipes     []*os.File  // read ends, copied to the outputs
	copyTo    []io.Writer // the output of each pipe
	childEnds []*os.File  // write ends, the child's own after start
	job       job         // what holds its whole tree (see holdTree)

	stopMu sync.Mutex // one Stop at a time
	killed atomic.Bool
}

// startArgv starts c.Argv directly.
//
// Its stdout and stderr are the output files themselves or pipes of ours,
// not exec's: exec.Cmd.Wait would wait for the copy, so a grandchild
// holding the pipe would hold up Wait, which instead waits at most
// WaitDelay for the output once the program has exited.
//
// On Linux the program gets Pdeathsig SIGKILL: if onboard dies, even by
// kill -9, the kernel kills it. Pdeathsig fires when the *thread* that
// forked the child exits, not the process, and the Go runtime may retire
// idle threads; so every child is started from one OS thread that lives
// as long as the process (onForkThread). Its exit is awaited without
// holding a thread (awaitExit): a supervisor of 100 services ran 100
// threads, one per child, 48 KiB of stacks each (issue 19). Pdeathsig reaches
// only the leader: a grandchild that its leader does not stop on exit
// survives onboard's sudden death.
func startArgv(ctx context.Context, c Command) (*proc, error) {
	if len(c.Argv) == 0 {
		return nil, errEmpty
	}
	if abandoned.Load() {
		return nil, errAbandoned
	}
	env := c.environ()
	path := c.Path
	if path == "" {
		var err error
		if path, err = lookPath(c.Argv[0], c.Dir, env); err != nil {
			return nil, &NotFoundError{Name: c.Argv[0]}
		}
	}
	p := &proc{c: c, done: make(chan struct{}), copied: make(chan struct{}), outputs: newOutputs(c, false)}
	childOut, err := p.pipe(p.outputs.stdout)
	childErr := childOut
	if err == nil && !sameWriter(p.outputs.stdout, p.outputs.stderr) {
		childErr, err = p.pipe(p.outputs.stderr)
	}
	if err != nil {
		p.closeAll()
		return nil, err
	}

	cmd := exec.Command(path)
	cmd.Args = c.Argv
	cmd.Dir = c.Dir
	cmd.Env = env
	cmd.Stdin = c.Stdin
	if childOut != nil {
		cmd.Stdout = childOut
	}
	if childErr != nil {
		cmd.Stderr = childErr
	}
	cmd.SysProcAttr = sysProcAttr(c.Detach)
	started := make(chan error, 1)
	start := func() {
		err := cmd.Start()
		for _, f := range p.childEnds {
			_ = f.Close() // the child has its copy
		}
		if err != nil {
			started <- err
			return
		}
		p.pid, p.os = cmd.Process.Pid, cmd.Process
		if c.Detach {
			spare(RefOf(p.pid))
		} else {
			p.job = holdTree(p.pid)
		}
		started <- nil
	}
	if c.Detach {
		start()
	} else {
		// See above: the thread that forks must outlive the child.
		onForkThread(start)
	}
	if err := <-started; err != nil {
		p.closeAll()
		return nil, err
	}
	go func() {
		awaitExit(p.pid) // with no OS thread held while it runs (Linux)
		p.err = exitError(cmd.Wait())
		p.job.close()
		close(p.done)
	}()
	p.copy()
	if !c.Detach {
		stopWhenDone(ctx, p)
	}
	return p, nil
}

// pipe returns what the child writes to for w: nothing for nil (the null
// device), w itself for a file, else the write end of a pipe that copy
// will read into w.
func (p *proc) pipe(w io.Writer) (*os.File, error) {
	switch f := w.(type) {
	case nil:
		return nil, nil
	case *os.File:
		return f, nil
	}
	r, cw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	p.pipes = append(p.pipes, r)
	p.childEnds = append(p.childEnds, cw)
	p.copyTo = append(p.copyTo, w)
	return cw, nil
}

// copy copies each pipe to its writer until EOF, then closes copied. The
// last copy to end closes it, so a started service costs one goroutine
// per pipe and no more (a supervisor runs a hundred).
func (p *proc) copy() {
	if len(p.pipes) == 0 {
		p.outputs.close()
		close(p.copied)
		return
	}
	var left atomic.Int32
	left.Store(int32(len(p.pipes)))
	for i, r := range p.pipes {
		go func() {
			copyPipe(p.copyTo[i], r)
			_ = r.Close()
			if left.Add(-1) == 0 {
				p.outputs.close()
				close(p.copied)
			}
		}()
	}
}

// closeAll closes the pipes of a process that did not start.
func (p *proc) closeAll() {
	for _, f := range append(p.pipes, p.childEnds...) {
		_ = f.Close()
	}
}

func (p *proc) Pid() int              { return p.pid }
func (p *proc) Done() <-chan struct{} { return p.done }
func (p *proc) Killed() bool          { return p.killed.Load() }

// Wait waits for the program to exit, then for its output up to
// WaitDelay. After that, Run stops reading the output; a started process
// goes on copying it in the background for as long as something writes.
func (p *proc) Wait() error {
	<-p.done
	if p.c.WaitDelay <= 0 {
		<-p.copied
		return p.err
	}
	t := time.NewTimer(p.c.WaitDelay)
	defer t.Stop()
	select {
	case <-p.copied:
	case <-t.C:
		if p.c.oneShot {
			for _, r := range p.pipes {
				_ = r.Close()
			}
			<-p.copied
		}
	}
	return p.err
}
