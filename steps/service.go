package steps

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/onboard-dev/onboard/internal/config"
	"github.com/onboard-dev/onboard/internal/engine"
	"github.com/onboard-dev/onboard/internal/supervise"
)

// Stack is where service items start their services: the detached
// supervisor (through its socket) for `onboard up`, or one inside this
// process for `onboard services up` in the foreground.
type Stack interface {
	Start(ctx context.Context, spec supervise.ServiceSpec) error
	// Statuses lists the services; with names, only those (cheaper:
	// each status reads the service's process tree).
	Statuses(ctx context.Context, names ...string) ([]supervise.Status, error)
}

// StackFunc returns the stack. With start false it must not start a
// supervisor, and returns nil, nil when none runs: a check changes
// nothing.
type StackFunc func(ctx context.Context, start bool) (Stack, error)

// serviceItem is a `services:` entry: met when the supervisor runs it under
// this definition and it is healthy; applied by asking the supervisor to
// start it and waiting until it is ready. Its dependencies are graph
// edges (depends_on), so the engine starts them first and a failed one
// blocks it with the reason.
type serviceItem struct {
	svc      *config.Service
	hash     string
	legacy   string // the definition's hash as onboard recorded it before 2026-12 (see hashes)
	services map[string]bool
	stack    StackFunc
	secrets  []string          // masked in the service's log and output
	inputs   map[string]string // .Inputs of env: values
	project  string
	// uses are the inputs whose answers the service uses (see
	// usedInputs), found once, on the first check: only a change of
	// those restarts it.
	file     *config.File
	usesOnce sync.Once
	uses     map[string]bool
	// note is why the last Apply restarted it, shown by the verify check
	// that follows ("restarted: build applied").
	note string
}

func serviceNode(f *config.File, svc *config.Service, deps Deps) *engine.Node {
	services := map[string]bool{}
	for _, s := range f.Services {
		services[s.Name] = true
	}
	h, legacy := hashes(svc)
	n := &engine.Node{
		ID:         engine.ServiceID(svc.Name),
		Line:       svc.Pos.Line,
		Hash:       h,
		LegacyHash: legacy,
		Item:       &serviceItem{svc: svc, hash: h, legacy: legacy, services: services, stack: deps.Stack, secrets: deps.Secrets, inputs: deps.Inputs, project: deps.Project, file: f},
		Plan:       engine.Plan{Check: "running and healthy", Apply: "start " + describeService(svc)},
		Waits:      true,
	}
	for _, d := range svc.DependsOn {
		if services[d.Name.Value] {
			n.Needs = append(n.Needs, engine.ServiceID(d.Name.Value))
		} else {
			n.Needs = append(n.Needs, engine.StepID(d.Name.Value))
		}
	}
	// A step it restarts on runs first, so that its applying is known;
	// so does the template step that writes a file it restarts on.
	for _, r := range svc.RestartOn {
		name, ok := strings.CutPrefix(r.Value, "step:")
		if path, isFile := strings.CutPrefix(r.Value, "file:"); isFile {
			if st := config.TemplateWriting(f, path); st != nil {
				name, ok = st.ID.Value, true
			}
		}
		if ok && !slices.Contains(n.Needs, engine.StepID(name)) {
			n.Needs = append(n.Needs, engine.StepID(name))
		}
	}
	return n
}

func describeService(svc *config.Service) string {
	if svc.Compose != nil {
		return "compose service " + svc.Compose.Service.Value
	}
	return describe(svc.Run)
}

func (s *serviceItem) Check(ctx context.Context, env *engine.Env) (engine.Result, error) {
	if s.stack == nil {
		return engine.Result{Status: engine.NotMet, Detail: "services cannot run in this mode"}, nil
	}
	stack, err := s.stack(ctx, false)
	if err != nil {
		return engine.Result{}, err
	}
	if stack == nil {
		return engine.Result{Status: engine.NotMet, Detail: "not running"}, nil
	}
	all, err := stack.Statuses(ctx, s.svc.Name)
	if err != nil {
		return engine.Result{}, err
	}
	for _, st := range all {
		if st.Name != s.svc.Name {
			continue
		}
		if why := s.staleReason(st, env); why != "" {
			return engine.Result{Status: engine.NotMet, Detail: "restart: " + why}, nil
		}
		switch {
		case st.Healthy():
			d := runningDetail(st)
			if s.note != "" {
				d = s.note + "; " + d
			}
			return engine.Result{Status: engine.Met, Detail: d}, nil
		case st.State == supervise.StateFailed:
			return engine.Result{Status: engine.NotMet, Detail: "failed: " + st.Error}, nil
		}
		return engine.Result{Status: engine.NotMet, Detail: string(st.State)}, nil
	}
	return engine.Result{Status: engine.NotMet, Detail: "not running"}, nil
}

