//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdTmux runs a command in a real terminal — a tmux window of 120×30 —
// and plays a dialogue against it like pty does, reading what tmux itself
// drew (capture-pane, scrollback included, wrapped lines joined). It is
// the end-to-end check that what a person sees on a real terminal is
// right. tmux is required: a missing tmux fails the script.
//
// The dialogue's lines are playDialogue's (expect aside: tmux shows the
// screen, not the bytes). When the dialogue ends the command must exit
// within the last `within`; its exit status and the screen become stdout
// ("EXIT=N" on the last line).
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
	// A server of the script's own, never the user's, and one per call: a
	// server still shutting down must not take the next call's socket.
	sock := filepath.Join(ts.MkAbs("."), fmt.Sprintf(".tmux-%d.sock", tmuxCalls.Add(1)))
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
	wait := playDialogue(ts, "tmux", tmuxTerminal{capture: capture, tm: tm}, dialogue)
	waitFor(regexp.MustCompile(`(?m)^EXIT=(\d+)$`), wait, "exit of "+args[1])
	fmt.Fprint(ts.Stdout(), capture())
	_, _ = tm("kill-server")
}

// tmuxCalls numbers the tmux servers of a test process (scripts run in
// parallel).
var tmuxCalls atomic.Int64

// tmuxTerminal plays a dialogue in a tmux window.
type tmuxTerminal struct {
	capture func() string
	tm      func(a ...string) (string, error)
}

func (t tmuxTerminal) screen() string { return t.capture() }

func (t tmuxTerminal) raw() []byte { return nil }

// typeKeys sends the keys literally: a CR is Enter, \x03 is Ctrl-C.
func (t tmuxTerminal) typeKeys(keys []byte) error {
	_, err := t.tm("send-keys", "-t", "onboard", "-l", string(keys))
	return err
}
