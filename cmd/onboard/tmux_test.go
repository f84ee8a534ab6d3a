package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdTmux runs a command in a real terminal — a tmux window of 120×30 —
// and plays a dialogue against it like pty does, reading what tmux itself
// drew (capture-pane, scrollback included, wrapped lines joined). It is
// the end-to-end check that what a person sees on a real terminal is
// right. tmux is required: a missing tmux fails the script.
//
// Dialogue lines: `screen REGEXP` waits (10 s, or `within D`) for the
// rendered screen to match; `send TEXT` types TEXT and Enter; `keys TEXT`
// types without Enter (Go escapes); `ctrl-c`. When the dialogue ends the
// command must exit within the last `within`; its exit status and the
// screen become stdout ("EXIT=N" on the last line).
//
//	tmux DIALOGUE CMD [ARGS...]
func cmdTmux(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: tmux DIALOGUE CMD [ARGS...]")
	}
	tmuxBin, err := exec.LookPath("tmux")
	if err != nil {
		ts.Fatalf("tmux not found: install it (apt-get install tmux; .ci/run does)")
	}
	dialogue, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	// A server of the script's own, never the user's.
	sock := filepath.Join(ts.MkAbs("."), ".tmux.sock")
	tm := func(a ...string) (string, error) {
		out, err := exec.Command(tmuxBin, append([]string{"-S", sock, "-f", "/dev/null"}, a...)...).CombinedOutput()
		return string(out), err
	}
	argv := []string{"env", "-i"}
	argv = append(argv, scriptEnv(ts)...)
	argv = append(argv, scriptLookPath(ts, args[1]))
	argv = append(argv, args[2:]...)
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	shell := fmt.Sprintf("cd '%s' && %s; echo EXIT=$?; sleep 3600", ts.MkAbs("."), strings.Join(quoted, " "))
	if out, err := tm("new-session", "-d", "-s", "onboard", "-x", "120", "-y", "30", shell); err != nil {
		ts.Fatalf("tmux new-session: %v: %s", err, out)
	}
	ts.Defer(func() { _, _ = tm("kill-server") })
	capture := func() string {
		out, err := tm("capture-pane", "-p", "-J", "-S", "-", "-t", "onboard")
		if err != nil {
			ts.Fatalf("tmux capture-pane: %v: %s", err, out)
		}
		var lines []string
		for _, l := range strings.Split(out, "\n") {
			lines = append(lines, strings.TrimRight(l, " "))
		}
		return strings.TrimRight(strings.Join(lines, "\n"), "\n") + "\n"
	}
	waitFor := func(re *regexp.Regexp, wait time.Duration, what string) string {
		deadline := time.Now().Add(wait)
		for {
			s := capture()
			if m := re.FindStringSubmatch(s); m != nil {
				if len(m) > 1 {
					return m[1]
				}
				return m[0]
			}
			if time.Now().After(deadline) {
				ts.Logf("tmux screen:\n%s", s)
				ts.Fatalf("tmux: no %s on the screen within %s", what, wait)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	wait := 10 * time.Second
	sc := bufio.NewScanner(bytes.NewReader(dialogue))
	for sc.Scan() {
		verb, arg, _ := strings.Cut(sc.Text(), " ")
		switch verb {
		case "screen":
			waitFor(regexp.MustCompile("(?m)"+arg), wait, strconv.Quote(arg))
		case "send":
			if arg != "" {
				_, err := tm("send-keys", "-t", "onboard", "-l", arg)
				ts.Check(err)
			}
			_, err := tm("send-keys", "-t", "onboard", "Enter")
			ts.Check(err)
		case "keys":
			k, err := strconv.Unquote(`"` + arg + `"`)
			ts.Check(err)
			_, err = tm("send-keys", "-t", "onboard", "-l", k)
			ts.Check(err)
		case "ctrl-c":
			_, err := tm("send-keys", "-t", "onboard", "C-c")
			ts.Check(err)
		case "within":
			wait, err = time.ParseDuration(arg)
			ts.Check(err)
		case "", "#":
		default:
			ts.Fatalf("tmux: unknown dialogue line %q", sc.Text())
		}
	}
	waitFor(regexp.MustCompile(`(?m)^EXIT=(\d+)$`), wait, "exit of "+args[1])
	fmt.Fprint(ts.Stdout(), capture())
	_, _ = tm("kill-server")
}
