//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// webDelays are the start-up delays of the 5 HTTP test servers: staggered,
// so that readiness is reached one service after another, not all at once.
var webDelays = []time.Duration{0, 50 * time.Millisecond, 100 * time.Millisecond, 150 * time.Millisecond, 200 * time.Millisecond}

// svc is one service of a bench stack. The checklist and the bash script
// are both written from it, so that both sides start the same argv.
type svc struct {
	name       string
	argv       []string
	port       int      // 127.0.0.1:port answers once it is ready
	deps       []string // started once these answer (depends_on: healthy)
	stopSignal string   // onboard's stop_signal; "" for SIGTERM
}

// svcBins are the programs the stacks run.
type svcBins struct {
	redis, postgres, initdb string
	pgVersion               string // from postgres --version
	// asPostgres prefixes initdb and postgres: PostgreSQL refuses to run
	// as root, so as root both run as the user postgres.
	asPostgres []string
}

// stackFixture is the services part: a PostgreSQL data directory, the
// test service binary, and three checkouts: the 9-service stack of (c),
// a single service (for comparison) and the 8 services of (d).
type stackFixture struct {
	f       *fixture
	bins    svcBins
	testsvc string
	pgdir   string // outside the bench's temp dir, which postgres cannot enter
	keep    bool

	stack, one, rss8       []svc
	stackDir, oneDir, rssD string
	stackSh, oneSh         string
}

// findServiceBins finds redis-server, postgres and initdb: on PATH, or in
// /usr/lib/postgresql/*/bin where Debian puts PostgreSQL. A missing one is
// an error, not a skip: the bench then cannot measure what it claims to.
func findServiceBins() (svcBins, error) {
	var b svcBins
	var missing []string
	var err error
	if b.redis, err = exec.LookPath("redis-server"); err != nil {
		missing = append(missing, "redis-server (apt install redis-server)")
	}
	pgBin := func(name string) string {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
		dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
		// The highest version: "16" sorts after "15" (and before "9" only
		// in versions no distribution ships any more).
		sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
		for _, d := range dirs {
			if p := filepath.Join(d, name); isExecutable(p) {
				return p
			}
		}
		return ""
	}
	if b.postgres, b.initdb = pgBin("postgres"), pgBin("initdb"); b.postgres == "" || b.initdb == "" {
		missing = append(missing, "postgres and initdb (apt install postgresql)")
	}
	if b.postgres != "" {
		// "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)": the
		// version is the third field.
		out, _ := exec.Command(b.postgres, "--version").Output()
		if f := strings.Fields(string(out)); len(f) >= 3 {
			b.pgVersion = f[2]
		}
	}
	if os.Geteuid() == 0 {
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			missing = append(missing, "runuser (util-linux), to run PostgreSQL as the user postgres")
		} else if _, err := user.Lookup("postgres"); err != nil {
			missing = append(missing, "a user named postgres, to run PostgreSQL as (it refuses to run as root)")
		}
		b.asPostgres = []string{runuser, "-u", "postgres", "--"}
	}
	if len(missing) > 0 {
		return b, fmt.Errorf("the services part (c, d) needs %s; not found on this machine (-only steps runs the rest)", strings.Join(missing, ", "))
	}
	return b, nil
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

