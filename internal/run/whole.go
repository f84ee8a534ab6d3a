package run

import (
	"context"
	"io"
	"os"
	"sync"

	"mvdan.cc/sh/v3/interp"
)

// The in-process shell's builtins write their output in pieces: `echo a b`
// writes "a", " ", "b" and "\n" separately, and printf one write per pass
// over its format. A POSIX shell writes each builtin's output in one
// write (bash and dash buffer it until the builtin returns), and scripts
// rely on that: parallel steps that each run `echo line >> shared.log`
// must leave whole lines, which O_APPEND guarantees only per write.
//
// So the shell writes to wholeWriters, not to the output or the files
// directly: they hold what a builtin writes until the shell calls its next
// command (a builtin, a function or a program: the call handler runs
// before each), closes the file, or ends, and then write it in one write.
// So each write carries one builtin's output, and what a builtin wrote
// comes before anything the next command writes. Programs the shell
// starts get the file or writer underneath, as before.
//
// Not covered: a pipe between two commands of one script (`echo a b |
// tee -a f`), which the interpreter makes itself and writes to directly.

// wholeWriters are the writers of one script: its output and the files it
// opened for writing.
type wholeWriters struct {
	mu  sync.Mutex
	all map[*wholeWriter]bool
}

// wrap starts holding back what is written to w.
func (ws *wholeWriters) wrap(w io.Writer) *wholeWriter {
	b := &wholeWriter{w: w}
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if ws.all == nil {
		ws.all = map[*wholeWriter]bool{}
	}
	ws.all[b] = true
	return b
}

func (ws *wholeWriters) forget(b *wholeWriter) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	delete(ws.all, b)
}

// flush writes out everything held back: the last builtin has returned.
func (ws *wholeWriters) flush() {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	for b := range ws.all {
		b.flush()
	}
}

// openHandler opens files as the interpreter does, wrapping those opened
// for writing; closing one writes out what it holds.
func (ws *wholeWriters) openHandler(ctx context.Context, path string, flag int, perm os.FileMode) (io.ReadWriteCloser, error) {
	f, err := interp.DefaultOpenHandler()(ctx, path, flag, perm)
	if err != nil || flag&(os.O_WRONLY|os.O_RDWR) == 0 {
		return f, err
	}
	return &wholeFile{wholeWriter: ws.wrap(f), f: f, ws: ws}, nil
}

// callHandler runs before every command, builtins included: whatever the
// previous one wrote is complete.
func (ws *wholeWriters) callHandler(_ context.Context, args []string) ([]string, error) {
	ws.flush()
	return args, nil
}

// wholeWriter holds what is written until flush, then writes it at once.
type wholeWriter struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

func (b *wholeWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *wholeWriter) flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	b.buf = b.buf[:0]
	if cap(b.buf) > 64<<10 {
		b.buf = nil // one builtin printed a lot; do not keep its buffer
	}
	return err
}

// wholeFile is a file the script opened for writing (`>`, `>>`, `&>`).
type wholeFile struct {
	*wholeWriter
	f  io.ReadWriteCloser
	ws *wholeWriters
}

func (f *wholeFile) Read(p []byte) (int, error) { return f.f.Read(p) }

func (f *wholeFile) Close() error {
	f.ws.forget(f.wholeWriter)
	err := f.flush()
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// underlying is what a program the shell starts gets for w: the file or
// writer beneath a wholeWriter, so a child writes to the file itself.
func underlying(w io.Writer) io.Writer {
	switch b := w.(type) {
	case *wholeWriter:
		return b.w
	case *wholeFile:
		return b.f
	}
	return w
}
