package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdSurvivors checks that no process of this script's runs is left: it
// waits up to 2 s (DESIGN: zero processes of a run may survive 2 s after
// a kill -9) until no live process has this script's WORK=… in its
// environment — every process a script's onboard starts inherits it,
// re-parented to init or not, in whatever session — and otherwise fails,
// naming each survivor.
//
//	survivors
func cmdSurvivors(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 0 {
		ts.Fatalf("usage: survivors")
	}
	mark := []byte("WORK=" + ts.Getenv("WORK") + "\x00")
	var left []string
	for deadline := time.Now().Add(2 * time.Second); ; {
		left = survivors(mark)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	ts.Fatalf("still running 2 s later:\n%s", strings.Join(left, "\n"))
}

// survivors lists the live processes whose environment holds mark.
func survivors(mark []byte) []string {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return []string{err.Error()}
	}
	self := os.Getpid()
	var out []string
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
		if err != nil || !bytes.Contains(env, mark) {
			continue
		}
		stat, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if bytes.Contains(stat, []byte(") Z ")) {
			continue
		}
		cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		out = append(out, fmt.Sprintf("  pid %d: %s", pid, bytes.ReplaceAll(bytes.TrimRight(cmd, "\x00"), []byte{0}, []byte{' '})))
	}
	return out
}