func runningDetail(st supervise.Status) string {
	d := "running"
	if st.Pid > 0 {
		d += fmt.Sprintf(" (pid %d)", st.Pid)
	}
	if st.Health != "" {
		d += ", " + st.Health
	}
	return d
}

func (s *serviceItem) Apply(ctx context.Context, env *engine.Env) error {
	if s.stack == nil {
		return engine.ErrCannotApply
	}
	// Fail before a supervisor is started for nothing, with the way out.
	if s.svc.Compose == nil {
		if err := supervise.NativeSupported(s.svc.Name); err != nil {
			return err
		}
	}
	stack, err := s.stack(ctx, true)
	if err != nil {
		return fmt.Errorf("service supervisor: %w", err)
	}
	spec, err := s.spec(env.Root, env.Environ)
	if err != nil {
		return err
	}
	// Why a running service restarts goes to its log and to the result.
	s.note = ""
	if all, err := stack.Statuses(ctx, s.svc.Name); err == nil {
		for _, st := range all {
			if st.Name == s.svc.Name {
				spec.RestartReason = s.staleReason(st, env)
			}
		}
	}
	if spec.RestartReason != "" {
		s.note = "restarted: " + spec.RestartReason
	}
	err = stack.Start(ctx, spec)
	var fe *supervise.FailedError
	if errors.As(err, &fe) {
		// The failure block shows the item's log: make it the service's
		// last lines, not the supervisor's conversation.
		if len(fe.Tail) > 0 {
			fmt.Fprintln(env.Log, strings.Join(fe.Tail, "\n"))
		}
		if fe.Name != s.svc.Name {
			// A service it depends on was healthy when its own item ran,
			// and failed since: name it, or the failure and its log read
			// as this service's.
			return fmt.Errorf("service:%s, which it depends on, failed since it was ready: %s (log: %s)", fe.Name, fe.Reason, fe.Log)
		}
		return fmt.Errorf("%s (log: %s)", fe.Reason, fe.Log)
	}
	return err
}

// spec is the service as the supervisor runs it: the one place the
// checklist's `services:` entry becomes supervise's own plain data (which
// the supervisor, that never reads onboard.yaml, builds its probes from).
// root is the repository root; environ is the complete environment of
// commands (the user's, plus inputs), to which the service's own env is
// added.
func (s *serviceItem) spec(root string, environ []string) (supervise.ServiceSpec, error) {
	svc := s.svc
	spec := supervise.ServiceSpec{
		Name:        svc.Name,
		Hash:        s.specHash(root, environ),
		Shell:       svc.Run.Shell,
		Argv:        svc.Run.Argv,
		Dir:         root,
		Restart:     svc.Restart.Value,
		MaxRestarts: svc.MaxRestarts,
		StopTimeout: svc.StopTimeout.Value,
		StopSignal:  svc.StopSignal.Value,
		Secrets:     s.secrets,
	}
	if svc.Dir.Value != "" {
		spec.Dir = filepath.Join(root, svc.Dir.Value)
	}
	own, err := renderEnv(svc.Env, s.inputs, s.project, environ)
	if err != nil {
		return spec, err
	}
	spec.Env = append(append([]string(nil), environ...), own...)
	if st := svc.Setup; st != nil {
		spec.Setup = &supervise.SetupSpec{Shell: st.Run.Shell, Argv: st.Run.Argv, CheckShell: st.Check.Shell, CheckArgv: st.Check.Argv}
		if st.Creates.Value != "" {
			spec.Setup.Creates = filepath.Join(root, st.Creates.Value)
		}
	}
	if r := svc.Ready; r != nil {
		spec.Ready = &supervise.ReadySpec{TCP: r.TCP.Value, HTTP: r.HTTP.Value, ExecShell: r.Exec.Shell, ExecArgv: r.Exec.Argv,
			Log: r.Log.Value, Interval: r.Interval.Value, Timeout: r.Timeout.Value, Failures: r.Failures}
	}
	if c := svc.Compose; c != nil {
		spec.Compose = &supervise.ComposeSpec{Service: c.Service.Value, Project: supervise.ComposeProject(root)}
		if c.File.Value != "" {
			spec.Compose.File = filepath.Join(root, c.File.Value)
		} else {
			spec.Compose.File = filepath.Join(root, "docker-compose.yml")
		}
	}
	// Steps it depends on are the engine's business (graph edges), not
	// the supervisor's.
	for _, d := range svc.DependsOn {
		if s.services[d.Name.Value] {
			if spec.DependsOn == nil {
				spec.DependsOn = map[string]string{}
			}
			spec.DependsOn[d.Name.Value] = d.Condition.Value
		}
	}
	return spec, nil
}
