//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
	"github.com/rogpeppe/go-internal/testscript"
)

// Screen size of every pty test: what a person's terminal window shows.
const ptyRows, ptyCols = 40, 120

// cmdPty runs a command on a real pseudo-terminal whose output is drawn by
// a terminal emulator (charmbracelet/x/vt), and plays a dialogue file
// against it like a person at the keyboard. The emulator answers the
// program's terminal queries on its input, as a real terminal does.
//
// The dialogue's lines are playDialogue's.
//
// The rendered screen (scrollback, then the screen, trailing blanks
// trimmed) becomes the command's stdout, for `stdout` assertions; the
// bytes as written go to $WORK/pty.raw.
//
//	[!] pty DIALOGUE CMD [ARGS...]
func cmdPty(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: pty DIALOGUE CMD [ARGS...]")
	}
	dialogue, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	cmd := exec.Command(scriptLookPath(ts, args[1]), args[2:]...)
	cmd.Dir = ts.MkAbs(".")
	cmd.Env = scriptEnv(ts)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: ptyRows, Cols: ptyCols})
	ts.Check(err)
	defer f.Close()

	term := newScreen(ptyCols, ptyRows)
	go term.answer(f)
	defer term.close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			term.write(buf[:n])
			if err != nil {
				return
			}
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	wait := playDialogue(ts, "pty", ptyTerminal{term, f}, dialogue)
	var werr error
	select {
	case werr = <-exited:
	case <-time.After(wait):
		ts.Logf("screen so far:\n%s", term.screen())
		_ = cmd.Process.Kill()
		<-exited
		ts.Fatalf("pty: %s still running %s after the last key", args[1], wait)
	}
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	fmt.Fprint(ts.Stdout(), term.screen())
	// The bytes as written, for checks on escape codes: `grep` pty.raw.
	ts.Check(os.WriteFile(ts.MkAbs("pty.raw"), term.raw(), 0o644))
	var ee *exec.ExitError
	switch {
	case werr == nil && neg:
		ts.Fatalf("pty: command succeeded unexpectedly")
	case werr != nil && !neg:
		ts.Fatalf("pty: %v", werr)
	case werr != nil && !errors.As(werr, &ee):
		ts.Fatalf("pty: %v", werr)
	}
}

// emuScreen is a terminal emulator fed with a program's output, and the
// bytes as written.
type emuScreen struct {
	mu    sync.Mutex
	emu   *vt.Emulator
	bytes bytes.Buffer
}

func newScreen(cols, rows int) *emuScreen {
	e := vt.NewEmulator(cols, rows)
	e.SetScrollbackSize(10000)
	return &emuScreen{emu: e}
}

func (s *emuScreen) write(p []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bytes.Write(p)
	_, _ = s.emu.Write(p)
}

// answer copies what the emulator replies to the program's queries (a
// colour, a mode report) back to the program's input, as a terminal does.
func (s *emuScreen) answer(w io.Writer) {
	buf := make([]byte, 256)
	for {
		n, err := s.emu.Read(buf)
		if n > 0 {
			_, _ = w.Write(buf[:n])
		}
		if err != nil {
			return
		}
	}
}

func (s *emuScreen) close() {
	if pw, ok := s.emu.InputPipe().(*io.PipeWriter); ok {
		_ = pw.Close()
	}
}

func (s *emuScreen) raw() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte{}, s.bytes.Bytes()...) // never nil: a pty knows its bytes
}

// screen is the screen as a person reads it: the lines scrolled off the
// top, then the visible lines, trailing blanks trimmed.
func (s *emuScreen) screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lines []string
	if sb := s.emu.Scrollback(); sb != nil {
		for _, l := range sb.Lines() {
			lines = append(lines, strings.TrimRight(l.String(), " "))
		}
	}
	for _, l := range strings.Split(s.emu.String(), "\n") {
		lines = append(lines, strings.TrimRight(l, " "))
	}
	// A row that fills the width (its last cell may be a blank) and goes
	// on was wrapped by the terminal: it is one line for the assertions.
	var joined []string
	for i, row := range lines {
		if i > 0 && row != "" && ansi.StringWidth(lines[i-1]) >= s.emu.Width()-1 {
			if ansi.StringWidth(lines[i-1]) < s.emu.Width() {
				joined[len(joined)-1] += " "
			}
			joined[len(joined)-1] += row
			continue
		}
		joined = append(joined, row)
	}
	lines = joined
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n") + "\n"
}

// scriptEnv is the script's environment, not the test process's: what a
// script may set, plus a terminal type.
func scriptEnv(ts *testscript.TestScript) []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "USER", "XDG_CONFIG_HOME", "NO_COLOR", "WORK", "TMPDIR", "ONBOARD_PROMPT", "ACCESSIBLE", "CI", "SSH_AUTH_SOCK", "SSH_KNOWN_HOSTS", "GORACE"} {
		if v := ts.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	term := ts.Getenv("TERM")
	if term == "" {
		term = "xterm-256color"
	}
	return append(env, "TERM="+term)
}

// cmdExitCode runs a command and checks its exact exit status, which
// `exec` cannot: the exit codes are part of onboard's contract.
//
//	exitcode N CMD [ARGS...]
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N CMD [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	cmd := exec.Command(scriptLookPath(ts, args[1]), args[2:]...)
	cmd.Dir = ts.MkAbs(".")
	cmd.Env = append(scriptEnv(ts), "TERM=dumb")
	cmd.Stdout, cmd.Stderr = ts.Stdout(), ts.Stderr()
	err = cmd.Run()
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}

// scriptLookPath finds a program on the script's PATH, where testscript
// puts its commands (onboard), rather than the test process's.
func scriptLookPath(ts *testscript.TestScript, name string) string {
	for _, dir := range strings.Split(ts.Getenv("PATH"), ":") {
		if st, err := os.Stat(dir + "/" + name); err == nil && !st.IsDir() {
			return dir + "/" + name
		}
	}
	return name
}

// ptyTerminal plays a dialogue on a pty drawn by an emulator.
type ptyTerminal struct {
	*emuScreen
	f *os.File
}

func (p ptyTerminal) typeKeys(keys []byte) error {
	_, err := p.f.Write(keys)
	return err
}