// newStackFixture builds the test service, initialises the database once
// (outside anything timed) and writes the checklists and the scripts.
func newStackFixture(f *fixture, keep bool) (*stackFixture, error) {
	bins, err := findServiceBins()
	if err != nil {
		return nil, err
	}
	s := &stackFixture{f: f, bins: bins, keep: keep, testsvc: filepath.Join(f.root, "testsvc")}
	progress("building the test service (go build -o " + s.testsvc + " ./bench/testsvc)")
	if err := goBuild(s.testsvc, "./bench/testsvc"); err != nil {
		return nil, err
	}
	if err := s.initdb(); err != nil {
		return nil, err
	}
	ports, err := freePorts(9)
	if err != nil {
		return nil, err
	}
	pg := svc{name: "postgres", port: ports[0], stopSignal: "SIGINT", // fast shutdown, as pg_ctl stop does
		argv: append(slices.Clone(bins.asPostgres), bins.postgres, "-D", filepath.Join(s.pgdir, "data"),
			"-p", strconv.Itoa(ports[0]), "-k", s.pgdir, "-c", "listen_addresses=127.0.0.1")}
	redis := func(name string, port int) svc {
		return svc{name: name, port: port, argv: []string{bins.redis, "--port", strconv.Itoa(port),
			"--bind", "127.0.0.1", "--save", "", "--appendonly", "no"}}
	}
	web := func(name string, port int, delay time.Duration) svc {
		return svc{name: name, port: port, argv: []string{s.testsvc, "-listen", fmt.Sprintf("127.0.0.1:%d", port), "-delay", delay.String()}}
	}
	base := []svc{pg, redis("redis1", ports[1]), redis("redis2", ports[2])}
	for i, d := range webDelays {
		base = append(base, web(fmt.Sprintf("web%d", i+1), ports[3+i], d))
	}
	app := web("app", ports[8], 0)
	app.deps = []string{"postgres", "redis1", "redis2"}
	s.stack = append(slices.Clone(base), app)
	s.rss8 = base
	s.one = []svc{web("web", ports[3], 0)}

	s.stackDir, s.oneDir, s.rssD = filepath.Join(f.root, "stack"), filepath.Join(f.root, "one"), filepath.Join(f.root, "rss8")
	s.stackSh, s.oneSh = filepath.Join(f.root, "stack.sh"), filepath.Join(f.root, "one.sh")
	for _, c := range []struct {
		dir, sh, comment string
		svcs             []svc
	}{
		{s.stackDir, s.stackSh, "The stack of (c): postgres, 2 redis, 5 HTTP servers with staggered start-up, an app after db + redis.", s.stack},
		{s.oneDir, s.oneSh, "One HTTP test server: what a single service costs each side.", s.one},
		{s.rssD, "", "The 8 services of (d): postgres, 2 redis, 5 HTTP servers.", s.rss8},
	} {
		if err := os.MkdirAll(filepath.Join(c.dir, "logs"), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(c.dir, "onboard.yaml"), []byte(checklist(c.comment, filepath.Base(c.dir), c.svcs)), 0o644); err != nil {
			return nil, err
		}
		if c.sh != "" {
			if err := os.WriteFile(c.sh, []byte(startScript(c.comment, c.dir, c.svcs)), 0o755); err != nil {
				return nil, err
			}
		}
		// Trust once, so that no run stops at the trust gate (and -y is
		// not what lets it through).
		if _, err := f.run(command{label: "onboard trust", dir: c.dir, argv: []string{f.onboard, "trust"}}); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// initdb makes a data directory in a fresh directory under the system's
// temp dir, owned by postgres when we are root: the bench's own temp dir
// is 0700 root, and postgres must reach its data directory.
func (s *stackFixture) initdb() error {
	dir, err := os.MkdirTemp("", "onboard-bench-pg-")
	if err != nil {
		return err
	}
	s.pgdir = dir
	if len(s.bins.asPostgres) > 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return err
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return err
		}
	}
	progress("initdb (once, untimed) into " + dir)
	argv := append(slices.Clone(s.bins.asPostgres), s.bins.initdb, "-D", filepath.Join(dir, "data"), "-U", "postgres", "--auth=trust", "--no-sync")
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
	return nil
}

