//go:build unix

package main

import (
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"os/user"
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

// cmdSubst replaces ${NAME} (upper case, braces) in files with the
// script's environment variables, for checklists that name the free ports
// a script picked. $NAME without braces is left for the shell.
//
//	subst FILE...
var substRe = regexp.MustCompile(`\$\{[A-Z][A-Z0-9_]*\}`)

func cmdSubst(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: subst FILE...")
	}
	for _, name := range args {
		path := ts.MkAbs(name)
		b, err := os.ReadFile(path)
		ts.Check(err)
		out := substRe.ReplaceAllStringFunc(string(b), func(m string) string {
			return ts.Getenv(m[2 : len(m)-1])
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

// --- services_redis_postgres.txtar: real redis-server and postgres ---

// cmdCIRequires fails the script when CI=true and a program is not on the
// script's PATH: locally a script may skip without redis or PostgreSQL
// ([!exec:prog] skip), but in CI (.ci/run installs them) it must not.
//
//	cirequires PROG...
func cmdCIRequires(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: cirequires PROG...")
	}
	if os.Getenv("CI") == "" {
		return
	}
	for _, prog := range args {
		if !onPath(prog, ts.Getenv("PATH")) {
			ts.Fatalf("CI: %s is not on PATH (see need_pkgs in .ci/run)", prog)
		}
	}
}

// onPath reports whether an executable prog is in one of the directories
// of path.
func onPath(prog, path string) bool {
	for _, dir := range filepath.SplitList(path) {
		if fi, err := os.Stat(filepath.Join(dir, prog)); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return true
		}
	}
	return false
}

// cmdPgDir creates a directory under the system temp directory for a
// PostgreSQL cluster and sets NAME to it. As root it belongs to the user
// postgres (PostgreSQL refuses to run as root, and $WORK sits under a 0700
// directory that user cannot reach). It is removed when the script ends.
//
//	pgdir NAME
func cmdPgDir(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: pgdir NAME")
	}
	dir, err := os.MkdirTemp("", "onboard-pg-")
	ts.Check(err)
	ts.Defer(func() { _ = os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			ts.Fatalf("running as root needs the user postgres (apt install postgresql): %v", err)
		}
		uid, err := strconv.Atoi(u.Uid)
		ts.Check(err)
		gid, err := strconv.Atoi(u.Gid)
		ts.Check(err)
		ts.Check(os.Chown(dir, uid, gid))
	}
	ts.Setenv(args[0], dir)
}

// cmdSigkill sends SIGKILL to the process in a pid file ("PID [STARTTIME]"),
// to crash a service.
//
//	sigkill PIDFILE
func cmdSigkill(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sigkill PIDFILE")
	}
	ts.Check(syscall.Kill(pidFromFile(ts, args[0]), syscall.SIGKILL))
}

// cmdPgrp checks that some process (not a zombie) is (or, negated, that
// none is any longer, waiting up to 10 s) in the process group led by the
// pid in a pid file: a service's children must stop with it.
//
//	[!] pgrp PIDFILE
func cmdPgrp(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: pgrp PIDFILE")
	}
	pgid := pidFromFile(ts, args[0])
	deadline := time.Now().Add(10 * time.Second)
	for {
		members := groupMembers(pgid)
		if (len(members) > 0) != neg {
			return
		}
		if !neg || time.Now().After(deadline) {
			if neg {
				ts.Fatalf("process group %d still has processes %v", pgid, members)
			}
			ts.Fatalf("process group %d has no process", pgid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// groupMembers lists the live (not zombie) processes in process group pgid.
func groupMembers(pgid int) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:]) // state ppid pgrp ...
		if len(f) < 3 || f[0] == "Z" || f[2] != strconv.Itoa(pgid) {
			continue
		}
		pids = append(pids, pid)
	}
	return pids
}

// pidFromFile is the first field of a pid file.
func pidFromFile(ts *testscript.TestScript, name string) int {
	f := strings.Fields(ts.ReadFile(name))
	if len(f) == 0 {
		ts.Fatalf("%s is empty", name)
	}
	pid, err := strconv.Atoi(f[0])
	ts.Check(err)
	if pid <= 1 {
		ts.Fatalf("%s: bad pid %d", name, pid)
	}
	return pid
}

// cmdSleep pauses the script: for two Ctrl-C a person would not press in
// the same millisecond (the kernel merges signals that arrive together).
//
//	sleep DURATION
func cmdSleep(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sleep DURATION")
	}
	d, err := time.ParseDuration(args[0])
	ts.Check(err)
	time.Sleep(d)
}

// cmdComposeImage builds a Docker image FROM scratch holding the static
// test server of internal/supervise/testdata/composesvc (no registry is
// reachable, so nothing can be pulled), sets NAME to its tag and removes
// the image when the script ends. Without a Docker engine the script
// fails: a missing component is a failure, not a skip.
//
//	composeimage NAME
func cmdComposeImage(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: composeimage NAME")
	}
	if err := exec.Command("docker", "info").Run(); err != nil {
		ts.Fatalf("this test needs a running Docker engine: %v", err)
	}
	src, err := filepath.Abs(filepath.Join("..", "..", "internal", "supervise", "testdata", "composesvc"))
	ts.Check(err)
	dir := ts.MkAbs(".composeimage")
	ts.Check(os.MkdirAll(dir, 0o755))
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "svc"), ".")
	build.Dir = src
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		ts.Fatalf("go build: %v\n%s", err, out)
	}
	dockerfile := "FROM scratch\nCOPY svc /svc\n" +
		`HEALTHCHECK --interval=1s --timeout=2s --retries=30 CMD ["/svc","-healthcheck","http://127.0.0.1:8080/healthz"]` + "\n" +
		`ENTRYPOINT ["/svc"]` + "\n"
	ts.Check(os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644))
	tag := fmt.Sprintf("onboard-test-script:%d", time.Now().UnixNano())
	if out, err := exec.Command("docker", "build", "-q", "-t", tag, dir).CombinedOutput(); err != nil {
		ts.Fatalf("docker build: %v\n%s", err, out)
	}
	ts.Defer(func() { _ = exec.Command("docker", "rmi", "-f", tag).Run() })
	ts.Setenv(args[0], tag)
}

// cmdContainers checks how many containers of a compose project exist
// (running or not), by Docker's compose label, waiting up to 10 s for the
// count: on a loaded machine the daemon may list a removed container for
// a moment after compose returned (CI saw 1 for 0 once).
//
//	containers PROJECT-PREFIX N
func cmdContainers(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: containers PROJECT-PREFIX N")
	}
	n := 0
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		out, err := exec.Command("docker", "ps", "-a", "--format", "{{.Label \"com.docker.compose.project\"}}").Output()
		ts.Check(err)
		n = 0
		for _, p := range strings.Fields(string(out)) {
			if strings.HasPrefix(p, args[0]) {
				n++
			}
		}
		if strconv.Itoa(n) == args[1] || time.Now().After(deadline) {
			break
		}
	}
	if strconv.Itoa(n) != args[1] {
		ts.Fatalf("%d containers of project %s*, want %s", n, args[0], args[1])
	}
}
