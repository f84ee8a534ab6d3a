package supervise

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/onboard-dev/onboard/internal/mask"
	"github.com/onboard-dev/onboard/internal/rootfs"
	"github.com/onboard-dev/onboard/internal/run"
)

// Supervisor runs a project's services: setup, start, readiness, restarts
// with backoff, and stop in reverse dependency order. It is used in the
// foreground by `onboard services up` and inside the detached supervisor
// process that `onboard up` starts.
type Supervisor struct {
	dir string // .onboard/services: logs/, pids/
	// fs is dir, through which every file of the supervisor is written
	// (see files.go). It stays open for the Supervisor's life, which is
	// its process's: `services up` and the detached supervisor.
	fs     *rootfs.Root
	output io.Writer
	prefix func(name string, n int) string
	notify func(string)
	runner run.Runner
	opts   Options

	mu    sync.Mutex
	svcs  map[string]*service
	order []string // first start order, for status
	n     int      // colour index
}

// Options configure a Supervisor.
type Options struct {
	// Output receives every service's output as prefixed lines
	// ("redis    | Ready to accept connections"); nil writes only the
	// log files.
	Output io.Writer
	// Prefix draws a service's prefix ("db         | "); n counts the
	// services started, so neighbours can get different colours. nil
	// means plain. internal/ui provides it: supervise does not decide
	// about the terminal.
	Prefix func(name string, n int) string
	// Notify receives the supervisor's own messages: a service ready, a
	// crash and its restart, a stop that takes long.
	Notify func(msg string)
	// Runner starts the services' processes, their setup commands, exec
	// probes and compose commands; nil is run.System.
	Runner run.Runner
	// HealthyEvery is how often a healthy service is probed (0:
	// DefaultHealthyEvery); RecheckEvery how soon after a failed probe
	// the next comes (0: DefaultRecheckEvery). A service's own ready
	// interval of a second or more sets both.
	HealthyEvery, RecheckEvery time.Duration
}

// The cadence of the health monitor (see Options).
const (
	DefaultHealthyEvery = 10 * time.Second
	DefaultRecheckEvery = 2 * time.Second
)

func (o Options) healthyEvery() time.Duration {
	if o.HealthyEvery > 0 {
		return o.HealthyEvery
	}
	return DefaultHealthyEvery
}

func (o Options) recheckEvery() time.Duration {
	if o.RecheckEvery > 0 {
		return o.RecheckEvery
	}
	return DefaultRecheckEvery
}