// close stops whatever a failed part left running in the stacks'
// checkouts (`onboard services down`: the supervisor and its services
// outlive the bench otherwise, with their checkout deleted), then removes
// the data directory, unless -keep.
func (s *stackFixture) close() {
	for _, dir := range []string{s.stackDir, s.oneDir, s.rssD, filepath.Join(s.f.root, "stack100")} {
		if _, err := os.Stat(filepath.Join(dir, ".onboard", "services")); err == nil {
			_, _ = s.f.run(command{label: "onboard services down", dir: dir, argv: []string{s.f.onboard, "services", "down"}})
		}
	}
	if s.keep {
		fmt.Fprintln(os.Stderr, "bench: kept", s.pgdir)
		return
	}
	os.RemoveAll(s.pgdir)
}

// checklist is the onboard.yaml of svcs: tcp readiness for every service,
// as the bash side polls ports.
func checklist(comment, project string, svcs []svc) string {
	var y strings.Builder
	fmt.Fprintf(&y, "# %s\n# Readiness: a TCP connect to each port, as the bash baseline polls.\nversion: 1\nproject: bench-%s\nservices:\n", comment, project)
	for _, s := range svcs {
		q := make([]string, len(s.argv))
		for i, a := range s.argv {
			q[i] = strconv.Quote(a)
		}
		fmt.Fprintf(&y, "  %s:\n    run: [%s]\n    ready: {tcp: \"127.0.0.1:%d\"}\n", s.name, strings.Join(q, ", "), s.port)
		if len(s.deps) > 0 {
			d := make([]string, len(s.deps))
			for i, n := range s.deps {
				d[i] = n + ": healthy"
			}
			fmt.Fprintf(&y, "    depends_on: {%s}\n", strings.Join(d, ", "))
		}
		if s.stopSignal != "" {
			fmt.Fprintf(&y, "    stop_signal: %s\n", s.stopSignal)
		}
	}
	return y.String()
}

// startScript is the bash baseline for svcs: every service without
// dependencies in the background, then each dependent once the ports it
// depends on answer, then a wait for every port. It exits 0 with the
// services still running; the bench stops them, untimed.
func startScript(comment, dir string, svcs []svc) string {
	var b strings.Builder
	fmt.Fprintf(&b, `#!/bin/bash
# %s
# Every service in the background (&), its port polled in a tight loop with
# bash's /dev/tcp (a subshell per attempt); exits once every port answers.
cd %s || exit 2
wait_port() {
	until (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; do
		if ((SECONDS >= 60)); then echo "port $1 did not open within 60 s" >&2; exit 1; fi
	done
}
`, comment, shQuote(dir))
	port := map[string]int{}
	for _, s := range svcs {
		port[s.name] = s.port
	}
	start := func(s svc) {
		q := make([]string, len(s.argv))
		for i, a := range s.argv {
			q[i] = shQuote(a)
		}
		fmt.Fprintf(&b, "%s </dev/null >logs/%s.log 2>&1 &\n", strings.Join(q, " "), s.name)
	}
	waited := map[int]bool{}
	for _, s := range svcs {
		if len(s.deps) == 0 {
			start(s)
		}
	}
	for _, s := range svcs {
		if len(s.deps) == 0 {
			continue
		}
		for _, d := range s.deps {
			if !waited[port[d]] {
				fmt.Fprintf(&b, "wait_port %d # %s\n", port[d], d)
				waited[port[d]] = true
			}
		}
		start(s)
	}
	for _, s := range svcs {
		if !waited[s.port] {
			fmt.Fprintf(&b, "wait_port %d # %s\n", s.port, s.name)
			waited[s.port] = true
		}
	}
	return b.String()
}

