package main

import (
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// stopSupervisors kills every detached supervisor a script left under dir
// (SIGTERM, then SIGKILL): its services stop with it.
func stopSupervisors(dir string) {
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "supervisor.pid" {
			return nil
		}
		b, _ := os.ReadFile(path)
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if pid <= 1 || syscall.Kill(pid, syscall.SIGTERM) != nil {
			return nil
		}
		deadline := time.Now().Add(15 * time.Second)
		for time.Now().Before(deadline) && syscall.Kill(pid, 0) == nil {
			time.Sleep(10 * time.Millisecond)
		}
		_ = syscall.Kill(pid, syscall.SIGKILL)
		return nil
	})
}

// cmdFreePort sets an environment variable to a free TCP port on
// 127.0.0.1, for services the script starts.
//
//	freeport NAME...
func cmdFreePort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: freeport NAME...")
	}
	for _, name := range args {
		ts.Setenv(name, strconv.Itoa(freePort(ts)))
	}
}

// cmdAlive checks that the process in a pid file is (or, negated, is not)
// running, waiting up to 2 s for a negated check to come true: the
// issue asks for no service process left within 2 s of a supervisor death.
//
//	[!] alive PIDFILE
func cmdAlive(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: alive PIDFILE")
	}
	b, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	pid, err := strconv.Atoi(strings.Fields(string(b))[0])
	ts.Check(err)
	deadline := time.Now().Add(2 * time.Second)
	for {
		alive := processAlive(pid)
		if alive != neg {
			return
		}
		if !neg || time.Now().After(deadline) {
			if neg {
				ts.Fatalf("pid %d is still running", pid)
			}
			ts.Fatalf("pid %d is not running", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// processAlive: running and not a zombie.
func processAlive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || !strings.HasPrefix(strings.TrimSpace(s[i+1:]), "Z")
}

// freePort is a TCP port on 127.0.0.1 that nothing listened on a moment ago.
func freePort(ts *testscript.TestScript) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// cmdSubst replaces ${NAME} in files with the script's environment
// variables, for checklists that name the free ports a script picked.
//
//	subst FILE...
func cmdSubst(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: subst FILE...")
	}
	for _, name := range args {
		path := ts.MkAbs(name)
		b, err := os.ReadFile(path)
		ts.Check(err)
		out := os.Expand(string(b), func(v string) string {
			if v == "" || strings.ToUpper(v) != v {
				return "$" + v // leave shell variables like $x alone
			}
			return ts.Getenv(v)
		})
		ts.Check(os.WriteFile(path, []byte(out), 0o644))
	}
}

// cmdEventually runs a command again and again (up to 20 s) until its
// stdout matches a regular expression: for states a script cannot wait
// for otherwise, such as a service in backoff. Its last stdout stays in
// stdout for the following commands.
//
//	eventually REGEX program args...
func cmdEventually(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: eventually REGEX program args...")
	}
	re, err := regexp.Compile(`(?m)` + args[0])
	ts.Check(err)
	deadline := time.Now().Add(20 * time.Second)
	for {
		_ = ts.Exec(args[1], args[2:]...)
		out := ts.ReadFile("stdout")
		if re.MatchString(out) {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("no match for %q after 20s; last stdout:\n%s", args[0], out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cmdKill9Supervisor SIGKILLs the detached supervisor of the script's
// checkout, as a crash or an OOM kill would, and waits for it to be gone.
//
//	kill9supervisor
func cmdKill9Supervisor(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: kill9supervisor")
	}
	b, err := os.ReadFile(ts.MkAbs(".onboard/services/supervisor.pid"))
	ts.Check(err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	ts.Check(err)
	ts.Check(syscall.Kill(pid, syscall.SIGKILL))
	deadline := time.Now().Add(5 * time.Second)
	for processAlive(pid) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
}
