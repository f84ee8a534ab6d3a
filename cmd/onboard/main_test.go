//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/onboard-dev/onboard/internal/testsvc"
)

// TestMain lets the test binary act as the onboard binary inside scripts:
// `exec onboard ...` runs cli.Main in a real child process.
//
// Every test file of this package builds only on Unix (the build tags):
// the scripts drive Unix processes (signals, ptys, tmux, sshd, setsid), and
// they run on Linux only; on Windows `go vet` checks the rest of the module.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"onboard": func() { os.Exit(run()) },
		"testsvc": testsvc.Main,
	})
}

// TestScripts runs every end-to-end script in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       os.Getenv("ONBOARD_UPDATE_SCRIPTS") == "1",
		Setup: func(env *testscript.Env) error {
			// A user's own config must never leak into a test. It lives
			// beside the script's work directory, not in it: onboard
			// refuses a trust store inside the checkout it would trust,
			// and most scripts use $WORK as the checkout.
			config := env.WorkDir + ".config"
			env.Setenv("XDG_CONFIG_HOME", config)
			env.Defer(func() { _ = os.RemoveAll(config) })
			env.Setenv("NO_COLOR", "1")
			// A -race build sleeps 1 s before exiting; services stop faster
			// without it.
			env.Setenv("GORACE", "atexit_sleep_ms=0")
			setGoEnv(env)
			// A script that fails half-way must not leave a detached
			// supervisor and its services running.
			env.Defer(func() { stopSupervisors(env.WorkDir) })
			// Debian keeps PostgreSQL's server programs (initdb, postgres)
			// off PATH, in /usr/lib/postgresql/<version>/bin.
			if pg, _ := filepath.Glob("/usr/lib/postgresql/*/bin"); len(pg) > 0 {
				env.Setenv("PATH", strings.Join(append([]string{env.Getenv("PATH")}, pg...), string(filepath.ListSeparator)))
			}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"bytes":           cmdBytes,
			"waitfile":        cmdWaitFile,
			"gone":            cmdGone,
			"pty":             cmdPty,
			"tmux":            cmdTmux,
			"exitcode":        cmdExitCode,
			"gitserver":       cmdGitServer,
			"sshd":            cmdSSHD,
			"sshagent":        cmdSSHAgent,
			"evilgitserver":   cmdEvilGitServer,
			"maxrss":          cmdMaxRSS,
			"freeport":        cmdFreePort,
			"alive":           cmdAlive,
			"subst":           cmdSubst,
			"eventually":      cmdEventually,
			"kill9supervisor": cmdKill9Supervisor,
			"sleep":           cmdSleep,
			"composeimage":    cmdComposeImage,
			"containers":      cmdContainers,
			"cirequires":      cmdCIRequires,
			"pgdir":           cmdPgDir,
			"sigkill":         cmdSigkill,
			"pgrp":            cmdPgrp,
			"survivors":       cmdSurvivors,
			"httpget":         cmdHTTPGet,
		},
	})
}

// cmdBytes writes a file from text with Go escapes (\x00, \n, \ufeff), for
// checklists that a txtar archive cannot hold: NUL bytes, invalid UTF-8,
// megabytes of text.
//
//	bytes FILE 'TEXT' [REPEAT]
func cmdBytes(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: bytes FILE 'TEXT' [REPEAT]")
	}
	s, err := strconv.Unquote(`"` + args[1] + `"`)
	ts.Check(err)
	n := 1
	if len(args) == 3 {
		n, err = strconv.Atoi(args[2])
		ts.Check(err)
	}
	f, err := os.Create(ts.MkAbs(args[0]))
	ts.Check(err)
	for range n {
		_, err = f.WriteString(s)
		ts.Check(err)
	}
	ts.Check(f.Close())
}

// cmdWaitFile waits up to 10 s for a file to exist, so a script can act
// while a background onboard is in the middle of an item.
//
//	waitfile FILE
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile FILE")
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(ts.MkAbs(args[0])); err == nil && len(b) > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	ts.Fatalf("%s did not appear within 10s", args[0])
}

// cmdGone checks that the process whose pid is in FILE no longer runs
// (waiting up to 5 s for it to be reaped): nothing onboard started may be
// left behind.
//
//	gone PIDFILE
func cmdGone(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: gone PIDFILE")
	}
	b, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	ts.Check(err)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil || strings.Contains(string(stat), ") Z ") {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	ts.Fatalf("process %d is still running", pid)
}