// shQuote quotes a word for bash: as is when it is plainly safe,
// otherwise in single quotes (” for the empty word).
func shQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=,@+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// freePorts finds n distinct ports free on 127.0.0.1, by listening on
// each and closing: nothing else on the machine should take them in the
// minute the bench runs. They are taken below the kernel's ephemeral range
// (ip_local_port_range), as real services' ports (5432, 6379, 8080) are:
// a port from that range can be the source port of one of the many
// connections a cold start makes (every readiness probe is one), and a
// service that binds it then fails with "address already in use" — which
// stopped a 100-service cold start of the bench once.
func freePorts(n int) ([]int, error) {
	lo := ephemeralStart()
	var ports []int
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	// From a random place in the 10,000 ports below the range, so that two
	// benches at once rarely try the same ones.
	first := lo - 10000 + rand.IntN(5000)
	for p := first; p < lo && len(ports) < n; p++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			continue // taken
		}
		lns = append(lns, ln) // held until all are chosen
		ports = append(ports, p)
	}
	if len(ports) < n {
		return nil, fmt.Errorf("only %d free ports in %d–%d, below the ephemeral range", len(ports), first, lo-1)
	}
	return ports, nil
}

// ephemeralStart is the first port of the kernel's ephemeral range, 32768
// when it cannot be read.
func ephemeralStart() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 32768
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 32768
	}
	lo, err := strconv.Atoi(f[0])
	if err != nil || lo < 11024 {
		return 32768
	}
	return lo
}

// ports of svcs.
func ports(svcs []svc) []int {
	p := make([]int, len(svcs))
	for i, s := range svcs {
		p[i] = s.port
	}
	return p
}

// busyPorts are those of ports that cannot be listened on now.
func busyPorts(ports []int) []int {
	var busy []int
	for _, p := range ports {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			busy = append(busy, p)
			continue
		}
		ln.Close()
	}
	return busy
}

// answering are those of ports that accept a connection now.
func answering(ports []int) []int {
	var up []int
	for _, p := range ports {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", p), time.Second)
		if err == nil {
			c.Close()
			up = append(up, p)
		}
	}
	return up
}

// waitUntil polls cond until it reports "" (done) or timeout passes; the
// error then holds cond's last answer.
func waitUntil(timeout time.Duration, cond func() string) error {
	deadline := time.Now().Add(timeout)
	for {
		why := cond()
		if why == "" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("after %s: %s", timeout, why)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// procStat is what the bench reads of /proc/PID/stat.
type procStat struct {
	state           byte
	ppid, pgrp, sid int
}

func readStat(pid int) (procStat, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, false
	}
	// The command name is in parentheses and may hold anything, spaces
	// and ")" included: the fields start after the last ")".
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 4 {
		return procStat{}, false
	}
	var st procStat
	st.state = f[0][0]
	st.ppid, _ = strconv.Atoi(f[1])
	st.pgrp, _ = strconv.Atoi(f[2])
	st.sid, _ = strconv.Atoi(f[3])
	return st, true
}

// alive: the process exists and is not a zombie (a zombie is dead, only
// not reaped yet, which in a container without an init may take forever).
func alive(pid int) bool {
	st, ok := readStat(pid)
	return ok && st.state != 'Z'
}

// sessionMembers are the live processes of session sid.
func sessionMembers(sid int) []int {
	ents, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, ok := readStat(pid); ok && st.sid == sid && st.state != 'Z' {
			pids = append(pids, pid)
		}
	}
	return pids
}

// vmKiB is a "VmXXX:" line of /proc/PID/status, in KiB.
func vmKiB(pid int, field string) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 && f[1] == "kB" {
				return strconv.Atoi(f[0])
			}
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no %s", pid, field)
}

// stopped checks, after a stop, that nothing of a stack is left: the given
// processes are gone, postgres shut down (it removes postmaster.pid) and
// every port is free again, so that the next run starts cold.
func (s *stackFixture) stopped(svcs []svc, pids []int, more func() string) error {
	pidfile := filepath.Join(s.pgdir, "data", "postmaster.pid")
	return waitUntil(15*time.Second, func() string {
		for _, p := range pids {
			if alive(p) {
				return fmt.Sprintf("process %d is still alive", p)
			}
		}
		if more != nil {
			if why := more(); why != "" {
				return why
			}
		}
		if _, err := os.Stat(pidfile); err == nil {
			return pidfile + " is still there: postgres has not shut down"
		}
		if busy := busyPorts(ports(svcs)); len(busy) > 0 {
			return fmt.Sprintf("ports %v are still in use", busy)
		}
		return ""
	})
}

