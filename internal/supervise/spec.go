package supervise

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"sort"
	"time"

	"github.com/onboard-dev/onboard/internal/config"
)

// Restart policies.
const (
	RestartNo        = "no"
	RestartOnFailure = "on-failure"
	RestartAlways    = "always"
)

// DefaultMaxRestarts is how many times in a row a crashing service is
// restarted (when its policy restarts it at all) before it is failed.
const DefaultMaxRestarts = 5

// ServiceSpec is everything the supervisor needs to run one service. It is
// plain data, so that `onboard up` can hand it to a detached supervisor
// over the control socket: the supervisor never reads onboard.yaml itself,
// and what runs is exactly what the trusted checklist said.
type ServiceSpec struct {
	Name string `json:"name"`
	// Hash is the definition hash: a service running under another hash is
	// restarted by Start.
	Hash  string   `json:"hash,omitempty"`
	Shell string   `json:"shell,omitempty"`
	Argv  []string `json:"argv,omitempty"`
	Dir   string   `json:"dir"` // absolute
	Env   []string `json:"env,omitempty"`

	Setup   *SetupSpec   `json:"setup,omitempty"`
	Ready   *ReadySpec   `json:"ready,omitempty"`
	Compose *ComposeSpec `json:"compose,omitempty"`

	// DependsOn maps other services to the condition this one waits for:
	// started, healthy or completed. Steps it depends on are the engine's
	// business and are not listed here.
	DependsOn map[string]string `json:"depends_on,omitempty"`

	Restart     string        `json:"restart,omitempty"`
	MaxRestarts int           `json:"max_restarts,omitempty"`
	StopTimeout time.Duration `json:"stop_timeout,omitempty"`
	StopSignal  string        `json:"stop_signal,omitempty"`

	// Secrets are values masked in everything the service writes (its log
	// file, the foreground output, the last lines of a failure) as it is
	// written. They reach the detached supervisor over its socket in
	// .onboard/services (0700), never a file.
	Secrets []string `json:"secrets,omitempty"`
}

// SetupSpec is a one-shot command run before a service's first start,
// unless Creates exists or Check exits 0.
type SetupSpec struct {
	Shell      string   `json:"shell,omitempty"`
	Argv       []string `json:"argv,omitempty"`
	Creates    string   `json:"creates,omitempty"` // absolute
	CheckShell string   `json:"check_shell,omitempty"`
	CheckArgv  []string `json:"check_argv,omitempty"`
}

// ReadySpec is a readiness probe: exactly one of TCP, HTTP, Exec, Log.
type ReadySpec struct {
	TCP       string        `json:"tcp,omitempty"`
	HTTP      string        `json:"http,omitempty"`
	ExecShell string        `json:"exec_shell,omitempty"`
	ExecArgv  []string      `json:"exec_argv,omitempty"`
	Log       string        `json:"log,omitempty"`
	Interval  time.Duration `json:"interval,omitempty"`
	Timeout   time.Duration `json:"timeout,omitempty"`
	Failures  int           `json:"failures,omitempty"`
}

// ComposeSpec delegates the service to Docker Compose.
type ComposeSpec struct {
	File    string `json:"file"` // absolute
	Service string `json:"service"`
	Project string `json:"project"`
}

// SpecFromConfig turns a checklist service into a ServiceSpec. root is the
// repository root; environ is the complete environment of commands (the
// user's, plus inputs), to which the service's own env is added.
func SpecFromConfig(svc *config.Service, root string, environ []string, hash string, services map[string]bool) ServiceSpec {
	s := ServiceSpec{
		Name:        svc.Name,
		Hash:        hash,
		Shell:       svc.Run.Shell,
		Argv:        svc.Run.Argv,
		Dir:         root,
		Restart:     svc.Restart.Value,
		MaxRestarts: svc.MaxRestarts,
		StopTimeout: svc.StopTimeout.Value,
		StopSignal:  svc.StopSignal.Value,
	}
	if svc.Dir.Value != "" {
		s.Dir = filepath.Join(root, svc.Dir.Value)
	}
	env := append([]string(nil), environ...)
	keys := make([]string, 0, len(svc.Env))
	for k := range svc.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env = append(env, k+"="+svc.Env[k].Value)
	}
	s.Env = env
	if st := svc.Setup; st != nil {
		s.Setup = &SetupSpec{Shell: st.Run.Shell, Argv: st.Run.Argv, CheckShell: st.Check.Shell, CheckArgv: st.Check.Argv}
		if st.Creates.Value != "" {
			s.Setup.Creates = filepath.Join(root, st.Creates.Value)
		}
	}
	if r := svc.Ready; r != nil {
		s.Ready = &ReadySpec{TCP: r.TCP.Value, HTTP: r.HTTP.Value, ExecShell: r.Exec.Shell, ExecArgv: r.Exec.Argv,
			Log: r.Log.Value, Interval: r.Interval.Value, Timeout: r.Timeout.Value, Failures: r.Failures}
	}
	if c := svc.Compose; c != nil {
		s.Compose = &ComposeSpec{Service: c.Service.Value, Project: ComposeProject(root)}
		if c.File.Value != "" {
			s.Compose.File = filepath.Join(root, c.File.Value)
		} else {
			s.Compose.File = filepath.Join(root, "docker-compose.yml")
		}
	}
	for _, d := range svc.DependsOn {
		if services[d.Name.Value] {
			if s.DependsOn == nil {
				s.DependsOn = map[string]string{}
			}
			s.DependsOn[d.Name.Value] = d.Condition.Value
		}
	}
	return s
}

// probe builds the readiness probe, nil when the service has none.
func (s *ServiceSpec) probe() (Probe, error) {
	r := s.Ready
	if r == nil {
		return nil, nil
	}
	cr := &config.Ready{
		TCP:  config.String{Value: r.TCP},
		HTTP: config.String{Value: r.HTTP},
		Exec: config.Command{Shell: r.ExecShell, Argv: r.ExecArgv},
		Log:  config.String{Value: r.Log},
	}
	p, err := ProbeFor(cr, s.Dir, s.Env)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Name, err)
	}
	return p, nil
}

func (s *ServiceSpec) restartPolicy() string {
	if s.Restart == "" {
		return RestartNo
	}
	return s.Restart
}

func (s *ServiceSpec) maxRestarts() int {
	if s.MaxRestarts > 0 {
		return s.MaxRestarts
	}
	return DefaultMaxRestarts
}

func (s *ServiceSpec) readyTimeout() time.Duration {
	if s.Ready != nil && s.Ready.Timeout > 0 {
		return s.Ready.Timeout
	}
	return DefaultTimeout
}

func (s *ServiceSpec) readyInterval() time.Duration {
	if s.Ready != nil {
		return s.Ready.Interval
	}
	return 0
}

// ports are the addresses the service serves, as far as its definition
// tells: the host:port of a tcp probe, or of an http probe's URL (its
// scheme's port when the URL names none). Other probes name no port.
func (s *ServiceSpec) ports() []string {
	r := s.Ready
	switch {
	case r == nil:
		return nil
	case r.TCP != "":
		return []string{r.TCP}
	case r.HTTP != "":
		u, err := url.Parse(r.HTTP)
		if err != nil || u.Hostname() == "" {
			return nil
		}
		port := u.Port()
		switch {
		case port != "":
		case u.Scheme == "https":
			port = "443"
		default:
			port = "80"
		}
		return []string{net.JoinHostPort(u.Hostname(), port)}
	}
	return nil
}