// New returns a supervisor keeping its files in dir (.onboard/services).
// Service processes left behind by an earlier supervisor that died (their
// pid files are still there) are stopped first.
func New(dir string, opts Options) (*Supervisor, error) {
	fsys, err := openDir(dir)
	if err != nil {
		return nil, err
	}
	if err := fsys.MkdirAll(pidsDir, 0o700); err != nil {
		fsys.Close()
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	sup := &Supervisor{dir: dir, fs: fsys, output: opts.Output, prefix: opts.Prefix, notify: opts.Notify, runner: run.Or(opts.Runner), opts: opts, svcs: map[string]*service{}}
	for _, msg := range killLeftovers(fsys) {
		sup.say("%s", msg)
	}
	return sup, nil
}

func (sup *Supervisor) say(format string, args ...any) {
	if sup.notify != nil {
		sup.notify(fmt.Sprintf(format, args...))
	}
}

// Start starts a service, unless it already runs under the same
// definition, and waits until it is ready: its probe passed, or, without a
// probe, its process started. Every service it depends on must have been
// started already; Start waits for their conditions and fails with the
// reason when one of them fails. When ctx ends, Start stops waiting but the
// service goes on starting.
func (sup *Supervisor) Start(ctx context.Context, spec ServiceSpec) error {
	return sup.start(ctx, spec, spec.RestartReason != "")
}

// start is Start; with restart, a running service is stopped and started
// again even when its definition is unchanged.
func (sup *Supervisor) start(ctx context.Context, spec ServiceSpec, restart bool) error {
	sup.mu.Lock()
	old := sup.svcs[spec.Name]
	sup.mu.Unlock()
	if old != nil {
		st := old.snapshot()
		if st.Active() && st.Hash == spec.Hash && !restart {
			return old.waitFor(ctx, old.selfCondition())
		}
		if st.Active() && spec.RestartReason != "" {
			old.logf("restarting: %s", spec.RestartReason)
			sup.say("restarting %s: %s", spec.Name, spec.RestartReason)
		}
		old.stop(false)
	}
	names := make([]string, 0, len(spec.DependsOn))
	for name := range spec.DependsOn {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		sup.mu.Lock()
		dep := sup.svcs[name]
		sup.mu.Unlock()
		if dep == nil {
			return fmt.Errorf("%s depends on %s, which is not started", spec.Name, name)
		}
		if err := dep.waitFor(ctx, spec.DependsOn[name]); err != nil {
			return fmt.Errorf("%s depends on %s: %w", spec.Name, name, err)
		}
	}
	s, err := sup.newService(spec)
	if err != nil {
		return err
	}
	go s.loop()
	return s.waitFor(ctx, s.selfCondition())
}

// Restart stops a service and starts it again with the same definition.
func (sup *Supervisor) Restart(ctx context.Context, name string) error {
	sup.mu.Lock()
	s := sup.svcs[name]
	sup.mu.Unlock()
	if s == nil {
		return fmt.Errorf("no service %q is known to the supervisor", name)
	}
	return sup.start(ctx, s.spec, true)
}

// Status lists the services in the order they were first started; with
// names, only those. A status looks at every program of the service's
// process tree (Replaced): `up` asks for each service's own as it checks
// it, not for all of them each time — with 100 services, 10,000 trees
// read in one cold start.
func (sup *Supervisor) Status(names ...string) []Status {
	return sup.statuses((*service).status, names)
}

// snapshots is Status without what costs system calls to find (see
// service.snapshot): for the supervisor's own frequent checks.
func (sup *Supervisor) snapshots() []Status { return sup.statuses((*service).snapshot, nil) }

// statuses is of each service, in the order they were first started: the
// named ones, or all when names is empty.
func (sup *Supervisor) statuses(of func(*service) Status, names []string) []Status {
	sup.mu.Lock()
	svcs := make([]*service, 0, len(sup.order))
	for _, name := range sup.order {
		if len(names) == 0 || slices.Contains(names, name) {
			svcs = append(svcs, sup.svcs[name])
		}
	}
	sup.mu.Unlock()
	out := make([]Status, 0, len(svcs))
	for _, s := range svcs {
		out = append(out, of(s))
	}
	return out
}

// Stop stops the named services (all when names is empty) and every
// service that depends on them, dependents first. With kill, process
// groups get SIGKILL at once (a second Ctrl-C).
func (sup *Supervisor) Stop(names []string, kill bool) error {
	sup.mu.Lock()
	all := make(map[string]*service, len(sup.svcs))
	for k, v := range sup.svcs {
		all[k] = v
	}
	sup.mu.Unlock()
	for _, n := range names {
		if all[n] == nil {
			return fmt.Errorf("no service %q is known to the supervisor", n)
		}
	}
	stopping := map[string]bool{}
	var mark func(string)
	mark = func(n string) {
		if stopping[n] {
			return
		}
		stopping[n] = true
		for m, s := range all {
			if _, ok := s.spec.DependsOn[n]; ok {
				mark(m)
			}
		}
	}
	if len(names) == 0 {
		for n := range all {
			stopping[n] = true
		}
	}
	for _, n := range names {
		mark(n)
	}
	// Reverse dependency order: each service waits for those that depend
	// on it to be down; independent ones stop in parallel.
	var wg sync.WaitGroup
	for n := range stopping {
		s := all[n]
		var dependents []*service
		for m := range stopping {
			if _, ok := all[m].spec.DependsOn[n]; ok {
				dependents = append(dependents, all[m])
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, d := range dependents {
				<-d.loopDone
			}
			s.stop(kill)
		}()
	}
	wg.Wait()
	if len(names) == 0 {
		svcs := make([]*service, 0, len(all))
		for _, s := range all {
			svcs = append(svcs, s)
		}
		composeDown(svcs)
	}
	return nil
}

// Kill SIGKILLs every service's process group at once.
func (sup *Supervisor) Kill() {
	sup.mu.Lock()
	svcs := make([]*service, 0, len(sup.svcs))
	for _, s := range sup.svcs {
		svcs = append(svcs, s)
	}
	sup.mu.Unlock()
	for _, s := range svcs {
		s.requestKill()
	}
}

func (sup *Supervisor) newService(spec ServiceSpec) (*service, error) {
	probe, err := spec.probe()
	if err != nil {
		return nil, err
	}
	if ep, ok := probe.(*ExecProbe); ok {
		ep.Runner = sup.runner
	}
	logf, err := OpenRotating(sup.fs, "logs/"+spec.Name+".log", DefaultLogMaxSize, DefaultLogKeep)
	if err != nil {
		return nil, fmt.Errorf("%s: log file: %w", spec.Name, err)
	}
	masker := mask.New(spec.Secrets)
	sup.mu.Lock()
	defer sup.mu.Unlock()
	if _, seen := sup.svcs[spec.Name]; !seen {
		sup.order = append(sup.order, spec.Name)
	}
	s := &service{
		sup:      sup,
		spec:     spec,
		probe:    probe,
		log:      newStampedLog(maskedFile{masker.Writer(logf), logf}),
		logPath:  logf.path,
		tail:     &tailBuffer{},
		changed:  make(chan struct{}),
		stopReq:  make(chan struct{}),
		killReq:  make(chan struct{}),
		loopDone: make(chan struct{}),
		st:       Status{Name: spec.Name, Backend: "process", State: StateStarting, Hash: spec.Hash, Log: logf.path},
	}
	if spec.Compose != nil {
		s.st.Backend = "compose"
	}
	if probe != nil {
		s.st.Health = HealthStarting
	}
	var out io.Writer = s.tail
	if sup.output != nil {
		out = io.MultiWriter(out, newPrefixer(sup.output, sup.prefixFor(spec.Name)))
		sup.n++
	}
	// Masked per line as written: whole lines go out at once.
	s.out = masker.Writer(out)
	sup.svcs[spec.Name] = s
	return s, nil
}

// prefixFor is a service's line prefix: the Prefix option's, or plain.
func (sup *Supervisor) prefixFor(name string) string {
	if sup.prefix != nil {
		return sup.prefix(name, sup.n)
	}
	return PlainPrefix(name)
}

// maskedFile is a log file behind a masking writer: Close writes what the
// masker held back, then closes the file.
type maskedFile struct {
	io.WriteCloser // the masker
	f              io.Closer
}

func (m maskedFile) Close() error {
	err := m.WriteCloser.Close()
	if cerr := m.f.Close(); err == nil {
		err = cerr
	}
	return err
}