// coldStart checks the starting point of a timed run: no port of the
// stack answers or is held.
func coldStart(svcs []svc) error {
	if busy := busyPorts(ports(svcs)); len(busy) > 0 {
		return fmt.Errorf("ports %v are in use before a cold start: something from an earlier run (or elsewhere) holds them", busy)
	}
	return nil
}

// supStatus is `onboard services status --json`.
type supStatus struct {
	SupervisorPid int `json:"supervisor_pid"`
	Services      []struct {
		Name   string `json:"name"`
		State  string `json:"state"`
		Health string `json:"health"`
		Pid    int    `json:"pid"`
	} `json:"services"`
}

// status asks the supervisor of dir for its status, and checks that every
// service of svcs runs healthy: `onboard up` should not have returned
// otherwise.
func (s *stackFixture) status(dir string, svcs []svc) (supStatus, error) {
	var st supStatus
	r, err := s.f.run(command{label: "onboard services status --json", dir: dir, argv: []string{s.f.onboard, "services", "status", "--json"}})
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(r.stdout, &st); err != nil {
		return st, fmt.Errorf("onboard services status --json: %v in %s", err, r.stdout)
	}
	healthy := 0
	for _, sv := range st.Services {
		if sv.State == "running" && sv.Health == "healthy" && sv.Pid > 0 {
			healthy++
		}
	}
	if st.SupervisorPid == 0 || healthy != len(svcs) || len(st.Services) != len(svcs) {
		return st, fmt.Errorf("after onboard up, %d of %d services run healthy (supervisor pid %d):\n%s", healthy, len(svcs), st.SupervisorPid, r.stdout)
	}
	return st, nil
}

// onboardDown stops the stack of dir (untimed) and waits until nothing of
// it is left: the supervisor, its guard, the services, postgres' data
// directory lock and the ports.
func (s *stackFixture) onboardDown(dir string, svcs []svc) error {
	st, err := s.status(dir, svcs)
	if err != nil {
		return err
	}
	pids := []int{st.SupervisorPid}
	if ps, ok := readStat(st.SupervisorPid); ok && ps.ppid > 1 {
		pids = append(pids, ps.ppid) // the guard
	}
	for _, sv := range st.Services {
		pids = append(pids, sv.Pid)
	}
	if _, err := s.f.run(command{label: "onboard services down", dir: dir, argv: []string{s.f.onboard, "services", "down"}}); err != nil {
		return err
	}
	if err := s.stopped(svcs, pids, nil); err != nil {
		return fmt.Errorf("after onboard services down: %v", err)
	}
	return nil
}

// bashDown stops what a start script left running: all of it is in the
// script's session (it ran with setsid, and neither bash's & nor runuser
// starts a new one). SIGINT to its process group is postgres' fast
// shutdown and stops redis and the test servers; whatever is still there
// after 5 s gets SIGKILL.
func (s *stackFixture) bashDown(sid int, svcs []svc) error {
	_ = syscall.Kill(-sid, syscall.SIGINT)
	killAt := time.Now().Add(5 * time.Second)
	return s.stopped(svcs, nil, func() string {
		left := sessionMembers(sid)
		if len(left) == 0 {
			return ""
		}
		if time.Now().After(killAt) {
			for _, p := range left {
				_ = syscall.Kill(p, syscall.SIGKILL)
			}
		}
		return fmt.Sprintf("processes %v of the script's session are still alive", left)
	})
}

// cycle is a timed command with an untimed check before it and an
// untimed clean-up after it.
type cycle struct {
	c      command
	before func() error
	after  func(r result) error
}

