package supervise

import (
	"fmt"
	"net"
	"net/url"
	"time"
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
	Hash string `json:"hash,omitempty"`
	// RestartReason, when set, makes Start restart a service that runs
	// under the same Hash, and says why in its log: "build applied".
	RestartReason string   `json:"restart_reason,omitempty"`
	Shell         string   `json:"shell,omitempty"`
	Argv          []string `json:"argv,omitempty"`
	Dir           string   `json:"dir"` // absolute
	Env           []string `json:"env,omitempty"`

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

// probe builds the readiness probe, nil when the service has none.
func (s *ServiceSpec) probe() (Probe, error) {
	p, err := ProbeFor(s.Ready, s.Dir, s.Env)
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
