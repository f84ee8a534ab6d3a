package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/creack/pty"
	"github.com/rogpeppe/go-internal/testscript"
)

// cmdPty runs a command on a real pseudo-terminal and plays a dialogue
// file against it, like a person at the keyboard: each `expect REGEXP` waits
// (up to 10 s) for the output to match, each `send TEXT` types TEXT and
// Enter, `keys TEXT` types without Enter, `ctrl-c` sends an interrupt. The whole screen transcript becomes
// the command's stdout, for `stdout` assertions.
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
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	ts.Check(err)
	defer f.Close()

	var mu sync.Mutex
	var screen bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	seen := 0
	sc := bufio.NewScanner(bytes.NewReader(dialogue))
	for sc.Scan() {
		verb, arg, _ := strings.Cut(sc.Text(), " ")
		switch verb {
		case "expect":
			re := regexp.MustCompile(arg)
			deadline := time.Now().Add(10 * time.Second)
			for {
				mu.Lock()
				loc := re.FindIndex(screen.Bytes()[seen:])
				mu.Unlock()
				if loc != nil {
					seen += loc[1]
					break
				}
				if time.Now().After(deadline) {
					mu.Lock()
					ts.Logf("screen so far:\n%s", screen.String())
					mu.Unlock()
					ts.Fatalf("pty: no %q on the screen within 10s", arg)
				}
				time.Sleep(10 * time.Millisecond)
			}
		case "send":
			_, err := f.Write([]byte(arg + "\r"))
			ts.Check(err)
		case "keys": // typed without Enter; Go escapes allowed (\x7f is Backspace)
			k, err := strconv.Unquote(`"` + arg + `"`)
			ts.Check(err)
			_, err = f.Write([]byte(k))
			ts.Check(err)
		case "ctrl-c":
			_, err := f.Write([]byte{3})
			ts.Check(err)
		case "", "#":
		default:
			ts.Fatalf("pty: unknown dialogue line %q", sc.Text())
		}
	}
	werr := cmd.Wait()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	mu.Lock()
	fmt.Fprint(ts.Stdout(), strings.ReplaceAll(screen.String(), "\r\n", "\n"))
	mu.Unlock()
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