// alternateCycles is alternate for commands that leave something running:
// A (stop A) B (stop B) A …, timing only the commands.
func (f *fixture) alternateCycles(reps int, verbose bool, cs ...cycle) ([][]time.Duration, error) {
	times := make([][]time.Duration, len(cs))
	for i := range reps {
		for j, c := range cs {
			if err := c.before(); err != nil {
				return nil, err
			}
			r, err := f.run(c.c)
			if err != nil {
				return nil, err
			}
			if err := c.after(r); err != nil {
				return nil, err
			}
			times[j] = append(times[j], r.wall())
			if verbose {
				fmt.Fprintf(os.Stderr, "  %2d %-28s %s\n", i+1, c.c.label, ms(r.wall()))
			}
		}
	}
	return times, nil
}

// supervisorLog reads the timestamps of one `onboard up` from
// .onboard/services/supervisor.log: when the supervisor started, and when
// each service was ready. The log's clock is the bench's wall clock, to
// the millisecond.
func supervisorLog(dir string, r result) (started time.Time, ready map[string]time.Time, err error) {
	b, err := os.ReadFile(filepath.Join(dir, ".onboard", "services", "supervisor.log"))
	if err != nil {
		return started, nil, err
	}
	const layout = "2006-01-02 15:04:05.000"
	ready = map[string]time.Time{}
	from, to := r.start.Add(-time.Millisecond), r.end.Add(time.Millisecond)
	for _, line := range strings.Split(string(b), "\n") {
		if len(line) <= len(layout) {
			continue
		}
		t, err := time.ParseInLocation(layout, line[:len(layout)], time.Local)
		if err != nil || t.Before(from) || t.After(to) {
			continue
		}
		msg := line[len(layout)+1:]
		switch {
		case strings.HasPrefix(msg, "supervisor started"):
			started = t
		case strings.Contains(msg, " is ready ("):
			ready[msg[:strings.Index(msg, " is ready (")]] = t
		}
	}
	if started.IsZero() {
		return started, nil, errors.New("supervisor.log has no \"supervisor started\" line within the run")
	}
	return started, ready, nil
}

