//go:build unix

package main

import (
	"bufio"
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// terminal is what a dialogue plays against: a pty drawn by an emulator,
// or a tmux window.
type terminal interface {
	// screen is the rendered screen, scrollback first, wrapped rows joined.
	screen() string
	// raw is what the program wrote, or nil where only the screen is known.
	raw() []byte
	// typeKeys types keys as a person would.
	typeKeys(keys []byte) error
}

// playDialogue plays a dialogue file against t, like a person at the
// keyboard, and returns the wait in force at its end (`within`), which
// bounds how long the program may run after the last key.
//
//	expect REGEXP   wait for REGEXP in the bytes written since the last match (pty only)
//	screen REGEXP   wait for REGEXP ((?m) multi-line) on the rendered screen
//	send TEXT       type TEXT and Enter
//	keys TEXT       type without Enter (Go escapes: \x7f is Backspace, \x1b[B is Down)
//	ctrl-c          send an interrupt
//	within D        waits from here on give up after D (default 10s)
func playDialogue(ts *testscript.TestScript, name string, t terminal, dialogue []byte) time.Duration {
	wait := 10 * time.Second
	seen := 0
	sc := bufio.NewScanner(bytes.NewReader(dialogue))
	for sc.Scan() {
		verb, arg, _ := strings.Cut(sc.Text(), " ")
		var keys []byte
		switch verb {
		case "expect", "screen":
			re := regexp.MustCompile("(?m)" + arg)
			deadline := time.Now().Add(wait)
			for {
				if verb == "expect" {
					raw := t.raw()
					if raw == nil {
						ts.Fatalf("%s: expect needs the bytes written; use screen", name)
					}
					if loc := re.FindIndex(raw[seen:]); loc != nil {
						seen += loc[1]
						break
					}
				} else if re.MatchString(t.screen()) {
					break
				}
				if time.Now().After(deadline) {
					ts.Logf("screen so far:\n%s", t.screen())
					ts.Fatalf("%s: no %q on the screen within %s", name, arg, wait)
				}
				time.Sleep(5 * time.Millisecond)
			}
			continue
		case "send":
			keys = []byte(arg + "\r")
		case "keys":
			k, err := strconv.Unquote(`"` + arg + `"`)
			ts.Check(err)
			keys = []byte(k)
		case "ctrl-c":
			keys = []byte{3}
		case "within":
			d, err := time.ParseDuration(arg)
			ts.Check(err)
			wait = d
			continue
		case "", "#":
			continue
		default:
			ts.Fatalf("%s: unknown dialogue line %q", name, sc.Text())
		}
		ts.Check(t.typeKeys(keys))
	}
	return wait
}