// benchServices measures (c) and (d).
func benchServices(o options, s *stackFixture) (*svcResults, error) {
	res := &svcResults{reps: o.svcReps, rssReps: o.rssReps, stack: len(s.stack), rss: len(s.rss8),
		jobs: s.f.jobs, pgVersion: s.bins.pgVersion, asPostgres: len(s.bins.asPostgres) > 0}
	var breakdown []svcPhases
	onboardUp := func(label, dir string, svcs []svc, phases bool, args ...string) cycle {
		return cycle{
			c:      command{label: label, dir: dir, argv: append([]string{s.f.onboard, "-y", "up"}, args...)},
			before: func() error { return coldStart(svcs) },
			after: func(r result) error {
				if phases {
					started, ready, err := supervisorLog(dir, r)
					if err != nil {
						return err
					}
					p := svcPhases{spawn: started.Sub(r.start), pg: ready["postgres"].Sub(started),
						redis: max(ready["redis1"].Sub(started), ready["redis2"].Sub(started)), app: ready["app"].Sub(started)}
					for _, sv := range svcs {
						if ready[sv.name].IsZero() {
							return fmt.Errorf("supervisor.log has no \"%s is ready\" line within the run", sv.name)
						}
						p.last = max(p.last, ready[sv.name].Sub(started))
					}
					p.exit = r.end.Sub(started.Add(p.last))
					breakdown = append(breakdown, p)
				}
				return s.onboardDown(dir, svcs)
			},
		}
	}
	bashUp := func(label, dir, sh string, svcs []svc) cycle {
		return cycle{
			c: command{label: label, dir: dir, argv: []string{"bash", sh},
				sys: &syscall.SysProcAttr{Setsid: true}},
			before: func() error { return coldStart(svcs) },
			after: func(r result) error {
				if up := answering(ports(svcs)); len(up) != len(svcs) {
					return fmt.Errorf("%s exited with only ports %v of %v answering", sh, up, ports(svcs))
				}
				return s.bashDown(r.pid, svcs)
			},
		}
	}

	// One untimed round first: it pages in postgres, redis and the test
	// service for both sides, and proves each side brings all up and that
	// the clean-up leaves nothing behind.
	progress("services: one untimed warm-up round (onboard up, bash)")
	if _, err := s.f.alternateCycles(1, o.verbose,
		onboardUp("onboard up (stack)", s.stackDir, s.stack, false),
		bashUp("bash (stack)", s.stackDir, s.stackSh, s.stack)); err != nil {
		return nil, err
	}
	// -j as many as there are services, for information: onboard's -j
	// (default: the number of CPUs) also bounds how many service items
	// wait for readiness at once.
	jAll := strconv.Itoa(len(s.stack))
	progress(fmt.Sprintf("(c) cold start of %d services: %d × (onboard up, bash, onboard up -j %s), each followed by an untimed stop", len(s.stack), o.svcReps, jAll))
	t, err := s.f.alternateCycles(o.svcReps, o.verbose,
		onboardUp("onboard up (stack)", s.stackDir, s.stack, true),
		bashUp("bash (stack)", s.stackDir, s.stackSh, s.stack),
		onboardUp("onboard up -j "+jAll+" (stack)", s.stackDir, s.stack, false, "-j", jAll))
	if err != nil {
		return nil, err
	}
	res.stackOn, res.stackSh, res.stackJ = t[0], t[1], t[2]
	res.phases = medianSvcPhases(breakdown)

	progress(fmt.Sprintf("(c') a single service: %d × (onboard up, bash)", o.svcReps))
	t, err = s.f.alternateCycles(o.svcReps, o.verbose,
		onboardUp("onboard up (1 service)", s.oneDir, s.one, false),
		bashUp("bash (1 service)", s.oneDir, s.oneSh, s.one))
	if err != nil {
		return nil, err
	}
	res.oneOn, res.oneSh = t[0], t[1]

	progress(fmt.Sprintf("(d) supervisor RSS with %d services: %d × onboard up, 1 s settle, read /proc, down", len(s.rss8), o.rssReps))
	for range o.rssReps {
		if err := coldStart(s.rss8); err != nil {
			return nil, err
		}
		if _, err := s.f.run(command{label: "onboard up (8 services)", dir: s.rssD, argv: []string{s.f.onboard, "-y", "up"}}); err != nil {
			return nil, err
		}
		// Settled: the start-up's probes and goroutines are done; what
		// is left is what the supervisor holds while the stack runs.
		time.Sleep(time.Second)
		st, err := s.status(s.rssD, s.rss8)
		if err != nil {
			return nil, err
		}
		sup, err := vmKiB(st.SupervisorPid, "VmRSS")
		if err != nil {
			return nil, err
		}
		hwm, err := vmKiB(st.SupervisorPid, "VmHWM")
		if err != nil {
			return nil, err
		}
		ps, ok := readStat(st.SupervisorPid)
		if !ok {
			return nil, fmt.Errorf("supervisor %d: no /proc/%d/stat", st.SupervisorPid, st.SupervisorPid)
		}
		guard, err := vmKiB(ps.ppid, "VmRSS")
		if err != nil {
			return nil, fmt.Errorf("the supervisor's parent (the guard, pid %d): %v", ps.ppid, err)
		}
		res.rssSup, res.hwmSup, res.rssGuard = append(res.rssSup, sup), append(res.hwmSup, hwm), append(res.rssGuard, guard)
		if o.verbose {
			fmt.Fprintf(os.Stderr, "  supervisor %d: VmRSS %d KiB, VmHWM %d KiB; guard %d: VmRSS %d KiB\n", st.SupervisorPid, sup, hwm, ps.ppid, guard)
		}
		if err := s.onboardDown(s.rssD, s.rss8); err != nil {
			return nil, err
		}
	}
	return res, nil
}
